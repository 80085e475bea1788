"""Fused ops that save graph nodes on hot paths: softmax cross-entropy in one node."""
from __future__ import annotations

from typing import Any

import numpy as np

from .apply import call
from .reductions import LOG_SOFTMAX, SOFTMAX, _log_softmax, sum_
from .table import defop


def softmax_cross_entropy(x: Any, coef: Any) -> Any:
    """-sum_ic coef_ic log softmax(x_i)_c (one node; see SOFTMAX_CROSS_ENTROPY)."""
    return call(SOFTMAX_CROSS_ENTROPY, x, coef)


def _forward(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """-sum(coef * log_softmax(x, axis=-1)), log_softmax max-shifted (exact for |x| ~ 1e4)."""
    return np.asanyarray(-(coef * _log_softmax(x, axis=-1)).sum())


def _check(x: Any, coef: Any) -> None:
    if np.shape(x) != np.shape(coef) or np.ndim(x) == 0:
        raise ValueError(f"softmax_cross_entropy: logits shape {np.shape(x)} and coefficient shape "
                         f"{np.shape(coef)} must be equal and at least 1-D")


def _grad_x(g: Any, ans: Any, x: Any, coef: Any) -> Any:
    """dL/dx_i = g (softmax(x_i) sum_c coef_ic - coef_i): the notes' o - y for one-hot rows."""
    return g * (call(SOFTMAX, x, axis=-1) * sum_(coef, -1, True) - coef)


def _grad_coef(g: Any, ans: Any, x: Any, coef: Any) -> Any:
    """dL/dcoef = -g log_softmax(x)."""
    return -(g * call(LOG_SOFTMAX, x, axis=-1))


SOFTMAX_CROSS_ENTROPY = defop("softmax_cross_entropy", forward=_forward, check=_check, vjp=(_grad_x, _grad_coef))
