"""Adam and AdamW: adaptive moment estimation, with L2 (Adam) or decoupled (AdamW) weight decay."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .optimizer import Optimizer, check_at_least, check_beta, average_square_, state_buffer


class Adam(Optimizer):
    """torch.optim.Adam. At step t, with g the gradient:

        g <- g + weight_decay * w                       (Adam only: L2 penalty in the gradient)
        m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
        v_hat <- max(v_hat, v) if amsgrad else v
        w <- w - lr / (1 - beta1^t) * m / (sqrt(v_hat) / sqrt(1 - beta2^t) + eps)
    """

    _decoupled = False

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    def _check_group(self, group: dict[str, Any]) -> None:
        name = type(self).__name__
        super()._check_group(group)
        betas = group["betas"]
        if len(betas) != 2:
            raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
        check_beta(name, "beta1", betas[0])
        check_beta(name, "beta2", betas[1])
        check_at_least(name, "eps", group["eps"], 0.0)
        check_at_least(name, "weight_decay", group["weight_decay"], 0.0)

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        if not state:
            _init_state(state, w)
        lr, wd = group["lr"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            g = -g
        if wd:
            if self._decoupled:
                w *= 1.0 - lr * wd
            else:
                g = g + wd * w
        t = state["step"] = state["step"] + 1
        m, v, tmp = state["exp_avg"], state["exp_avg_sq"], state_buffer(state, "_scratch", w, scratch=True)
        m *= beta1
        m += (1.0 - beta1) * g
        average_square_(v, g, beta2, tmp)
        if group["amsgrad"]:
            vmax = state_buffer(state, "max_exp_avg_sq", w)
            v = np.maximum(vmax, v, out=vmax)
        np.sqrt(v, out=tmp)
        tmp *= 1.0 / math.sqrt(1.0 - beta2 ** t)
        tmp += group["eps"]
        np.divide(m, tmp, out=tmp)
        tmp *= lr / (1.0 - beta1 ** t)
        w -= tmp


class AdamW(Adam):
    """torch.optim.AdamW: Adam with decoupled weight decay, w <- (1 - lr * weight_decay) w applied
    before the Adam step (not added to the gradient, so it is not rescaled by 1 / sqrt(v))."""

    _decoupled = True

    def __init__(self, params: Any, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize)


def _init_state(state: dict[str, Any], w: np.ndarray) -> None:
    """step = 0 and zero first and second moments (amsgrad's running max and scratch come lazily)."""
    state["step"] = 0
    state["exp_avg"] = np.zeros_like(w)
    state["exp_avg_sq"] = np.zeros_like(w)
