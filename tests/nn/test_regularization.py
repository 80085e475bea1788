"""L1/L2 penalties: values, gradients, the weight-decay equivalence, Modules, Values, errors."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor, Value
from nn import optim
from nn.regularization import l1_penalty, l2_penalty


@pytest.fixture
def params():
    rng = np.random.default_rng(0)
    return [Tensor(rng.normal(size=(3, 2)), requires_grad=True), Tensor(rng.normal(size=4), requires_grad=True)]


def test_values_and_gradients(params):
    w1, w2 = (p.data for p in params)
    l2 = l2_penalty(params, 0.3)
    assert l2.item() == pytest.approx(0.15 * ((w1 ** 2).sum() + (w2 ** 2).sum()), abs=1e-12)
    l2.backward()
    np.testing.assert_allclose(params[0].grad, 0.3 * w1, atol=1e-12)
    for p in params:
        p.zero_grad()
    l1 = l1_penalty(params, 0.2)
    assert l1.item() == pytest.approx(0.2 * (np.abs(w1).sum() + np.abs(w2).sum()), abs=1e-12)
    l1.backward()
    np.testing.assert_allclose(params[1].grad, 0.2 * np.sign(w2), atol=1e-12)


def test_l1_gradient_at_zero_is_zero():
    w = Tensor(np.array([0.0, -2.0, 3.0]), requires_grad=True)
    l1_penalty([w], 1.0).backward()
    np.testing.assert_array_equal(w.grad, [0.0, -1.0, 1.0])


def test_l2_penalty_in_the_loss_equals_sgd_weight_decay(params):
    """lam/2 sum w^2 added to the loss moves SGD exactly as SGD(weight_decay=lam)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    copies = [Tensor(p.data.copy(), requires_grad=True) for p in params]

    def c0(ps):
        return ((Tensor(X) @ ps[0]).tanh().sum(axis=1) ** 2).mean() + ps[1].tanh().sum()

    opt_a, opt_b = optim.SGD(params, lr=0.1), optim.SGD(copies, lr=0.1, weight_decay=0.05)
    for _ in range(5):
        opt_a.zero_grad()
        (c0(params) + l2_penalty(params, 0.05)).backward()
        opt_a.step()
        opt_b.zero_grad()
        c0(copies).backward()
        opt_b.step()
    for a, b in zip(params, copies):
        np.testing.assert_allclose(a.data, b.data, atol=1e-12)


def test_module_biases_are_skipped_unless_asked():
    class Net:
        def named_parameters(self):
            return [("fc.weight", Tensor([[1.0, -2.0]], requires_grad=True)),
                    ("fc.bias", Tensor([10.0], requires_grad=True)),
                    ("rnn.bias_ih", Tensor([5.0], requires_grad=True))]

    assert l2_penalty(Net(), 1.0).item() == pytest.approx(2.5)
    assert l1_penalty(Net(), 1.0).item() == pytest.approx(3.0)
    assert l1_penalty(Net(), 1.0, include_bias=True).item() == pytest.approx(18.0)


def test_values_and_empty_lists():
    a, b = Value(3.0), Value(-4.0)
    out = l2_penalty([a, b], 2.0)
    assert isinstance(out, Value) and out.data == pytest.approx(25.0)
    out.backward()
    assert (a.grad, b.grad) == pytest.approx((6.0, -8.0))
    assert l1_penalty([a, b], 0.5).data == pytest.approx(3.5)
    assert l2_penalty([], 1.0).item() == 0.0


def test_errors():
    with pytest.raises(ValueError, match="l2_penalty: lam must be >= 0, got -1"):
        l2_penalty([Tensor([1.0])], -1)
    with pytest.raises(TypeError, match="l1_penalty: params must be Tensors or Values .* item 0 is a ndarray"):
        l1_penalty([np.zeros(2)], 1.0)


def test_real_module_skips_biases():
    import nn

    mlp = nn.MLP(2, [3, 1])
    weights = [p.data for n, p in mlp.named_parameters() if n.endswith("weight")]
    assert len(weights) == 2
    want = 0.5 * sum((w ** 2).sum() for w in weights)
    assert l2_penalty(mlp, 1.0).item() == pytest.approx(want, abs=1e-12)
    everything = 0.5 * sum((p.data ** 2).sum() for p in mlp.parameters())
    assert l2_penalty(mlp, 1.0, include_bias=True).item() == pytest.approx(everything, abs=1e-12)
