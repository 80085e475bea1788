"""Normalizing functions of nn.functional, composed of table ops: layer_norm, normalize, cosine_similarity, and
embedding (a row lookup whose padding row gets no gradient)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.functions.pointwise import as_node


def layer_norm(input: Any, normalized_shape: Sequence[int], weight: Any = None, bias: Any = None,  # noqa: A002
               eps: float = 1e-5) -> Tensor:
    """(x - mean) / sqrt(var + eps) over the last len(normalized_shape) dims (var biased, as torch), then
    * weight + bias (each of normalized_shape, optional)."""
    x = as_node(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[x.ndim - len(shape):]) != shape or len(shape) > x.ndim:
        raise ValueError(f"layer_norm: normalized_shape {shape} must be the last dims of the input shape {x.shape}")
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    centered = x - x.mean(dims, keepdim=True)
    out = centered * ((centered * centered).mean(dims, keepdim=True) + eps) ** -0.5
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(np.shape(getattr(p, "data", p))) != shape:
            raise ValueError(f"layer_norm: {name} shape {np.shape(getattr(p, 'data', p))} must be {shape}")
    if weight is not None:
        out = out * weight
    return out + bias if bias is not None else out


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:  # noqa: A002
    """x / max(‖x‖_p over dim, eps) (the norm's gradient is 0 at a zero vector, so this stays finite)."""
    x = as_node(input)
    return x / x.norm(p, dim, keepdim=True).clamp_min(eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 * x2) / (max(‖x1‖, eps) max(‖x2‖, eps)) over dim, after broadcasting x1 and x2 (torch's formula:
    each input divided by its clamped norm, then the products summed)."""
    a, b = as_node(x1), as_node(x2)
    shape = np.broadcast_shapes(a.shape, b.shape)
    a, b = a.expand(shape), b.expand(shape)
    if not shape:
        a, b = a.reshape(1), b.reshape(1)
    na = a.norm(2, dim, keepdim=True).clamp_min(eps)
    nb = b.norm(2, dim, keepdim=True).clamp_min(eps)
    out = ((a / na) * (b / nb)).sum(dim)
    return out.reshape(()) if not shape else out


def embedding(input: Any, weight: Any, padding_idx: Any = None, max_norm: Any = None,  # noqa: A002
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """weight[input]: row i of weight for each index i; the rows at padding_idx get no gradient (as torch), and with
    scale_grad_by_freq each position's gradient is divided by how often its index occurs in input."""
    if max_norm is not None or sparse:
        raise ValueError("embedding: max_norm (which rewrites the weight in place) and sparse (sparse gradients) are "
                         "not supported")
    w = as_node(weight)
    idx = np.asarray(input.data if isinstance(input, Node) else input)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"embedding: indices must be an integer tensor, got dtype {idx.dtype}")
    if idx.size and (idx.min() < 0 or idx.max() >= w.shape[0]):
        raise IndexError(f"embedding: indices must lie in [0, {w.shape[0]}), got min {idx.min()} and max {idx.max()}")
    from autograd_core import where

    rows, fixed = w[idx], w.detach()[idx]
    if scale_grad_by_freq:  # same values; the gradient of each position divided by its index's count
        counts = np.bincount(idx.reshape(-1), minlength=w.shape[0])[idx].astype(w.dtype)
        rows = fixed + (rows - fixed) * (1.0 / counts)[..., None]
    if padding_idx is None:
        return rows
    pad = int(padding_idx) % w.shape[0]
    return where((idx == pad)[..., None], fixed, rows)
