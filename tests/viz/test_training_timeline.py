"""viz.TrainingHistory and explore_training: per-layer, per-unit gradient norms over SGD steps, dead units counted."""
from __future__ import annotations

import math

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor


def sgd_history(model, X, y, steps=5, lr=0.1):
    hist = viz.TrainingHistory(model)
    for _ in range(steps):
        model.zero_grad()
        loss = nn.cross_entropy(model(Tensor(X)), y)
        loss.backward()
        hist.record(loss)
        for p in model.parameters():
            p.data -= lr * p.grad
    return hist


def test_unit_norms_are_the_rows_of_the_weight_and_bias_gradients():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(8, 3)), np.arange(8) % 2
    model = nn.MLP(3, [4, 2], seed=0)
    hist = viz.TrainingHistory(model)
    loss = nn.cross_entropy(model(Tensor(X)), y)
    loss.backward()
    hist.record(loss)
    step = hist.steps[0]
    assert [layer["name"] for layer in step["layers"]] == ["layers.0", "layers.1"] and step["loss"] == loss.data
    w, b = model.layers[0].weight.grad, model.layers[0].bias.grad
    want = [math.sqrt(float(np.sum(w[k] ** 2) + b[k] ** 2)) for k in range(4)]
    assert step["layers"][0]["units"] == pytest.approx(want, rel=1e-12)
    assert step["layers"][0]["gradNorm"] == pytest.approx(math.sqrt(float(np.sum(w ** 2) + np.sum(b ** 2))), rel=1e-12)


def test_a_dead_relu_unit_is_counted_at_every_step():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(16, 2)), np.arange(16) % 2
    model = nn.MLP(2, [6, 2], seed=0)
    model.layers[0].bias.data[2] = -100.0           # unit 2 is off for every sample: no gradient at all
    hist = sgd_history(model, X, y)
    assert [s["layers"][0]["dead"] for s in hist.steps] == [1] * 5
    assert all(s["layers"][0]["units"][2] == 0.0 for s in hist.steps)
    page = viz.explore_training(hist)
    assert "TrainingPage: 5 steps, 2 layers" in repr(page) and "timeline" in page.html


def test_scalar_nets_group_parameters_by_neuron():
    model = nn.scalar.MLP(2, [3, 1], seed=0)
    hist = viz.TrainingHistory(model)
    loss = (model([1.0, -2.0]) - 1.0) ** 2
    loss.backward()
    hist.record(loss)
    units = hist.steps[0]["layers"][0]["units"]
    n0 = model.layers[0].neurons[0]
    assert len(units) == 3
    assert units[0] == pytest.approx(math.sqrt(sum(w.grad ** 2 for w in n0.w) + n0.b.grad ** 2), rel=1e-12)


def test_bad_inputs_say_what_to_do():
    with pytest.raises(TypeError, match="expected a viz.TrainingHistory"):
        viz.explore_training([1, 2])
    with pytest.raises(ValueError, match="history is empty"):
        viz.explore_training(viz.TrainingHistory(nn.MLP(2, [2], seed=0)))
    with pytest.raises(ValueError, match="no parameters"):
        viz.TrainingHistory({})
