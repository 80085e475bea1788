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
from autograd_core.node import Node

from .module import Module

_REDUCTIONS = ("mean", "sum", "none")
_LOG_FLOOR = math.exp(-100.0)  # log(max(p, e^-100)) == max(log p, -100): torch's clamp of the log


# ---- helpers -----------------------------------------------------------------------------------


def _check_reduction(name: str, reduction: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _as_tensor(name: str, what: str, x: Any) -> Tensor:
    """A Tensor (given Tensors are kept as they are, so gradients flow through them)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{name}: {what} must be a Tensor (or array-like), got a {type(x).__name__}")
    return Tensor(x)


def _raw(name: str, what: str, x: Any, dtype: Any = None) -> np.ndarray:
    """Constant data of a target (Tensor, ndarray or list)."""
    if isinstance(x, Node):
        return as_array(x.data)  # as_array: targets stay visible to a compiled step's tracer
    try:
        return as_array(x, dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name}: {what} must be array-like, got {type(x).__name__}: {exc}") from None


def _same_shape(name: str, a_name: str, a_shape: tuple, b_name: str, b_shape: tuple) -> None:
    if tuple(a_shape) != tuple(b_shape):
        raise ValueError(f"{name}: {a_name} shape {tuple(a_shape)} and {b_name} shape {tuple(b_shape)} "
                         f"must be equal (reshape one of them; no broadcasting is done)")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
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
    _check_reduction("mse_loss", reduction)
    if _is_value_list(pred):
        pairs = _value_pairs("mse_loss", pred, target)
        return _reduce_values([(p - y) * (p - y) for p, y in pairs], reduction)
    pred = _as_tensor("mse_loss", "pred", pred)
    if not isinstance(target, Tensor):
        target = Tensor(_raw("mse_loss", "target", target), dtype=pred.dtype)
    _same_shape("mse_loss", "pred", pred.shape, "target", target.shape)
    diff = pred - target
    return _reduce(diff * diff, reduction)


def hinge_loss(scores: Any, targets: Any, reduction: str = "mean") -> Any:
    """Max-margin loss of micrograd's demo: mean_i relu(1 - y_i * score_i), with y_i in {-1, +1}.

    Zero once every point is on the right side with margin 1; relu'(0) = 0 at the hinge.
    Also takes a list of Values as scores (the scalar path), returning a Value.
    """
    _check_reduction("hinge_loss", reduction)
    if _is_value_list(scores):
        pairs = _value_pairs("hinge_loss", scores, targets)
        _check_signs(np.array([float(y.data) if isinstance(y, Value) else y for _, y in pairs]))
        return _reduce_values([(1.0 - y * s).relu() for s, y in pairs], reduction)
    scores = _as_tensor("hinge_loss", "scores", scores)
    y = _raw("hinge_loss", "targets", targets).astype(scores.dtype, copy=False)
    _same_shape("hinge_loss", "scores", scores.shape, "targets", y.shape)
    validated(_check_signs, y)  # while compiling: on every call's targets
    if reduction == "none":
        return (scores * -y + 1.0).relu()
    # relu(c t) = c relu(t) for c > 0, so the 1/n of the mean is folded into the constants (one op less)
    if reduction == "mean" and not y.size:
        return scores.sum() * np.nan  # a mean over nothing, as torch
    c = 1.0 / y.size if reduction == "mean" else 1.0
    return (scores * (-c * y) + c).relu().sum()


def _check_signs(y: np.ndarray) -> None:
    bad = np.abs(y) != 1
    if bad.any():  # the method: no dispatch layer (a compiled step runs this check on every call)
        raise ValueError(f"hinge_loss: targets must be -1 or +1, got {float(y[bad][0])!r}")


# ---- binary classification -----------------------------------------------------------------------


def binary_cross_entropy(probs: Any, target: Any, reduction: str = "mean") -> Tensor:
    """-[y log p + (1 - y) log(1 - p)] elementwise, then reduced (the notes' binary cross-entropy).

    Each log is clamped at -100 like torch (computed as log(max(p, e^-100))), so probabilities of
    exactly 0 or 1 give a finite loss (100 per wrong element) and never NaN; the gradient is
    (p - y) / (p (1 - p)) inside (0, 1). Probabilities must lie in [0, 1].
    """
    _check_reduction("binary_cross_entropy", reduction)
    p = _as_tensor("binary_cross_entropy", "probs", probs)
    y = _raw("binary_cross_entropy", "target", target).astype(p.dtype, copy=False)
    _same_shape("binary_cross_entropy", "probs", p.shape, "target", y.shape)
    validated(_check_probs, p.data)  # while compiling: on every call's probabilities
    if active_recorder() is not None or not p.numel():  # compiling: no decision on this call's values
        lo, hi = 0.0, 1.0
    else:
        lo, hi = float(p.data.min()), float(p.data.max())
    q = 1.0 - p
    log_p = (p if lo > _LOG_FLOOR else p.maximum(_LOG_FLOOR)).log()  # clamp only when it can bite
    log_q = (q if 1.0 - hi > _LOG_FLOOR else q.maximum(_LOG_FLOOR)).log()
    if reduction == "none":
        return -(log_p * y + log_q * (1.0 - y))
    if reduction == "mean" and not y.size:
        return p.sum() * np.nan  # a mean over nothing, as torch
    scale = -1.0 / y.size if reduction == "mean" else -1.0  # folded into the constant targets
    return (log_p * (y * scale) + log_q * ((1.0 - y) * scale)).sum()


def _check_probs(p: np.ndarray) -> None:
    bad = ~((p >= 0) & (p <= 1))  # also catches NaN
    if np.any(bad):
        raise ValueError(f"binary_cross_entropy: probs must lie in [0, 1], got {float(p[bad][0])!r} "
                         f"(use binary_cross_entropy_with_logits for raw scores)")


def binary_cross_entropy_with_logits(logits: Any, target: Any, reduction: str = "mean") -> Tensor:
    """binary_cross_entropy(sigmoid(x), y) computed stably as softplus(x) - x y.

    softplus(x) = log(1 + e^x) = max(x, 0) + log(1 + e^-|x|) is taken as the engine's
    logaddexp(0, x), which is max-shifted (exact for |x| = 1e4) and smooth, so the gradient is
    sigmoid(x) - y everywhere, also at x = 0 (composing max(x, 0) and |x| would give -y there,
    because relu'(0) = |x|'(0) = 0).
    """
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    x = _as_tensor("binary_cross_entropy_with_logits", "logits", logits)
    y = _raw("binary_cross_entropy_with_logits", "target", target).astype(x.dtype, copy=False)
    _same_shape("binary_cross_entropy_with_logits", "logits", x.shape, "target", y.shape)
    zero = Tensor(np.zeros((), dtype=x.dtype))
    softplus = logsumexp([zero, x])
    return _reduce(softplus - x * y, reduction)


# ---- multi-class classification -----------------------------------------------------------------


def cross_entropy(logits: Any, targets: Any, reduction: str = "mean", *, weight: Any = None,
                  ignore_index: int = -100, label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from raw scores: -sum_c q_ic log softmax(x_i)_c (torch's cross_entropy).

    logits: (N, C), or (C,) for one sample. targets: class indices of shape (N,) (integers in
    [0, C), or `ignore_index`) or class probabilities q of shape (N, C). Computed through
    log_softmax (max-shifted), so logits of magnitude 1e4 are exact; d loss / d x_i = softmax(x_i) - q_i
    per sample (the notes' o - y). `weight` (C,) rescales classes; with index targets and
    reduction="mean" the sum is divided by the total weight of the targets, as in torch.
    `label_smoothing` eps mixes q with the uniform distribution: q <- (1 - eps) q + eps / C.
    """
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing!r}")
    x = _as_tensor("cross_entropy", "logits", logits)
    return _class_loss("cross_entropy", "logits", x, None, targets, reduction,
                       weight, ignore_index, label_smoothing)


def nll_loss(log_probs: Any, targets: Any, reduction: str = "mean", *, weight: Any = None,
             ignore_index: int = -100) -> Tensor:
    """Negative log-likelihood -log_probs[i, y_i] (the notes' log-likelihood cost C = -ln a_y).

    log_probs: (N, C) (e.g. from log_softmax), or (C,); targets: class indices (N,). Weighting and
    `ignore_index` as in cross_entropy (cross_entropy(x, y) == nll_loss(log_softmax(x), y)).
    """
    _check_reduction("nll_loss", reduction)
    lp = _as_tensor("nll_loss", "log_probs", log_probs)
    y = _raw("nll_loss", "targets", targets)
    batch = lp.shape[:1] if lp.ndim == 2 else ()
    if lp.ndim not in (1, 2) or y.shape != batch:
        raise ValueError(f"nll_loss: log_probs shape {lp.shape} and targets shape {y.shape} do not match "
                         f"(expected log_probs (N, C) with class indices (N,), or (C,) with one index)")
    return _class_loss("nll_loss", "log_probs", lp, lp, targets, reduction, weight, ignore_index, 0.0)


def _class_loss(name: str, what: str, x: Tensor, log_probs: Tensor | None, targets: Any, reduction: str,
                weight: Any, ignore_index: int, smoothing: float) -> Tensor:
    """-sum_c M_ic log_probs_ic with a constant coefficient matrix M built from the targets.

    Multiplying by M (instead of gathering log_probs[i, y_i]) keeps the backward a dense product.
    log_probs None means log_softmax(x): a mean or sum is then one fused softmax-cross-entropy node.
    """
    if x.ndim not in (1, 2):
        raise ValueError(f"{name}: {what} must have shape (N, C) or (C,), got shape {x.shape}")
    n_classes = x.shape[-1]
    y = _raw(name, "targets", targets)
    w = None if weight is None else _class_weight(name, weight, n_classes, x.dtype)
    if y.shape == x.shape and y.ndim >= 1:
        coef, denom = _prob_coefficients(y.astype(x.dtype, copy=False), w, smoothing)
    elif y.shape == x.shape[:-1]:
        coef, denom = _index_coefficients(name, y, n_classes, w, ignore_index, smoothing, x.dtype)
    else:
        raise ValueError(f"{name}: {what} shape {x.shape} and targets shape {y.shape} do not match "
                         f"(expected class indices of shape {x.shape[:-1]} "
                         f"or probabilities of shape {x.shape})")
    if not isinstance(denom, float):  # compiled, traced labels: 1/denominator per call (nan: nothing kept)
        return _traced_reduction(x, log_probs, coef, denom, reduction)
    if log_probs is None and reduction != "none" and (reduction == "sum" or denom):
        return apply(SOFTMAX_CROSS_ENTROPY, x, coef if reduction == "sum" else coef * (1.0 / denom))
    if log_probs is None:
        log_probs = x.log_softmax(axis=-1)
    if reduction == "none":
        return (log_probs * -coef).sum(axis=-1)
    if reduction == "sum":
        return (log_probs * -coef).sum()
    if not denom:
        return (log_probs * coef).sum() * np.nan  # torch gives nan for a mean over nothing
    return (log_probs * (coef * (-1.0 / denom))).sum()  # the scale folded into the constant: one op less


def _traced_reduction(x: Tensor, log_probs: Tensor | None, coef: Any, inv: Any, reduction: str) -> Tensor:
    """_class_loss's reductions when the denominator is known only per call (`inv` = 1/denominator)."""
    scale = coef * inv if reduction == "mean" else coef
    if log_probs is None and reduction != "none":
        return apply(SOFTMAX_CROSS_ENTROPY, x, scale)
    log_probs = x.log_softmax(axis=-1) if log_probs is None else log_probs
    return (log_probs * -coef).sum(axis=-1) if reduction == "none" else (log_probs * -scale).sum()


def _class_weight(name: str, weight: Any, n_classes: int, dtype: Any) -> np.ndarray:
    w = _raw(name, "weight", weight).astype(dtype, copy=False)
    if w.shape != (n_classes,):
        raise ValueError(f"{name}: weight must have shape ({n_classes},) (one per class), got shape {w.shape}")
    return w


def _prob_coefficients(q: np.ndarray, w: np.ndarray | None, eps: float) -> tuple[np.ndarray, float]:
    """Probability targets: M = w_c ((1 - eps) q_ic + eps / C); the mean divides by N (torch)."""
    n_classes = q.shape[-1]
    coef = q * (1.0 - eps) + eps / n_classes if eps else q
    if w is not None:
        coef = coef * w
    return coef, float(q.size // n_classes)


def _index_coefficients(name: str, y: np.ndarray, n_classes: int, w: np.ndarray | None,
                        ignore_index: int, eps: float, dtype: Any) -> tuple[np.ndarray, float]:
    """Index targets: M_ic = (1 - eps) w_{y_i} [c = y_i] + eps w_c / C, zero rows for ignore_index.

    The mean divides by sum_i w_{y_i} over the kept rows (N when unweighted), as torch does.
    """
    if not isinstance(y, np.ndarray):  # a compiled step's traced labels: decided afresh on every call
        return replayed(_index_coefficients_now, name, y, n_classes, w, ignore_index, eps, dtype)
    if eps == 0.0 and w is None and y.dtype.kind in "iu" and y.ndim == 1 and y.size \
            and np.asarray(y).min() >= 0 and np.asarray(y).max() < n_classes:
        return (y[..., None] == np.arange(n_classes)).astype(dtype), float(y.size)  # one-hot rows (traceable)
    idx = _class_indices(name, y, n_classes, ignore_index)
    keep = idx != ignore_index
    safe = np.where(keep, idx, 0)
    rows = np.arange(idx.size)
    coef = np.zeros(idx.shape + (n_classes,), dtype=dtype)
    flat = coef.reshape(-1, n_classes)
    row_w = (w[safe] if w is not None else np.ones(idx.shape, dtype=dtype)) * keep
    flat[rows, safe.reshape(-1)] = row_w.reshape(-1) * (1.0 - eps)
    if eps:
        flat += (keep.reshape(-1, 1) * (eps / n_classes)) * (w if w is not None else 1.0)
    return coef, float(row_w.sum())


def _index_coefficients_now(name: str, y: np.ndarray, n_classes: int, w: np.ndarray | None,
                           ignore_index: int, eps: float, dtype: Any) -> tuple[np.ndarray, np.ndarray]:
    """_index_coefficients on one call's labels, with 1/denominator (nan for a mean over nothing):
    run on every replay of a compiled step, so each call's labels decide (ignored rows, validation)."""
    coef, denom = _index_coefficients(name, y, n_classes, w, ignore_index, eps, dtype)
    return coef, np.asarray(1.0 / denom if denom else np.nan, dtype=dtype)


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

class _Loss(Module):
    """A loss as a parameter-free Module: `criterion(input, target)` calls the function above."""

    _fn: Any = None

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        super().__init__()
        _check_reduction(type(self).__name__, reduction)
        self.reduction = reduction
        self._options = options

    def forward(self, input: Any, target: Any) -> Any:  # noqa: A002 - torch's argument name
        return type(self)._fn(input, target, self.reduction, **self._options)

    def extra_repr(self) -> str:
        shown = {"reduction": self.reduction, **{k: v for k, v in self._options.items() if v is not None}}
        return ", ".join(f"{k}={v!r}" for k, v in shown.items())


class MSELoss(_Loss):
    """Module form of mse_loss."""
    _fn = staticmethod(mse_loss)


class HingeLoss(_Loss):
    """Module form of hinge_loss (targets in {-1, +1})."""
    _fn = staticmethod(hinge_loss)


class BCELoss(_Loss):
    """Module form of binary_cross_entropy (inputs are probabilities)."""
    _fn = staticmethod(binary_cross_entropy)


class BCEWithLogitsLoss(_Loss):
    """Module form of binary_cross_entropy_with_logits (inputs are raw scores)."""
    _fn = staticmethod(binary_cross_entropy_with_logits)


class CrossEntropyLoss(_Loss):
    """Module form of cross_entropy (class indices or probability targets)."""
    _fn = staticmethod(cross_entropy)

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(reduction, weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing)


class NLLLoss(_Loss):
    """Module form of nll_loss (inputs are log-probabilities)."""
    _fn = staticmethod(nll_loss)

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(reduction, weight=weight, ignore_index=ignore_index)
