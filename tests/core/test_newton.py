"""Newton's method with `hessian` (examples/newton_logistic.py) beats gradient descent to the same minimum."""
from __future__ import annotations

import importlib.util
import os
import re
import sys

import numpy as np
import pytest

from autograd_core import Tensor, grad, hessian

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load_example():
    path = os.path.join(ROOT, "examples", "newton_logistic.py")
    spec = importlib.util.spec_from_file_location("newton_logistic_example", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


example = _load_example()


def test_grad_and_hessian_of_the_loss_match_closed_forms() -> None:
    lam = 0.01
    x, y = example.make_data(n=100, d=3, seed=0)
    loss = example.make_loss(x, y, lam)
    w = np.array([0.3, -0.2, 0.1, 0.05])
    p = 1.0 / (1.0 + np.exp(-(x @ w)))
    value = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)) + 0.5 * lam * w @ w
    assert loss(Tensor(w)).item() == pytest.approx(value, rel=1e-13)
    np.testing.assert_allclose(grad(loss)(w), x.T @ (p - y) / 100 + lam * w, rtol=1e-11, atol=1e-14)
    expected_h = (x.T * (p * (1 - p))) @ x / 100 + lam * np.eye(4)
    np.testing.assert_allclose(hessian(loss)(w), expected_h, rtol=1e-11, atol=1e-14)


def test_newton_converges_in_fewer_steps_to_the_same_minimum() -> None:
    by_newton, by_gd = example.compare()
    assert by_newton.grad_norm < 1e-8 and by_gd.grad_norm < 1e-8
    assert by_newton.steps < by_gd.steps
    assert by_newton.steps <= 8  # quadratic convergence from w = 0
    np.testing.assert_allclose(by_newton.w, by_gd.w, atol=1e-6, rtol=0)
    assert by_newton.loss == pytest.approx(by_gd.loss, abs=1e-12)


def test_the_minimum_is_a_stationary_point_with_positive_definite_hessian() -> None:
    by_newton, _ = example.compare()
    x, y = example.make_data()
    loss = example.make_loss(x, y)
    assert np.linalg.norm(grad(loss)(by_newton.w)) < 1e-8
    assert np.linalg.eigvalsh(hessian(loss)(by_newton.w)).min() > 0.01 - 1e-12
    for direction in np.eye(4):
        for step in (1e-3, -1e-3):
            assert loss(Tensor(by_newton.w + step * direction)).item() > by_newton.loss


def test_example_main_prints_both_step_counts(capsys) -> None:
    example.main()
    out = capsys.readouterr().out
    by_newton, by_gd = example.compare()
    newton_steps = int(re.search(r"Newton's method:\s+(\d+) steps", out).group(1))
    gd_steps = int(re.search(r"gradient descent:\s+(\d+) steps", out).group(1))
    assert (newton_steps, gd_steps) == (by_newton.steps, by_gd.steps)
    assert float(re.search(r"minimum loss (\S+)", out).group(1)) == pytest.approx(by_newton.loss, abs=1e-11)
