"""Train a model on a task with nn.train.fit, printing one line per logged epoch; report final metrics."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

import nn
from autograd_core import Tensor, no_grad

from .errors import CLIError
from .models import inputs_for
from .tasks import Task

OPTIMIZERS = ("sgd", "adam")


@dataclass
class Metrics:
    """Mean cross-entropy loss and accuracy on one split."""

    loss: float
    accuracy: float


def evaluate(model: nn.Module, X: np.ndarray, y: np.ndarray) -> Metrics:
    """Loss and accuracy of `model` on (X, y), without recording a graph."""
    model.eval()
    with no_grad():
        logits = model(Tensor(X))
        loss = float(nn.cross_entropy(logits, y).item())
    model.train()
    return Metrics(loss, float(np.mean(np.asarray(logits.data).argmax(axis=1) == y)))


def epoch_logger(epochs: int, every: int, write: Callable[[str], Any], indent: str = "") -> Callable[[Any], None]:
    """A fit callback printing 'epoch k/N  loss ..  acc ..  test_loss ..  test_acc ..' every `every` epochs;
    a loss that is no longer finite stops training with a CLIError."""
    width = len(str(epochs))

    def log(history: Any) -> None:
        k = history.epochs
        if not np.isfinite(history.loss[-1]):
            raise CLIError(f"training diverged in epoch {k}: the loss became {history.loss[-1]}; "
                           f"try a smaller --lr")
        if k % every and k != epochs:
            return
        parts = [f"epoch {k:>{width}}/{epochs}", f"loss {history.loss[-1]:.4f}", f"acc {history.accuracy[-1]:.3f}"]
        if history.val_loss:
            parts += [f"test_loss {history.val_loss[-1]:.4f}", f"test_acc {history.val_accuracy[-1]:.3f}"]
        write(indent + "  ".join(parts))
    return log


def _writer() -> Callable[[str], Any]:
    """print, routed through tqdm so lines do not tear an active progress bar."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return print
    return tqdm.write


def train(model: nn.Module, kind: str, task: Task, *, epochs: int, lr: float, optimizer: str, seed: int,
          batch_size: int = 32, log_every: int | None = None, progress: bool | None = None,
          indent: str = "") -> Any:
    """Fit `model` for `epochs` epochs (Adam or SGD with momentum 0.9) and return nn.train's History."""
    if optimizer not in OPTIMIZERS:
        raise CLIError(f"unknown optimizer {optimizer!r}; choose one of {', '.join(OPTIMIZERS)}", code=2)
    params = list(model.parameters())
    opt = nn.optim.Adam(params, lr=lr) if optimizer == "adam" else nn.optim.SGD(params, lr=lr, momentum=0.9)
    Xtr, Xte = inputs_for(kind, task, task.X_train), inputs_for(kind, task, task.X_test)
    loader = nn.data.DataLoader(Xtr, task.y_train, batch_size=batch_size, shuffle=True, seed=seed)
    test_loader = nn.data.DataLoader(Xte, task.y_test, batch_size=len(Xte))
    every = log_every or max(1, epochs // 10)
    return nn.train.fit(model, nn.cross_entropy, opt, loader, epochs, val_loader=test_loader, progress=progress,
                        callback=epoch_logger(epochs, every, _writer(), indent))


def final_report(model: nn.Module, kind: str, task: Task, seconds: float) -> tuple[Metrics, Metrics, str]:
    """(train metrics, test metrics, the printed summary line)."""
    tr = evaluate(model, inputs_for(kind, task, task.X_train), task.y_train)
    te = evaluate(model, inputs_for(kind, task, task.X_test), task.y_test)
    line = (f"final: train loss {tr.loss:.4f}, train accuracy {tr.accuracy:.1%}; test loss {te.loss:.4f}, "
            f"test accuracy {te.accuracy:.1%} ({len(task.y_test)} test samples, {seconds:.1f} s)")
    return tr, te, line


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    """(fn(), seconds it took)."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start
