"""l1-vs-l2: L2 shrinks weights in proportion to w, L1 by a constant (sparse); both help on noisy labels."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result
from .data import accuracy, digits, sgd

LAM = {"none": 0.0, "l1": 1e-3, "l2": 1e-3}   # the notes' lambda / n (the per-sample factor folded in)
NEAR_ZERO = 1e-2


def one_step(eta: float = 0.5, lam: float = 0.2) -> dict[str, list[float]]:
    """One update from w with dC0/dw = 0: L2 w(1 - eta lam), L1 w - eta lam sgn(w), via the engine."""
    from nn.regularization import l1_penalty, l2_penalty

    w0 = np.array([-2.0, -0.1, 0.1, 2.0])
    steps = {"w": [float(v) for v in w0]}
    for name, penalty in (("l2", l2_penalty), ("l1", l1_penalty)):
        w = Tensor(w0.copy(), requires_grad=True)
        penalty([w], lam).backward()
        steps[name] = [float(v) for v in np.round(w0 - eta * w.grad, 6)]
    steps["notes_l1_formula"] = [float(v) for v in np.round(w0 * (1 - eta * lam), 6)]   # the notes' slip: this is L2
    return steps


def train(kind: str, X: np.ndarray, y: np.ndarray, seed: int, epochs: int):
    """64-100-10 sigmoid net, softmax cross-entropy + penalty on the weights, plain SGD (batch 30, eta 1.5)."""
    import nn
    from nn.regularization import l1_penalty, l2_penalty

    model = nn.MLP(64, [100, 10], activation="sigmoid", seed=seed)
    weights = [layer.weight for layer in model.layers]
    penalty = {"l1": lambda: l1_penalty(weights, LAM["l1"]), "l2": lambda: l2_penalty(weights, LAM["l2"])}.get(kind)
    sgd(model, nn.cross_entropy, X, y, epochs=epochs, lr=1.5, batch_size=30, seed=seed, penalty=penalty)
    return model, np.concatenate([w.data.ravel() for w in weights])


def run(ctx: Context) -> Result:
    X_tr, X_te, y_tr, y_te = digits(ctx.seed)
    rng = np.random.default_rng(ctx.seed)
    X, y = X_tr[:300], y_tr[:300].copy()
    noisy = rng.random(len(y)) < 0.4                      # 40% of the labels replaced by random ones
    y[noisy] = rng.integers(0, 10, noisy.sum())
    epochs = 200
    stats: dict[str, dict[str, float]] = {"weight_norm": {}, "fraction_near_zero": {}, "test_accuracy": {},
                                          "train_accuracy_noisy_labels": {}}
    weights = {}
    for kind in LAM:
        model, w = train(kind, X, y, ctx.seed, epochs)
        weights[kind] = w
        stats["weight_norm"][kind] = round(float(np.linalg.norm(w)), 4)
        stats["fraction_near_zero"][kind] = round(float((np.abs(w) < NEAR_ZERO).mean()), 4)
        stats["test_accuracy"][kind] = round(accuracy(model, X_te, y_te), 4)
        stats["train_accuracy_noisy_labels"][kind] = round(accuracy(model, X, y), 4)
    with ctx.figure("l1_vs_l2", 2, width=4.6) as (ax1, ax2):
        bins = np.linspace(-1.5, 1.5, 61)
        for kind, w in weights.items():
            ax1.hist(np.clip(w, -1.5, 1.5), bins=bins, histtype="step", label=kind, log=True)
        ax1.set(xlabel="weight", ylabel="count (log)", title="weights after training")
        ax1.legend()
        kinds = list(LAM)
        ax2.bar(kinds, [stats["test_accuracy"][k] for k in kinds], color=["gray", "tab:orange", "tab:green"])
        ax2.set(ylim=(0.5, 0.9), ylabel="test accuracy", title="300 digits, 40% labels noisy")
    step = one_step()
    numbers = {**stats, "lambda": LAM, "near_zero_below": NEAR_ZERO, "epochs": epochs, "one_step": step}
    lines = [f"64-100-10 sigmoid net, 300 training digits with 40% random labels, {epochs} epochs, "
             f"lambda/n = {LAM['l2']}:"]
    lines += [f"  {k:4s}: |w| = {stats['weight_norm'][k]:6.2f}, |w| < {NEAR_ZERO}: "
              f"{stats['fraction_near_zero'][k]:.0%} of weights, test accuracy {stats['test_accuracy'][k]:.1%}, "
              f"fits the noisy training labels {stats['train_accuracy_noisy_labels'][k]:.0%}" for k in LAM]
    lines += [f"one step from w = {step['w']} (eta 0.5, lambda/n 0.2, dC0/dw = 0):",
              f"  L2 w(1 - eta lambda/n) = {step['l2']}   L1 w - eta lambda/n sgn(w) = {step['l1']}",
              f"  the notes' L1 line w(1 - eta lambda/n) = {step['notes_l1_formula']} is the L2 step"]
    return Result(numbers, lines)
