"""Version counters of tensor memory: in-place changes count up, backward refuses stale recordings.

PyTorch's rule (saved_variable.cpp): a node that saved a tensor for backward remembers the
tensor's version, and backward raises if an in-place op changed the tensor since. Here every
recorded node reads its inputs' and its own data in backward, so each of them counts as saved.

A counter belongs to a block of memory, not to a Tensor object: a Tensor, its views
(`x[0]`, `x.view(...)`, `x.T`) and `x.detach()` share their numpy memory owner and so share
one counter, as views share one in PyTorch. Counters exist only for memory an in-place op
changed (kept in `_COUNTERS` under the owner's id, dropped when the owner is freed); all other
memory is at version 0. A node stores the versions it saw (of its own data, then its parents')
only when one of them is not 0, so graphs of never-modified tensors pay one test of an empty
dict per op.
"""
from __future__ import annotations

import weakref
from typing import Any

import numpy as np

# id(memory owner) -> [reference to the owner, version, name of the last in-place op].
# Shared by threads like the tensors it describes; each entry is replaced, never edited in two steps.
_COUNTERS: dict[int, list[Any]] = {}


def _owner(arr: Any) -> Any:
    """The object owning arr's memory (numpy keeps the innermost base of a view chain)."""
    base = getattr(arr, "base", None)
    return arr if base is None else base


def _forget(key: int, ref: Any) -> None:
    entry = _COUNTERS.get(key)
    if entry is not None and entry[0] is ref:
        del _COUNTERS[key]


def _entry(arr: Any) -> list[Any] | None:
    """The counter entry of arr's memory, or None when it has none (an entry left under a reused id
    by memory since freed does not count)."""
    owner = _owner(arr)
    entry = _COUNTERS.get(id(owner))
    return None if entry is None or _target(entry[0]) is not owner else entry


def version(arr: Any) -> int:
    """How many in-place ops changed arr's memory (0 for memory never changed)."""
    if not _COUNTERS:
        return 0
    entry = _entry(arr)
    return 0 if entry is None else entry[1]


def last_op(arr: Any) -> str:
    """The name of the last in-place op that changed arr's memory ('' if none did)."""
    entry = _entry(arr)
    return "" if entry is None else entry[2]


def _target(ref: Any) -> Any:
    return ref() if isinstance(ref, weakref.ref) else ref


def bump(arr: Any, op_name: str) -> None:
    """Count one in-place change of arr's memory, made by `op_name`."""
    owner = _owner(arr)
    key = id(owner)
    entry = _entry(arr)
    if entry is not None:
        _COUNTERS[key] = [entry[0], entry[1] + 1, op_name]
        return
    def forget(r: Any, k: int = key) -> None:
        _forget(k, r)

    try:
        ref: Any = weakref.ref(owner, forget)
    except TypeError:  # memory owned by an object without weak references (a bytes buffer): keep it
        ref = owner
    _COUNTERS[key] = [ref, 1, op_name]


def _counted(arr: Any) -> bool:
    """Whether arr's memory has a counter (a quick test: the owner's id is a key)."""
    base = getattr(arr, "base", None)
    return id(arr if base is None else base) in _COUNTERS


def remember(node: Any) -> None:
    """Store on a newly recorded node the versions of its data and its parents' (when any is not 0)."""
    if not _COUNTERS:
        return
    parents = node.parents
    if not _counted(node.data) and not any(_counted(p.data) for p in parents):
        return  # the common case once some memory was changed: none of these arrays was
    seen = (version(node.data),) + tuple(version(p.data) for p in parents)
    if any(seen):
        node._extras().versions = seen


def check(node: Any) -> None:
    """Raise PyTorch's error if the data node's rule reads (its own, its parents') changed in place
    since the node was recorded."""
    if not _COUNTERS:
        return
    m = node._meta
    saved = getattr(m, "versions", None)
    items = (node,) + node.parents
    if saved is None and not any(_counted(item.data) for item in items):
        return  # recorded at version 0 everywhere, and none of these arrays was changed since
    for k, item in enumerate(items):
        now = version(item.data)
        then = 0 if saved is None else saved[k]
        if now != then:
            what = "its output" if k == 0 else f"input {k - 1}"
            raise RuntimeError(
                f"one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: a tensor of shape {tuple(np.shape(item.data))} ({what} of {node.op_name}) is at "
                f"version {now}; expected version {then} instead. The in-place op {last_op(item.data)} "
                f"changed it after {node.op_name} recorded it; {_advice(last_op(item.data))}")


def _advice(op_name: str) -> str:
    """How to avoid the change that made a recording stale."""
    if op_name.endswith(".step"):
        return ("an optimizer's step() updates its parameters in place: call backward() before step(), "
                "or compute the loss again after it")
    return "use its out-of-place form (e.g. x = x + y for x += y, x.clone() before the change)"
