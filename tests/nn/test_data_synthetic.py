"""nn.data generators: shapes, dtypes, labels, seeding and argument checks."""
import numpy as np
import pytest

from nn.data import make_adding_problem, make_circles, make_moons, make_parity, make_spirals, make_xor


def test_moons_shapes_balance_and_geometry():
    X, y = make_moons(101, noise=0.0, seed=0)
    assert X.shape == (101, 2) and X.dtype == np.float64 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [51, 50]
    # without noise, class 0 lies on the unit upper half circle, class 1 on the shifted lower one
    np.testing.assert_allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(X[y == 1, 0] - 1.0, X[y == 1, 1] - 0.5), 1.0)
    assert X[y == 0, 1].min() >= -1e-12 and X[y == 1, 1].max() <= 0.5 + 1e-12


def test_moons_seeded_and_noisy():
    a, ya = make_moons(100, noise=0.1, seed=3)
    b, yb = make_moons(100, noise=0.1, seed=3)
    c, _ = make_moons(100, noise=0.1, seed=4)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a, c)
    clean, yc = make_moons(100, noise=0.0, seed=3)
    np.testing.assert_array_equal(ya, yc)  # same shuffle: the noise is the only difference
    assert 0.05 < np.std(a - clean) < 0.15


def test_circles_radii():
    X, y = make_circles(80, noise=0.0, factor=0.3, seed=1)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_spirals_classes_and_radius():
    X, y = make_spirals(301, classes=3, noise=0.0, seed=0)
    assert X.shape == (301, 2) and sorted(np.bincount(y).tolist()) == [100, 100, 101]
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)


def test_xor_labels_follow_corners():
    X, y = make_xor(400, noise=0.0, seed=2)
    np.testing.assert_array_equal(y, (X[:, 0].astype(int) ^ X[:, 1].astype(int)))
    assert set(map(tuple, X.astype(int))) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_parity_labels():
    X, y = make_parity(50, length=7, seed=0)
    assert X.shape == (50, 7, 1) and X.dtype == np.float64 and y.dtype == np.int64
    assert set(np.unique(X)) <= {0.0, 1.0}
    np.testing.assert_array_equal(y, X[:, :, 0].sum(axis=1).astype(int) % 2)
    Xr, yr = make_parity(50, length=7, seed=0, running=True)
    np.testing.assert_array_equal(Xr, X)
    assert yr.shape == (50, 7)
    np.testing.assert_array_equal(yr[:, -1], y)
    np.testing.assert_array_equal(yr[:, 0], X[:, 0, 0])
    np.testing.assert_array_equal(yr[:, 1:] ^ yr[:, :-1], X[:, 1:, 0])  # each step XORs in one bit


def test_adding_problem_targets():
    X, y = make_adding_problem(30, length=10, seed=0)
    assert X.shape == (30, 10, 2) and y.shape == (30,) and y.dtype == np.float64
    marks = X[:, :, 1]
    np.testing.assert_array_equal(marks.sum(axis=1), 2.0)
    np.testing.assert_array_equal(marks[:, :5].sum(axis=1), 1.0)  # one mark in each half
    np.testing.assert_allclose(y, (X[:, :, 0] * marks).sum(axis=1))


@pytest.mark.parametrize("call, err, text", [
    (lambda: make_moons(1), ValueError, "make_moons: n must be at least 2, got 1"),
    (lambda: make_moons(10.5), TypeError, "make_moons: n must be an integer"),
    (lambda: make_moons(10, noise=-0.1), ValueError, "noise must be a finite number >= 0, got -0.1"),
    (lambda: make_moons(10, noise=float("nan")), ValueError, "noise must be a finite"),
    (lambda: make_circles(10, factor=1.5), ValueError, "factor"),
    (lambda: make_spirals(10, classes=1), ValueError, "classes must be at least 2"),
    (lambda: make_spirals(2, classes=3), ValueError, "n must be at least 3"),
    (lambda: make_xor(0), ValueError, "make_xor: n must be at least 1"),
    (lambda: make_parity(5, length=0), ValueError, "make_parity: length must be at least 1"),
    (lambda: make_adding_problem(5, length=1), ValueError, "length must be at least 2"),
    (lambda: make_parity(True), TypeError, "n must be an integer"),
])
def test_argument_errors(call, err, text):
    with pytest.raises(err, match=text.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        call()
