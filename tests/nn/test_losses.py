"""Losses without torch: values against numpy closed forms, gradcheck, second derivatives, errors."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor, Value, gradcheck, gradgradcheck
from nn import losses as L

REDUCTIONS = ["mean", "sum", "none"]
RNG_SEED = 0  # the rng fixture (tests/nn/conftest.py) seeds with it


def _reduce(x, reduction):
    return x.mean() if reduction == "mean" else (x.sum() if reduction == "sum" else x)


def _np_log_softmax(x):
    m = x.max(axis=-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=-1, keepdims=True))


# ---- values against closed forms -----------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_and_hinge_values(rng, reduction):
    a, y = rng.normal(size=(5, 2)), rng.normal(size=(5, 2))
    np.testing.assert_allclose(L.mse_loss(Tensor(a), y, reduction).data, _reduce((a - y) ** 2, reduction), atol=1e-12)
    s, sgn = rng.normal(size=7), rng.choice([-1.0, 1.0], size=7)
    np.testing.assert_allclose(L.hinge_loss(Tensor(s), sgn, reduction).data,
                               _reduce(np.maximum(0.0, 1.0 - sgn * s), reduction), atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_losses_values(rng, reduction):
    p, y = rng.uniform(0.05, 0.95, size=(4, 3)), rng.uniform(size=(4, 3))
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    np.testing.assert_allclose(L.binary_cross_entropy(Tensor(p), y, reduction=reduction).data, _reduce(bce, reduction),
                               atol=1e-12)
    x = rng.normal(scale=3.0, size=(4, 3))
    sig = 1 / (1 + np.exp(-x))
    bce_x = -(y * np.log(sig) + (1 - y) * np.log(1 - sig))
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits(Tensor(x), y, reduction=reduction).data,
                               _reduce(bce_x, reduction), atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_values(rng, reduction):
    x = rng.normal(size=(6, 4))
    idx = np.array([0, 3, 2, 2, 1, 0])
    per_sample = -_np_log_softmax(x)[np.arange(6), idx]
    np.testing.assert_allclose(L.cross_entropy(Tensor(x), idx, reduction=reduction).data, _reduce(per_sample, reduction),
                               atol=1e-12)
    np.testing.assert_allclose(L.nll_loss(Tensor(_np_log_softmax(x)), idx, reduction=reduction).data,
                               _reduce(per_sample, reduction), atol=1e-12)
    q = rng.dirichlet(np.ones(4), size=6)
    soft = -(q * _np_log_softmax(x)).sum(axis=1)
    np.testing.assert_allclose(L.cross_entropy(Tensor(x), q, reduction=reduction).data, _reduce(soft, reduction), atol=1e-12)


def test_label_smoothing_is_a_mix_with_the_uniform_target(rng):
    x, idx, eps = rng.normal(size=(5, 4)), np.array([1, 0, 3, 3, 2]), 0.3
    q = np.eye(4)[idx] * (1 - eps) + eps / 4
    want = -(q * _np_log_softmax(x)).sum(axis=1).mean()
    assert L.cross_entropy(Tensor(x), idx, label_smoothing=eps).item() == pytest.approx(want, abs=1e-12)
    assert L.cross_entropy(Tensor(x), np.eye(4)[idx], label_smoothing=eps).item() == pytest.approx(want, abs=1e-12)


def test_ignore_index_and_weights(rng):
    x, w = rng.normal(size=(4, 3)), np.array([1.0, 2.0, 0.5])
    idx = np.array([2, -100, 0, 1])
    lsm = _np_log_softmax(x)
    kept = [0, 2, 3]
    per = -lsm[kept, idx[kept]] * w[idx[kept]]
    assert L.cross_entropy(Tensor(x), idx, weight=w).item() == pytest.approx(per.sum() / w[idx[kept]].sum(), abs=1e-12)
    none = L.cross_entropy(Tensor(x), idx, reduction="none", weight=w).data
    np.testing.assert_allclose(none, [per[0], 0.0, per[1], per[2]], atol=1e-12)


def test_one_sample_cross_entropy(rng):
    x = rng.normal(size=4)
    assert L.cross_entropy(Tensor(x), 2).item() == pytest.approx(-_np_log_softmax(x)[2], abs=1e-12)


# ---- gradients ------------------------------------------------------------------------------------

def test_cross_entropy_gradient_is_softmax_minus_target_over_n(rng):
    x, idx = rng.normal(size=(5, 3)), np.array([0, 2, 1, 1, 0])
    t = Tensor(x, requires_grad=True)
    L.cross_entropy(t, idx).backward()
    sm = np.exp(_np_log_softmax(x))
    np.testing.assert_allclose(t.grad, (sm - np.eye(3)[idx]) / 5, atol=1e-12)


def test_bce_with_logits_gradient_is_sigmoid_minus_target_also_at_zero():
    x, y = np.array([0.0, 0.0, 2.0, -3.0]), np.array([1.0, 0.0, 0.25, 1.0])
    t = Tensor(x, requires_grad=True)
    L.binary_cross_entropy_with_logits(t, y, reduction="sum").backward()
    np.testing.assert_allclose(t.grad, 1 / (1 + np.exp(-x)) - y, atol=1e-12)
    assert t.grad[0] == pytest.approx(-0.5) and t.grad[1] == pytest.approx(0.5)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_every_loss_passes_gradcheck(rng, reduction):
    y = rng.normal(size=(3, 2))
    assert gradcheck(lambda a, b: L.mse_loss(a, b, reduction), rng.normal(size=(3, 2)), y)
    s = rng.normal(size=5) + np.array([3.0, -3.0, 0.5, -0.5, 2.0])  # away from the hinge's kink
    sgn = np.array([1.0, 1.0, -1.0, 1.0, -1.0])
    assert gradcheck(lambda a: L.hinge_loss(a, sgn, reduction), s)
    t = rng.uniform(size=(3, 2))
    assert gradcheck(lambda a: L.binary_cross_entropy(a, t, reduction=reduction), rng.uniform(0.1, 0.9, size=(3, 2)))
    assert gradcheck(lambda a: L.binary_cross_entropy_with_logits(a, t, reduction=reduction), rng.normal(size=(3, 2)))
    idx, q = np.array([1, 0, 2]), rng.dirichlet(np.ones(3), size=3)
    assert gradcheck(lambda a: L.cross_entropy(a, idx, reduction=reduction, label_smoothing=0.1), rng.normal(size=(3, 3)))
    assert gradcheck(lambda a: L.cross_entropy(a, q, reduction=reduction, weight=np.array([1.0, 2.0, 3.0])),
                     rng.normal(size=(3, 3)))
    assert gradcheck(lambda a: L.nll_loss(a, idx, reduction=reduction), rng.normal(size=(3, 3)))


def test_second_derivatives_through_losses(rng):
    idx, t = np.array([1, 0, 2]), rng.uniform(size=(3, 2))
    assert gradgradcheck(lambda a: L.cross_entropy(a, idx), rng.normal(size=(3, 3)))
    assert gradgradcheck(lambda a: L.binary_cross_entropy_with_logits(a, t), rng.normal(size=(3, 2)))
    assert gradgradcheck(lambda a: L.binary_cross_entropy(a, t), rng.uniform(0.2, 0.8, size=(3, 2)))
    assert gradgradcheck(lambda a, b: L.mse_loss(a, b), rng.normal(size=(3, 2)), rng.normal(size=(3, 2)))


def test_mse_target_that_requires_grad_gets_the_opposite_gradient(rng):
    a, b = Tensor(rng.normal(size=3), requires_grad=True), Tensor(rng.normal(size=3), requires_grad=True)
    L.mse_loss(a, b).backward()
    np.testing.assert_allclose(a.grad, 2 * (a.data - b.data) / 3, atol=1e-12)
    np.testing.assert_allclose(b.grad, -a.grad, atol=1e-12)


# ---- stability ------------------------------------------------------------------------------------

def test_cross_entropy_is_exact_for_logits_of_magnitude_1e4():
    x = Tensor(np.array([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1.0, 1e4]]), requires_grad=True)
    loss = L.cross_entropy(x, np.array([1, 1]), reduction="none")
    np.testing.assert_allclose(loss.data, [1e4, 2e4 - 1.0], rtol=1e-12)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad, [[1.0, -1.0, 0.0], [0.0, -1.0, 1.0]], atol=1e-12)


def test_bce_with_logits_is_exact_for_logits_of_magnitude_1e4():
    x = Tensor(np.array([1e4, -1e4, 1e4, -1e4]), requires_grad=True)
    loss = L.binary_cross_entropy_with_logits(x, np.array([1.0, 0.0, 0.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [0.0, 0.0, 1e4, 1e4], atol=1e-12)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad, [0.0, 0.0, 1.0, -1.0], atol=1e-12)


def test_bce_clamps_the_log_at_minus_100_and_never_gives_nan():
    p = Tensor(np.array([0.0, 1.0, 0.0, 1.0, 1e-300]), requires_grad=True)
    loss = L.binary_cross_entropy(p, np.array([1.0, 0.0, 0.0, 1.0, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.data, [100.0, 100.0, 0.0, 0.0, 100.0], atol=1e-12)
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad))


# ---- dtype and the scalar path ----------------------------------------------------------------------

def test_float32_stays_float32(rng):
    x = Tensor(rng.normal(size=(4, 3)).astype(np.float32), requires_grad=True)
    loss = L.cross_entropy(x, np.array([0, 1, 2, 0]))
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32
    assert L.binary_cross_entropy_with_logits(x, np.ones((4, 3))).dtype == np.float32


def test_value_lists_give_the_tensor_result():
    scores, ys = [Value(0.3), Value(-1.2), Value(2.0)], [1.0, 1.0, -1.0]
    hv = L.hinge_loss(scores, ys)
    ht = L.hinge_loss(Tensor([0.3, -1.2, 2.0]), ys)
    assert isinstance(hv, Value) and hv.data == pytest.approx(ht.item(), abs=1e-12)
    assert hv.data == pytest.approx((0.7 + 2.2 + 3.0) / 3, abs=1e-12)
    hv.backward()
    assert [s.grad for s in scores] == pytest.approx([-1 / 3, -1 / 3, 1 / 3])
    mv = L.mse_loss(scores, [0.0, 0.0, 1.0], "sum")
    assert mv.data == pytest.approx(0.09 + 1.44 + 1.0)


# ---- errors -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fn,a,b", [
    (L.mse_loss, np.zeros((4, 1)), np.zeros(4)),
    (L.binary_cross_entropy, np.full((3, 2), 0.5), np.zeros((2, 3))),
    (L.binary_cross_entropy_with_logits, np.zeros(3), np.zeros(4)),
    (L.hinge_loss, np.zeros((5, 1)), np.ones(5)),
])
def test_shape_mismatch_names_loss_and_both_shapes(fn, a, b):
    with pytest.raises(ValueError) as err:
        fn(Tensor(a), b)
    msg = str(err.value)
    assert msg.startswith(fn.__name__ + ":") and str(a.shape) in msg and str(b.shape) in msg


def test_class_loss_errors():
    x = Tensor(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"cross_entropy: input shape \(4, 3\) and target shape \(5,\)"):
        L.cross_entropy(x, np.zeros(5, dtype=int))
    with pytest.raises(ValueError, match="cross_entropy: class index 3 is out of range for 3 classes"):
        L.cross_entropy(x, np.array([0, 1, 2, 3]))
    with pytest.raises(ValueError, match="whole numbers, got 0.5"):
        L.cross_entropy(x, np.array([0, 1, 2, 0.5]))
    with pytest.raises(ValueError, match=r"nll_loss: input shape \(4, 3\) and target shape \(4, 3\)"):
        L.nll_loss(x, np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        L.cross_entropy(x, np.array([0, 1, 2, 0]), weight=np.ones(2))


def test_value_errors():
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        L.mse_loss(Tensor([1.0]), [1.0], reduction="avg")
    with pytest.raises(ValueError, match="hinge_loss: targets must be -1 or \\+1, got 0.0"):
        L.hinge_loss(Tensor([1.0, 2.0]), [1.0, 0.0])
    with pytest.raises(ValueError, match="binary_cross_entropy: probs must lie in \\[0, 1\\], got 1.5"):
        L.binary_cross_entropy(Tensor([0.5, 1.5]), [1.0, 0.0])
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        L.cross_entropy(Tensor(np.zeros((1, 2))), [0], label_smoothing=1.5)


# ---- Module wrappers ------------------------------------------------------------------------------

def test_module_wrappers_call_the_functions(rng):
    x, idx = rng.normal(size=(4, 3)), np.array([0, 2, 1, 1])
    crit = L.CrossEntropyLoss(weight=np.array([1.0, 2.0, 0.5]), label_smoothing=0.1, reduction="sum")
    want = L.cross_entropy(Tensor(x), idx, reduction="sum", weight=np.array([1.0, 2.0, 0.5]), label_smoothing=0.1)
    assert crit(Tensor(x), idx).item() == pytest.approx(want.item(), abs=1e-14)
    assert list(crit.parameters()) == []
    assert "reduction='sum'" in repr(crit) and "label_smoothing=0.1" in repr(crit)
    assert L.MSELoss()(Tensor([1.0, 3.0]), [0.0, 0.0]).item() == pytest.approx(5.0)
    assert L.HingeLoss(reduction="sum")(Tensor([0.5, 2.0]), [1.0, 1.0]).item() == pytest.approx(0.5)
    assert L.BCEWithLogitsLoss()(Tensor([0.0]), [1.0]).item() == pytest.approx(np.log(2))
    assert L.BCELoss()(Tensor([0.5]), [1.0]).item() == pytest.approx(np.log(2))
    assert L.NLLLoss(reduction="none")(Tensor(np.log([[0.25, 0.75]])), [1]).data == pytest.approx([-np.log(0.75)])
    with pytest.raises(ValueError, match="MSELoss: reduction must be"):
        L.MSELoss(reduction="avg")


def test_bce_rejects_nan_probabilities():
    with pytest.raises(ValueError, match="binary_cross_entropy: probs must lie in \\[0, 1\\], got nan"):
        L.binary_cross_entropy(Tensor([0.5, np.nan]), [1.0, 0.0])
