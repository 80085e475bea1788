"""Loss functions built from the engine's differentiable ops (so second derivatives work too).

Every loss takes `reduction="mean" | "sum" | "none"` (PyTorch's semantics) and checks the shapes
of its arguments, raising a ValueError that names the loss and both shapes. Targets may be
Tensors, numpy arrays or nested lists; they are treated as constants (no gradient flows to them,
except `mse_loss`, whose target may itself be a node that requires grad, as in torch).
`mse_loss` and `hinge_loss` also take lists of Values (the scalar path). At the end, thin Module
wrappers (MSELoss, CrossEntropyLoss, ...) hold a loss's settings like torch's nn.*Loss classes.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from autograd_core import Tensor, Value, logsumexp
from autograd_core.arrays import as_array
from autograd_core.jit import active_recorder, replayed, validated
from autograd_core.ops.apply import apply
from autograd_core.ops.fused import SOFTMAX_CROSS_ENTROPY
from autograd_core.graph.node import Node

from .module import Module

_REDUCTIONS = ("mean", "sum", "none")
_LOG_FLOOR = math.exp(-100.0)  # log(max(p, e^-100)) == max(log p, -100): torch's clamp of the log


# ---- helpers -----------------------------------------------------------------------------------


def check_reduction(name: str, reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def as_tensor(name: str, what: str, x: Any) -> Tensor:
    """A Tensor (given Tensors are kept as they are, so gradients flow through them)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{name}: {what} must be a Tensor (or array-like), got a {type(x).__name__}")
    return Tensor(x)


