"""Fused ops that save graph nodes on hot paths: softmax cross-entropy, and one Elman RNN step, each one node."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..arrays import as_array
from . import onnx_forms as F
from .apply import call
from .elementwise import TANH
from .linalg import _grad_a, _grad_b
from .reductions import LOG_SOFTMAX, SOFTMAX, _log_softmax, sum_
from .table import defop


def softmax_cross_entropy(x: Any, coef: Any) -> Any:
    """-sum_ic coef_ic log softmax(x_i)_c (one node; see SOFTMAX_CROSS_ENTROPY)."""
    return call(SOFTMAX_CROSS_ENTROPY, x, coef)


def _forward(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """-sum(coef * log_softmax(x, axis=-1)), log_softmax max-shifted (exact for |x| ~ 1e4)."""
    return as_array(-(coef * _log_softmax(x, axis=-1)).sum())


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


SOFTMAX_CROSS_ENTROPY = defop(
    "softmax_cross_entropy", forward=_forward, check=_check, vjp=(_grad_x, _grad_coef),
    display="softmax CE", elementwise=False, derivative=("g·(softmax(x)·Σc − c)", "−g·log_softmax(x)"),
    words="cross-entropy of softmax(x) against the coefficients c: the gradient of x is softmax(x) minus "
          "the targets (the notes' o − y), scaled by g",
          onnx=F.softmax_cross_entropy)


# ---- one Elman step: tanh(xp + h @ W_hh^T) as one node instead of three (matmul, add, tanh) ----


def _rnn_tanh_forward(xp: np.ndarray, h: np.ndarray, whh_t: np.ndarray) -> np.ndarray:
    out = xp + h @ whh_t
    return np.tanh(out, out=out)


def _check_rnn(xp: Any, h: Any, whh_t: Any) -> None:
    sx, sh, sw = np.shape(xp), np.shape(h), np.shape(whh_t)
    if len(sw) != 2 or len(sh) == 0 or sh[-1] != sw[0] or np.broadcast_shapes(sx, sh[:-1] + sw[1:]) != sx:
        raise ValueError(f"rnn_tanh_step: input {sx}, hidden {sh} and recurrent weight^T {sw} do not line up "
                         f"(expected hidden (..., H), weight^T (H, H') and input (..., H'))")


def _rnn_grads(g: Any, ans: Any, xp: Any, h: Any, whh_t: Any) -> tuple[Any, Any, Any]:
    """With dz = g (1 - h'^2): (dz, dz @ W_hh, h^T @ dz) for the input, the state and W_hh^T."""
    dz = TANH.input_grad(0, g, ans, (None,), None)  # tanh's own rule at the step's result
    return dz, _grad_a(dz, None, h, whh_t), _grad_b(dz, None, h, whh_t)


RNN_TANH_STEP = defop(
    "rnn_tanh_step", forward=_rnn_tanh_forward, check=_check_rnn, vjp_all=_rnn_grads,
    display="tanh step", elementwise=False, derivative=("g·(1 − out²)", "g·(1 − out²)·W", "hᵀ·g·(1 − out²)"),
    words="one Elman step h' = tanh(x + h·W): the gradient through tanh is g·(1 − h'²), which then "
          "flows to the input as is, to h through W, and to W through h",
          onnx=F.rnn_tanh_step)
