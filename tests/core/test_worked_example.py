"""The worked example from the notes: weights (0.1, 0.2, 0.3) with the bias first in the sum
(theta_0 + theta_1 x_1 + theta_2 x_2), input (1, 1): pre-activation 0.6, then a sigmoid unit."""
from __future__ import annotations

import math

import numpy as np
import pytest

from autograd_core import Tensor, Value


def _s(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_worked_example_with_values() -> None:
    bias, w1, w2 = Value(0.1, "theta0"), Value(0.2, "theta1"), Value(0.3, "theta2")
    x1, x2 = Value(1.0, requires_grad=False), Value(1.0, requires_grad=False)
    z = bias + w1 * x1 + w2 * x2
    assert z.data == pytest.approx(0.6, abs=1e-15)
    y = z.sigmoid()
    y.backward()
    s = _s(0.6)
    assert y.data == pytest.approx(s, rel=1e-15)
    assert y.data == pytest.approx(0.6456563062257954, rel=1e-15)
    slope = s * (1.0 - s)
    assert w1.grad == pytest.approx(slope * 1.0, rel=1e-14)
    assert w2.grad == pytest.approx(slope * 1.0, rel=1e-14)
    assert bias.grad == pytest.approx(slope, rel=1e-14)
    assert slope == pytest.approx(0.2287842405, rel=1e-9)
    assert x1.grad == 0.0  # an input that does not require grad receives nothing


def test_worked_example_with_tensors_and_other_input() -> None:
    # Same unit, vectorised (bias as the weight of a constant 1), and a second input (2, -1).
    theta = Tensor([0.1, 0.2, 0.3], requires_grad=True)
    for x in ((1.0, 1.0), (2.0, -1.0)):
        theta.zero_grad()
        features = Tensor([1.0, *x])
        z = theta @ features
        y = z.sigmoid()
        y.backward()
        pre = 0.1 + 0.2 * x[0] + 0.3 * x[1]
        s = _s(pre)
        assert z.item() == pytest.approx(pre, abs=1e-15)
        assert y.item() == pytest.approx(s, rel=1e-14)
        np.testing.assert_allclose(theta.grad, s * (1 - s) * np.array([1.0, *x]), rtol=1e-13)


def test_worked_example_with_step_activation() -> None:
    # The perceptron of the notes: step(0.6) = 1 and the step unit passes no gradient.
    w = [Value(0.1), Value(0.2), Value(0.3)]
    y = (w[0] + w[1] * 1.0 + w[2] * 1.0).step()
    y.backward()
    assert y.data == 1.0
    assert [v.grad for v in w] == [0.0, 0.0, 0.0]
