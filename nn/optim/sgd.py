"""SGD: stochastic gradient descent with optional momentum, Nesterov momentum and weight decay."""
from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, check_at_least


class SGD(Optimizer):
    """torch.optim.SGD. With g the gradient, mu the momentum and tau the dampening:

        g <- g + weight_decay * w                       (L2 weight decay, the notes' lam/n)
        b <- g on the first step, else mu * b + (1 - tau) g
        g <- g + mu * b   (nesterov)   or   g <- b   (momentum > 0)
        w <- w - lr * g

    With momentum=0 this is the notes' w <- (1 - lr * weight_decay) w - lr dC0/dw.
    `maximize=True` ascends instead (g <- -g first).
    """

    def __init__(self, params: Any, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False) -> None:
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov, maximize=maximize))

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        check_at_least("SGD", "momentum", group["momentum"], 0.0)
        check_at_least("SGD", "weight_decay", group["weight_decay"], 0.0)
        check_at_least("SGD", "dampening", group["dampening"], 0.0)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(f"SGD: nesterov momentum needs momentum > 0 and dampening = 0, got "
                             f"momentum={group['momentum']!r}, dampening={group['dampening']!r}")

    def _update_one(self, index: int, w: np.ndarray, g: np.ndarray, group: dict[str, Any]) -> None:
        """Plain SGD (no momentum, decay or maximize) needs no state: w <- w - lr g at once."""
        if group["momentum"] or group["weight_decay"] or group["maximize"]:
            super()._update_one(index, w, g, group)
        else:
            w -= group["lr"] * g

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        if group["maximize"]:
            g = -g
        wd = group["weight_decay"]
        if wd:
            g = g + wd * w
        mu = group["momentum"]
        if mu:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(g, dtype=w.dtype)
            else:
                buf *= mu
                tau = group["dampening"]
                buf += g if not tau else (1.0 - tau) * g
            g = g + mu * buf if group["nesterov"] else buf
        w -= group["lr"] * g
