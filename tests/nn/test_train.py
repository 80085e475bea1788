"""nn.train: accuracy, fit's per-epoch history, validation, early stopping with best-weight restore.

The model and optimizer here are minimal hand-written stand-ins (a logistic-regression unit and
plain SGD), so these tests pin fit's own behaviour independently of nn's layers.
"""
import numpy as np
import pytest

from autograd_core import Tensor
from nn.data import DataLoader
from nn.train import History, accuracy, fit


class Logistic:
    """score = x @ w + b (one logit per sample)."""

    def __init__(self, nin):
        self.w = Tensor(np.zeros((nin, 1)), requires_grad=True)
        self.b = Tensor(np.zeros(1), requires_grad=True)
        self.modes = []

    def __call__(self, x):
        return (x @ self.w + self.b).reshape(-1)

    def parameters(self):
        return [self.w, self.b]

    def train(self, mode=True):
        self.modes.append("train")

    def eval(self):
        self.modes.append("eval")

    def state_dict(self):
        return {"w": self.w.data, "b": self.b.data}

    def load_state_dict(self, state):
        self.w.data, self.b.data = state["w"].copy(), state["b"].copy()


class SGD:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        for p in self.params:
            p.data -= self.lr * p.grad  # in place, like real optimizers: snapshots must copy


def bce_with_logits(z, y):
    """mean(softplus(z) - y z), written with engine ops."""
    return (z.relu() + ((-z.abs()).exp() + 1.0).log() - z * y).mean()


def mse(z, y):
    return ((z - y) ** 2).mean()


