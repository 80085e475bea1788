"""The lecture notes' results, derived by hand in numpy and checked against the engine's gradients.

Conventions follow the notes: column vectors z^l = W^l a^{l-1} + b^l, a^l = sigma(z^l) in the
backpropagation part (Nielsen), row vectors h = sigmoid(x W1 + b1) in the one-hidden-layer and
word2vec exercises.
"""
from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor
from nn import losses as L
from nn import optim
from nn.regularization import l1_penalty, l2_penalty


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def dsigmoid(z):
    return sigmoid(z) * (1.0 - sigmoid(z))


@pytest.fixture
def rng():
    return np.random.default_rng(0)


# ---- the four equations of backpropagation -------------------------------------------------------

def test_four_backpropagation_equations(rng):
    """Sigmoid net 3-4-5-2, quadratic cost C = 1/(2n) sum_x ||y - a^L||^2 over n = 6 inputs (columns).

    BP1  delta^L = grad_a C * sigma'(z^L)              (grad_a C = (a^L - y) / n)
    BP2  delta^l = ((W^{l+1})^T delta^{l+1}) * sigma'(z^l)
    BP3  dC/db^l_j = delta^l_j                         (summed over the inputs)
    BP4  dC/dw^l_jk = a^{l-1}_k delta^l_j              (delta^l (a^{l-1})^T)
    """
    sizes, n = [3, 4, 5, 2], 6
    Ws = [rng.normal(size=(m, k)) for k, m in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(size=(m, 1)) for m in sizes[1:]]
    x, y = rng.normal(size=(3, n)), rng.uniform(size=(2, n))
    # forward by hand, keeping z^l and a^l
    acts, zs = [x], []
    for W, b in zip(Ws, bs):
        zs.append(W @ acts[-1] + b)
        acts.append(sigmoid(zs[-1]))
    deltas = [(acts[-1] - y) / n * dsigmoid(zs[-1])]                       # BP1
    for l in (1, 0):
        deltas.insert(0, (Ws[l + 1].T @ deltas[0]) * dsigmoid(zs[l]))      # BP2
    # the engine
    Wt = [Tensor(W, requires_grad=True) for W in Ws]
    bt = [Tensor(b, requires_grad=True) for b in bs]
    a = Tensor(x)
    for W, b in zip(Wt, bt):
        a = (W @ a + b).sigmoid()
    cost = ((Tensor(y) - a) ** 2).sum() * (1.0 / (2 * n))
    assert cost.item() == pytest.approx(((y - acts[-1]) ** 2).sum() / (2 * n), abs=1e-14)
    # the notes' C and mse_loss (mean over all n*d elements) differ by the factor d / 2
    d = sizes[-1]
    assert L.mse_loss(Tensor(acts[-1]), y).item() * d / 2 == pytest.approx(cost.item(), abs=1e-14)
    cost.backward()
    for l in range(3):
        np.testing.assert_allclose(bt[l].grad, deltas[l].sum(axis=1, keepdims=True), atol=1e-14)  # BP3
        np.testing.assert_allclose(Wt[l].grad, deltas[l] @ acts[l].T, atol=1e-14)                   # BP4


def test_mse_loss_is_the_quadratic_cost_up_to_a_factor(rng):
    """C = 1/(2n) sum ||y - a||^2 and mse_loss = 1/(n d) sum (a - y)^2, so C = mse_loss * d / 2."""
    a, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    notes_c = ((y - a) ** 2).sum() / (2 * 6)
    assert L.mse_loss(Tensor(a), y).item() * 3 / 2 == pytest.approx(notes_c, abs=1e-14)


# ---- cross-entropy -----------------------------------------------------------------------------------

