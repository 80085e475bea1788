"""Fused ops that save graph nodes on hot paths: softmax cross-entropy, and one Elman RNN step, each one node."""
from __future__ import annotations

from typing import Any

import numpy as np

from .apply import call
from .linalg import _grad_a, _grad_b
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


# ---- one Elman step: tanh(xp + h @ W_hh^T) as one node instead of three (matmul, add, tanh) ----


def _rnn_tanh_forward(xp: np.ndarray, h: np.ndarray, whh_t: np.ndarray) -> np.ndarray:
    out = xp + h @ whh_t
    return np.tanh(out, out=out)


def _check_rnn(xp: Any, h: Any, whh_t: Any) -> None:
    sx, sh, sw = np.shape(xp), np.shape(h), np.shape(whh_t)
    if len(sw) != 2 or len(sh) == 0 or sh[-1] != sw[0] or np.broadcast_shapes(sx, sh[:-1] + sw[1:]) != sx:
        raise ValueError(f"rnn_tanh_step: input {sx}, hidden {sh} and recurrent weight^T {sw} do not line up "
                         f"(expected hidden (..., H), weight^T (H, H') and input (..., H'))")


def _rnn_dz(g: Any, ans: Any) -> Any:
    """d/dz of tanh(z) at the step's result: g (1 - h'^2)."""
    return g * (1.0 - ans * ans)


def _rnn_grad_h(g: Any, ans: Any, xp: Any, h: Any, whh_t: Any) -> Any:
    return _grad_a(_rnn_dz(g, ans), None, h, whh_t)


def _rnn_grad_w(g: Any, ans: Any, xp: Any, h: Any, whh_t: Any) -> Any:
    return _grad_b(_rnn_dz(g, ans), None, h, whh_t)


RNN_TANH_STEP = defop("rnn_tanh_step", forward=_rnn_tanh_forward, check=_check_rnn,
                      vjp=(lambda g, ans, xp, h, whh_t: _rnn_dz(g, ans), _rnn_grad_h, _rnn_grad_w))