def raw_array(name: str, what: str, x: Any, dtype: Any = None) -> np.ndarray:
    """Constant data of a target (Tensor, ndarray or list)."""
    if isinstance(x, Node):
        return as_array(x.data)  # as_array: targets stay visible to a compiled step's tracer
    try:
        return as_array(x, dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: {what} must be array-like, got {type(x).__name__}: {exc}") from None


def check_same_shape(name: str, a_name: str, a_shape: tuple, b_name: str, b_shape: tuple) -> None:
    if tuple(a_shape) != tuple(b_shape):
        raise ValueError(f"{name}: {a_name} shape {tuple(a_shape)} and {b_name} shape {tuple(b_shape)} "
                         f"must be equal (reshape one of them; no broadcasting is done)")


def named(data: Any, label: str, dtype: Any) -> Any:
    """Constant data a loss builds (a target, a one-hot matrix) as a Tensor leaf labelled `label`, so
    pictures and the explorer name it; a node (a target that requires grad) is returned as it is."""
    return data if isinstance(data, Node) else Tensor(data, dtype=dtype, label=label)


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """mean / sum over every element, or the elementwise losses unchanged."""
    if reduction == "none":
        return loss
    total = loss.sum()
    if reduction == "sum":
        return total
    return total * (1.0 / loss.numel()) if loss.numel() else total * np.nan  # torch: the mean of nothing is nan


def _is_value_list(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(isinstance(v, Value) for v in x)


def _reduce_values(losses: list, reduction: str) -> Any:
    """The scalar path: a list of Value losses reduced to one Value (or returned as a list)."""
    if reduction == "none":
        return losses
    total = losses[0]
    for v in losses[1:]:
        total = total + v
    return total if reduction == "sum" else total * (1.0 / len(losses))


def _value_pairs(name: str, preds: Sequence[Value], targets: Any) -> list[tuple[Value, Any]]:
    """(prediction, target) pairs; a Value target stays a Value (compile(batched=True) traces it)."""
    ys = [y if isinstance(y, Value) else float(y.data if isinstance(y, Node) else y) for y in targets]
    if len(ys) != len(preds):
        raise ValueError(f"{name}: {len(preds)} predictions and {len(ys)} targets must be equally many")
    return list(zip(preds, ys))


# ---- regression ----------------------------------------------------------------------------------


def mse_loss(pred: Any, target: Any, reduction: str = "mean") -> Any:
    """Mean squared error: mean_i (pred_i - target_i)^2 over every element (torch's mse_loss).

    This is the notes' quadratic cost C = 1/(2n) sum_x ||y(x) - a(x)||^2 up to a factor: with
    n samples of d outputs each, mse_loss = 2 C / d (mean over all n*d elements, and no 1/2), so its
    gradient is (2/(n d)) (a - y) where the notes' is (1/n) (a - y). Shapes must be equal.
    Also takes lists of Values (the scalar path), returning a Value.
    """
    check_reduction("mse_loss", reduction)
    if _is_value_list(pred):
        pairs = _value_pairs("mse_loss", pred, target)
        return _reduce_values([(p - y) * (p - y) for p, y in pairs], reduction)
    pred = as_tensor("mse_loss", "pred", pred)
    if not isinstance(target, Tensor):
        target = Tensor(raw_array("mse_loss", "target", target), dtype=pred.dtype, label="target")
    check_same_shape("mse_loss", "pred", pred.shape, "target", target.shape)
    diff = pred - target
    return reduce_loss(diff * diff, reduction)


def hinge_loss(scores: Any, targets: Any, reduction: str = "mean") -> Any:
    """Max-margin loss of micrograd's demo: mean_i relu(1 - y_i * score_i), with y_i in {-1, +1}.

    Zero once every point is on the right side with margin 1; relu'(0) = 0 at the hinge.
    Also takes a list of Values as scores (the scalar path), returning a Value.
    """
    check_reduction("hinge_loss", reduction)
    if _is_value_list(scores):
        pairs = _value_pairs("hinge_loss", scores, targets)
        _check_signs(np.array([float(y.data) if isinstance(y, Value) else y for _, y in pairs]))
        return _reduce_values([(1.0 - y * s).relu() for s, y in pairs], reduction)
    scores = as_tensor("hinge_loss", "scores", scores)
    y = raw_array("hinge_loss", "targets", targets).astype(scores.dtype, copy=False)
    check_same_shape("hinge_loss", "scores", scores.shape, "targets", y.shape)
    validated(_check_signs, y)  # while compiling: on every call's targets
    if reduction == "none":
        return (scores * named(-y, "−target", y.dtype) + 1.0).relu()
    # relu(c t) = c relu(t) for c > 0, so the 1/n of the mean is folded into the constants (one op less)
    if reduction == "mean" and not y.size:
        return scores.sum() * np.nan  # a mean over nothing, as torch
    c = 1.0 / y.size if reduction == "mean" else 1.0
    return (scores * named(-c * y, "−target / N" if reduction == "mean" else "−target", y.dtype) + c).relu().sum()


def _check_signs(y: np.ndarray) -> None:
    bad = np.abs(y) != 1
    if bad.any():  # the method: no dispatch layer (a compiled step runs this check on every call)
        raise ValueError(f"hinge_loss: targets must be -1 or +1, got {float(y[bad][0])!r}")


# ---- binary classification -----------------------------------------------------------------------


def _legacy(name: str, size_average: Any, reduce: Any, weight: Any) -> None:
    """torch's deprecated size_average= / reduce= are refused; a string where torch has weight is a
    reduction passed by position (torch's third argument is weight)."""
    if size_average is not None or reduce is not None:
        raise TypeError(f"{name}: size_average= and reduce= are deprecated in torch and not supported here; "
                        f"pass reduction='mean' | 'sum' | 'none'")
    if isinstance(weight, str):
        raise TypeError(f"{name}: the third argument is weight, as in torch; pass reduction={weight!r} by keyword")


def _target(name: str, target: Any, like: Tensor) -> Any:
    """A target in the input's dtype: a Tensor that requires grad stays a node (torch gives targets a
    gradient), anything else becomes constant data."""
    if isinstance(target, Tensor) and target.requires_grad:
        return target if target.dtype == like.dtype else target.type(like.dtype)
    return raw_array(name, "target", target).astype(like.dtype, copy=False)


def _elementwise_weight(name: str, weight: Any, what: str, shape: tuple, dtype: Any) -> Any:
    """A weight that broadcasts to the loss's shape (a Tensor that requires grad stays a node)."""
    if weight is None:
        return None
    w = weight if isinstance(weight, Tensor) and weight.requires_grad else raw_array(name, what, weight).astype(dtype)
    try:
        np.broadcast_shapes(tuple(w.shape), shape)
    except ValueError:
        raise ValueError(f"{name}: {what} shape {tuple(w.shape)} does not broadcast to the input shape {shape}") \
            from None
    return w


def _binary_inputs(name: str, input: Any, target: Any, weight: Any, size_average: Any, reduce: Any,  # noqa: A002
                   reduction: str) -> tuple[Tensor, Any, Any]:
    """The checked input Tensor, target (a node when it requires grad) and weight of a binary loss."""
    _legacy(name, size_average, reduce, weight)
    check_reduction(name, reduction)
    x = as_tensor(name, "input", input)
    y = _target(name, target, x)
    check_same_shape(name, "input", x.shape, "target", tuple(y.shape))
    return x, y, _elementwise_weight(name, weight, "weight", x.shape, x.dtype)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None, size_average: Any = None,  # noqa: A002
                         reduce: Any = None, reduction: str = "mean") -> Tensor:
    """-w [y log p + (1 - y) log(1 - p)] elementwise, then reduced (the notes' binary cross-entropy).

    Each log is clamped at -100 like torch (computed as log(max(p, e^-100))), so probabilities of
    exactly 0 or 1 give a finite loss (100 per wrong element) and never NaN; the gradient is
    w (p - y) / (p (1 - p)) inside (0, 1), and a target that requires grad gets -w (log p - log(1 - p)),
    as in torch. `weight` broadcasts to the input's shape. Probabilities must lie in [0, 1].
    """
    name = "binary_cross_entropy"
    p, y, w = _binary_inputs(name, input, target, weight, size_average, reduce, reduction)
    validated(_check_probs, p.data)  # while compiling: on every call's probabilities
    if active_recorder() is not None or not p.numel():  # compiling: no decision on this call's values
        lo, hi = 0.0, 1.0
    else:
        lo, hi = float(p.data.min()), float(p.data.max())
    q = 1.0 - p
    log_p = (p if lo > _LOG_FLOOR else p.maximum(_LOG_FLOOR)).log()  # clamp only when it can bite
    log_q = (q if 1.0 - hi > _LOG_FLOOR else q.maximum(_LOG_FLOOR)).log()
    if reduction == "none" or isinstance(y, Tensor) or w is not None:
        loss = -(log_p * named(y, "target", p.dtype) + log_q * named(1.0 - y, "1 − target", p.dtype))
        return reduce_loss(loss if w is None else loss * named(w, "weight", p.dtype), reduction)
    if reduction == "mean" and not y.size:
        return p.sum() * np.nan  # a mean over nothing, as torch
    scale = -1.0 / y.size if reduction == "mean" else -1.0  # folded into the constant targets
    per = " / N" if reduction == "mean" else ""
    return (log_p * named(y * scale, f"−target{per}", p.dtype)
            + log_q * named((1.0 - y) * scale, f"−(1 − target){per}", p.dtype)).sum()


def _check_probs(p: np.ndarray) -> None:
    bad = ~((p >= 0) & (p <= 1))  # also catches NaN
    if np.any(bad):
        raise ValueError(f"binary_cross_entropy: probs must lie in [0, 1], got {float(p[bad][0])!r} "
                         f"(use binary_cross_entropy_with_logits for raw scores)")


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                     size_average: Any = None, reduce: Any = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:
    """binary_cross_entropy(sigmoid(x), y) computed stably: w [(1 - y) x + (1 + (pw - 1) y) softplus(-x)].

    softplus(x) = log(1 + e^x) is taken as the engine's logaddexp(0, x), max-shifted (exact for
    |x| = 1e4) and smooth, so the gradient is w (sigmoid(x) - y) without pos_weight everywhere, also at
    x = 0; softplus(-x) = softplus(x) - x. `weight` broadcasts to the input's shape, `pos_weight` (one per
    class, the last dim) scales the positive term, as in torch; a target that requires grad gets
    -w (x + (pw - 1) softplus(-x)).
    """
    name = "binary_cross_entropy_with_logits"
    x, y, w = _binary_inputs(name, input, target, weight, size_average, reduce, reduction)
    pw = _elementwise_weight(name, pos_weight, "pos_weight", x.shape, x.dtype)
    zero = Tensor(np.zeros((), dtype=x.dtype), label="0")
    softplus = logsumexp([zero, x])
    t = named(y, "target", x.dtype)
    if pw is None:
        loss = softplus - x * t
    else:
        positive = named((pw - 1.0) * y + 1.0, "1 + (pos_weight − 1)·target", x.dtype)
        loss = named(1.0 - y, "1 − target", x.dtype) * x + positive * (softplus - x)
    return reduce_loss(loss if w is None else loss * named(w, "weight", x.dtype), reduction)


# ---- multi-class classification -----------------------------------------------------------------


def cross_entropy(input: Any, target: Any, weight: Any = None, size_average: Any = None,  # noqa: A002
                  ignore_index: int = -100, reduce: Any = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from raw scores: -sum_c q_ic log softmax(x_i)_c (torch's cross_entropy).

    input: (N, C), (C,) for one sample, or (N, C, d1, ...) with the classes on dim 1. target: class
    indices of shape (N, d1, ...) (integers in [0, C), or `ignore_index`, any value, also a real class)
    or class probabilities q of the input's shape (a Tensor that requires grad gets the gradient
    -log softmax(x), as in torch). Computed through log_softmax (max-shifted), so logits of magnitude
    1e4 are exact; d loss / d x_i = softmax(x_i) - q_i per sample (the notes' o - y). `weight` (C,)
    rescales classes; with index targets and reduction="mean" the sum is divided by the total weight
    of the kept targets, as in torch (nan when every target is ignored, with a zero gradient).
    `label_smoothing` eps mixes q with the uniform distribution: q <- (1 - eps) q + eps / C.
    """
    name = "cross_entropy"
    _legacy(name, size_average, reduce, weight)
    check_reduction(name, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing!r}")
    x = as_tensor(name, "input", input)
    return _class_loss(name, x, False, target, reduction, weight, ignore_index, label_smoothing)


def nll_loss(input: Any, target: Any, weight: Any = None, size_average: Any = None,  # noqa: A002
             ignore_index: int = -100, reduce: Any = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood -input[i, y_i] (the notes' log-likelihood cost C = -ln a_y).

    input: log-probabilities (N, C) (e.g. from log_softmax), (C,), or (N, C, d1, ...); target: class
    indices (N, d1, ...). Weighting and `ignore_index` as in cross_entropy
    (cross_entropy(x, y) == nll_loss(log_softmax(x, 1), y)).
    """
    name = "nll_loss"
    _legacy(name, size_average, reduce, weight)
    check_reduction(name, reduction)
    lp = as_tensor(name, "input", input)
    y = raw_array(name, "target", target)
    if lp.ndim == 0 or y.shape != _index_shape(lp.shape):
        raise ValueError(f"{name}: input shape {lp.shape} and target shape {y.shape} do not match "
                         f"(expected input (N, C, d1, ...) with class indices (N, d1, ...), or (C,) with one index)")
    return _class_loss(name, lp, True, y, reduction, weight, ignore_index, 0.0)


def _index_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of class-index targets for inputs of `shape`: (N, C, d1, ...) -> (N, d1, ...), (C,) -> ()."""
    return shape[:1] + shape[2:] if len(shape) >= 2 else ()


def _classes_last(x: Any) -> Any:
    """(N, C, d1, ...) -> (N, d1, ..., C): torch keeps classes on dim 1, the loss here on the last."""
    return x if len(x.shape) <= 2 else x.permute(0, *range(2, len(x.shape)), 1)


def _class_loss(name: str, x: Tensor, given_log_probs: bool, targets: Any, reduction: str,
                weight: Any, ignore_index: int, smoothing: float) -> Tensor:
    """-sum_c M_ic log_probs_ic with a coefficient matrix M built from the targets.

    Multiplying by M (instead of gathering log_probs[i, y_i]) keeps the backward a dense product, and
    M is built with array expressions of the targets (no Python branch on label values, so a compiled
    step decides per call). Without given log-probabilities a mean or sum is one fused
    softmax-cross-entropy node.
    """
    what = "input"
    if x.ndim == 0:
        raise ValueError(f"{name}: {what} must have shape (C,), (N, C) or (N, C, d1, ...), got shape {x.shape}")
    n_classes = x.shape[1] if x.ndim >= 2 else x.shape[0]
    soft = isinstance(targets, Tensor) and targets.requires_grad
    y = targets if soft else raw_array(name, "target", targets)
    probs = tuple(y.shape) == x.shape and y.ndim >= 1 and (soft or y.dtype.kind == "f")
    w = None if weight is None else _class_weight(name, weight, n_classes, x.dtype, probs)
    if probs:
        q = _classes_last(y if soft else y.astype(x.dtype, copy=False))
        coef, denom = _prob_coefficients(q, w, smoothing)
        inv, nan_term = _scales(denom, reduction, x.dtype)
    elif not soft and y.shape == _index_shape(x.shape):
        coef, inv, nan_term = _index_coefficients(name, y, n_classes, w, ignore_index, smoothing, x.dtype, reduction)
    else:
        raise ValueError(f"{name}: {what} shape {x.shape} and target shape {tuple(y.shape)} do not match "
                         f"(expected class indices of shape {_index_shape(x.shape)} "
                         f"or probabilities of shape {x.shape})")
    x = _classes_last(x)
    what_m = _coefficient_name(probs, w is not None, smoothing)
    per = "" if reduction != "mean" else " / Σw" if w is not None and not probs else " / N"
    if not given_log_probs and reduction != "none":
        m = coef if reduction == "sum" else coef * inv
        return _plus_nan_term(apply(SOFTMAX_CROSS_ENTROPY, x, named(m, what_m + per, x.dtype)), nan_term)
    log_probs = x if given_log_probs else x.log_softmax(axis=-1)
    if reduction == "none":
        return (log_probs * named(-coef, "−" + what_m, x.dtype)).sum(axis=-1)
    if reduction == "sum":
        return (log_probs * named(-coef, "−" + what_m, x.dtype)).sum()
    # the scale folded into the coefficients
    return _plus_nan_term((log_probs * named(coef * -inv, "−" + what_m + per, x.dtype)).sum(), nan_term)


def _coefficient_name(probs: bool, weighted: bool, smoothing: float) -> str:
    """What the coefficient matrix M is, as pictures call it: "one-hot target", "w·smoothed target", ..."""
    kind = "smoothed " if smoothing else "" if probs else "one-hot "
    return ("w·" if weighted else "") + kind + "target"


def _plus_nan_term(loss: Tensor, nan_term: Any) -> Tensor:
    """loss + nan_term; an eager call whose term is a plain 0 adds no node (a compiled step's traced term is
    always added, so each replay decides)."""
    return loss if isinstance(nan_term, np.ndarray) and not nan_term.any() else loss + nan_term


def _scales(denom: Any, reduction: str, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """1/denom (1 where denom is 0: a mean over no kept target has all-zero terms), and the term added to the
    loss: nan for a mean over no kept target (torch's answer; its gradient stays 0), else 0."""
    d = np.asarray(denom, dtype=dtype)
    nan_term = np.where(d == 0, np.nan, 0.0) if reduction == "mean" else np.zeros(())
    return np.asarray(1.0 / np.where(d == 0, 1.0, d), dtype=dtype), np.asarray(nan_term, dtype=dtype)


def _class_weight(name: str, weight: Any, n_classes: int, dtype: Any, probs: bool) -> Any:
    """The class weights (C,); with probability targets a weight that requires grad stays a node (torch
    differentiates that loss with respect to it; with class indices it does not)."""
    if probs and isinstance(weight, Tensor) and weight.requires_grad:
        w: Any = weight if weight.dtype == dtype else weight.type(dtype)
    else:
        w = raw_array(name, "weight", weight).astype(dtype, copy=False)
    if tuple(w.shape) != (n_classes,):
        raise ValueError(f"{name}: weight must have shape ({n_classes},) (one per class), got shape {tuple(w.shape)}")
    return w


def _prob_coefficients(q: Any, w: Any, eps: float) -> tuple[Any, int]:
    """Probability targets: M = w_c ((1 - eps) q_ic + eps / C); the mean divides by the number of
    samples (torch). q may be a node (a target that requires grad)."""
    n_classes = q.shape[-1]
    coef = q * (1.0 - eps) + eps / n_classes if eps else q
    if w is not None:
        coef = coef * w
    return coef, int(np.prod(q.shape)) // n_classes if n_classes else 0


def _index_coefficients(name: str, y: Any, n_classes: int, w: np.ndarray | None, ignore_index: int, eps: float,
                        dtype: Any, reduction: str) -> tuple[Any, Any, Any]:
    """Index targets: M_ic = (1 - eps) w_{y_i} [c = y_i] + eps w_c / C, zero rows where y_i == ignore_index
    (whatever value ignore_index has, a real class included); with 1/denominator and the nan term (_scales).

    The mean divides by sum_i w_{y_i} over the kept rows (their count when unweighted), as torch does.
    """
    if not isinstance(y, np.ndarray):  # a compiled step's traced labels: decided afresh on every call
        return replayed(_index_coefficients_now, name, y, n_classes, w, ignore_index, eps, dtype, reduction)
    return _index_coefficients_now(name, y, n_classes, w, ignore_index, eps, dtype, reduction)


def _index_coefficients_now(name: str, y: np.ndarray, n_classes: int, w: np.ndarray | None, ignore_index: int,
                            eps: float, dtype: Any, reduction: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """_index_coefficients on one call's labels (run on every replay of a compiled step, so each call's labels
    decide: ignored rows, validation, the denominator). Array expressions throughout: no branch on labels."""
    idx = _class_indices(name, y, n_classes, ignore_index)
    keep = idx != ignore_index
    safe = np.where(keep, idx, 0)
    row_w = (w[safe] if w is not None else np.ones(idx.shape, dtype=dtype)) * keep
    coef = (safe[..., None] == np.arange(n_classes)) * (row_w[..., None] * (1.0 - eps))
    if eps:
        coef = coef + (keep[..., None] * (eps / n_classes)) * (w if w is not None else 1.0)
    return (coef.astype(dtype, copy=False), *_scales(row_w.sum(), reduction, dtype))


def _class_indices(name: str, y: np.ndarray, n_classes: int, ignore_index: int) -> np.ndarray:
    """Validate class indices: whole numbers in [0, C) or equal to ignore_index."""
    if y.dtype.kind == "f":
        if np.any(np.floor(y) != y):
            bad = y[np.floor(y) != y]
            raise ValueError(f"{name}: class index targets must be whole numbers, got {float(bad.flat[0])!r}")
    elif y.dtype.kind not in "iub":
        raise TypeError(f"{name}: targets must be integer class indices or probabilities, got dtype {y.dtype}")
    idx = y.astype(np.intp, copy=False)
    bad = ((idx < 0) | (idx >= n_classes)) & (idx != ignore_index)
    if np.any(bad):
        raise ValueError(f"{name}: class index {int(idx[bad].flat[0])} is out of range for {n_classes} "
                         f"classes (expected 0 <= index < {n_classes})")
    return idx


# ---- thin Module wrappers (torch's nn.MSELoss etc.): hold the settings, call the function ---------

class Loss(Module):
    """A loss as a parameter-free Module: `criterion(input, target)` calls the function above."""

    _fn: Any = None

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        super().__init__()
        check_reduction(type(self).__name__, reduction)
        self.reduction = reduction
        self._options = options

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002 - torch's argument name
        return type(self)._fn(input, target, reduction=self.reduction, **self._options)

    def extra_repr(self) -> str:
        shown = {"reduction": self.reduction, **{k: v for k, v in self._options.items() if v is not None}}
        return ", ".join(f"{k}={v!r}" for k, v in shown.items())


class MSELoss(Loss):
    """Module form of mse_loss."""
    _fn = staticmethod(mse_loss)


class HingeLoss(Loss):
    """Module form of hinge_loss (targets in {-1, +1})."""
    _fn = staticmethod(hinge_loss)


class BCELoss(Loss):
    """Module form of binary_cross_entropy (inputs are probabilities)."""
    _fn = staticmethod(binary_cross_entropy)

    def __init__(self, weight: Any = None, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean") -> None:
        _legacy("BCELoss", size_average, reduce, weight)
        super().__init__(reduction, weight=weight)


class BCEWithLogitsLoss(Loss):
    """Module form of binary_cross_entropy_with_logits (inputs are raw scores)."""
    _fn = staticmethod(binary_cross_entropy_with_logits)

    def __init__(self, weight: Any = None, size_average: Any = None, reduce: Any = None,
                 reduction: str = "mean", pos_weight: Any = None) -> None:
        _legacy("BCEWithLogitsLoss", size_average, reduce, weight)
        super().__init__(reduction, weight=weight, pos_weight=pos_weight)


class CrossEntropyLoss(Loss):
    """Module form of cross_entropy (class indices or probability targets)."""
    _fn = staticmethod(cross_entropy)

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(reduction, weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)


class NLLLoss(Loss):
    """Module form of nll_loss (inputs are log-probabilities)."""
    _fn = staticmethod(nll_loss)

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(reduction, weight=weight, ignore_index=ignore_index)
