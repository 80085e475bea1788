"""MLP: a stack of Linear layers with one activation between them (none after the last)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

from autograd_core import Tensor

from .init import get_rng
from .linear import Linear
from .module import Module

ACTIVATIONS: dict[str, Callable[[Any], Any]] = {"relu": Tensor.relu, "tanh": Tensor.tanh, "sigmoid": Tensor.sigmoid}


class MLP(Module):
    """x -> act(L_0 x) -> act(L_1 ...) -> L_last(...): sizes[k] units in layer k, the last one linear.

    `layers` is a list of Linear (names layers.0.weight, ...). With sizes [H, Dy] on Dx inputs
    (one hidden layer) it has (Dx + 1) H + (H + 1) Dy parameters. All layers draw their
    PyTorch-default initial weights from one generator, in order, so a seed fixes the model.
    """

    def __init__(self, nin: int, sizes: Sequence[int], activation: str = "relu", *, bias: bool = True,
                 seed: Any = None, dtype: Any = None) -> None:
        super().__init__()
        if activation not in ACTIVATIONS:
            raise ValueError(f"MLP: unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}")
        sizes = [int(s) for s in sizes]
        if not sizes:
            raise ValueError("MLP: sizes must list at least one layer width")
        rng = get_rng(seed)
        dims = [int(nin)] + sizes
        self.activation = activation
        self.layers = [Linear(dims[k], dims[k + 1], bias, seed=rng, dtype=dtype) for k in range(len(sizes))]
        self._act = ACTIVATIONS[activation]

    def forward(self, x: Any) -> Any:
        layers = self.layers
        act = self._act
        for layer in layers[:-1]:
            x = act(layer(x))
        return layers[-1](x)

    def extra_repr(self) -> str:
        nin = self.layers[0].in_features
        return f"nin={nin}, sizes={[l.out_features for l in self.layers]}, activation={self.activation!r}"
