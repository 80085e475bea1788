"""The built-in training tasks: seeded data from nn.data, split into train and test, with their shapes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import CLIError


@dataclass
class Task:
    """Arrays for one task. X_* are (n, features) for tabular tasks and (n, steps, features) for
    sequence tasks; `steps` / `step_features` say how a recurrent model reads one sample."""

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    classes: int
    steps: int
    step_features: int
    description: str

    @property
    def is_2d(self) -> bool:
        """Whether the points live in the plane (a decision boundary can be drawn)."""
        return self.X_train.ndim == 2 and self.X_train.shape[1] == 2

    def as_flat(self, X: np.ndarray) -> np.ndarray:
        """(n, features) for an MLP."""
        return X.reshape(len(X), -1)

    def as_sequence(self, X: np.ndarray) -> np.ndarray:
        """(n, steps, step_features) for a recurrent model (batch first)."""
        return X.reshape(len(X), self.steps, self.step_features)


@dataclass(frozen=True)
class Shape:
    """What a task's data looks like before it is made (for checking model sizes up front)."""

    n_train: int
    steps: int
    step_features: int
    classes: int


SAMPLES = {"moons": 400, "circles": 400, "spirals": 600, "xor": 400, "digits": 1797, "parity": 1000}
TEST_FRACTION = 0.25
_STEPS = {"digits": (8, 8, 10), "spirals": (2, 1, 3)}


def shape_of(name: str, length: int = 5) -> Shape:
    """Training-set size, steps, features per step and classes of a task, without making its data."""
    n = SAMPLES[name]
    steps, step_features, classes = (length, 1, 2) if name == "parity" else _STEPS.get(name, (2, 1, 2))
    return Shape(n - int(round(TEST_FRACTION * n)), steps, step_features, classes)


def _split(name: str, X: np.ndarray, y: np.ndarray, seed: int, steps: int, step_features: int,
           description: str, standardize: bool = False) -> Task:
    from nn.data import Standardizer, train_test_split

    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=TEST_FRACTION, seed=seed)
    if standardize:
        scaler = Standardizer().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    classes = int(max(y.max() + 1, 2))
    return Task(name, X_train, y_train, X_test, y_test, classes, steps, step_features, description)


def _moons(seed: int) -> Task:
    from nn.data import make_moons

    X, y = make_moons(SAMPLES["moons"], noise=0.1, seed=seed)
    return _split("moons", X, y, seed, 2, 1, "two interleaving half circles (2-D, 2 classes)")


def _circles(seed: int) -> Task:
    from nn.data import make_circles

    X, y = make_circles(SAMPLES["circles"], noise=0.05, seed=seed)
    return _split("circles", X, y, seed, 2, 1, "a circle inside a circle (2-D, 2 classes)")


def _spirals(seed: int) -> Task:
    from nn.data import make_spirals

    X, y = make_spirals(SAMPLES["spirals"], classes=3, noise=0.2, seed=seed)
    return _split("spirals", X, y, seed, 2, 1, "three interleaved spirals (2-D, 3 classes)")


def _xor(seed: int) -> Task:
    from nn.data import make_xor

    X, y = make_xor(SAMPLES["xor"], noise=0.1, seed=seed)
    return _split("xor", X, y, seed, 2, 1, "noisy XOR corners (2-D, 2 classes)")


def _parity(seed: int, length: int = 5) -> Task:
    from nn.data import make_parity

    X, y = make_parity(SAMPLES["parity"], length=length, seed=seed)
    return _split("parity", X, y, seed, length, 1,
                  f"parity of {length} bits (sequences of {length} steps, 2 classes)")


def _digits(seed: int) -> Task:
    from nn.data import load_digits

    try:
        X, y = load_digits()
    except ImportError as e:
        raise CLIError(str(e)) from None
    return _split("digits", X, y, seed, 8, 8, "8x8 handwritten digits (64 pixels or 8 rows of 8, 10 classes)",
                  standardize=True)


TASKS: dict[str, Callable[[int], Task]] = {"moons": _moons, "circles": _circles, "spirals": _spirals,
                                           "xor": _xor, "digits": _digits, "parity": _parity}


def load_task(name: str, seed: int = 0, length: int = 5) -> Task:
    """Build the named task's train/test arrays from `seed` (`length` bits for parity); an unknown
    name is a CLIError (exit 2)."""
    if name not in TASKS:
        raise CLIError(f"unknown task {name!r}; choose one of {', '.join(TASKS)}", code=2)
    if name == "parity":
        if length < 1:
            raise CLIError(f"--length must be at least 1, got {length}", code=2)
        return _parity(seed, length)
    return TASKS[name](seed)
