"""Per-thread recording state: grad mode (no_grad / enable_grad), module scopes, live transforms.

Each thread has its own state (as in PyTorch): a `no_grad()` block in one thread never turns
recording off in another, and a context entered in one thread is exited against that thread's
own saved value. The state lives in a context variable (so each asyncio task has its own too)
and is never changed once made: contexts install a new one and restore the one they replaced. Reading it is
one call (`current_state()`), which every recorded op makes.
"""
from __future__ import annotations

import contextlib
import contextvars
import itertools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Scope:
    """Where a node was recorded: the module (or other owner) whose call made it, an optional
    time step, and the enclosing scope. Immutable; nodes keep a reference in their `scope` slot."""

    __slots__ = ("owner", "step", "parent", "depth")
    depth: int

    def __init__(self, owner: Any, step: int | None, parent: "Scope | None") -> None:
        self.owner = owner
        self.step = step
        self.parent = parent
        self.depth = 0 if parent is None else parent.depth + 1

    def chain(self) -> list["Scope"]:
        """This scope and its ancestors, outermost first."""
        out: list[Scope] = []
        s: Scope | None = self
        while s is not None:
            out.append(s)
            s = s.parent
        out.reverse()
        return out

    def __repr__(self) -> str:
        step = "" if self.step is None else f"[t={self.step}]"
        return f"Scope({type(self.owner).__name__}{step}, depth={self.depth})"


_epochs = itertools.count()


class RecordingState:
    """What recording looks like in one thread (and one asyncio task): grad mode, the current
    module scope, the number of functional transforms running, and the state to go back to.

    Never changed once made (nothing assigns to a state after __init__): a context (no_grad,
    recording_scope, ...) installs a new state on entry and, on exit, a copy of the state it
    replaced, so a state another thread or task was handed never changes under it. Every state
    has a new `epoch`, so epochs grow with time: a node keeps the state it was recorded in, and
    nodes of a later epoch were made later (what pictures read creation order from).
    """

    __slots__ = ("enabled", "scope", "transforms", "outer", "epoch")

    enabled: bool
    scope: Scope | None
    transforms: int
    outer: "RecordingState | None"
    epoch: int

    def __init__(self, enabled: bool, scope: Scope | None, transforms: int,
                 outer: "RecordingState | None") -> None:
        self.enabled = enabled
        self.scope = scope
        self.transforms = transforms
        self.outer = outer
        self.epoch = next(_epochs)


# The recording state of the running context: a thread starts with the default (recording on,
# no scope); asyncio tasks start with their creator's. `current_state()` is the hot paths' read.
_DEFAULT_STATE = RecordingState(True, None, 0, None)
_STATE: contextvars.ContextVar[RecordingState] = contextvars.ContextVar("autograd_core.recording",
                                                                        default=_DEFAULT_STATE)
current_state = _STATE.get
_set = _STATE.set


def _enter(outer: RecordingState, enabled: bool, scope: Scope | None, transforms: int) -> None:
    """Install a new state on top of `outer` (the current one), which leaving puts back."""
    _set(RecordingState(enabled, scope, transforms, outer))


def _leave() -> None:
    """Go back to the state the current one replaced (as a copy in a new epoch)."""
    outer = current_state().outer
    if outer is None:
        raise RuntimeError("grad mode: a recording context was exited more times than entered")
    _set(RecordingState(outer.enabled, outer.scope, outer.transforms, outer.outer))


def is_grad_enabled() -> bool:
    """True when new operations in this thread are recorded into the graph."""
    return current_state().enabled


class _GradMode(contextlib.ContextDecorator):
    """Context manager and decorator that sets this thread's grad mode; leaving it restores the
    thread's previous state, so one instance may serve several threads at once."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = bool(enabled)

    def __enter__(self) -> "_GradMode":
        state = current_state()
        _enter(state, self._enabled, state.scope, state.transforms)
        return self

    def __exit__(self, *exc: object) -> None:
        _leave()


def no_grad() -> _GradMode:
    """`with no_grad():` (or `@no_grad()`) records nothing in this thread: results are leaves."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Turn recording back on (in this thread) inside a `no_grad` block."""
    return _GradMode(True)


def set_grad_enabled(mode: bool) -> _GradMode:
    """`with set_grad_enabled(flag):` records exactly when flag is true (torch.set_grad_enabled)."""
    return _GradMode(mode)


class recording_scope:  # noqa: N801 - used as a function: `with recording_scope(module, step):`
    """Every node recorded inside the block (in this thread) carries a Scope naming `owner`
    (a module) and `step` (a recurrent time step), nested inside the enclosing scope; the block
    gives that Scope. (A class rather than a generator: every module call enters one.)"""

    __slots__ = ("owner", "step")

    def __init__(self, owner: Any, step: int | None = None) -> None:
        self.owner = owner
        self.step = step

    def __enter__(self) -> Scope:
        state = current_state()
        scope = Scope(self.owner, self.step, state.scope)
        _enter(state, state.enabled, scope, state.transforms)
        return scope

    def __exit__(self, *exc: object) -> None:
        _leave()


def current_scope() -> Scope | None:
    """The scope new nodes in this thread are stamped with (None outside any module call)."""
    return current_state().scope


@contextlib.contextmanager
def transform_running() -> Any:
    """Marks (per thread) that a functional transform is evaluating its function: a transform
    started inside records its own backward, so the outer one can differentiate through it."""
    state = current_state()
    _enter(state, state.enabled, state.scope, state.transforms + 1)
    try:
        yield
    finally:
        _leave()


def transform_is_live() -> bool:
    """True while an enclosing functional transform (grad, jacobian, ...) is running in this thread."""
    return current_state().transforms > 0
