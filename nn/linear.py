"""Linear: the affine layer y = x W^T + b with PyTorch's weight layout (out, in) and default init."""
from __future__ import annotations

from typing import Any

from autograd_core import linear

from .init import get_rng, linear_bound, uniform_array
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x @ W^T + b, W of shape (out_features, in_features), b of shape (out_features,).

    Works on any leading batch shape (..., in_features). Initialization is PyTorch's:
    W, b ~ U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform with a = sqrt(5)), weight drawn first.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 seed: Any = None, dtype: Any = None) -> None:
        super().__init__()
        rng = get_rng(seed)
        bound = linear_bound(in_features)
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        self.weight = Parameter(uniform_array((out_features, in_features), bound, rng, dtype))
        self.bias = Parameter(uniform_array((out_features,), bound, rng, dtype)) if bias else None

    def forward(self, x: Any) -> Any:
        """One recorded `linear` node (x @ W^T + b fused: one node per layer keeps the graph small)."""
        return linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
