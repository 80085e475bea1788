"""compile(step, check=True): the first replays run beside the eager step, from the same snapshot of
parameters, optimizer state, module attributes and random streams; the first difference raises."""
from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from ..graph.node import Node
from ..random import default_generator
from ..graph.trace_hooks import TraceError


def _copy(x: Any) -> Any:
    return x.copy() if isinstance(x, np.ndarray) else x


class _Snapshot:
    """What a step may change, copied: every Tensor's data and grad, optimizer state and groups,
    attributes of modules and other objects the step reads, random streams."""

    def __init__(self, world: Any) -> None:
        self.world = world
        self.tensors = [(t, _copy(t.data), _copy(t.grad)) for t, _ in world.tensors]
        self.opts = [(o, copy.deepcopy(o.state), [{k: v for k, v in g.items() if k != "params"}
                                                   for g in o.param_groups]) for o in world.optimizers]
        self.objects = [(o, dict(vars(o))) for o in world.objects]
        self.streams = [(g, g.get_state()) for g in world.streams + [default_generator()]]

    def restore(self) -> None:
        for t, d, g in self.tensors:
            if isinstance(t.data, np.ndarray) and t.data.shape == d.shape:
                t.data[...] = d
            else:
                t.data = d.copy()
            t.grad = _copy(g)
        for o, state, groups in self.opts:
            o.state.clear()
            o.state.update(copy.deepcopy(state))
            for g, saved in zip(o.param_groups, groups):
                g.update(saved)
        for o, d in self.objects:
            vars(o).update(d)
        for g, st in self.streams:
            g.set_state(st)


def _leaves(x: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(x, Node):
        return [(path, np.asarray(x.data))]
    if isinstance(x, (list, tuple)):
        return [leaf for i, v in enumerate(x) for leaf in _leaves(v, f"{path}[{i}]")]
    if isinstance(x, dict):
        return [leaf for k, v in x.items() for leaf in _leaves(v, f"{path}[{k!r}]")]
    return [(path, x)]


def _same(a: Any, b: Any) -> bool:
    if (a is None) != (b is None):
        return False
    if a is None:
        return True
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind != "f" and b.dtype.kind != "f":
        return bool(np.array_equal(a, b))
    tol = 1e-5 if np.float32 in (a.dtype, b.dtype) else 1e-9
    return bool(np.allclose(a, b, rtol=tol, atol=tol, equal_nan=True))


class Checker:
    """Counts down the replays still to check; `replay` runs one checked."""

    def __init__(self, owner: Any, calls: int) -> None:
        self.owner, self.left = owner, max(int(calls), 0)
        self.world: Any = None  # set by each trace: what its replay reads and writes

    def replay(self, run: Callable[..., Any], keys: tuple[str, ...], flat: tuple, n_pos: int) -> Any:
        before = _Snapshot(self.world)
        out = run(keys, *flat)
        if out is self.owner.MISS:
            return out
        after_replay = [(_copy(t.data), _copy(t.grad)) for t, _ in self.world.tensors]
        before.restore()
        try:
            expected = self.owner.fn(*flat[:n_pos], **dict(zip(keys, flat[n_pos:])))
        except Exception as exc:
            raise TraceError(f"compile(check=True): the eager step raised {exc!r} where the replay returned "
                             f"normally") from exc
        self.left -= 1
        for (path, got), (_, want) in zip(_leaves(out, "the returned value"), _leaves(expected, "")):
            if not _same(got, want):
                raise TraceError(f"compile(check=True): {path} differs from the eager step's "
                                 f"(replay {got!r}, eager {want!r})")
        for (t, what), (data, grad) in zip(self.world.tensors, after_replay):
            for attr, got in (("data", data), ("grad", grad)):
                if not _same(got, getattr(t, attr)):
                    raise TraceError(f"compile(check=True): {what}.{attr} after the replay differs from the "
                                     f"eager step's")
        return out

