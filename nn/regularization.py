"""L1 and L2 weight penalties to add to a loss, in the convention that matches SGD's weight_decay.

The notes (Nielsen's chapter 3) regularize the cost as
    L2:  C = C0 + lam_n / (2n) sum_w w^2,   dC/dw = dC0/dw + (lam_n / n) w,
         so SGD gives  w <- (1 - eta lam_n / n) w - eta dC0/dw   ("weight decay");
    L1:  C = C0 + lam_n / n sum_w |w|,      dC/dw = dC0/dw + (lam_n / n) sgn(w),
         so SGD gives  w <- w - (eta lam_n / n) sgn(w) - eta dC0/dw,
with n the training-set size. Here `lam` stands for the notes' lam_n / n (the per-sample factor is
folded in), so
    l2_penalty(params, lam) = lam / 2 * sum w^2   (gradient lam * w),
    l1_penalty(params, lam) = lam * sum |w|       (gradient lam * sgn(w), with sgn(0) = 0),
and adding l2_penalty(params, lam) to the loss moves SGD exactly like SGD(weight_decay=lam).
The notes leave biases unregularized; pass only the weights, or pass a Module (anything with
`named_parameters()`), whose parameters named `...bias` are then skipped unless include_bias=True.
"""
from __future__ import annotations

from typing import Any, Iterable

from autograd_core import Tensor, Value


def _weights(name: str, params: Any, include_bias: bool) -> list[Tensor | Value]:
    """The nodes to penalize: a Module's non-bias parameters, or every node of an iterable."""
    if hasattr(params, "named_parameters"):
        return [p for n, p in params.named_parameters() if include_bias or not n.split(".")[-1].startswith("bias")]
    if isinstance(params, (Tensor, Value)):
        return [params]
    nodes = list(params)
    for i, p in enumerate(nodes):
        if not isinstance(p, (Tensor, Value)):
            raise TypeError(f"{name}: params must be Tensors or Values (or a Module), "
                            f"item {i} is a {type(p).__name__}")
    return nodes


def _check_lam(name: str, lam: float) -> None:
    if not lam >= 0:
        raise ValueError(f"{name}: lam must be >= 0, got {lam!r}")


def _total(terms: Iterable[Any]) -> Any:
    total: Any = None
    for t in terms:
        total = t if total is None else total + t
    return total


def l2_penalty(params: Any, lam: float, *, include_bias: bool = False) -> Any:
    """lam / 2 * sum over params of sum w^2; its gradient is lam * w (SGD weight_decay=lam).

    Returns a scalar Tensor (or a Value when every param is a Value); 0-valued Tensor for no params.
    """
    _check_lam("l2_penalty", lam)
    nodes = _weights("l2_penalty", params, include_bias)
    total = _total((p * p).sum() if isinstance(p, Tensor) else p * p for p in nodes)
    return Tensor(0.0) if total is None else total * (0.5 * lam)


def l1_penalty(params: Any, lam: float, *, include_bias: bool = False) -> Any:
    """lam * sum over params of sum |w|; its gradient is lam * sgn(w) (0 at w = 0).

    Returns a scalar Tensor (or a Value when every param is a Value); 0-valued Tensor for no params.
    """
    _check_lam("l1_penalty", lam)
    nodes = _weights("l1_penalty", params, include_bias)
    total = _total(p.abs().sum() if isinstance(p, Tensor) else p.abs() for p in nodes)
    return Tensor(0.0) if total is None else total * float(lam)
