"""Programs that look at the data: Python control flow on values (refused), masks, clipping, argmax,
comparisons, per-call loss options."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd_core as ac
import nn
from harness import Program, Setup
from nn.optim import SGD
from worlds import batch, mlp, params_state, train_world

LINE = r"asked by .*at .*programs_data\.py:\d+"  # a refusal names the library function and the user's line

# ---- control flow and Python reads of traced values: clear errors ---------------------------------


def _ce(m: Any, x: Any, y: Any) -> Any:
    return nn.cross_entropy(m(ac.Tensor(x)), y)


def _refused(name: str, loss_of: Any, error: str = LINE) -> Program:
    return Program(f"flow/{name}", train_world(loss_of), expect="error", error=error)


def _if_item(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    return loss * 0.5 if loss.item() > 1.0 else loss


def _if_not_less(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    if not loss < 1e6:
        raise FloatingPointError("diverged")
    return loss


def _while_positive(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    while out.sum() > 100.0:
        out = out * 0.5
    return nn.cross_entropy(out, y)


def _float_loss(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    return loss * (1.0 / (1.0 + float(loss.data)))


def _any_positive(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    if (out > 0).any():
        out = out.relu()
    return nn.cross_entropy(out, y)


def _int_max(m: Any, x: Any, y: Any) -> Any:
    return _ce(m, x, y) * int(y.max())


def _tolist(m: Any, x: Any, y: Any) -> Any:
    labels = y.tolist()
    return _ce(m, x, labels)


def _python_max(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    return nn.cross_entropy(out, y) * max(out.data[0])


def _format(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    print(f"loss {loss.data:.3f}")
    return loss


def _math_exp(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    return loss * math.exp(-loss.data)


def _allclose(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    return nn.cross_entropy(out if not ac.allclose(out, 0.0) else out * 2.0, y)


def _np_allclose(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    return nn.cross_entropy(out * 2.0 if np.allclose(out.data, 0.0) else out, y)


def _bool_mask_index(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    keep = y > 0
    return nn.cross_entropy(out[keep], y[keep])


def _tensor_mask_index(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    return (out[out > 0]).sum()


def _nonzero(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    rows = np.nonzero(y)[0]
    return out[rows].sum()


def _asarray_of_output(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    scale = np.asarray(out.data).std()
    return nn.cross_entropy(out, y) * scale


def _empty_buffer(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    buf = np.empty(out.shape)
    buf[...] = out.data
    return nn.cross_entropy(ac.Tensor(buf), y) + out.sum() * 0.0


def _range_of_value(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    for _ in range(y[0]):
        out = out * 0.9
    return nn.cross_entropy(out, y)


def _numpy_method(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    return nn.cross_entropy(out, y) * out.numpy().max().item()


def _in(m: Any, x: Any, y: Any) -> Any:
    loss = _ce(m, x, y)
    return loss * 2.0 if 2 in y else loss


def _unique(m: Any, x: Any, y: Any) -> Any:
    return _ce(m, x, y) * len(np.unique(y))


def _one_hot_width(m: Any, x: Any, y: Any) -> Any:
    onehot = nn.functional.one_hot(ac.Tensor(y).long())
    return nn.mse_loss(m(ac.Tensor(x))[:, :onehot.shape[1]], onehot.float())


def _bincount(m: Any, x: Any, y: Any) -> Any:
    counts = np.bincount(y, minlength=3)
    return _ce(m, x, y) * counts[0]


FLOW = [
    _refused("if-item", _if_item, r"\.item\(\).*" + LINE),
    _refused("if-not-loss-less", _if_not_less, r"bool\(\).*" + LINE),
    _refused("while-on-sum", _while_positive, r"bool\(\)"),
    _refused("float-of-loss", _float_loss, r"float\(\)"),
    _refused("if-any-positive", _any_positive, r"bool\(\)"),
    _refused("int-of-label-max", _int_max, r"int\(\)"),
    _refused("tolist", _tolist, r"\.tolist\(\)"),
    _refused("python-max", _python_max, r"bool\(\)"),
    _refused("f-string", _format, r"formatting"),
    _refused("math-exp", _math_exp, r"float\(\)"),
    _refused("ac-allclose", _allclose, r"allclose"),
    _refused("np-allclose", _np_allclose, r"allclose"),
    _refused("bool-mask-index-on-labels", _bool_mask_index, r"boolean mask.*shape that depends on the data"),
    _refused("bool-mask-index-on-output", _tensor_mask_index, r"boolean mask"),
    _refused("np-nonzero", _nonzero, r"nonzero"),
    _refused("np-asarray-of-output", _asarray_of_output, r"plain array.*" + LINE),
    _refused("empty-buffer-write", _empty_buffer, r"plain array"),
    _refused("range-of-label", _range_of_value, r"index"),
    _refused("numpy-then-item", _numpy_method, r"\.item\(\)"),
    _refused("in-labels", _in, r"`in`"),
    _refused("np-unique", _unique, r"unique"),
    _refused("one-hot-without-width", _one_hot_width, r"num_classes"),
    _refused("np-bincount", _bincount, r"bincount"),
    _refused("plain-array-indexed-by-labels", lambda m, x, y: nn.mse_loss(m(ac.Tensor(x)), np.eye(3)[y]),
             r"indexing a plain array with it.*ac\.Tensor\(plain\)\[index\]"),
]

# ---- masks, comparisons, argmax: traced, every call's values ---------------------------------------


def _masks(name: str, loss_of: Any) -> Program:
    return Program(f"mask/{name}", train_world(loss_of))


def _reg(m: Any, x: Any) -> Any:
    return m(ac.Tensor(x))


MASKS = [
    _masks("where-err-positive", lambda m, x, y: ac.where(_reg(m, x) > 0, _reg(m, x), _reg(m, x) * 0.1).sum()),
    _masks("mask-float", lambda m, x, y: (_reg(m, x) * (_reg(m, x) > 0).float()).mean()),
    _masks("mask-double", lambda m, x, y: (_reg(m, x) * (_reg(m, x) < 0.2).double()).sum()),
    _masks("mask-from-labels", lambda m, x, y: (nn.cross_entropy(_reg(m, x), y, reduction="none")
                                                * ac.Tensor(y > 0).float()).sum()),
    _masks("masked-mean", lambda m, x, y: ((_reg(m, x) ** 2).sum(axis=1) * ac.Tensor(y != 1).float()).sum()
           / (ac.Tensor(y != 1).float().sum() + 1.0)),
    _masks("eq-mask", lambda m, x, y: (_reg(m, x).sum(axis=1) * ac.Tensor(y == 2).float()).sum()),
    _masks("ge-mask-on-input", lambda m, x, y: (_reg(m, x) * ac.Tensor(x[:, :3] >= 0).float()).sum()),
    _masks("where-input", lambda m, x, y: ac.where(ac.Tensor(x[:, :3]) > 0, _reg(m, x), 0.0).sum()),
    _masks("clamp-min", lambda m, x, y: _reg(m, x).clamp(min=-0.1).sum()),
    _masks("clamp-both", lambda m, x, y: _reg(m, x).clamp(-0.2, 0.3).pow(2).sum()),
    _masks("maximum-zero", lambda m, x, y: _reg(m, x).maximum(ac.Tensor(np.zeros(3))).sum()),
    _masks("relu-hinge", lambda m, x, y: (1.0 - _reg(m, x)[:, 0] * ac.Tensor(np.where(y > 0, 1.0, -1.0))).relu().mean()),
    _masks("abs-loss", lambda m, x, y: (_reg(m, x) - ac.Tensor(x[:, :3])).abs().mean()),
    _masks("step-gate", lambda m, x, y: (_reg(m, x) * _reg(m, x).step()).sum()),
    _masks("sign-trick", lambda m, x, y: (_reg(m, x) * ac.Tensor(np.sign(x[:, :3]))).sum()),
]


def _accuracy_step(m: Any, x: Any, y: Any) -> Any:
    out = m(ac.Tensor(x))
    loss = nn.cross_entropy(out, y)
    return loss, nn.train.accuracy(out, y)


def _argmax_world(returns: Any) -> Any:
    def build() -> Setup:
        m = mlp()
        opt = SGD(m.parameters(), lr=0.1)

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            out = m(ac.Tensor(x))
            loss = nn.cross_entropy(out, y)
            loss.backward()
            opt.step()
            return loss, returns(out, y)
        return Setup(step, batch, params_state(m))
    return build


ARGMAX = [
    Program("argmax/accuracy", _argmax_world(lambda out, y: nn.train.accuracy(out, y))),
    Program("argmax/argmax-eq", _argmax_world(lambda out, y: (out.argmax(axis=1) == ac.Tensor(y)).float().mean())),
    Program("argmax/argmax-returned", _argmax_world(lambda out, y: out.argmax(axis=-1))),
    Program("argmax/argmin", _argmax_world(lambda out, y: out.argmin(axis=0))),
    Program("argmax/max-values", _argmax_world(lambda out, y: out.max(axis=1))),
    Program("argmax/ac-argmax", _argmax_world(lambda out, y: ac.argmax(out, axis=1))),
    Program("argmax/one-hot", _argmax_world(lambda out, y: nn.functional.one_hot(ac.Tensor(y).long(), 3))),
    Program("argmax/gather-true-class", _argmax_world(
        lambda out, y: out.gather(1, ac.Tensor(y.reshape(-1, 1)).long()).sum())),
    Program("argmax/pred-confidence", _argmax_world(lambda out, y: out.softmax(axis=1).max(axis=1).mean())),
    Program("argmax/binary-accuracy", _argmax_world(lambda out, y: nn.train.accuracy(out[:, 0], np.where(y > 0, 1.0, -1.0)))),
    Program("argmax/topk-by-sort-free", _argmax_world(lambda out, y: (out >= out.max(axis=1, keepdims=True)).float().sum())),
]

# ---- clipping ---------------------------------------------------------------------------------------


def _clip_world(clip: Any, lr: float = 0.5) -> Any:
    def build() -> Setup:
        m = mlp()
        opt = SGD(m.parameters(), lr=lr)

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            loss = nn.cross_entropy(m(ac.Tensor(x) * 3.0), y)
            loss.backward()
            norm = clip(m)
            opt.step()
            return loss, norm
        return Setup(step, batch, params_state(m))
    return build


CLIP = [
    Program("clip/norm-bites-sometimes", _clip_world(lambda m: nn.utils.clip_grad_norm_(m.parameters(), 0.8))),
    Program("clip/norm-never-bites", _clip_world(lambda m: nn.utils.clip_grad_norm_(m.parameters(), 1e6))),
    Program("clip/norm-always-bites", _clip_world(lambda m: nn.utils.clip_grad_norm_(m.parameters(), 1e-3))),
    Program("clip/norm-inf", _clip_world(lambda m: nn.utils.clip_grad_norm_(m.parameters(), 0.3, norm_type=math.inf))),
    Program("clip/norm-1", _clip_world(lambda m: nn.utils.clip_grad_norm_(m.parameters(), 1.0, norm_type=1.0))),
    Program("clip/norm-module", _clip_world(lambda m: nn.utils.clip_grad_norm_(m, 0.5))),
    Program("clip/value", _clip_world(lambda m: nn.utils.clip_grad_value_(m.parameters(), 0.05))),
    Program("clip/manual-np-clip", _clip_world(lambda m: [setattr(p, "grad", np.clip(p.grad, -0.05, 0.05))
                                                          for p in m.parameters()] and None)),
    Program("clip/norm-error-if-nonfinite", _clip_world(
        lambda m: nn.utils.clip_grad_norm_(m.parameters(), 0.8, error_if_nonfinite=True))),
]

# ---- per-call loss options (decided from each call's labels and values) ---------------------------


def _onehot(y: Any) -> Any:
    return nn.functional.one_hot(ac.Tensor(y).long(), 3).float()


def _labels_with_ignored(k: int) -> tuple:
    x, y = batch(k)
    if k >= 2:
        y = y.copy()
        y[: k - 1] = -100  # ignore_index arrives after the trace
    return x, y


def _probs_with_edges(k: int) -> tuple:
    x, y = batch(k)
    return x, (y > 0).astype(float)


LOSS_OPTIONS = [
    Program("loss/ce-ignore-index-later", train_world(_ce, data=_labels_with_ignored)),
    Program("loss/ce-ignore-index-all-later", train_world(
        _ce, data=lambda k: (batch(k)[0], np.full(6, -100) if k == 3 else batch(k)[1]))),
    Program("loss/ce-weight", train_world(lambda m, x, y: nn.cross_entropy(m(ac.Tensor(x)), y,
                                                                          weight=np.array([1.0, 2.0, 0.5])))),
    Program("loss/ce-smoothing", train_world(lambda m, x, y: nn.cross_entropy(m(ac.Tensor(x)), y, label_smoothing=0.1))),
    Program("loss/ce-sum", train_world(lambda m, x, y: nn.cross_entropy(m(ac.Tensor(x)), y, reduction="sum"))),
    Program("loss/ce-none", train_world(lambda m, x, y: nn.cross_entropy(m(ac.Tensor(x)), y, reduction="none").sum())),
    Program("loss/ce-float-labels", train_world(lambda m, x, y: nn.cross_entropy(m(ac.Tensor(x)), y.astype(float)))),
    Program("loss/ce-prob-targets", train_world(lambda m, x, y: nn.cross_entropy(
        m(ac.Tensor(x)), ac.Tensor(np.eye(3))[y] * 0.9 + 0.1 / 3))),
    Program("loss/nll", train_world(lambda m, x, y: nn.nll_loss(m(ac.Tensor(x)).log_softmax(axis=1), y))),
    Program("loss/nll-ignore-later", train_world(lambda m, x, y: nn.nll_loss(m(ac.Tensor(x)).log_softmax(axis=1), y),
                                                 data=_labels_with_ignored)),
    Program("loss/bce-probs-hit-0-and-1", train_world(
        lambda m, x, y: nn.binary_cross_entropy(m(ac.Tensor(x * (1 + 30 * (y[:, None] > 1)))).sigmoid(),
                                                 _onehot(y)))),
    Program("loss/bce-exact-edges", train_world(
        lambda m, x, y: nn.binary_cross_entropy(m(ac.Tensor(x)).sigmoid() * ac.Tensor((y > 0)[:, None] * 1.0),
                                                 _onehot(y)))),
    Program("loss/bce-logits", train_world(lambda m, x, y: nn.binary_cross_entropy_with_logits(m(ac.Tensor(x)), _onehot(y)))),
    Program("loss/mse", train_world(lambda m, x, y: nn.mse_loss(m(ac.Tensor(x)), _onehot(y)))),
    Program("loss/mse-sum", train_world(lambda m, x, y: nn.mse_loss(m(ac.Tensor(x)), _onehot(y), reduction="sum"))),
    Program("loss/hinge", train_world(lambda m, x, y: nn.hinge_loss(m(ac.Tensor(x))[:, 0], np.where(y > 0, 1.0, -1.0)))),
    Program("loss/l1", train_world(lambda m, x, y: nn.l1_loss(m(ac.Tensor(x)), _onehot(y)))),
    Program("loss/ce-module", train_world(lambda m, x, y: nn.CrossEntropyLoss(ignore_index=5)(m(ac.Tensor(x)), y))),
    Program("loss/bad-label-later-raises-like-eager", train_world(
        _ce, data=lambda k: (batch(k)[0], np.array([0, 1, 2, 7, 0, 1]) if k == 2 else batch(k)[1]))),
    Program("loss/hinge-bad-target-later", train_world(
        lambda m, x, y: nn.hinge_loss(m(ac.Tensor(x))[:, 0], y),
        data=lambda k: (batch(k)[0], np.where(batch(k)[1] > 0, 1.0, -1.0) * (3.0 if k == 2 else 1.0)))),
]

# ---- domain checks replayed: eager raises, so must a replay -----------------------------------------


def _domain(name: str, fn: Any) -> Program:
    def build() -> Setup:
        w = ac.Tensor(np.linspace(0.5, 1.5, 4), requires_grad=True)

        def step(x: Any) -> Any:
            w.grad = None
            out = fn(ac.Tensor(x) * w).sum()
            out.backward()
            return out, w.grad
        return Setup(step, lambda k: (np.full(4, 1.0 - 0.6 * k),), lambda: [w.data, w.grad])
    return build


DOMAIN = [
    Program("domain/log-goes-negative", _domain("log", lambda t: t.log())),
    Program("domain/sqrt-goes-negative", _domain("sqrt", lambda t: t.sqrt())),
    Program("domain/div-by-zero-later", _domain("div", lambda t: 1.0 / (t - 0.4))),
    Program("domain/pow-fractional", _domain("pow", lambda t: t ** 0.5)),
    Program("domain/log1p", _domain("log1p", lambda t: (t - 0.3).log1p())),
]

PROGRAMS = FLOW + MASKS + ARGMAX + CLIP + LOSS_OPTIONS + DOMAIN
