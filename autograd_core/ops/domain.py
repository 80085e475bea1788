"""Domain checks shared by op entries: they raise a ValueError naming the op and the bad value."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..graph.trace_hooks import validated


def first_bad(x: Any, bad: Callable[[Any], Any]) -> tuple[float, tuple[int, ...] | None] | None:
    """The first element of x (float or array) where `bad` holds, with its index, or None."""
    if type(x) is float or type(x) is int:
        return (x, None) if bad(x) else None
    mask = bad(np.asarray(x))
    if not np.any(mask):
        return None
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return float(np.asarray(x)[index]), index


def where_text(index: tuple[int, ...] | None) -> str:
    """' at index (i, j)' for arrays, '' for scalars."""
    return "" if index is None or index == () else f" at index {index}"


def require(op: str, x: Any, bad: Callable[[Any], Any], expected: str) -> None:
    """Raise `ValueError('<op>: expected <expected>, got <value> at index <i>')` if any element is bad
    (inside a compiled step: on every replay's values)."""
    if type(x) is float or type(x) is int or isinstance(x, np.ndarray):
        _require(op, x, bad, expected)
    else:
        validated(_require, op, x, bad, expected)


def _require(op: str, x: Any, bad: Callable[[Any], Any], expected: str) -> None:
    found = first_bad(x, bad)
    if found is not None:
        value, index = found
        raise ValueError(f"{op}: expected {expected}, got {value!r}{where_text(index)}")


def non_integer(y: Any) -> Any:
    """True where y is not a whole number."""
    return np.floor(y) != y
