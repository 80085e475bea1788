"""Training loop: `fit` runs epochs of mini-batch gradient steps and records a `History`.

One training step is the notes' mini-batch SGD step: zero the gradients, run the model on a
batch, compute the loss C, backpropagate dC/dw, and let the optimizer update every parameter.
"""
from __future__ import annotations

import numbers
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

from autograd_core import Node, Tensor, no_grad
from autograd_core.arrays import as_array

from .live import LivePlot, progress_bar

Metric = Callable[[np.ndarray, np.ndarray], float]


def _raw(x: Any) -> np.ndarray:
    """The array behind a node, or x as an array (never `.data` of a numpy object: that is its buffer)."""
    return as_array(x.data if isinstance(x, Node) else x)


def accuracy(output: Any, target: Any, *, threshold: float = 0.0) -> float:
    """Fraction of samples classified correctly.

    - Output with a class axis (shape (n, C), C > 1): the prediction is argmax over classes; the
      target is class indices (n,) or one-hot / probability rows (n, C).
    - Otherwise (one score per sample, shape (n,) or (n, 1)): the prediction is positive when
      score > threshold (0 for logits and hinge scores; pass 0.5 for sigmoid probabilities); the
      target is positive when > 0 for +-1 labels, when >= 0.5 for 0/1 labels.
    """
    out, t = _raw(output), _raw(target)
    if out.ndim >= 2 and out.shape[-1] > 1:
        pred = out.argmax(axis=-1)
        t = t.argmax(axis=-1) if t.shape == out.shape else t
        return _fraction(np.mean(pred == t.reshape(pred.shape)))
    scores, t = out.reshape(-1), t.reshape(-1)
    if scores.shape != t.shape:
        raise ValueError(f"accuracy: {scores.size} scores but {t.size} targets "
                         f"(output shape {out.shape}, target shape {_raw(target).shape})")
    if not t.size:
        return _fraction(np.mean((scores > threshold) == (t >= 0.5)))
    positive = np.where(t.min() < 0, t > 0, t >= 0.5)  # +-1 labels or 0/1 labels, decided per call
    return _fraction(np.mean((scores > threshold) == positive))


def _fraction(x: Any) -> Any:
    """A Python float; inside a compiled step a 0-d Tensor (return it: the caller gets the number)."""
    return float(x) if isinstance(x, (np.ndarray, np.generic)) else Tensor._make(x, (), None, None, False)


