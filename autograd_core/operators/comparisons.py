"""Comparisons == != < <= > >=: a Tensor gives a bool Tensor (no gradient), a Value compares like a float."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..arrays import as_array
from ..graph.node import Node
from ..tensor.attrs import TensorAttrs

_NUMBERS = (int, float, bool, np.number, np.bool_, np.ndarray, list, tuple)


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

    def __eq__(self, other: Any) -> Any:
        return self._compare(np.equal, "eq", other)

    def __ne__(self, other: Any) -> Any:
        return self._compare(np.not_equal, "ne", other)

    def __lt__(self, other: Any) -> Any:
        return self._compare(np.less, "lt", other)

    def __le__(self, other: Any) -> Any:
        return self._compare(np.less_equal, "le", other)

    def __gt__(self, other: Any) -> Any:
        return self._compare(np.greater, "gt", other)

    def __ge__(self, other: Any) -> Any:
        return self._compare(np.greater_equal, "ge", other)

    def eq(self, other: Any) -> Any:
        """self == other."""
        return self.__eq__(other)

    def ne(self, other: Any) -> Any:
        """self != other."""
        return self.__ne__(other)

    def lt(self, other: Any) -> Any:
        """self < other."""
        return self.__lt__(other)

    def le(self, other: Any) -> Any:
        """self <= other."""
        return self.__le__(other)

    def gt(self, other: Any) -> Any:
        """self > other."""
        return self.__gt__(other)

    def ge(self, other: Any) -> Any:
        """self >= other."""
        return self.__ge__(other)
