"""Tensor shape methods with PyTorch's meanings: size(), dim(), transpose(d0, d1), permute, view, ...

Also numel, unsqueeze, squeeze, flatten(start, end), expand, repeat (tiling), repeat_interleave, flip.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from ..graph.trace_hooks import validated
from .dims import _UNSET, dim_of, dims_of
from ..ops import shape as S
from ..ops.apply import apply
from .attrs import TensorAttrs


def _sizes(name: str, args: tuple) -> tuple[int, ...]:
    """f(2, 3) and f((2, 3)) alike."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for a in args:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"{name}: sizes must be ints, got {type(a).__name__} {a!r}")
    return tuple(int(a) for a in args)


class ShapeMethods(TensorAttrs):
    """Shapes and views, torch's way (a view shares memory with its tensor where numpy's reshape does)."""

    __slots__ = ()

    def size(self, dim: Any = None) -> Any:
        """The shape as a tuple, or the length of one dim (torch's size(); numpy's .size is numel())."""
        if dim is None:
            return self.data.shape
        return self.data.shape[dim_of("size", dim, self.ndim, self.shape)]

    def dim(self) -> int:
        """Number of dimensions."""
        return self.data.ndim

    def numel(self) -> int:
        """Number of elements."""
        return int(self.data.size)

    def transpose(self, *dims: Any) -> Any:
        """Swap two dims: transpose(d0, d1), as torch (numpy's transpose(*axes) is permute here)."""
        if len(dims) != 2 or any(isinstance(d, (tuple, list)) for d in dims):
            raise TypeError(f"transpose: PyTorch's transpose swaps two dims, transpose(dim0, dim1); got "
                            f"{dims!r} for shape {self.shape}. For numpy's meaning (reorder all axes) "
                            f"write permute(...), or .T to reverse them")
        if self.ndim == 0:
            dim_of("transpose", dims[0], 0, self.shape)
            dim_of("transpose", dims[1], 0, self.shape)
            return self * 1.0
        d0, d1 = (dim_of("transpose", d, self.ndim, self.shape) for d in dims)
        order = list(range(self.ndim))
        order[d0], order[d1] = d1, d0
        return apply(S.TRANSPOSE, self, axes=tuple(order))

    def permute(self, *dims: Any) -> Any:
        """Reorder dims: output dim i is input dim dims[i]."""
        order = _sizes("permute", dims)
        norm = [dim_of("permute", d, self.ndim, self.shape) for d in order]
        if sorted(norm) != list(range(self.ndim)):
            raise ValueError(f"permute: dims {order} are not a permutation of the {self.ndim} dims of "
                             f"shape {self.shape}")
        return apply(S.TRANSPOSE, self, axes=tuple(norm))

    def view(self, *shape: Any) -> Any:
        """The same elements in a new shape (one size may be -1): a reshape, sharing memory where numpy can."""
        return self.reshape(*shape)

    def view_as(self, other: Any) -> Any:
        """view(other.shape)."""
        return self.reshape(other.shape)

    def reshape_as(self, other: Any) -> Any:
        """reshape(other.shape)."""
        return self.reshape(other.shape)

    def unsqueeze(self, dim: int) -> Any:
        """Insert a size-1 dim at `dim` (in [-ndim-1, ndim])."""
        d = dim_of("unsqueeze", dim, self.ndim + 1, self.shape)
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def squeeze(self, dim: Any = None) -> Any:
        """Drop size-1 dims (all, or those of `dim` that have size 1: torch leaves other sizes alone)."""
        dims = range(self.ndim) if dim is None else (dims_of("squeeze", dim, self.ndim, self.shape) or ())
        drop = {d for d in dims if self.shape[d] == 1}
        return self.reshape(tuple(s for i, s in enumerate(self.shape) if i not in drop))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        """Merge dims start_dim..end_dim into one (all dims by default)."""
        if self.ndim == 0:
            return self.reshape(1)
        s = dim_of("flatten", start_dim, self.ndim, self.shape)
        e = dim_of("flatten", end_dim, self.ndim, self.shape)
        if s > e:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} (shape {self.shape})")
        return self.reshape(self.shape[:s] + (-1,) + self.shape[e + 1:] if self.numel() else
                            self.shape[:s] + (int(np.prod(self.shape[s:e + 1])),) + self.shape[e + 1:])

    def expand(self, *sizes: Any) -> Any:
        """Broadcast size-1 dims to `sizes` (-1 keeps a dim); new dims may be added in front."""
        target = _sizes("expand", sizes)
        lead = len(target) - self.ndim
        if lead < 0:
            raise ValueError(f"expand: {len(target)} sizes {target} are fewer than the {self.ndim} dims of "
                             f"shape {self.shape}")
        out = []
        for i, t in enumerate(target):
            own = self.shape[i - lead] if i >= lead else None
            size = own if t == -1 and own is not None else t
            if own is not None and own != 1 and own != size:
                raise ValueError(f"expand: dim {i} has size {own}, which expands only to itself or from 1 "
                                 f"(shape {self.shape} to {target})")
            out.append(size)
        return apply(S.BROADCAST_TO, self, shape=tuple(out)) if tuple(out) != self.shape else self * 1.0

    def expand_as(self, other: Any) -> Any:
        """expand(other.shape)."""
        return self.expand(other.shape)

    def repeat(self, *sizes: Any, axis: Any = _UNSET) -> Any:
        """Tile: repeat(2, 3) stacks 2 x 3 copies (torch's meaning; numpy's repeat is repeat_interleave)."""
        if axis is not _UNSET:
            raise TypeError("repeat: axis= asks for numpy's repeat (each element repeated in place); that is "
                            "repeat_interleave(repeats, dim) here. PyTorch's repeat(*sizes) tiles the tensor")
        reps = _sizes("repeat", sizes)
        if len(reps) < self.ndim:
            raise ValueError(f"repeat: {len(reps)} repeat counts {reps} are fewer than the {self.ndim} dims "
                             f"of shape {self.shape}")
        shape = (1,) * (len(reps) - self.ndim) + self.shape
        spread = self.reshape(tuple(x for s in shape for x in (1, s)))
        tiled = apply(S.BROADCAST_TO, spread, shape=tuple(x for r, s in zip(reps, shape) for x in (r, s)))
        return tiled.reshape(tuple(r * s for r, s in zip(reps, shape)))

    def repeat_interleave(self, repeats: Any, dim: Any = None, *, output_size: Any = None) -> Any:
        """Repeat each element `repeats` times along dim (of the flattened tensor without one); repeats may be a
        tensor of counts, one per element along dim (output_size, if given, must be their sum)."""
        x = self.flatten() if dim is None else self
        d = 0 if dim is None else dim_of("repeat_interleave", dim, self.ndim, self.shape)
        counts = np.asarray(getattr(repeats, "data", repeats))
        if counts.ndim:
            if counts.dtype.kind not in "iu" or counts.shape not in ((x.shape[d],), (1,)) or (counts < 0).any():
                raise ValueError(f"repeat_interleave: repeats must be non-negative integers, one per entry of dim {d} "
                                 f"(size {x.shape[d]}) or one for all, got shape {counts.shape}")
            take = np.repeat(np.arange(x.shape[d]), np.broadcast_to(counts, (x.shape[d],)))
            if output_size is not None and int(output_size) != take.size:
                raise ValueError(f"repeat_interleave: output_size {output_size} is not the sum of repeats {take.size}")
            return x[(slice(None),) * d + (take,)]
        repeats = int(counts)
        shape = x.shape
        spread = x.reshape(shape[:d + 1] + (1,) + shape[d + 1:])
        wide = apply(S.BROADCAST_TO, spread, shape=shape[:d + 1] + (int(repeats),) + shape[d + 1:])
        return wide.reshape(shape[:d] + (shape[d] * int(repeats),) + shape[d + 1:])

    def gather(self, dim: int, index: Any) -> Any:
        """out[i][j][k] = self[index[i][j][k]][j][k] for dim 0 (and so on): picks along dim, as torch.gather.

        index has self's number of dims; the gradient adds back at the picked places (repeats add up)."""
        idx = as_array(getattr(index, "data", index))
        if self.ndim == 0 and idx.ndim <= 1:  # a 0-d tensor gathers as a 1-element one, as torch
            return self.reshape(1).gather(dim, idx.reshape(-1) if idx.ndim else idx.reshape(1)).reshape(idx.shape)
        if idx.dtype.kind not in "iu" or idx.ndim != self.ndim:
            raise ValueError(f"gather: index must be an integer tensor with {self.ndim} dims like the input "
                             f"(shape {self.shape}), got dtype {idx.dtype} and shape {idx.shape}")
        d = dim_of("gather", dim, self.ndim, self.shape)
        validated(_check_gather_range, idx, d, self.shape[d])  # while compiling: on every call's index
        where: list[Any] = list(np.indices(idx.shape, sparse=True))
        where[d] = idx
        return self[tuple(where)]

    def flip(self, *dims: Any, **named: Any) -> Any:
        """Reverse the order of elements along dims (flip(0, 1), flip((0, 1)) or flip(dims=(0, 1)))."""
        if named:
            if dims or set(named) != {"dims"}:
                raise TypeError(f"flip: expected the dims positionally or as dims=, got {dims!r} and {named!r}")
            dims = (named["dims"],)
        chosen = dims_of("flip", _sizes("flip", dims), self.ndim, self.shape) or ()
        return self[tuple(slice(None, None, -1) if i in chosen else slice(None) for i in range(self.ndim))]


def _check_gather_range(idx: np.ndarray, d: int, size: int) -> None:
    if idx.size and (idx.min() < -size or idx.max() >= size):
        raise IndexError(f"gather: index {int(idx.max() if idx.max() >= size else idx.min())} is out "
                         f"of range for dim {d} of size {size}")
