"""What library code asks of a running compile trace (autograd_core.jit): is one running, run a call live on every replay."""
from __future__ import annotations

import operator
import threading
from typing import Any, Callable

import numpy as np

_tls = threading.local()  # .recorder: the Recorder of the trace running on this thread, or None


class TraceError(RuntimeError):
    """A step did something during tracing that a replay could not reproduce."""


def active_recorder() -> Any:
    """The Recorder tracing on this thread, or None."""
    return getattr(_tls, "recorder", None)


def replayed(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) now; when called while a step is traced, also on every replay (with that replay's
    arrays). For effects a numpy trace cannot see: optimizer updates with live hyperparameters,
    random draws from the seeded generator, scheduler steps."""
    rec = active_recorder()
    if rec is None:
        return fn(*args)
    return rec.opaque(fn, args)


def validated(check: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run the validation `check(*args, **kwargs)` (it raises or returns None, and writes nothing);
    while tracing, on the values of every replay too, so a bad value raises in a replay as it does
    eagerly (a log of a negative number, a class index out of range)."""
    rec = active_recorder()
    if rec is None:
        check(*args, **kwargs)
        return
    try:  # on the traced stand-ins first: a check that reads only shapes needs no replay (they are guarded)
        check(*args, **kwargs)
        return
    except TraceError:  # it reads values: run it on them, now and on every replay
        pass
    rec.opaque(_call_check, (check, args, kwargs), writes=False)


def _call_check(check: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    check(*args, **kwargs)


def index_into(x: Any, index: Any) -> Any:
    """x[index]; while tracing also when x is a plain array and the index holds a traced one (which
    numpy's own indexing cannot see: it would ask the traced index for its data)."""
    rec = active_recorder()
    if rec is None or not isinstance(x, np.ndarray):
        return x[index]
    return rec.record(operator.getitem, (x, index), {}, None)


def recorded(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args), a pure function of arrays that numpy does not dispatch (math.erf over the elements):
    while tracing, recorded as one call run again on every replay's values."""
    rec = active_recorder()
    if rec is None:
        return fn(*args)
    return rec.record(fn, args, {}, None)
