"""nn.functional: the stateless forms of the layers and losses, as torch.nn.functional (import as F)."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Node, Tensor
from autograd_core import linear as _linear
from autograd_core.functions.pointwise import as_node, relu, sigmoid, tanh
from autograd_core.arrays import as_array
from autograd_core.jit import TraceError, active_recorder, validated
from autograd_core.random import numpy_rng

from .l1 import l1_loss
from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, mse_loss,
                     nll_loss)
from .losses_more import huber_loss, kl_div, smooth_l1_loss
from .normalization import cosine_similarity, embedding, layer_norm, normalize

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_similarity", "cross_entropy", "dropout",
           "elu", "embedding", "gelu", "hardtanh", "huber_loss", "kl_div", "l1_loss", "layer_norm", "leaky_relu",
           "linear", "log_softmax", "logsigmoid", "mse_loss", "nll_loss", "normalize", "one_hot", "relu", "relu6",
           "selu", "sigmoid", "silu", "smooth_l1_loss", "softmax", "softmin", "softplus", "tanh"]


def gelu(x: Any, approximate: str = "none") -> Any:
    """x Phi(x), or its tanh approximation."""
    return as_node(x).gelu(approximate)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, else negative_slope * x."""
    return as_node(x).leaky_relu(negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """x for x > 0, else alpha (e^x - 1)."""
    return as_node(x).elu(alpha)


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """log(1 + e^(beta x)) / beta (x above the threshold)."""
    return as_node(x).softplus(beta, threshold)


def silu(x: Any, inplace: bool = False) -> Any:
    """x sigmoid(x)."""
    return as_node(x).silu()


def selu(x: Any, inplace: bool = False) -> Any:
    """scale elu(x, alpha) with torch's constants."""
    return as_node(x).selu()


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Any:
    """x clamped to [min_val, max_val]; the gradient passes strictly inside."""
    return as_node(x).hardtanh(min_val, max_val)


def relu6(x: Any, inplace: bool = False) -> Any:
    """hardtanh(x, 0, 6)."""
    return as_node(x).relu6()


def logsigmoid(x: Any) -> Any:
    """log sigmoid(x), stable."""
    return as_node(x).logsigmoid()


def _dim(name: str, dim: Any) -> int:
    if dim is None:
        raise TypeError(f"{name}: pass dim= (torch guesses a dim from the ndim when it is missing, which "
                        f"differs between 2-d and 3-d inputs; here it must be explicit)")
    return dim


def softmax(x: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x_i) / sum_j exp(x_j) along dim (max-shifted); dtype= casts first."""
    return as_node(x).softmax(_dim("softmax", dim), dtype)


def softmin(x: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along dim."""
    return as_node(x).softmin(_dim("softmin", dim), dtype)


def log_softmax(x: Any, dim: Any = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """x - logsumexp(x) along dim; dtype= casts first."""
    return as_node(x).log_softmax(_dim("log_softmax", dim), dtype)


def dropout(x: Any, p: float = 0.5, training: bool = True, *, generator: Any = None) -> Any:
    """x * mask / (1 - p), mask_i ~ Bernoulli(1 - p), while training (the thread's default Generator
    unless one is given); x itself otherwise. training=True by default, as torch's F.dropout."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must lie in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    x = as_node(x)
    if p == 1.0:
        return x * 0.0
    keep = numpy_rng(generator).random(x.shape) >= p
    return x * (keep.astype(x.dtype) * (1.0 / (1.0 - p)))


def linear(x: Any, weight: Any, bias: Any = None) -> Tensor:
    """x @ weight^T + bias (weight of shape (out_features, in_features))."""
    return _linear(as_node(x), weight, bias)


def one_hot(indices: Any, num_classes: int = -1) -> Tensor:
    """(..., num_classes) int64 rows with a 1 at each index (num_classes = max + 1 when -1)."""
    idx = as_array(indices.data if isinstance(indices, Node) else indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"one_hot: expected integer class indices, got dtype {idx.dtype} (use .long())")
    if num_classes == -1 and active_recorder() is not None:
        raise TraceError("compile: one_hot(indices) without num_classes takes its width from the largest "
                         "index, a shape that depends on the data; pass num_classes= inside a compiled step")
    n = int(idx.max()) + 1 if num_classes == -1 and idx.size else int(num_classes)
    validated(_check_one_hot, idx, n)  # while compiling: on every call's indices
    return Tensor._make((idx[..., None] == np.arange(max(n, 0))).astype(np.int64), (), None, None, False)


def _check_one_hot(idx: np.ndarray, n: int) -> None:
    if idx.size and idx.min() < 0:
        raise ValueError(f"one_hot: class indices must be >= 0, got {int(idx.min())}")
    if idx.size and idx.max() >= n:
        raise ValueError(f"one_hot: class index {int(idx.max())} is out of range for num_classes={n}")