@dataclass
class History:
    """Per-epoch records of a `fit` run. Lists have one entry per epoch completed.

    `loss` / `val_loss` are sample-weighted means of the loss over the epoch; `accuracy` /
    `val_accuracy` stay empty when fit ran with metric=None. `best_epoch` is the 0-based index of
    the epoch with the lowest monitored loss (val_loss when validating, else loss).
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False
    seconds: float = 0.0

    @property
    def epochs(self) -> int:
        """Number of epochs completed."""
        return len(self.loss)

    @property
    def monitored(self) -> list[float]:
        """The loss used for best_epoch and early stopping."""
        return self.val_loss if self.val_loss else self.loss

    def plot(self, path: Any = None) -> Any:
        """The loss (and accuracy) curves as a matplotlib Figure (shown inline in Jupyter), saved to
        `path` (.png or .svg) when one is given."""
        from .plot import plot_history

        return plot_history(self, path)

    def __repr__(self) -> str:
        def last(xs: list[float]) -> str:
            return f"{xs[-1]:.4g}" if xs else "-"
        return (f"History(epochs={self.epochs}, loss={last(self.loss)}, accuracy={last(self.accuracy)}, "
                f"val_loss={last(self.val_loss)}, val_accuracy={last(self.val_accuracy)}, "
                f"best_epoch={self.best_epoch}, stopped_early={self.stopped_early})")


def _resolve_metric(metric: Any) -> Metric | None:
    if metric is None:
        return None
    if metric == "accuracy":
        return accuracy
    if callable(metric):
        return metric
    raise ValueError(f"fit: metric must be 'accuracy', None or a callable(output, target) -> float, got {metric!r}")


def _check_positive(name: str, value: Any, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"fit: {name} must be a positive integer{' or None' if allow_none else ''}, got {value!r}")


def _set_mode(model: Any, training: bool) -> None:
    method = getattr(model, "train" if training else "eval", None)
    if callable(method):
        method()


def _zero_grad(model: Any, optimizer: Any) -> None:
    zero = getattr(optimizer, "zero_grad", None) or model.zero_grad
    zero()


def _run_epoch(model: Any, loss_fn: Callable, loader: Iterable, metric: Metric | None,
               optimizer: Any = None) -> tuple[float, float | None]:
    """One pass over `loader`: training steps when an optimizer is given, else evaluation.
    Returns the sample-weighted mean loss and metric."""
    total_loss = total_metric = 0.0
    count = 0
    for xb, yb in loader:
        if optimizer is not None:
            _zero_grad(model, optimizer)
        out = model(xb)
        loss = loss_fn(out, yb)
        if optimizer is not None:
            loss.backward()
            optimizer.step()
        n = len(xb)
        total_loss += float(_raw(loss)) * n
        if metric is not None:
            total_metric += metric(_raw(out), _raw(yb)) * n
        count += n
    if count == 0:
        raise ValueError("fit: the loader yielded no batches")
    return total_loss / count, (total_metric / count if metric is not None else None)


def _train_and_validate(model: Any, loss_fn: Callable, optimizer: Any, loader: Iterable,
                        val_loader: Iterable | None, metric: Metric | None) -> tuple[tuple, tuple | None]:
    """One epoch of training steps (train mode), then evaluation on val_loader (eval mode, no_grad)."""
    _set_mode(model, True)
    train = _run_epoch(model, loss_fn, loader, metric, optimizer)
    if val_loader is None:
        return train, None
    _set_mode(model, False)
    with no_grad():
        return train, _run_epoch(model, loss_fn, val_loader, metric)


def _snapshot(model: Any) -> dict[str, np.ndarray]:
    return {k: np.array(_raw(v), copy=True) for k, v in model.state_dict().items()}


def _record(history: History, progress_bar: Any, train: tuple, val: tuple | None) -> None:
    history.loss.append(train[0])
    if train[1] is not None:
        history.accuracy.append(train[1])
    if val is not None:
        history.val_loss.append(val[0])
        if val[1] is not None:
            history.val_accuracy.append(val[1])
    if progress_bar is not None:
        shown = {"loss": train[0]} if val is None else {"loss": train[0], "val_loss": val[0]}
        if train[1] is not None:
            shown["acc"] = train[1] if val is None else val[1]
        progress_bar.set_postfix({k: f"{v:.4g}" for k, v in shown.items()})
        progress_bar.update(1)


def fit(model: Any, loss_fn: Callable, optimizer: Any, loader: Iterable, epochs: int,
        val_loader: Iterable | None = None, *, metric: Any = "accuracy", early_stopping: int | None = None,
        progress: bool | None = None, callback: Callable[[History], Any] | None = None,
        live_plot: Any = False) -> History:
    """Train `model` for `epochs` passes over `loader` and return the per-epoch History.

    Each batch: optimizer.zero_grad(); loss = loss_fn(model(x), y); loss.backward(); optimizer.step().
    After each epoch the model is evaluated on `val_loader` (eval mode, no_grad) when given.
    `metric`: "accuracy" (see `accuracy`), None, or a callable(output ndarray, target ndarray) -> float.
    `early_stopping=p`: stop once the monitored loss (val loss, else training loss) has not improved
    for p epochs in a row, then restore the weights of the best epoch (via state_dict).
    `progress`: a tqdm bar (None = in a Jupyter notebook or when stderr is a terminal, see nn.live).
    `live_plot`: True redraws the loss curve in place in a notebook; a .png/.svg path rewrites that
    file as training goes. `callback(history)` runs after every epoch (before the early-stopping
    check); returning True stops training.
    """
    _check_positive("epochs", epochs)
    _check_positive("early_stopping (patience)", early_stopping, allow_none=True)
    metric_fn = _resolve_metric(metric)
    history, best_state, waited = History(), None, 0
    start, bar = time.perf_counter(), progress_bar(epochs, progress)
    live = LivePlot(live_plot) if live_plot else None
    try:
        for epoch in range(epochs):
            _record(history, bar, *_train_and_validate(model, loss_fn, optimizer, loader, val_loader, metric_fn))
            if live is not None:
                live.update(history, final=epoch == epochs - 1)
            monitored = history.monitored
            if history.best_epoch is None or monitored[-1] < monitored[history.best_epoch]:
                history.best_epoch, waited = epoch, 0
                best_state = _snapshot(model) if early_stopping is not None else None
            else:
                waited += 1
            if callback is not None and callback(history) is True:
                break
            if early_stopping is not None and waited >= early_stopping:
                history.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()
    if live is not None:
        live.update(history, final=True)
    _set_mode(model, True)
    if best_state is not None:
        model.load_state_dict(best_state)
    history.seconds = time.perf_counter() - start
    return history
