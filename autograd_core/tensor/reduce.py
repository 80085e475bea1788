"""Tensor reductions with PyTorch's names and meanings (dim/keepdim; max/min(dim) give (values, indices)).

axis=/keepdims= stay as aliases where numpy means the same; where it does not (max/min, var/std over
an axis) the numpy spelling raises naming the PyTorch form.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from ..arrays import as_array
from .dims import _UNSET, DimError, dim_of, dims_of, pick
from ..graph.node import Node
from ..ops import elementwise as E, reductions as R, statistics as ST
from ..ops.apply import apply
from .attrs import TensorAttrs

values_indices = namedtuple("values_indices", ["values", "indices"])
values_indices.__doc__ = "(values, indices) of max/min along a dim, like torch.return_types.max."


class ReductionMethods(TensorAttrs):
    """sum mean var std prod max min amax amin argmax argmin cumsum softmax log_softmax logsumexp."""

    __slots__ = ()

    def _reduce_args(self, name: str, dim: Any, keepdim: Any, axis: Any, keepdims: Any) -> tuple[Any, bool]:
        dim = pick(name, "dim", _UNSET if dim is None else dim, "axis", axis, None)
        keep = pick(name, "keepdim", _UNSET if keepdim is False else keepdim, "keepdims", keepdims, False)
        dims = dims_of(name, dim, self.ndim, self.shape)
        return (dims[0] if dims is not None and len(dims) == 1 else dims), bool(keep)

    def _reduced(self, dims: Any) -> Any:
        """The reduced dims as an iterable (dims is None, an int or a tuple)."""
        return range(self.ndim) if dims is None else ((dims,) if isinstance(dims, int) else dims)

    def _nonempty(self, name: str, dims: Any) -> None:
        reduced = self._reduced(dims)
        if any(self.shape[d] == 0 for d in reduced) or self.data.size == 0:
            raise ValueError(f"{name}: cannot reduce an empty dim of a tensor of shape {self.shape}")

    def _as(self, dtype: Any) -> Any:
        """self cast to dtype first (torch's dtype= on reductions), or self."""
        return self if dtype is None else self.type(dtype)

    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = _UNSET,
            keepdims: Any = _UNSET) -> Any:
        """Sum over dim (every element by default); dtype= casts first; bool and integer sums are int64."""
        dims, keep = self._reduce_args("sum", dim, keepdim, axis, keepdims)
        x = self._as(dtype if dtype is not None or self.dtype.kind not in "bi" else np.int64)
        return apply(R.SUM, x, axis=dims, keepdims=keep)

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = _UNSET,
             keepdims: Any = _UNSET) -> Any:
        """Sum divided by the number of elements reduced (nan for none, as torch); dtype= casts first."""
        dims, keep = self._reduce_args("mean", dim, keepdim, axis, keepdims)
        count = int(np.prod([self.shape[a] for a in self._reduced(dims)]))
        total = apply(R.SUM, self._as(dtype), axis=dims, keepdims=keep)
        return total * (1.0 / count) if count else total * np.nan

    def _correction(self, name: str, unbiased: Any, correction: Any, ddof: Any, axis: Any) -> float:
        given = [v for v in (unbiased, correction, ddof) if v is not None]
        if len(given) > 1:
            raise TypeError(f"{name}: pass one of unbiased=, correction= (or its numpy alias ddof=)")
        if axis is not _UNSET and not given:
            raise TypeError(f"{name}: axis= is numpy's spelling, and numpy's {name} divides by N (ddof=0) while "
                            f"PyTorch's divides by N - 1; write {name}(dim=...) for PyTorch's meaning or pass "
                            f"correction= explicitly")
        if unbiased is not None:
            return 1.0 if unbiased else 0.0
        c = correction if correction is not None else ddof
        return 1.0 if c is None else float(c)

    def var(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None,
            axis: Any = _UNSET, keepdims: Any = _UNSET, ddof: Any = None) -> Any:
        """sum (x - mean)^2 / (N - correction), correction 1 by default (unbiased, as torch); var(True) and
        var(False) are torch's var(unbiased)."""
        if isinstance(dim, bool):
            dim, unbiased = None, dim
        c = self._correction("var", unbiased, correction, ddof, axis)
        dims, keep = self._reduce_args("var", dim, keepdim, axis, keepdims)
        return apply(ST.VAR, self, axis=dims, correction=c, keepdims=keep)

    def std(self, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *, correction: Any = None,
            axis: Any = _UNSET, keepdims: Any = _UNSET, ddof: Any = None) -> Any:
        """sqrt of var (correction 1 by default, as torch); std(True) is torch's std(unbiased)."""
        if isinstance(dim, bool):
            dim, unbiased = None, dim
        c = self._correction("std", unbiased, correction, ddof, axis)
        dims, keep = self._reduce_args("std", dim, keepdim, axis, keepdims)
        return apply(ST.STD, self, axis=dims, correction=c, keepdims=keep)

    def prod(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = _UNSET,
             keepdims: Any = _UNSET) -> Any:
        """Product over dim; the gradient is the product of the other elements (exact with zeros); dtype=
        casts first; bool and integer products are int64, as torch."""
        dims, keep = self._reduce_args("prod", dim, keepdim, axis, keepdims)
        x = self._as(dtype if dtype is not None or self.dtype.kind not in "bi" else np.int64)
        return apply(ST.PROD, x, axis=dims, keepdims=keep)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        """The vector p-norm over dim (all entries by default): (sum |x|^p)^(1/p), 2 ("fro") being the Euclidean
        length, inf the largest |x|, -inf the smallest, 0 the count of nonzeros; the slope at a zero norm is 0, as
        torch. dtype= casts first."""
        if p == "nuc":
            raise ValueError("norm: the nuclear norm (p='nuc') needs a singular value decomposition, which this "
                             "library does not have")
        if isinstance(p, bool) or not (p in ("fro", None) or isinstance(p, (int, float, np.integer, np.floating))):
            raise ValueError(f"norm: p must be a number, inf or 'fro', got {p!r}")
        return self._vector_norm("norm", 2.0 if p in ("fro", None) else float(p), dim, keepdim, dtype)

    def _vector_norm(self, name: str, p: float, dim: Any, keepdim: bool, dtype: Any) -> Any:
        x = self._as(dtype)
        if x.dtype.kind != "f":
            raise TypeError(f"{name}: expected a floating tensor, got dtype {x.dtype} (pass dtype= or .float())")
        dims, keep = x._reduce_args(name, dim, keepdim, _UNSET, _UNSET)
        return apply(ST.NORM, x, axis=dims, keepdims=keep, p=p)

    def cumsum(self, dim: Any = _UNSET, *, dtype: Any = None, axis: Any = _UNSET) -> Any:
        """Running sum along dim (required: numpy's cumsum() without an axis flattens, torch's has none)."""
        d = pick("cumsum", "dim", dim, "axis", axis, _UNSET)
        if d is _UNSET or d is None:
            raise TypeError("cumsum: dim is required, as in torch (numpy's cumsum() flattens first: write "
                            "x.flatten().cumsum(0) for that)")
        x = self._as(dtype if dtype is not None or self.dtype.kind not in "bi" else np.int64)
        return apply(ST.CUMSUM, x, axis=dim_of("cumsum", d, self.ndim, self.shape))

    # ---- max / min -----------------------------------------------------------------------------

    def _extreme(self, name: str, other: Any, dim: Any, keepdim: bool, axis: Any, keepdims: Any) -> Any:
        if axis is not _UNSET:
            raise TypeError(f"{name}: axis= asks for numpy's {name} (values only) but PyTorch's {name}(dim) "
                            f"returns (values, indices); write a{name}(dim) for the values or {name}(dim) "
                            f"for both")
        if isinstance(other, Node) or isinstance(dim, Node):
            return apply(E.MAXIMUM if name == "max" else E.MINIMUM, self, other if other is not None else dim)
        whole = R.MAX if name == "max" else R.MIN
        if dim is None:
            self._nonempty(name, None)
            return apply(whole, self, axis=None, keepdims=False)
        d = dim_of(name, dim, self.ndim, self.shape)
        if not self.ndim:
            return values_indices(apply(whole, self, axis=None, keepdims=False), self._leaf(as_array(np.int64(0))))
        keep = bool(pick(name, "keepdim", _UNSET if keepdim is False else keepdim, "keepdims", keepdims, False))
        idx = self._arg(name, d, True)
        index = list(np.indices(idx.shape, sparse=True))
        index[d] = idx.data
        values = self[tuple(index)]  # a gather: the gradient reaches the chosen element only
        if keep:
            return values_indices(values, idx)
        return values_indices(values.reshape(values.shape[:d] + values.shape[d + 1:]),
                              self._leaf(as_array(idx.data.reshape(idx.shape[:d] + idx.shape[d + 1:]))))

    def max(self, dim: Any = None, keepdim: bool = False, *, other: Any = None, axis: Any = _UNSET,
            keepdims: Any = _UNSET) -> Any:
        """No dim: the largest element (0-d; ties split the gradient). With dim: (values, indices),
        the gradient going to the first largest element of each slice, as torch. max(tensor): maximum."""
        return self._extreme("max", other, dim, keepdim, axis, keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, other: Any = None, axis: Any = _UNSET,
            keepdims: Any = _UNSET) -> Any:
        """No dim: the smallest element (0-d). With dim: (values, indices), as torch."""
        return self._extreme("min", other, dim, keepdim, axis, keepdims)

    def amax(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET, keepdims: Any = _UNSET) -> Any:
        """Largest values over dim (all by default); ties split the gradient evenly, as torch.amax."""
        dims, keep = self._reduce_args("amax", None if dim == () else dim, keepdim, axis, keepdims)
        self._nonempty("amax", dims)
        return apply(R.MAX, self, axis=dims, keepdims=keep)

    def amin(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET, keepdims: Any = _UNSET) -> Any:
        """Smallest values over dim (all by default); ties split the gradient evenly."""
        dims, keep = self._reduce_args("amin", None if dim == () else dim, keepdim, axis, keepdims)
        self._nonempty("amin", dims)
        return apply(R.MIN, self, axis=dims, keepdims=keep)

    def _arg(self, name: str, dim: Any, keepdim: bool) -> Any:
        self._nonempty(name, None if dim is None or self.ndim == 0 else (dim,))
        fn = np.argmax if name in ("max", "argmax") else np.argmin
        if dim is None or self.ndim == 0:  # a 0-d tensor's only index along its one dim is 0, as torch
            return self._leaf(as_array(fn(self.data), dtype=np.int64))
        return self._leaf(as_array(fn(self.data, axis=dim, keepdims=keepdim).astype(np.int64)))

    def argmax(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET) -> Any:
        """Index of the first largest element along dim (of the flattened tensor without one); int64."""
        d = pick("argmax", "dim", _UNSET if dim is None else dim, "axis", axis, None)
        return self._arg("argmax", None if d is None else dim_of("argmax", d, self.ndim, self.shape), keepdim)

    def argmin(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET) -> Any:
        """Index of the first smallest element along dim; int64."""
        d = pick("argmin", "dim", _UNSET if dim is None else dim, "axis", axis, None)
        return self._arg("argmin", None if d is None else dim_of("argmin", d, self.ndim, self.shape), keepdim)

    # ---- the softmax family ------------------------------------------------------------------------

    def _one_dim(self, name: str, dim: Any, axis: Any) -> int:
        d = pick(name, "dim", _UNSET if dim is None else dim, "axis", axis, -1)
        return dim_of(name, d, self.ndim, self.shape) if self.ndim else -1

    def _along_one_dim(self, op: Any, name: str, dim: Any, axis: Any, dtype: Any) -> Any:
        """op along one dim; dtype= casts first; a 0-d tensor is taken as one entry of a 1-D one (as torch)."""
        x = self._as(dtype)
        d = x._one_dim(name, dim, axis)
        if x.ndim == 0:
            return apply(op, x.reshape(1), axis=0).reshape(())
        return apply(op, x, axis=d)

    def softmax(self, dim: Any = None, dtype: Any = None, *, axis: Any = _UNSET) -> Any:
        """exp(x - max) / sum exp(x - max) along dim (the last by default)."""
        return self._along_one_dim(R.SOFTMAX, "softmax", dim, axis, dtype)

    def log_softmax(self, dim: Any = None, dtype: Any = None, *, axis: Any = _UNSET) -> Any:
        """x - logsumexp(x) along dim (the last by default), computed stably."""
        return self._along_one_dim(R.LOG_SOFTMAX, "log_softmax", dim, axis, dtype)

    def logsumexp(self, dim: Any = None, keepdim: bool = False, *, axis: Any = _UNSET,
                  keepdims: Any = _UNSET) -> Any:
        """log sum exp(x) over dim (the last by default), max-shifted."""
        d = pick("logsumexp", "dim", _UNSET if dim is None else dim, "axis", axis, -1)
        dims, keep = self._reduce_args("logsumexp", d, keepdim, _UNSET, keepdims)
        return apply(R.LOGSUMEXP, self, axis=dims, keepdims=keep)


__all__ = ["DimError", "ReductionMethods", "values_indices"]
