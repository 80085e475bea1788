"""nn.utils as in torch.nn.utils: gradient clipping and flattening parameters to one vector and back."""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.arrays import is_array

from .optim.clip import clip_grad_norm_

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]


def _params(parameters: Any) -> list[Any]:
    if isinstance(parameters, Node):
        return [parameters]
    if hasattr(parameters, "parameters") and callable(parameters.parameters):
        return list(parameters.parameters())
    return list(parameters)


def clip_grad_value_(parameters: Any, clip_value: float) -> None:
    """Clip every gradient element to [-clip_value, clip_value] (params without a grad are skipped)."""
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value!r}")
    for p in _params(parameters):
        g = p.grad
        if g is None:
            continue
        data = g.data if isinstance(g, Node) else g
        p.grad = np.clip(data, -clip_value, clip_value) if is_array(data) \
            else float(min(max(data, -clip_value), clip_value))


def parameters_to_vector(parameters: Iterable[Any]) -> Tensor:
    """All parameters flattened and joined into one 1-D Tensor (a copy that records nothing)."""
    params = _params(parameters)
    if not params:
        raise ValueError("parameters_to_vector: expected at least one parameter")
    return Tensor(np.concatenate([np.ravel(p.data) for p in params]))


def vector_to_parameters(vec: Any, parameters: Iterable[Any]) -> None:
    """Copy consecutive slices of a 1-D vector into the parameters' data, in order."""
    data = np.asarray(vec.data if isinstance(vec, Node) else vec)
    params = _params(parameters)
    total = sum(int(np.size(p.data)) for p in params)
    if data.ndim != 1 or data.size != total:
        raise ValueError(f"vector_to_parameters: expected a 1-D vector of {total} elements (the parameters' "
                         f"total), got shape {data.shape}")
    start = 0
    for p in params:
        n = int(np.size(p.data))
        if isinstance(p.data, np.ndarray):
            p.data[...] = data[start:start + n].reshape(p.data.shape)
        else:
            p.data = float(data[start])
        start += n