def test_cross_entropy_with_a_sigmoid_neuron_has_no_sigma_prime(rng):
    """C = -1/n sum [y ln a + (1 - y) ln(1 - a)], a = sigma(w.x + b):
    dC/dw_j = 1/n sum_x x_j (sigma(z) - y) and dC/db = 1/n sum_x (sigma(z) - y); the quadratic cost
    instead carries the factor sigma'(z) that makes a saturated neuron learn slowly."""
    n = 8
    X, y = rng.normal(size=(n, 3)), rng.integers(0, 2, size=n).astype(float)
    w0, b0 = rng.normal(size=3) * 3, 0.7
    z = X @ w0 + b0
    want_w, want_b = X.T @ (sigmoid(z) - y) / n, (sigmoid(z) - y).mean()
    for through_logits in (False, True):
        w, b = Tensor(w0, requires_grad=True), Tensor(b0, requires_grad=True)
        zt = Tensor(X) @ w + b
        loss = L.binary_cross_entropy_with_logits(zt, y) if through_logits else L.binary_cross_entropy(zt.sigmoid(), y)
        loss.backward()
        np.testing.assert_allclose(w.grad, want_w, atol=1e-12)
        assert b.grad == pytest.approx(want_b, abs=1e-12)
    w = Tensor(w0, requires_grad=True)
    (((Tensor(X) @ w + b0).sigmoid() - y) ** 2 * 0.5).mean().backward()
    np.testing.assert_allclose(w.grad, X.T @ ((sigmoid(z) - y) * dsigmoid(z)) / n, atol=1e-12)


def test_softmax_with_log_likelihood_gives_a_minus_y(rng):
    """Softmax output layer with C = -ln a^L_y: dC/db^L_j = a^L_j - y_j and dC/dw^L_jk = a^{L-1}_k (a^L_j - y_j)."""
    a_prev, W0, b0 = rng.uniform(size=4), rng.normal(size=(3, 4)), rng.normal(size=3)
    W, b = Tensor(W0, requires_grad=True), Tensor(b0, requires_grad=True)
    L.cross_entropy(W @ Tensor(a_prev) + b, 2).backward()
    z = W0 @ a_prev + b0
    a = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    err = a - np.eye(3)[2]
    np.testing.assert_allclose(b.grad, err, atol=1e-14)
    np.testing.assert_allclose(W.grad, np.outer(err, a_prev), atol=1e-14)


# ---- regularization: weight decay and L1 -----------------------------------------------------------

def _c0_and_grads(w0, b0, X, y):
    """C0 = mean cross-entropy of a sigmoid neuron, and its gradients by hand."""
    z = X @ w0 + b0
    return (X.T @ (sigmoid(z) - y) / len(y), (sigmoid(z) - y).mean())


@pytest.mark.parametrize("kind", ["l2", "l1"])
def test_weight_decay_and_l1_updates_match_the_closed_forms(rng, kind):
    """One gradient step on C = C0 + penalty, with the notes' n (training-set size) and lambda.

    Convention: l2_penalty(ws, lam) = lam/2 sum w^2 and l1_penalty(ws, lam) = lam sum |w|, so
    passing lam = lambda/n gives the notes' terms lambda/(2n) sum w^2 and lambda/n sum |w|.
      L2:  w <- (1 - eta lambda / n) w - eta dC0/dw
      L1:  w <- w - (eta lambda / n) sgn(w) - eta dC0/dw
      both: b <- b - eta dC0/db (biases are not regularized)
    """
    n, eta, lam = 10, 0.5, 2.0
    X, y = rng.normal(size=(n, 3)), rng.integers(0, 2, size=n).astype(float)
    w0, b0 = rng.normal(size=3), 0.3
    gw, gb = _c0_and_grads(w0, b0, X, y)
    if kind == "l2":
        want_w = (1 - eta * lam / n) * w0 - eta * gw
    else:
        want_w = w0 - eta * lam / n * np.sign(w0) - eta * gw
    w, b = Tensor(w0.copy(), requires_grad=True), Tensor(b0, requires_grad=True)  # steps are in place
    opt = optim.SGD([w, b], lr=eta)
    penalty = (l2_penalty if kind == "l2" else l1_penalty)([w], lam / n)
    (L.binary_cross_entropy_with_logits(Tensor(X) @ w + b, y) + penalty).backward()
    opt.step()
    np.testing.assert_allclose(w.data, want_w, atol=1e-12)
    assert b.item() == pytest.approx(b0 - eta * gb, abs=1e-12)
    if kind == "l2":  # the same step through the optimizer's weight_decay = lambda / n
        w2, b2 = Tensor(w0.copy(), requires_grad=True), Tensor(b0, requires_grad=True)
        opt2 = optim.SGD([{"params": [w2], "weight_decay": lam / n}, {"params": [b2]}], lr=eta)
        L.binary_cross_entropy_with_logits(Tensor(X) @ w2 + b2, y).backward()
        opt2.step()
        np.testing.assert_allclose(w2.data, want_w, atol=1e-12)
        assert b2.item() == pytest.approx(b0 - eta * gb, abs=1e-12)