def test_accuracy_rules():
    assert accuracy(np.array([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([[1.0, 0.0], [1.0, 0.0]])) == 0.5
    assert accuracy(np.array([0.3, -0.2, 0.1, -4.0]), np.array([1, 0, 0, 0])) == 0.75       # logits vs 0/1
    assert accuracy(np.array([[0.3], [-0.2]]), np.array([-1.0, -1.0])) == 0.5              # scores vs +-1
    assert accuracy(np.array([0.7, 0.4]), np.array([1, 0]), threshold=0.5) == 1.0          # probabilities
    with pytest.raises(ValueError, match="3 scores but 2 targets"):
        accuracy(np.zeros(3), np.zeros(2))


def _separable(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    return X, (X[:, 0] + 2 * X[:, 1] > 0).astype(np.float64)


def test_fit_records_exact_epoch_losses():
    # one full batch of 4 points, lr 0.5, MSE on a 1-weight linear model: the history must equal
    # the closed-form gradient-descent trajectory w <- w - lr * 2 mean((w x + b - y) x)
    X = np.array([[1.0], [2.0], [3.0], [4.0]])
    y = np.array([2.0, 4.0, 6.0, 8.0])
    model = Logistic(1)
    hist = fit(model, mse, SGD(model.parameters(), 0.01), DataLoader(X, y, batch_size=4), epochs=3,
               metric=None, progress=False)
    w = b = 0.0
    expected = []
    for _ in range(3):
        r = w * X[:, 0] + b - y
        expected.append(np.mean(r ** 2))
        w, b = w - 0.01 * np.mean(2 * r * X[:, 0]), b - 0.01 * np.mean(2 * r)
    np.testing.assert_allclose(hist.loss, expected, rtol=1e-12)
    assert hist.accuracy == [] and hist.val_loss == [] and hist.epochs == 3
    assert hist.best_epoch == 2 and not hist.stopped_early
    assert model.w.data[0, 0] == pytest.approx(w)


def test_fit_epoch_loss_is_sample_weighted_over_uneven_batches():
    X = np.array([[1.0], [2.0], [3.0]])
    y = np.array([0.0, 0.0, 6.0])
    model = Logistic(1)
    hist = fit(model, mse, SGD(model.parameters(), 0.0), DataLoader(X, y, batch_size=2), 1,
               metric=None, progress=False)
    assert hist.loss == [pytest.approx(12.0)]  # (0 + 0 + 36) / 3, not the mean of batch means (18)


def test_fit_learns_with_validation_and_modes():
    X, y = _separable()
    model = Logistic(2)
    hist = fit(model, bce_with_logits, SGD(model.parameters(), 0.5),
               DataLoader(X[:30], y[:30], batch_size=10, shuffle=True, seed=0), epochs=15,
               val_loader=DataLoader(X[30:], y[30:], batch_size=10), progress=False)
    assert len(hist.loss) == len(hist.accuracy) == len(hist.val_loss) == len(hist.val_accuracy) == 15
    assert hist.loss[-1] < 0.5 * hist.loss[0]
    assert hist.accuracy[-1] >= 0.9 and hist.val_accuracy[-1] >= 0.9
    assert hist.best_epoch == int(np.argmin(hist.val_loss))
    assert model.modes[:3] == ["train", "eval", "train"] and model.modes[-1] == "train"


def test_early_stopping_restores_best_weights():
    # validation targets are the opposite of the training targets: val loss rises after epoch 0,
    # so with patience 2 training stops after epoch 2 and the epoch-0 weights come back
    X, y = _separable()
    model = Logistic(2)
    snapshots = []
    hist = fit(model, bce_with_logits, SGD(model.parameters(), 0.5), DataLoader(X, y, batch_size=40),
               epochs=50, val_loader=DataLoader(X, 1.0 - y, batch_size=40), early_stopping=2,
               progress=False, callback=lambda h: snapshots.append(model.w.data.copy()))
    assert hist.stopped_early and hist.epochs == 3 and hist.best_epoch == 0
    assert hist.val_loss[1] > hist.val_loss[0] and hist.val_loss[2] > hist.val_loss[0]
    np.testing.assert_array_equal(model.w.data, snapshots[0])
    assert not np.array_equal(snapshots[0], snapshots[1])


def test_callback_can_stop_and_argument_errors():
    X, y = _separable()
    model = Logistic(2)
    opt = SGD(model.parameters(), 0.1)
    loader = DataLoader(X, y, batch_size=20)
    hist = fit(model, bce_with_logits, opt, loader, 10, progress=False, callback=lambda h: h.epochs == 4)
    assert hist.epochs == 4 and not hist.stopped_early
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        fit(model, bce_with_logits, opt, loader, 0)
    with pytest.raises(ValueError, match="early_stopping"):
        fit(model, bce_with_logits, opt, loader, 1, early_stopping=0)
    with pytest.raises(ValueError, match="metric must be"):
        fit(model, bce_with_logits, opt, loader, 1, metric="f1")


def test_progress_bar_writes_to_stderr(capsys):
    X, y = _separable()
    model = Logistic(2)
    fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 2,
        progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "loss=" in err
    fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 2)
    assert capsys.readouterr().err == ""  # auto: stderr is not a terminal under pytest


def test_history_repr():
    h = History(loss=[1.0, 0.5], accuracy=[0.5, 0.75], best_epoch=1)
    assert repr(h) == ("History(epochs=2, loss=0.5, accuracy=0.75, val_loss=-, val_accuracy=-, "
                       "best_epoch=1, stopped_early=False)")


def test_fit_with_nn_modules_and_early_stopping_restores_state_dict():
    import nn
    from nn.data import make_moons
    from nn.optim import Adam

    X, y = make_moons(200, noise=0.2, seed=0)
    model = nn.MLP(2, [32, 2], seed=0)
    seen = []

    def remember(h):
        seen.append({k: v.copy() for k, v in model.state_dict().items()})

    hist = fit(model, nn.cross_entropy, Adam(model.parameters(), lr=0.05),
               DataLoader(X[:150], y[:150], batch_size=25, shuffle=True, seed=0), epochs=60,
               val_loader=DataLoader(X[150:], y[150:], batch_size=50), early_stopping=5,
               progress=False, callback=remember)
    assert hist.val_accuracy[hist.best_epoch] >= 0.9
    assert hist.best_epoch == int(np.argmin(hist.val_loss))
    assert hist.stopped_early and hist.epochs == hist.best_epoch + 6
    restored = model.state_dict()
    for k, v in seen[hist.best_epoch].items():
        np.testing.assert_array_equal(restored[k], v)
    model.eval()  # the restored weights reproduce the best validation loss
    logits = model(Tensor(X[150:]))
    assert nn.cross_entropy(logits, y[150:]).item() == pytest.approx(hist.val_loss[hist.best_epoch], rel=1e-12)


def test_progress_bar_shows_in_a_notebook_by_default(capsys, monkeypatch):
    import nn.live
    X, y = _separable()
    model = Logistic(2)
    monkeypatch.setattr(nn.live, "in_notebook", lambda: True)
    fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 3)
    err = capsys.readouterr().err
    assert "3/3" in err and "loss=" in err


def test_live_plot_rewrites_a_file_and_warns_outside_a_notebook(tmp_path):
    pytest.importorskip("matplotlib")
    X, y = _separable()
    model = Logistic(2)
    path = tmp_path / "curve.png"
    hist = fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 3,
               progress=False, live_plot=path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and hist.epochs == 3
    with pytest.warns(UserWarning, match="live_plot=True draws in a Jupyter notebook"):
        fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 1,
            progress=False, live_plot=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.png"]


def test_live_plot_without_matplotlib_warns_and_trains(tmp_path, monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    X, y = _separable()
    model = Logistic(2)
    with pytest.warns(UserWarning, match=r"live_plot needs matplotlib: pip install 'autograd-core\[plot\]'"):
        hist = fit(model, bce_with_logits, SGD(model.parameters(), 0.1), DataLoader(X, y, batch_size=40), 2,
                   progress=False, live_plot=tmp_path / "c.png")
    assert hist.epochs == 2 and not (tmp_path / "c.png").exists()
