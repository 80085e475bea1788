"""Stable by construction: softmax / log_softmax / logsumexp / sigmoid / tanh at |x| = 1e4 (float64)
give finite, correct values and gradients with no warning (RuntimeWarning is an error under pytest)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd_core import Tensor, Value, log_softmax, logsumexp, softmax

BIG = 1e4


@pytest.fixture(autouse=True)
def _all_numpy_warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            yield


def test_tensor_softmax_family_at_1e4() -> None:
    x = Tensor([[BIG, -BIG, 0.0], [BIG, BIG, BIG - 1.0]], requires_grad=True)
    p = x.softmax(axis=-1)
    e = math.exp(-1.0)
    np.testing.assert_allclose(p.data, [[1.0, 0.0, 0.0], [1 / (2 + e), 1 / (2 + e), e / (2 + e)]], rtol=1e-12)
    lp = x.log_softmax(axis=-1)
    np.testing.assert_allclose(lp.data, [[0.0, -2 * BIG, -BIG],
                                         [-math.log(2 + e), -math.log(2 + e), -1 - math.log(2 + e)]], rtol=1e-12)
    lse = x.logsumexp(axis=-1)
    np.testing.assert_allclose(lse.data, [BIG, BIG + math.log(2 + e)], rtol=1e-15)
    (p[0, 0] + lp.sum() + lse.sum()).backward()
    assert np.all(np.isfinite(x.grad))
    # d/dx of sum(log_softmax) over a row of k entries is 1 - k * softmax; lse adds softmax.
    np.testing.assert_allclose(x.grad[0], [1 - 3 + 1 + 0.0, 1.0, 1.0], atol=1e-12)


def test_tensor_logsumexp_of_large_negatives() -> None:
    x = Tensor([-BIG, -BIG], requires_grad=True)
    out = x.logsumexp()
    out.backward()
    assert out.item() == pytest.approx(-BIG + math.log(2.0), rel=1e-15)
    np.testing.assert_allclose(x.grad, [0.5, 0.5])


def test_tensor_sigmoid_and_tanh_at_1e4() -> None:
    x = Tensor([BIG, -BIG, 0.0], requires_grad=True)
    s = x.sigmoid()
    np.testing.assert_array_equal(s.data, [1.0, 0.0, 0.5])
    s.sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.25])
    y = Tensor([BIG, -BIG, 0.0], requires_grad=True)
    th = y.tanh()
    np.testing.assert_array_equal(th.data, [1.0, -1.0, 0.0])
    th.sum().backward()
    np.testing.assert_array_equal(y.grad, [0.0, 0.0, 1.0])


def test_float32_sigmoid_and_softmax_at_large_inputs() -> None:
    x = Tensor([100.0, -100.0], dtype=np.float32)
    s = x.sigmoid()
    assert s.dtype == np.float32
    np.testing.assert_allclose(s.data, [1.0, math.exp(-100.0)], rtol=1e-6, atol=1e-43)  # float32 denormal
    np.testing.assert_allclose(x.softmax().data, [1.0, 0.0])
    assert x.softmax().dtype == np.float32


def test_value_softmax_family_at_1e4() -> None:
    xs = [Value(BIG), Value(-BIG), Value(0.0)]
    p = softmax(xs)
    assert [v.data for v in p] == pytest.approx([1.0, 0.0, 0.0], abs=1e-300)
    lp = log_softmax(xs)
    assert [v.data for v in lp] == pytest.approx([0.0, -2 * BIG, -BIG], rel=1e-15)
    lse = logsumexp(xs)
    assert lse.data == BIG
    two = logsumexp([Value(BIG), Value(BIG)])
    assert two.data == pytest.approx(BIG + math.log(2.0), rel=1e-15)
    (p[0] + lp[1] + lse).backward()
    grads = [v.grad for v in xs]
    assert all(math.isfinite(g) for g in grads)
    # d p0 = 0 (p0 saturated), d lp1 = onehot(1) - p, d lse = p
    assert grads == pytest.approx([0.0, 1.0, 0.0], abs=1e-12)


def test_value_sigmoid_and_tanh_at_1e4() -> None:
    for x, s_expected, t_expected in ((BIG, 1.0, 1.0), (-BIG, 0.0, -1.0)):
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        assert s.data == s_expected and v.grad == 0.0
        w = Value(x)
        t = w.tanh()
        t.backward()
        assert t.data == t_expected and w.grad == 0.0
