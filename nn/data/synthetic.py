"""Seeded toy data sets: two-moons, circles, spirals, XOR, and the parity and adding sequence tasks.

Every generator returns ``(X, y)`` with ``X`` a float64 array whose first axis indexes samples,
draws all randomness from ``numpy.random.default_rng(seed)`` (same seed, same data; seed=None
takes the thread's default Generator, so ``autograd_core.manual_seed`` fixes it too), and
checks its arguments, naming the generator and the bad value in the error.
"""
from __future__ import annotations

import numbers

import numpy as np

from autograd_core.random import numpy_rng


def _check_count(fn: str, name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{fn}: {name} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{fn}: {name} must be at least {minimum}, got {value}")
    return int(value)


def _check_noise(fn: str, noise: object) -> float:
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real):
        raise TypeError(f"{fn}: noise must be a real number, got {type(noise).__name__} {noise!r}")
    value = float(noise)
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{fn}: noise must be a finite number >= 0, got {noise}")
    return value


def _split(n: int, parts: int) -> list[int]:
    """n items in `parts` groups as equal as possible (earlier groups take the remainder)."""
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def _shuffled(rng: np.random.Generator, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles in 2-D (the data of micrograd's demo).

    Class 0: (cos t, sin t); class 1: (1 - cos t, 1/2 - sin t), t evenly spaced in [0, pi],
    plus Gaussian noise of standard deviation `noise`. Returns X (n, 2) and y (n,) int64 in {0, 1}.
    """
    n = _check_count("make_moons", "n", n, 2)
    noise = _check_noise("make_moons", noise)
    rng = numpy_rng(seed)
    n0, n1 = _split(n, 2)
    t0, t1 = np.linspace(0.0, np.pi, n0), np.linspace(0.0, np.pi, n1)
    X = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1),
                        np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], 1)])
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5,
                 seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A small circle (radius `factor`, class 1) inside the unit circle (class 0), plus noise.

    Returns X (n, 2) and y (n,) int64 in {0, 1}.
    """
    n = _check_count("make_circles", "n", n, 2)
    noise = _check_noise("make_circles", noise)
    if not isinstance(factor, numbers.Real) or not 0.0 < factor < 1.0:
        raise ValueError(f"make_circles: factor (inner radius / outer radius) must be in (0, 1), got {factor!r}")
    rng = numpy_rng(seed)
    n0, n1 = _split(n, 2)
    t0 = np.linspace(0.0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0.0, 2 * np.pi, n1, endpoint=False)
    X = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1),
                        factor * np.stack([np.cos(t1), np.sin(t1)], 1)])
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n1, np.int64)])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def make_spirals(n: int = 300, classes: int = 3, noise: float = 0.2,
                 seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms in 2-D (CS231n's spiral data), n points in total.

    Arm k: radius r in [0, 1], angle 4k + 4r (+ noise * N(0, 1)), point r (sin angle, cos angle).
    Returns X (n, 2) and y (n,) int64 in {0, ..., classes - 1}.
    """
    classes = _check_count("make_spirals", "classes", classes, 2)
    n = _check_count("make_spirals", "n", n, classes)
    noise = _check_noise("make_spirals", noise)
    rng = numpy_rng(seed)
    Xs, ys = [], []
    for k, m in enumerate(_split(n, classes)):
        r = np.linspace(0.0, 1.0, m)
        angle = 4.0 * k + 4.0 * r + noise * rng.standard_normal(m)
        Xs.append(np.stack([r * np.sin(angle), r * np.cos(angle)], 1))
        ys.append(np.full(m, k, np.int64))
    return _shuffled(rng, np.concatenate(Xs), np.concatenate(ys))


def make_xor(n: int = 200, noise: float = 0.1, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Noisy copies of the four XOR corners: a corner c in {0, 1}^2 drawn uniformly, X = c + noise N(0, I),
    y = c_0 XOR c_1. No single linear unit separates the classes. Returns X (n, 2), y (n,) int64.
    """
    n = _check_count("make_xor", "n", n)
    noise = _check_noise("make_xor", noise)
    rng = numpy_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners + noise * rng.standard_normal((n, 2))
    return X.astype(np.float64), (corners[:, 0] ^ corners[:, 1]).astype(np.int64)


def make_parity(n: int = 1000, length: int = 8, seed: int | None = None, *,
                running: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Random bit sequences and their parity: X (n, length, 1) of 0/1 floats (batch first, one
    feature per step), y (n,) int64 = (sum of the bits) mod 2.

    With running=True, y is (n, length): y[:, t] is the parity of the first t + 1 bits (the
    running XOR), a target for every step; y[:, -1] is the parity of the whole sequence.
    """
    n = _check_count("make_parity", "n", n)
    length = _check_count("make_parity", "length", length)
    rng = numpy_rng(seed)
    bits = rng.integers(0, 2, size=(n, length))
    parity = np.cumsum(bits, axis=1) % 2 if running else bits.sum(axis=1) % 2
    return bits[:, :, None].astype(np.float64), parity.astype(np.int64)


def make_adding_problem(n: int = 1000, length: int = 20,
                        seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Hochreiter and Schmidhuber's adding problem. Each step carries two features: a value drawn
    uniformly from [0, 1) and a marker that is 1 at exactly two steps (one in each half of the
    sequence) and 0 elsewhere. The target is the sum of the two marked values.

    Returns X (n, length, 2) float64 (batch first) and y (n,) float64 in [0, 2).
    """
    n = _check_count("make_adding_problem", "n", n)
    length = _check_count("make_adding_problem", "length", length, 2)
    rng = numpy_rng(seed)
    values = rng.random((n, length))
    half = length // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    marks = np.zeros((n, length))
    rows = np.arange(n)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    y = values[rows, first] + values[rows, second]
    return np.stack([values, marks], axis=2), y
