"""one-vs-all: K binary classifiers, one-vs-one K(K-1)/2 of them with a vote, or one softmax: compared on blobs."""
from __future__ import annotations

from itertools import combinations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def blobs(k: int, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n points per class around k centres on a circle of radius 3 (2-D), shuffled."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(k) / k
    centres = 3 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    X = np.concatenate([c + rng.normal(size=(n, 2)) for c in centres])
    return X, np.repeat(np.arange(k), n)


def fit_logistic(X: np.ndarray, t: np.ndarray, steps: int) -> np.ndarray:
    """Binary logistic regression (bias trick), gradient descent on the mean BCE: theta (3,)."""
    from nn.losses import binary_cross_entropy_with_logits

    Xb, theta = np.hstack([np.ones((len(X), 1)), X]), Tensor(np.zeros(3), requires_grad=True)
    for _ in range(steps):
        theta.zero_grad()
        binary_cross_entropy_with_logits(Tensor(Xb) @ theta, t).backward()
        theta.data -= 1.0 * theta.grad
    return theta.data


def fit_softmax(X: np.ndarray, y: np.ndarray, k: int, steps: int) -> np.ndarray:
    """Softmax regression: Theta (3, k), gradient descent on the mean cross-entropy."""
    import nn

    Xb, theta = np.hstack([np.ones((len(X), 1)), X]), Tensor(np.zeros((3, k)), requires_grad=True)
    for _ in range(steps):
        theta.zero_grad()
        nn.cross_entropy(Tensor(Xb) @ theta, y).backward()
        theta.data -= 1.0 * theta.grad
    return theta.data


def predictors(X: np.ndarray, y: np.ndarray, k: int, steps: int) -> tuple[dict, dict]:
    """The three classifiers as functions X -> labels, and how many discriminant functions each has."""
    ova = np.stack([fit_logistic(X, (y == c).astype(float), steps) for c in range(k)], axis=1)
    pairs = list(combinations(range(k), 2))
    ovo = [(a, b, fit_logistic(X[(y == a) | (y == b)], (y[(y == a) | (y == b)] == a).astype(float), steps))
           for a, b in pairs]
    sm = fit_softmax(X, y, k, steps)
    bias = lambda Z: np.hstack([np.ones((len(Z), 1)), Z])  # noqa: E731

    def vote(Z: np.ndarray) -> np.ndarray:
        votes = np.zeros((len(Z), k))
        for a, b, th in ovo:
            wins_a = bias(Z) @ th > 0
            votes[wins_a, a] += 1
            votes[~wins_a, b] += 1
        return votes.argmax(axis=1)
    predict = {"one_vs_all": lambda Z: (bias(Z) @ ova).argmax(axis=1), "one_vs_one": vote,
               "softmax": lambda Z: (bias(Z) @ sm).argmax(axis=1)}
    return predict, {"one_vs_all": k, "one_vs_one": len(pairs), "softmax": k}


def run(ctx: Context) -> Result:
    k = ctx.pick(4, 6)
    X, y = blobs(k, 60, ctx.seed)
    X_te, y_te = blobs(k, 200, ctx.seed + 1)
    predict, count = predictors(X, y, k, ctx.pick(150, 400))
    acc = {name: round(float((f(X_te) == y_te).mean()), 4) for name, f in predict.items()}
    with ctx.figure("one_vs_all", 3, width=3.6, height=3.4) as axes:
        lo, hi = X.min() - 0.5, X.max() + 0.5
        g1, g2 = np.meshgrid(np.linspace(lo, hi, 150), np.linspace(lo, hi, 150))
        grid = np.stack([g1.ravel(), g2.ravel()], axis=1)
        for ax, (name, f) in zip(axes, predict.items()):
            ax.contourf(g1, g2, f(grid).reshape(g1.shape), levels=np.arange(k + 1) - 0.5, cmap="tab10", alpha=0.3)
            ax.scatter(*X.T, c=y, cmap="tab10", vmin=0, vmax=9, s=6)
            ax.set(title=f"{name}: {count[name]} functions, {acc[name]:.0%}", xticks=[], yticks=[])
    numbers = {"k": k, "classifiers": count, "notes_one_vs_one_count": k * (k + 1) // 2, "test_accuracy": acc}
    lines = [f"{k} classes of 2-D blobs ({len(X)} training, {len(X_te)} test points):"]
    lines += [f"  {name:10s}: {count[name]:2d} discriminant functions, test accuracy {acc[name]:.1%}" for name in acc]
    lines.append(f"  one-vs-one needs K(K-1)/2 = {k * (k - 1) // 2} classifiers "
                 f"(the notes' K(K+1)/2 = {k * (k + 1) // 2} would count each class against itself too)")
    return Result(numbers, lines)
