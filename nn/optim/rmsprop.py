"""RMSprop: divide the gradient by a running root-mean-square, optionally centered and with momentum."""
from __future__ import annotations

from typing import Any

import numpy as np

from .optimizer import Optimizer, check_at_least, average_square_, state_buffer


class RMSprop(Optimizer):
    """torch.optim.RMSprop. With g the gradient:

        g <- g + weight_decay * w
        s <- alpha s + (1 - alpha) g^2
        centered: a <- alpha a + (1 - alpha) g,  d = sqrt(s - a^2) + eps;  else d = sqrt(s) + eps
        momentum > 0: b <- momentum b + g / d,  w <- w - lr b;   else  w <- w - lr g / d
    (s - a^2 >= 0 in exact arithmetic; it is clamped at 0 against rounding.)
    """

    def __init__(self, params: Any, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False) -> None:
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        check_at_least("RMSprop", "alpha", group["alpha"], 0.0)
        if group["alpha"] > 1:
            raise ValueError(f"RMSprop: invalid alpha {group['alpha']!r} (expected 0 <= alpha <= 1)")
        check_at_least("RMSprop", "eps", group["eps"], 0.0)
        check_at_least("RMSprop", "weight_decay", group["weight_decay"], 0.0)
        check_at_least("RMSprop", "momentum", group["momentum"], 0.0)

    def _update(self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        if not state:
            _init_state(state, w)
        alpha = group["alpha"]
        if group["maximize"]:
            g = -g
        if group["weight_decay"]:
            g = g + group["weight_decay"] * w
        state["step"] += 1
        s, d = state["square_avg"], state_buffer(state, "_scratch", w, scratch=True)
        average_square_(s, g, alpha, d)
        if group["centered"]:
            a = state_buffer(state, "grad_avg", w)
            a *= alpha
            a += (1.0 - alpha) * g
            np.multiply(a, a, out=d)
            np.subtract(s, d, out=d)
            np.maximum(d, 0.0, out=d)
            np.sqrt(d, out=d)
        else:
            np.sqrt(s, out=d)
        d += group["eps"]
        if group["momentum"] > 0:
            buf = state_buffer(state, "momentum_buffer", w)
            buf *= group["momentum"]
            buf += g / d
            w -= group["lr"] * buf
        else:
            np.divide(g, d, out=d)
            d *= group["lr"]
            w -= d


def _init_state(state: dict[str, Any], w: np.ndarray) -> None:
    """step = 0 and a zero square average (momentum, centered and scratch buffers come lazily)."""
    state["step"] = 0
    state["square_avg"] = np.zeros_like(w)
