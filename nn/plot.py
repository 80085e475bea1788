"""Pictures of training: loss/accuracy curves and 2-D decision boundaries, as Figures or PNG/SVG files.

matplotlib (the `plot` extra) is imported only inside these functions, and only its
object-oriented API with the Agg canvas is used, so no window opens and pyplot's global
state is never touched. With a path the figure is saved (the format follows the extension);
without one it is returned to be shown: in Jupyter it displays inline as a PNG.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from autograd_core.files import atomic_write

from .display import in_notebook

FORMATS = (".png", ".svg")


def _new_figure(width: float, height: float) -> Any:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("nn.plot needs matplotlib: pip install matplotlib  "
                          "(or: pip install 'autograd-core[plot]')") from None
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    _show_inline()
    return fig


def _show_inline() -> None:
    """In a Jupyter kernel, make sure a returned Figure displays as a PNG (IPython's own formatter,
    registered in the running shell; pyplot is never imported)."""
    if not in_notebook():
        return
    import IPython
    from IPython.core.pylabtools import select_figure_formats

    from matplotlib.figure import Figure

    shell = IPython.get_ipython()
    formatters = shell.display_formatter.formatters
    if not any(Figure in formatters[m].type_printers for m in ("image/png", "image/svg+xml", "image/jpeg")
               if m in formatters):
        select_figure_formats(shell, {"png"})


def _check_path(fn: str, path: Any) -> Path | None:
    if path is None:
        return None
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{fn}: the file name must end in .png or .svg (the format follows the "
                         f"extension), got {str(path)!r}")
    return path


def _save(fig: Any, path: Path | None) -> None:
    """Write through a temporary file in the same directory, so a failed save leaves no half file."""
    if path is None:
        return
    with atomic_write(path) as f:
        fig.savefig(f, format=path.suffix.lower()[1:])


def plot_history(history: Any, path: Any = None) -> Any:
    """The per-epoch loss curve (and the accuracy curve, when recorded) of a `History`, saved to
    `path` when given.

    Training curves are solid, validation curves dashed; epochs are numbered from 1 and the best
    epoch is marked. Returns the matplotlib Figure (its lines hold the plotted numbers).
    """
    path = _check_path("plot_history", path)
    if not history.loss:
        raise ValueError("plot_history: the history has no epochs to plot")
    panels = 2 if history.accuracy else 1
    fig = _new_figure(5.0 * panels, 3.6)
    axes = [fig.add_subplot(1, panels, i + 1) for i in range(panels)]
    series = [("loss", history.loss, history.val_loss), ("accuracy", history.accuracy, history.val_accuracy)]
    for ax, (name, train, val) in zip(axes, series):
        ax.plot(np.arange(1, len(train) + 1), train, "-", label=f"train {name}")
        if val:
            ax.plot(np.arange(1, len(val) + 1), val, "--", label=f"validation {name}")
        if history.best_epoch is not None:
            ax.axvline(history.best_epoch + 1, color="grey", linewidth=0.8, linestyle=":")
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    _save(fig, path)
    return fig


def _array(x: Any) -> np.ndarray:
    from autograd_core import Node

    return np.asarray(x.data if isinstance(x, Node) else x)


def _default_predict(model: Any) -> Callable[[np.ndarray], np.ndarray]:
    def predict(points: np.ndarray) -> np.ndarray:
        from autograd_core import Tensor, no_grad

        with no_grad():
            return np.asarray(model(Tensor(points)).data)
    return predict


def _classes(scores: np.ndarray, threshold: float) -> np.ndarray:
    """Class per point: argmax over a class axis, else score > threshold."""
    if scores.ndim >= 2 and scores.shape[-1] > 1:
        return scores.argmax(axis=-1)
    return (scores.reshape(-1) > threshold).astype(np.int64)


def plot_decision_boundary(model: Any, X: Any, y: Any, path: Any = None, *, predict: Callable | None = None,
                           resolution: int = 200, margin: float = 0.5, threshold: float = 0.0) -> Any:
    """Colour the plane by the class `model` assigns, and scatter the 2-D points X coloured by y.

    The model is called on a resolution x resolution grid covering X (plus `margin`) as one Tensor
    batch of shape (resolution**2, 2); pass `predict(points ndarray) -> scores ndarray` for models
    that take something else (e.g. nn.scalar models). Scores with a class axis are argmaxed,
    single scores compared with `threshold`. Returns the matplotlib Figure, saved to `path` when given.
    """
    path = _check_path("plot_decision_boundary", path)
    X, y = _array(X), _array(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"plot_decision_boundary: X has {len(X)} points but y has {len(y)} labels")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    scores = np.asarray((predict or _default_predict(model))(grid))
    zone = _classes(scores, threshold).reshape(gx.shape)
    fig = _new_figure(5.0, 4.5)
    ax = fig.add_subplot(1, 1, 1)
    ax.contourf(gx, gy, zone, alpha=0.35, cmap="coolwarm")
    ax.scatter(X[:, 0], X[:, 1], c=y, s=18, cmap="coolwarm", edgecolors="k", linewidths=0.4)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_title("decision boundary")
    fig.tight_layout()
    _save(fig, path)
    return fig
