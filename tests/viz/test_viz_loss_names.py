"""A loss's constant inputs (one-hot targets, targets, 1 − target) are named in pictures, with the numbers they hold."""
from __future__ import annotations

import numpy as np
import pytest

import nn
import viz
from autograd_core import OPS, Tensor
from viz.names import render

from viz_svg_tools import parse, row

LOGITS = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 2.0], [0.3, 0.2, -0.4], [2.0, 0.0, 1.0]])
LABELS = np.array([0, 2, 1, 0])
ONE_HOT = np.eye(3)[LABELS]


def unnamed_leaves(loss):
    """Leaves drawn without a name (parameters and labelled inputs have one) and not a lone number."""
    scene = viz.build_scene(loss, collapse="none")
    return [dn for dn in scene.nodes if not dn.node.parents and dn.name is None and dn.role != "constant"]


def constant_named(loss, label):
    """The drawn leaf called `label`: there is exactly one, and it needs no gradient."""
    scene = viz.build_scene(loss, collapse="none")
    found = [dn.node for dn in scene.nodes if dn.name == label]
    assert len(found) == 1, (label, [dn.name for dn in scene.nodes])
    assert not found[0].parents and not found[0].requires_grad
    return found[0]


@pytest.mark.parametrize("reduction, label, scale", [("mean", "one-hot target / N", 1 / 4),
                                                      ("sum", "one-hot target", 1.0),
                                                      ("none", "−one-hot target", -1.0)])
def test_cross_entropy_names_its_one_hot_target_and_it_holds_the_one_hot_rows(reduction, label, scale):
    x = Tensor(LOGITS, requires_grad=True, label="logits")
    loss = nn.cross_entropy(x, LABELS, reduction=reduction)
    loss = loss.sum() if reduction == "none" else loss
    loss.backward()
    assert np.array_equal(constant_named(loss, label).data, ONE_HOT * scale)
    assert unnamed_leaves(loss) == []
    # the gradient the picture shows is still softmax - one-hot (times 1/N for the mean)
    p = np.exp(LOGITS) / np.exp(LOGITS).sum(1, keepdims=True)
    np.testing.assert_allclose(x.grad, (p - ONE_HOT) * (1 / 4 if reduction == "mean" else 1.0), atol=1e-12)


def test_the_rendered_svg_of_a_cross_entropy_module_names_the_one_hot_target():
    model = nn.Linear(3, 3)
    loss = nn.CrossEntropyLoss()(model(Tensor(LOGITS, label="x")), LABELS)
    loss.backward()
    pic = parse(viz.to_svg(loss, params=model))
    drawn = [d for d in pic.nodes.values() if d.texts[0] == "one-hot target / N"]
    assert len(drawn) == 1
    assert row(drawn[0], "data") == ["data 0 … 0.25, mean 0.08333"]     # one 1/4 per row of 4 rows x 3 classes
    assert not [d for d in pic.nodes.values() if d.texts[0] == "input"]   # no leaf called by its role


@pytest.mark.parametrize("options, label, expect", [
    ({"weight": np.array([1.0, 2.0, 3.0])}, "w·one-hot target / Σw", ONE_HOT * [1.0, 2.0, 3.0] / 7.0),
    ({"label_smoothing": 0.3}, "smoothed target / N", (ONE_HOT * 0.7 + 0.1) / 4),
])
def test_weighted_and_smoothed_targets_say_so(options, label, expect):
    loss = nn.cross_entropy(Tensor(LOGITS, requires_grad=True), LABELS, **options)
    np.testing.assert_allclose(constant_named(loss, label).data, expect, atol=1e-15)


def test_probability_targets_and_nll_are_named():
    q = np.full((4, 3), 1 / 3)
    loss = nn.cross_entropy(Tensor(LOGITS, requires_grad=True), q)
    np.testing.assert_allclose(constant_named(loss, "target / N").data, q / 4)
    nll = nn.nll_loss(Tensor(LOGITS, requires_grad=True, label="x").log_softmax(axis=1), LABELS)
    assert np.array_equal(constant_named(nll, "−one-hot target / N").data, -ONE_HOT / 4)
    assert unnamed_leaves(nll) == []


