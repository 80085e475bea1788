"""GradArray: what a Tensor's `.grad` holds, a numpy array that also answers PyTorch's tensor methods.

The rule for `.grad` (docs/from-pytorch.md): None until a backward pass reaches the tensor; then
an array of the tensor's shape and dtype, a GradArray, so numpy functions take it as they are
and a PyTorch script's `x.grad.zero_()`, `x.grad.norm()`, `x.grad.data`, `p.data -= lr * p.grad`
work; after `backward(create_graph=True)` it is a Tensor instead (a node of the graph, so the
gradient can itself be differentiated), as in PyTorch.

Only numpy names that numpy lacks are added (numpy's own `size`, `max`, `sum`, ... keep numpy's
meaning, since the rest of the library reads gradients as arrays). Arithmetic gives numpy
results. numpy computes more slowly on a subclass, so the library reads `.grad` through
`plain(g)` where it computes with it.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _raw(x: Any) -> Any:
    from ..graph.node import Node

    return x.data if isinstance(x, Node) else x


class GradArray(np.ndarray):
    """An ndarray with PyTorch's in-place tensor methods (each returns the array itself)."""

    @property
    def data(self) -> "GradArray":  # type: ignore[override]
        """self (PyTorch's `.grad.data` is the gradient without its history; an array has none)."""
        return self

    def zero_(self) -> "GradArray":
        """Set every entry to 0."""
        self[...] = 0
        return self

    def fill_(self, value: Any) -> "GradArray":
        """Set every entry to value."""
        self[...] = _raw(value)
        return self

    def copy_(self, src: Any) -> "GradArray":
        """Copy src (broadcast to this shape) into this array."""
        self[...] = _raw(src)
        return self

    def add_(self, other: Any, *, alpha: float = 1.0) -> "GradArray":
        """self += alpha * other."""
        np.add(self, alpha * np.asarray(_raw(other)), out=self, casting="same_kind")
        return self

    def sub_(self, other: Any, *, alpha: float = 1.0) -> "GradArray":
        """self -= alpha * other."""
        np.subtract(self, alpha * np.asarray(_raw(other)), out=self, casting="same_kind")
        return self

    def mul_(self, other: Any) -> "GradArray":
        """self *= other."""
        np.multiply(self, _raw(other), out=self, casting="same_kind")
        return self

    def div_(self, other: Any) -> "GradArray":
        """self /= other."""
        np.divide(self, _raw(other), out=self, casting="same_kind")
        return self

    def clamp_(self, min: Any = None, max: Any = None) -> "GradArray":  # noqa: A002 - torch's names
        """Limit every entry to [min, max] (either may be None)."""
        np.clip(self, min, max, out=self)
        return self

    def norm(self, p: float = 2) -> float:
        """The p-norm of all entries (2: Euclidean), as a Python float."""
        return float(np.linalg.norm(plain(self).ravel(), ord=p))

    def clone(self) -> "GradArray":
        """A copy."""
        return self.copy()

    def detach(self) -> "GradArray":
        """self (a gradient array records no history)."""
        return self

    def numpy(self) -> np.ndarray:
        """The same memory as a plain ndarray."""
        return plain(self)

    def dim(self) -> int:
        """Number of dimensions."""
        return self.ndim

    def numel(self) -> int:
        """Number of entries."""
        return int(self.size)

    def __repr__(self) -> str:
        return repr(plain(self))


def plain(g: Any) -> Any:
    """g as the plain ndarray it wraps (the same memory), anything else unchanged."""
    return g.view(np.ndarray) if g.__class__ is GradArray else g


def as_grad(g: Any) -> Any:
    """A plain ndarray viewed as a GradArray; nodes and arrays of other kinds (the compiler's traced
    arrays) unchanged."""
    return g.view(GradArray) if g.__class__ is np.ndarray else g
