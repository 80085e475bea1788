"""The 8x8 handwritten digits scikit-learn ships (1797 images, 10 classes): an optional extra."""
from __future__ import annotations

import numpy as np


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """X (1797, 64) float64 pixel intensities in [0, 16] (rows of the 8x8 image), y (1797,) int64 in 0..9.

    The data come from the copy bundled with scikit-learn (UCI optical recognition of handwritten
    digits, test set), so no download happens; scikit-learn is needed only here.
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError:
        raise ImportError("load_digits needs scikit-learn, which ships the digits data: "
                          "pip install scikit-learn  (or: pip install 'autograd-core[digits]')") from None
    bunch = _sk_load_digits()
    return np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, dtype=np.int64)