def test_a_target_that_requires_grad_keeps_its_own_node():
    q = Tensor(np.full((4, 3), 1 / 3), requires_grad=True, label="q")
    loss = nn.cross_entropy(Tensor(LOGITS, requires_grad=True), q)
    scene = viz.build_scene(loss, collapse="none")
    assert "q" in [dn.name for dn in scene.nodes]
    assert not [dn for dn in scene.nodes if dn.name and "target" in dn.name]


def test_binary_and_regression_targets_are_named():
    p = Tensor(np.array([0.2, 0.9, 0.6]), requires_grad=True, label="p")
    y = np.array([0.0, 1.0, 1.0])
    bce = nn.binary_cross_entropy(p, y)
    assert np.array_equal(constant_named(bce, "−target / N").data, -y / 3)
    assert np.array_equal(constant_named(bce, "−(1 − target) / N").data, -(1 - y) / 3)
    bce_none = nn.binary_cross_entropy(p, y, reduction="none").sum()
    assert np.array_equal(constant_named(bce_none, "1 − target").data, 1 - y)
    assert np.array_equal(constant_named(nn.binary_cross_entropy_with_logits(p, y), "target").data, y)
    logits = nn.binary_cross_entropy_with_logits(p, y, pos_weight=np.array([2.0, 2.0, 2.0]))
    assert np.array_equal(constant_named(logits, "1 + (pos_weight − 1)·target").data, 1 + y)
    for loss in (bce, bce_none, logits, nn.mse_loss(p, y), nn.l1_loss(p, y), nn.functional.smooth_l1_loss(p, y),
                 nn.hinge_loss(p, 2 * y - 1), nn.hinge_loss(p, 2 * y - 1, reduction="none").sum()):
        assert unnamed_leaves(loss) == [], loss
    assert np.array_equal(constant_named(nn.mse_loss(p, y), "target").data, y)
    assert np.array_equal(constant_named(nn.hinge_loss(p, 2 * y - 1), "−target / N").data, -(2 * y - 1) / 3)


def test_named_losses_compute_what_they_did():
    p = Tensor(np.array([0.2, 0.9, 0.6]), requires_grad=True)
    y = np.array([0.0, 1.0, 1.0])
    want = -np.mean(y * np.log([0.2, 0.9, 0.6]) + (1 - y) * np.log([0.8, 0.1, 0.4]))
    assert abs(float(nn.binary_cross_entropy(p, y).data) - want) < 1e-15
    x = Tensor(LOGITS, requires_grad=True)
    lse = np.log(np.exp(LOGITS).sum(1))
    assert abs(float(nn.cross_entropy(x, LABELS).data) - np.mean(lse - LOGITS[np.arange(4), LABELS])) < 1e-14


def test_a_call_like_display_that_contains_an_x_is_not_a_template():
    """log_softmax's display holds an x: it is a call, not "log_softma(...)" with the operand in place of x."""
    assert render(OPS["log_softmax"], [("logits", 100)])[0] == "log_softmax(logits)"
    assert render(OPS["expm1"], [("a", 100)])[0] == "expm1(a)"
    assert render(OPS["abs"], [("a", 100)])[0] == "|a|"
    assert render(OPS["rsqrt"], [("a + b", 10)])[0] == "1/√(a + b)"
    assert render(OPS["neg"], [("x", 100)])[0] == "−x"


def test_huber_weight_and_kl_divs_constant_terms_are_named():
    x = Tensor(np.log([0.2, 0.5, 0.3]), requires_grad=True, label="log q")
    p = np.array([0.3, 0.0, 0.7])
    kl = nn.functional.kl_div(x, p, reduction="sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    np.testing.assert_allclose(constant_named(kl, "target·log target").data, plogp, atol=1e-15)
    np.testing.assert_allclose(float(kl.data), np.sum(plogp - p * x.data), atol=1e-15)   # 0·log 0 = 0
    log_p = np.log([0.3, 0.1, 0.6])
    kl_log = nn.functional.kl_div(x, log_p, log_target=True)
    np.testing.assert_allclose(constant_named(kl_log, "exp(target)").data, np.exp(log_p), atol=1e-15)
    huber = nn.functional.huber_loss(x, np.zeros(3), weight=np.array([1.0, 2.0, 3.0]))
    assert np.array_equal(constant_named(huber, "weight").data, [1.0, 2.0, 3.0])
    for loss in (kl, kl_log, huber):
        assert unnamed_leaves(loss) == []
