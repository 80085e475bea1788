"""The scalar teaching path (micrograd's model): Neuron, Layer, MLP built from Values, one per weight.

Slow on purpose (one graph node per multiply) and small enough to draw with viz. Weights are
ScalarParameters drawn from U(-1, 1), biases start at 0, labelled "w0", "w1", ..., "b", and the
modules are nn Modules, so parameters(), zero_grad(), and state_dict() work and viz draws each neuron.
"""
from __future__ import annotations

from typing import Any, Sequence

from .init import get_rng
from .module import Module
from .parameter import ScalarParameter


class Neuron(Module):
    """out = relu(b + sum_i w_i x_i) (or without relu when nonlin=False); w_i ~ U(-1, 1), b = 0."""

    def __init__(self, nin: int, nonlin: bool = True, *, seed: Any = None) -> None:
        super().__init__()
        rng = get_rng(seed)
        self.w = [ScalarParameter(float(v), f"w{i}") for i, v in enumerate(rng.uniform(-1.0, 1.0, size=nin))]
        self.b = ScalarParameter(0.0, "b")
        self.nonlin = bool(nonlin)

    def forward(self, x: Sequence[Any]) -> Any:
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act.relu() if self.nonlin else act

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(Module):
    """nout Neurons reading the same inputs; returns a list of Values (one Value when nout == 1)."""

    def __init__(self, nin: int, nout: int, nonlin: bool = True, *, seed: Any = None) -> None:
        super().__init__()
        rng = get_rng(seed)
        self.neurons = [Neuron(nin, nonlin, seed=rng) for _ in range(nout)]

    def forward(self, x: Sequence[Any]) -> Any:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(repr(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes nouts on nin inputs; relu everywhere except the last layer (micrograd's MLP)."""

    def __init__(self, nin: int, nouts: Sequence[int], *, seed: Any = None) -> None:
        super().__init__()
        rng = get_rng(seed)
        sizes = [int(nin)] + [int(n) for n in nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, seed=rng)
                       for i in range(len(nouts))]

    def forward(self, x: Sequence[Any]) -> Any:
        for layer in self.layers:
            x = layer(x)
            x = x if isinstance(x, list) else [x]
        return x[0] if len(x) == 1 else x

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(repr(layer) for layer in self.layers)}]"
