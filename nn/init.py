"""Weight initialization: PyTorch's default schemes, reproducible through a seed or a numpy Generator.

Every function takes `seed`: None draws from the thread's default Generator (autograd_core.random,
reseeded by `manual_seed`, which seeds Dropout and DataLoader shuffling too), an int makes a fresh
`numpy.random.default_rng(seed)`, a Generator (ours or numpy's) is used as is (so one Generator can
initialize a whole model in a fixed order).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from autograd_core import Node
from autograd_core.random import manual_seed, numpy_rng

__all__ = ["calculate_gain", "constant_", "fan_in_and_fan_out", "get_rng", "kaiming_uniform_", "linear_bound",
           "manual_seed", "normal_", "ones_", "uniform_", "uniform_array", "xavier_normal_", "xavier_uniform_",
           "zeros_"]


def get_rng(seed: Any = None) -> np.random.Generator:
    """The numpy Generator behind `seed`: the thread's default for None (autograd_core.manual_seed seeds
    it), a new one for an int, else the Generator itself."""
    return numpy_rng(seed)


def fan_in_and_fan_out(shape: Sequence[int]) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight shape (out, in, *receptive): in * r and out * r, r = prod(receptive)."""
    if len(shape) < 2:
        raise ValueError(f"fan_in_and_fan_out: need a weight with at least 2 dimensions, got shape {tuple(shape)}")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """PyTorch's recommended gains: linear/sigmoid 1, tanh 5/3, relu sqrt 2, leaky_relu sqrt(2 / (1 + a^2))."""
    if nonlinearity in ("linear", "identity", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        a = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + a * a))
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r} "
                     f"(expected linear, sigmoid, tanh, relu or leaky_relu)")


def _fill(param: Any, values: np.ndarray) -> Any:
    """Write values into a Parameter (or ndarray) in place, keeping its dtype; returns param."""
    target = param.data if isinstance(param, Node) else param
    target[...] = values
    return param


def _shape(param: Any) -> tuple[int, ...]:
    return tuple(np.shape(param.data if isinstance(param, Node) else param))


def uniform_(param: Any, a: float = 0.0, b: float = 1.0, *, seed: Any = None) -> Any:
    """Fill with U(a, b)."""
    return _fill(param, get_rng(seed).uniform(a, b, size=_shape(param)))


def normal_(param: Any, mean: float = 0.0, std: float = 1.0, *, seed: Any = None) -> Any:
    """Fill with N(mean, std^2)."""
    return _fill(param, get_rng(seed).normal(mean, std, size=_shape(param)))


def constant_(param: Any, value: float) -> Any:
    """Fill with one value."""
    return _fill(param, np.full(_shape(param), value))


def zeros_(param: Any) -> Any:
    """Fill with 0."""
    return constant_(param, 0.0)


def ones_(param: Any) -> Any:
    """Fill with 1."""
    return constant_(param, 1.0)


def kaiming_uniform_(param: Any, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     *, seed: Any = None) -> Any:
    """He uniform: U(-bound, bound), bound = gain * sqrt(3 / fan). With a = sqrt(5) and fan_in this is
    PyTorch's Linear default, bound = 1 / sqrt(fan_in)."""
    fan_in, fan_out = fan_in_and_fan_out(_shape(param))
    fan = {"fan_in": fan_in, "fan_out": fan_out}.get(mode)
    if fan is None:
        raise ValueError(f"kaiming_uniform_: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan) if fan else 0.0
    return uniform_(param, -bound, bound, seed=seed)


def xavier_uniform_(param: Any, gain: float = 1.0, *, seed: Any = None) -> Any:
    """Glorot uniform: U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(_shape(param))
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(param, -bound, bound, seed=seed)


def xavier_normal_(param: Any, gain: float = 1.0, *, seed: Any = None) -> Any:
    """Glorot normal: N(0, std^2), std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = fan_in_and_fan_out(_shape(param))
    return normal_(param, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), seed=seed)


def uniform_array(shape: Sequence[int], bound: float, rng: np.random.Generator, dtype: Any = None) -> np.ndarray:
    """A fresh array of U(-bound, bound) draws (float64 unless dtype says otherwise)."""
    return rng.uniform(-bound, bound, size=tuple(shape)).astype(dtype or np.float64, copy=False)


def linear_bound(fan_in: int) -> float:
    """PyTorch's Linear/recurrent default bound 1 / sqrt(fan_in) (0 for an empty fan-in)."""
    return 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
