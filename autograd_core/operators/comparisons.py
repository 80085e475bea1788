"""Comparisons == != < <= > >=: a Tensor gives a bool Tensor (no gradient), a Value compares like a float."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..arrays import as_array
from ..graph.node import Node
from .op_methods import Binary, named, unnamed
from ..tensor.attrs import TensorAttrs

_NUMBERS = (int, float, bool, np.number, np.bool_, np.ndarray, list, tuple)


def _comparison(fn: Callable[[Any, Any], Any], name: str, symbol: str) -> Binary:
    """self <symbol> other, elementwise: the operator, and the torch method (`__eq__ = eq = ...`)."""
    def method(self: Any, other: Any) -> Any:
        return self._compare(fn, name, other)
    return unnamed(method, f"self {symbol} other: a bool Tensor (no gradient) for a Tensor, a bool for a Value.")


@named
class ComparisonMethods(TensorAttrs):
    """Elementwise comparisons, torch's way; nodes stay hashable by identity (as torch tensors are)."""

    __slots__ = ()
    __hash__ = object.__hash__

    def _compare(self, fn: Callable[[Any, Any], Any], name: str, other: Any) -> Any:
        if isinstance(other, Node):
            if other.shape_tracked != self.shape_tracked:
                return NotImplemented
            other = other.data
        elif not isinstance(other, _NUMBERS):
            return NotImplemented
        if not self.shape_tracked:
            return bool(fn(self.data, other))
        try:
            out = fn(self.data, as_array(other))
        except ValueError:
            raise ValueError(f"{name}: shapes {self.shape} and {np.shape(other)} do not broadcast together") from None
        return self._leaf(as_array(out))

    __eq__ = eq = _comparison(np.equal, "eq", "==")
    __ne__ = ne = _comparison(np.not_equal, "ne", "!=")
    __lt__ = lt = _comparison(np.less, "lt", "<")
    __le__ = le = _comparison(np.less_equal, "le", "<=")
    __gt__ = gt = _comparison(np.greater, "gt", ">")
    __ge__ = ge = _comparison(np.greater_equal, "ge", ">=")