# ---- the one-hidden-layer network (exercise 2c, 2d) -----------------------------------------------

def test_one_hidden_layer_gradient_with_respect_to_its_input(rng):
    """h = sigmoid(x W1 + b1), yhat = softmax(h W2 + b2), J = CE(y, yhat):
    delta1 = yhat - y, delta2 = delta1 W2^T, delta3 = delta2 * h (1 - h), dJ/dx = delta3 W1^T."""
    n, Dx, H, Dy = 5, 4, 6, 3
    x0, W1, b1, W2, b2 = (rng.normal(size=s) for s in ((n, Dx), (Dx, H), (H,), (H, Dy), (Dy,)))
    labels = np.array([0, 2, 1, 1, 2])
    h = sigmoid(x0 @ W1 + b1)
    logits = h @ W2 + b2
    yhat = np.exp(logits - logits.max(1, keepdims=True))
    yhat /= yhat.sum(1, keepdims=True)
    delta1 = yhat - np.eye(Dy)[labels]
    delta3 = (delta1 @ W2.T) * h * (1 - h)
    x = Tensor(x0, requires_grad=True)
    params = [Tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    hid = (x @ params[0] + params[1]).sigmoid()
    L.cross_entropy(hid @ params[2] + params[3], labels, reduction="sum").backward()
    np.testing.assert_allclose(x.grad, delta3 @ W1.T, atol=1e-13)
    np.testing.assert_allclose(params[2].grad, h.T @ delta1, atol=1e-13)
    np.testing.assert_allclose(params[0].grad, x0.T @ delta3, atol=1e-13)
    # 2d: the parameter count (Dx + 1) H + (H + 1) Dy
    assert sum(p.numel() for p in params) == (Dx + 1) * H + (H + 1) * Dy == 51


# ---- word2vec skip-gram (exercises 3a, 3b) ------------------------------------------------------------

def test_skip_gram_gradients(rng):
    """yhat_w = exp(u_w^T v_c) / sum_x exp(u_x^T v_c), J = -log yhat_o:
    dJ/dv_c = U^T (yhat - y) = -u_o + sum_x yhat_x u_x and dJ/dU = (yhat - y) v_c^T."""
    V, d, o = 7, 4, 5
    U0, vc0 = rng.normal(size=(V, d)), rng.normal(size=d)
    s = U0 @ vc0
    yhat = np.exp(s - s.max()) / np.exp(s - s.max()).sum()
    y = np.eye(V)[o]
    U, vc = Tensor(U0, requires_grad=True), Tensor(vc0, requires_grad=True)
    loss = L.cross_entropy(U @ vc, o)
    assert loss.item() == pytest.approx(-np.log(yhat[o]), abs=1e-13)
    loss.backward()
    np.testing.assert_allclose(vc.grad, U0.T @ (yhat - y), atol=1e-13)
    np.testing.assert_allclose(vc.grad, -U0[o] + yhat @ U0, atol=1e-13)
    np.testing.assert_allclose(U.grad, np.outer(yhat - y, vc0), atol=1e-13)
    np.testing.assert_allclose(U.grad[o], (yhat[o] - 1) * vc0, atol=1e-13)  # the k = o case: v_c (yhat_o - 1)
