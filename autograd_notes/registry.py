"""The list of notes experiments: name, note files, one-line claim and module; the CLI, docs and tests read it."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from .core import Context, Result


@dataclass(frozen=True)
class Experiment:
    """One runnable claim of the notes: `notes` are note numbers ("001"), `module` the file that runs it."""

    name: str
    notes: tuple[str, ...]
    claim: str
    module: str

    def runner(self) -> Callable[[Context], Result]:
        """The module's run(ctx) function (imported on demand, so listing stays instant)."""
        return importlib.import_module(f"{__package__}.{self.module}").run


def _e(name: str, notes: str, claim: str) -> Experiment:
    return Experiment(name, tuple(notes.split()), claim, name.replace("-", "_"))


EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in [
    _e("sign-network", "000", "AND and OR of k sign units, each one neuron with bias -(k-1) or k-1"),
    _e("width-approximation", "000", "a wider hidden layer approximates a 1-Lipschitz function better"),
    _e("softmax-cross-entropy", "000 001 002 004", "softmax + cross-entropy: dL/dv = o - y"),
    _e("rnn-sharing", "000", "an RNN shares one set of parameters over every time step"),
    _e("perceptron", "001", "perceptrons jump, sigmoid neurons change a little for a little change"),
    _e("dc-vs-gradient", "001", "dC ~ -eta |grad C|^2 for small eta; the gradient is the steepest ascent"),
    _e("minibatch-noise", "001", "the mini-batch gradient estimates the full gradient"),
    _e("nielsen-sgd", "001 003", "plain mini-batch SGD trains a sigmoid net: quadratic vs cross-entropy"),
    _e("backprop-equations", "001", "the four equations of backpropagation, by hand vs the engine"),
    _e("vanishing-gradients", "001", "deep sigmoid nets: early layers get tiny gradients, ReLU nets less so"),
    _e("rate-factors", "001", "dC/dw is the sum over paths of the product of rate factors"),
    _e("ce-vs-quadratic", "001", "cross-entropy avoids the learning slowdown of the quadratic cost"),
    _e("binary-entropy", "001", "cross-entropy is smallest at a = y, where it equals the binary entropy"),
    _e("l1-vs-l2", "001", "L2 shrinks weights in proportion, L1 by a constant and makes them sparse"),
    _e("newton", "001", "the Hessian technique: w <- w - H^-1 grad C beats gradient descent"),
    _e("sigmoid-derivative", "001 002 004", "sigma' = sigma (1 - sigma), tanh is a rescaled sigmoid"),
    _e("worked-neuron", "002", "the worked neuron: weights (0.1, 0.2, 0.3), input (1, 1) -> f(0.6)"),
    _e("linear-discriminant", "002", "g(x) = theta0 + theta.x: its sign, normal and distance from 0"),
    _e("logistic-log-odds", "002", "a linear log-odds is the sigmoid; maximum likelihood is BCE"),
    _e("learning-rate", "002", "a too small rate crawls, a too large one diverges"),
    _e("zero-one-loss", "002", "the 0-1 loss is piecewise constant: its gradient is zero"),
    _e("one-vs-all", "002", "one-vs-all (K classifiers), one-vs-one (K(K-1)/2), softmax"),
    _e("hidden-layer", "002", "a hidden layer wider than the input makes circles separable"),
    _e("two-layer-derivations", "002 004", "two-layer gradients by hand (MSE, BCE, softmax) vs the engine"),
    _e("gates", "002", "add distributes, mul swaps, max routes the gradient"),
    _e("jacobian-chain-rule", "002 003", "D(f o g o h) = Df Dg Dh with the notes' Jacobians"),
    _e("softmax-shift", "003 004", "softmax(x + c) = softmax(x); the max shift makes it stable"),
    _e("skip-gram", "004", "skip-gram gradients, and skip-gram trained on a corpus with known classes"),
]}


def get(name: str) -> Experiment:
    """The experiment called `name`, or a ValueError listing the names."""
    if name not in EXPERIMENTS:
        raise ValueError(f"notes: no experiment named {name!r}; expected one of: {', '.join(EXPERIMENTS)}")
    return EXPERIMENTS[name]


def run(name: str, *, out: str | None = None, quick: bool = False, seed: int = 0,
        mnist: str | None = None) -> Result:
    """Run experiment `name`; pictures go to `out` (created) when given."""
    from pathlib import Path

    exp = get(name)
    folder = None if out is None else Path(out)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    ctx = Context(out=folder, quick=quick, seed=seed, mnist=None if mnist is None else Path(mnist))
    result = exp.runner()(ctx)
    result.pictures = list(ctx.pictures)
    return result
