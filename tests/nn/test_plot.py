"""nn.plot: history curves and decision boundaries saved as PNG/SVG, holding the right numbers."""
import numpy as np
import pytest

from autograd_core import Tensor
from nn.plot import plot_decision_boundary, plot_history
from nn.train import History

pytest.importorskip("matplotlib")


def _history():
    return History(loss=[1.0, 0.6, 0.4], accuracy=[0.5, 0.7, 0.9], val_loss=[1.1, 0.8, 0.9],
                   val_accuracy=[0.4, 0.6, 0.5], best_epoch=1)


def test_plot_history_png_holds_the_curves(tmp_path):
    path = tmp_path / "curves.png"
    fig = plot_history(_history(), path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    loss_ax, acc_ax = fig.axes
    lines = {ln.get_label(): ln for ln in loss_ax.get_lines() + acc_ax.get_lines()}
    np.testing.assert_array_equal(lines["train loss"].get_ydata(), [1.0, 0.6, 0.4])
    np.testing.assert_array_equal(lines["validation loss"].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines["validation accuracy"].get_ydata(), [0.4, 0.6, 0.5])
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_history_plot_svg_without_accuracy(tmp_path):
    path = tmp_path / "loss.svg"
    fig = History(loss=[3.0, 2.0], best_epoch=1).plot(path)
    assert b"<svg" in path.read_bytes()[:500]
    assert len(fig.axes) == 1


def test_plot_errors(tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.png or \.svg.*curves\.jpg"):
        plot_history(_history(), tmp_path / "curves.jpg")
    with pytest.raises(ValueError, match="no epochs"):
        plot_history(History(), tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\), got \(4, 3\)"):
        plot_decision_boundary(lambda x: x, np.zeros((4, 3)), np.zeros(4), tmp_path / "b.png")


def test_decision_boundary_regions(tmp_path):
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y = np.array([0, 1, 1])
    calls = []

    def model(t):  # logit = x0: the boundary is the vertical line x0 = 0
        calls.append(t.shape)
        return Tensor(t.data[:, :1])

    path = tmp_path / "boundary.png"
    fig = plot_decision_boundary(model, X, y, path, resolution=21, margin=0.0)
    assert calls == [(441, 2)] and path.stat().st_size > 1000
    ax = fig.axes[0]
    assert ax.get_xlim() == (-1.0, 1.0)
    np.testing.assert_array_equal(ax.collections[-1].get_offsets(), X)
    # a three-class scorer through predict=, and the same grid
    seen = []
    plot_decision_boundary(None, X, y, tmp_path / "b.svg", resolution=5,
                           predict=lambda p: seen.append(p) or np.stack([p[:, 0], p[:, 1], -p[:, 0]], 1))
    assert seen[0].shape == (25, 2) and seen[0][:, 0].min() == -1.5


def test_without_a_path_plots_return_a_figure_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fig = _history().plot()
    assert [ln.get_label() for ln in fig.axes[0].get_lines()][:2] == ["train loss", "validation loss"]
    np.testing.assert_array_equal(fig.axes[0].get_lines()[0].get_ydata(), [1.0, 0.6, 0.4])
    X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    fig = plot_decision_boundary(lambda t: Tensor(t.data[:, :1]), X, np.array([0, 1]), resolution=20)
    assert fig.axes[0].get_title() == "decision boundary"
    assert list(tmp_path.iterdir()) == []
