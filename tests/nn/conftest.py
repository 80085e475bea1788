"""Shared helpers for the nn tests: swapping parameters for gradcheck, numpy inputs, torch conversion."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from autograd_core import Tensor, gradcheck


def resolve(module: Any, path: str) -> tuple[Any, str]:
    """(owner, last key) of a dotted parameter path such as "layers.0.weight" or "cell.bias_hh"."""
    *parts, last = path.split(".")
    owner = module
    for part in parts:
        owner = owner[int(part)] if isinstance(owner, (list, tuple)) else getattr(owner, part)
    return owner, last


def set_by_path(module: Any, path: str, value: Any) -> None:
    """Replace the parameter at `path` by `value` (any Tensor)."""
    owner, last = resolve(module, path)
    if isinstance(owner, list):
        owner[int(last)] = value
    else:
        owner.__dict__[last] = value


def module_gradcheck(module: Any, *inputs: np.ndarray, output: Callable[[Any], Any] = lambda y: y) -> bool:
    """gradcheck of (inputs, parameters) -> output(module(*inputs)) in float64.

    The parameters are swapped for gradcheck's own Tensors during each call and restored after.
    """
    names = [n for n, _ in module.named_parameters()]
    originals = [p for _, p in module.named_parameters()]

    def f(*nodes: Tensor) -> Any:
        xs, ps = nodes[:len(inputs)], nodes[len(inputs):]
        for name, p in zip(names, ps):
            set_by_path(module, name, p)
        try:
            return output(module(*xs))
        finally:
            for name, p in zip(names, originals):
                set_by_path(module, name, p)

    return gradcheck(f, *inputs, *[p.data.copy() for p in originals], atol=1e-6, rtol=1e-5)


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A fresh default_rng per test, seeded with the test module's RNG_SEED (1234 where it sets none)."""
    return np.random.default_rng(getattr(request.module, "RNG_SEED", 1234))


@pytest.fixture
def check_module() -> Callable[..., bool]:
    """module_gradcheck as a fixture (test files import nothing from conftest: names clash across folders)."""
    return module_gradcheck
