"""The L1 loss: mean |pred - target| (torch's l1_loss and nn.L1Loss), |x|'(0) = 0."""
from __future__ import annotations

from typing import Any

from autograd_core import Tensor

from .losses import as_tensor, check_reduction, Loss, raw_array, reduce_loss, check_same_shape


def l1_loss(pred: Any, target: Any, reduction: str = "mean") -> Tensor:
    """mean_i |pred_i - target_i| over every element ("sum" and "none" as in torch); shapes must be equal."""
    check_reduction("l1_loss", reduction)
    pred = as_tensor("l1_loss", "pred", pred)
    if not isinstance(target, Tensor):
        target = Tensor(raw_array("l1_loss", "target", target), dtype=pred.dtype, label="target")
    check_same_shape("l1_loss", "pred", pred.shape, "target", target.shape)
    return reduce_loss((pred - target).abs(), reduction)


class L1Loss(Loss):
    """Module form of l1_loss."""
    _fn = staticmethod(l1_loss)
