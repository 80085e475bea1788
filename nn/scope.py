"""Scopes for viz: which graph-node ids each module call (and each recurrent time step) created.

Node ids only grow (`autograd_core.new_id`). A module call draws an id before its forward and
one after, so every node the call made has start < id < end. The log keeps the spans of the
latest top-level call only: it is cleared whenever a call starts at depth 0.
"""
from __future__ import annotations

from typing import Any

from autograd_core import new_id


class _SpanLog:
    """Module-global state: the spans of the latest top-level forward and the call depth.

    Each entry is (module, label, start_id, end_id); label is None for a module call and a
    string like "t=2" for a time step. An entry is None while its call runs (or if it raised).
    """

    __slots__ = ("spans", "depth")

    def __init__(self) -> None:
        self.spans: list[tuple[Any, str | None, int, int] | None] = []
        self.depth = 0


LOG = _SpanLog()


def traced_call(module: Any, args: tuple, kwargs: dict) -> Any:
    """Run module.forward(*args, **kwargs) and record its (module, None, start, end) span.

    The slot is reserved before the forward runs, so the log lists outer calls before inner ones.
    """
    log = LOG
    spans = log.spans
    if log.depth == 0:
        spans.clear()
    slot = len(spans)
    spans.append(None)
    start = new_id()
    log.depth += 1
    try:
        out = module.forward(*args, **kwargs)
    finally:
        log.depth -= 1
    spans[slot] = (module, None, start, new_id())
    return out


class time_step:  # noqa: N801 - used as a context manager, reads like a function
    """`with time_step(cell, t):` records the span of one recurrent step under the label "t=<t>".

    Recurrent sequence modules wrap each step in it; graph_scopes names the span "cell[t=2]".
    """

    __slots__ = ("module", "label", "slot", "start")

    def __init__(self, module: Any, t: int) -> None:
        self.module = module
        self.label = f"t={t}"

    def __enter__(self) -> "time_step":
        spans = LOG.spans
        if LOG.depth == 0:
            spans.clear()
        self.slot = len(spans)
        spans.append(None)
        self.start = new_id()
        LOG.depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        LOG.depth -= 1
        LOG.spans[self.slot] = (self.module, self.label, self.start, new_id())


def latest_spans() -> list[tuple[Any, str | None, int, int]]:
    """The recorded spans of the latest top-level call, outermost first (by start id)."""
    done = [s for s in LOG.spans if s is not None]
    done.sort(key=lambda s: s[2])
    return done


def scopes_of(root: Any) -> list[tuple[str, int, int]]:
    """(name, start_id, end_id) for every latest span of `root` or one of its submodules.

    Names are dotted paths relative to root ("layers.0"); root itself is named by its class
    ("MLP"); a time step adds "[t=k]" ("cell[t=2]"). Spans of modules outside root are left out.
    """
    names: dict[int, str] = {}
    for name, m in root.named_modules():
        names.setdefault(id(m), name)
    out = []
    for module, label, start, end in latest_spans():
        name = names.get(id(module))
        if name is None:
            continue
        name = name or type(module).__name__
        out.append((f"{name}[{label}]" if label else name, start, end))
    return out
