"""Global switch that decides whether operations record a graph (no_grad / enable_grad)."""
from __future__ import annotations

import contextlib

_state = {"enabled": True}


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph."""
    return _state["enabled"]


class _GradMode(contextlib.ContextDecorator):
    """Context manager and decorator that sets grad recording to a fixed mode."""

    def __init__(self, enabled: bool) -> None:
        self._enabled = enabled
        self._saved: list[bool] = []

    def __enter__(self) -> "_GradMode":
        self._saved.append(_state["enabled"])
        _state["enabled"] = self._enabled
        return self

    def __exit__(self, *exc: object) -> None:
        _state["enabled"] = self._saved.pop()


def no_grad() -> _GradMode:
    """`with no_grad():` (or `@no_grad()`) records nothing: results are leaves without parents."""
    return _GradMode(False)


def enable_grad() -> _GradMode:
    """Turn recording back on inside a `no_grad` block."""
    return _GradMode(True)
