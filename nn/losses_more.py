"""More losses with torch's names and formulas: smooth_l1_loss, huber_loss and kl_div (with their Module forms)."""
from __future__ import annotations

from typing import Any

from autograd_core import Tensor, where

from .losses import as_tensor, check_reduction, Loss, named, reduce_loss, check_same_shape


def _pair(name: str, input: Any, target: Any, reduction: str) -> tuple[Tensor, Tensor]:  # noqa: A002
    check_reduction(name, reduction)
    x = as_tensor(name, "input", input)
    y = target if isinstance(target, Tensor) else Tensor(target, dtype=x.dtype, label="target")
    check_same_shape(name, "input", x.shape, "target", y.shape)
    return x, y


def _constant_named(t: Tensor, label: str) -> Tensor:
    """t labelled for pictures when the loss just computed it from constants (a target that requires grad
    makes it a recorded node, named by its expression instead)."""
    if not t.requires_grad and t.label is None:
        t.label = label
    return t


def smooth_l1_loss(input: Any, target: Any, size_average: Any = None, reduce: Any = None,  # noqa: A002
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = input - target); beta = 0 is the L1 loss."""
    x, y = _pair("smooth_l1_loss", input, target, reduction)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be >= 0, got {beta!r}")
    d = x - y
    a = d.abs()
    if beta == 0:
        return reduce_loss(a, reduction)
    return reduce_loss(where(a.data < beta, d * d * (0.5 / beta), a - 0.5 * beta), reduction)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Any = None) -> Tensor:
    """0.5 d^2 where |d| <= delta, delta (|d| - 0.5 delta) elsewhere (d = input - target)."""
    x, y = _pair("huber_loss", input, target, reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be > 0, got {delta!r}")
    d = x - y
    a = d.abs()
    loss = where(a.data <= delta, d * d * 0.5, (a - 0.5 * delta) * delta)
    return reduce_loss(loss if weight is None else loss * named(weight, "weight", x.dtype), reduction)


def kl_div(input: Any, target: Any, size_average: Any = None, reduce: Any = None,  # noqa: A002
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Pointwise KL divergence with input = log q: target (log target - input), 0 where target is 0 (torch's
    xlogy convention); with log_target=True the target is log p: exp(t) (t - input). reduction "batchmean" divides
    the sum by the first dim."""
    name = "kl_div"
    check_reduction(name, "mean" if reduction == "batchmean" else reduction)
    x, y = _pair(name, input, target, "mean" if reduction == "batchmean" else reduction)
    if log_target:
        loss = _constant_named(y.exp(), "exp(target)") * (y - x)
    else:
        positive = y.data > 0
        safe = where(positive, y, 1.0)
        loss = _constant_named(where(positive, y * safe.log(), 0.0), "target·log target") - y * x
    if reduction == "batchmean":
        return loss.sum() * (1.0 / x.shape[0]) if x.ndim else loss.sum()
    return reduce_loss(loss, reduction)


class SmoothL1Loss(Loss):
    """Module form of smooth_l1_loss."""
    _fn = staticmethod(smooth_l1_loss)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction, beta=beta)


class HuberLoss(Loss):
    """Module form of huber_loss."""
    _fn = staticmethod(huber_loss)

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction, delta=delta)


class KLDivLoss(Loss):
    """Module form of kl_div."""
    _fn = staticmethod(kl_div)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__("mean" if reduction == "batchmean" else reduction, log_target=log_target)
        self.reduction = reduction
