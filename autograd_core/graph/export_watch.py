"""Module calls an ONNX export watches (per thread): a module with an ONNX form of its own is written as one unit."""
from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Iterator

# The calls noted by the export running in this thread (and asyncio task), or None when none runs.
_CALLS: contextvars.ContextVar[list[tuple[Any, tuple, dict, Any]] | None] = contextvars.ContextVar(
    "autograd_core.export_calls", default=None)


def note_call(module: Any, args: tuple, kwargs: dict, result: Any) -> None:
    """Remember that `module(*args, **kwargs)` returned `result`, when an export watches this thread
    (nn.Module.__call__ calls it for modules that give an `onnx_form`)."""
    calls = _CALLS.get()
    if calls is not None:
        calls.append((module, args, kwargs, result))


@contextlib.contextmanager
def watching() -> Iterator[list[tuple[Any, tuple, dict, Any]]]:
    """Collect the noted calls of the block, in the order they returned."""
    calls: list[tuple[Any, tuple, dict, Any]] = []
    token = _CALLS.set(calls)
    try:
        yield calls
    finally:
        _CALLS.reset(token)
