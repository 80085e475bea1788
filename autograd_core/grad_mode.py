"""Per-thread recording state: grad mode (no_grad / enable_grad), module scopes, live transforms.

Each thread has its own state (as in PyTorch): a `no_grad()` block in one thread never turns
recording off in another, and a context entered in one thread is exited against that thread's
own saved value.
"""
from __future__ import annotations

import contextlib
import threading
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


class ThreadState:
    """The recording state of one thread: grad mode, the saved modes of open grad-mode blocks,
    the current module scope and the number of functional transforms running."""

    __slots__ = ("enabled", "saved", "scope", "transforms")

    def __init__(self) -> None:
        self.enabled = True
        self.saved: list[bool] = []
        self.scope: Scope | None = None
        self.transforms = 0


class _PerThread(threading.local):
    """Gives each thread its own ThreadState (threading.local runs __init__ once per thread).
    Hot paths read `PER_THREAD.state` once and then plain slots."""

    state: ThreadState

    def __init__(self) -> None:
        self.state = ThreadState()


PER_THREAD = _PerThread()


def is_grad_enabled() -> bool:
    """True when new operations in this thread are recorded into the graph."""
    return PER_THREAD.state.enabled


class _GradMode(contextlib.ContextDecorator):
    """Context manager and decorator that sets this thread's grad mode; the previous mode is kept
    on the thread's own stack, so one instance may serve several threads at once."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = bool(enabled)

    def __enter__(self) -> "_GradMode":
        state = PER_THREAD.state
        state.saved.append(state.enabled)
        state.enabled = self._enabled
        return self

    def __exit__(self, *exc: object) -> None:
        state = PER_THREAD.state
        state.enabled = state.saved.pop()


def no_grad() -> _GradMode:
    """`with no_grad():` (or `@no_grad()`) records nothing in this thread: results are leaves."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Turn recording back on (in this thread) inside a `no_grad` block."""
    return _GradMode(True)


def set_grad_enabled(mode: bool) -> _GradMode:
    """`with set_grad_enabled(flag):` records exactly when flag is true (torch.set_grad_enabled)."""
    return _GradMode(mode)


@contextlib.contextmanager
def recording_scope(owner: Any, step: int | None = None) -> Any:
    """Every node recorded inside the block (in this thread) carries a Scope naming `owner`
    (a module) and `step` (a recurrent time step), nested inside the enclosing scope."""
    state = PER_THREAD.state
    outer = state.scope
    state.scope = Scope(owner, step, outer)
    try:
        yield state.scope
    finally:
        state.scope = outer


def current_scope() -> Scope | None:
    """The scope new nodes in this thread are stamped with (None outside any module call)."""
    return PER_THREAD.state.scope


@contextlib.contextmanager
def transform_running() -> Any:
    """Marks (per thread) that a functional transform is evaluating its function: a transform
    started inside records its own backward, so the outer one can differentiate through it."""
    state = PER_THREAD.state
    state.transforms += 1
    try:
        yield
    finally:
        state.transforms -= 1


def transform_is_live() -> bool:
    """True while an enclosing functional transform (grad, jacobian, ...) is running in this thread."""
    return PER_THREAD.state.transforms > 0
