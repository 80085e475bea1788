"""Programs whose world changes between calls: module flags, parameters, optimizers, Python values the
step reads, arguments compared by value. Each change must reach the compiled step as it reaches eager."""
from __future__ import annotations

import types
from typing import Any

import numpy as np

import autograd_core as ac
import nn
from harness import Program, Setup
from nn.optim import SGD, Adam
from worlds import batch, mlp, params_state, train_world


def _ce(m: Any, x: Any, y: Any) -> Any:
    return nn.cross_entropy(m(ac.Tensor(x)), y)


def _change(name: str, between: Any, **kw: Any) -> Program:
    return Program(f"state/{name}", train_world(_ce, between=between, **kw))


def _at(k0: int, fn: Any) -> Any:
    """Do fn(model, opt) before call k0 only."""
    return lambda m, opt, k: fn(m, opt) if k == k0 else None


def _replace_weight(m: Any, opt: Any) -> None:
    m[0].weight = nn.Parameter(np.full_like(m[0].weight.data, 0.1))


def _append_layer(m: Any, opt: Any) -> None:
    m.append(nn.Tanh())


def _swap_group(m: Any, opt: Any) -> None:
    opt.param_groups[0] = dict(opt.param_groups[0], lr=0.01)


def _add_group(m: Any, opt: Any) -> None:
    m.extra = nn.Parameter(np.ones(3))
    opt.add_param_group({"params": [m.extra], "lr": 0.5})


def _rebind_data(m: Any, opt: Any) -> None:
    m[2].bias.data = np.full(3, 0.25)


def _cast_data(m: Any, opt: Any) -> None:
    for p in m.parameters():
        p.data = p.data.astype(np.float32)


def _freeze(m: Any, opt: Any) -> None:
    m[0].weight.requires_grad_(False)


def _unfreeze(m: Any, opt: Any) -> None:
    m[0].weight.requires_grad_(True)


def _toggle_freeze(m: Any, opt: Any, k: int) -> None:
    if k == 1:
        _freeze(m, opt)
    elif k == 3:
        _unfreeze(m, opt)


def _dropout_model() -> nn.Module:
    return mlp(dropout=0.5)


def _eval_at_2(m: Any, opt: Any, k: int) -> None:
    if k == 2:
        m.eval()
    elif k == 3:
        m.train()


def _drop_p(m: Any, opt: Any, k: int) -> None:
    m[2].p = 0.5 if k < 2 else 0.1


def _lr_live(m: Any, opt: Any, k: int) -> None:
    opt.param_groups[0]["lr"] = 0.1 / (k + 1)


def _zero_grad_outside(m: Any, opt: Any, k: int) -> None:
    if k == 2:
        opt.zero_grad(set_to_none=True)


def _inplace_weight(m: Any, opt: Any, k: int) -> None:
    m[0].weight.data[0, :] = 0.0


def _new_state(m: Any, opt: Any, k: int) -> None:
    if k == 2:
        opt.state.clear()


CHANGES = [
    _change("train-eval-toggle-dropout", _eval_at_2, model=_dropout_model),
    _change("dropout-p-changed", _drop_p, model=_dropout_model),
    _change("requires-grad-toggled", _toggle_freeze),
    _change("frozen-at-call-1", _at(1, _freeze)),
    _change("parameter-replaced", _at(2, _replace_weight)),
    _change("layer-appended", _at(2, _append_layer)),
    _change("param-group-replaced", _at(2, _swap_group)),
    _change("param-group-added", _at(2, _add_group)),
    _change("data-rebound", _at(2, _rebind_data)),
    _change("data-cast-float32", _at(2, _cast_data)),
    _change("lr-changed-in-group", _lr_live),
    _change("zero-grad-outside", _zero_grad_outside),
    _change("weight-written-in-place-outside", _inplace_weight),
    _change("optimizer-state-cleared", _new_state, optimizer=lambda ps: Adam(ps, lr=0.01)),
    _change("eval-mode-from-start", lambda m, opt, k: m.eval(), model=_dropout_model),
    _change("module-attribute-number", lambda m, opt, k: setattr(m[1], "note", float(k)),
            model=lambda: _with_scale()),
]


class _Scaled(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.inner = mlp()
        self.scale = 1.0

    def forward(self, x: Any) -> Any:
        return self.inner(x) * self.scale

    def __getitem__(self, i: int) -> Any:
        return self.inner[i]


def _with_scale() -> nn.Module:
    return _Scaled()


def _closure_world(kind: str) -> Any:
    """Python values the step reads from outside: a closure number, a global, a config object, a flag."""
    def build() -> Setup:
        m = mlp()
        opt = SGD(m.parameters(), lr=0.1)
        cfg = types.SimpleNamespace(scale=1.0, use_l2=False, inner=types.SimpleNamespace(temp=1.0))
        box = {"scale": 1.0}
        scale = 1.0

        def step(x: Any, y: Any) -> Any:
            opt.zero_grad()
            out = m(ac.Tensor(x))
            if kind == "closure":
                out = out * scale
            elif kind == "global":
                out = out * _GLOBALS["scale"] * GLOBAL_SCALE
            elif kind == "config":
                out = out * cfg.scale
                if cfg.use_l2:
                    out = out + 0.0 * (m[0].weight ** 2).sum()
            elif kind == "nested-config":
                out = out / cfg.inner.temp
            elif kind == "dict":
                out = out * box["scale"]
            loss = nn.cross_entropy(out, y)
            loss.backward()
            opt.step()
            return loss

        def between(k: int) -> None:
            nonlocal scale
            scale = 1.0 + k
            cfg.scale = 1.0 + 0.5 * k
            cfg.use_l2 = k >= 2
            cfg.inner.temp = 1.0 + k
            box["scale"] = 2.0 - k * 0.25
            global GLOBAL_SCALE
            GLOBAL_SCALE = 1.0 + 0.1 * k
            _GLOBALS["scale"] = 3.0 - k
        return Setup(step, batch, params_state(m), between)
    return build


GLOBAL_SCALE = 1.0
_GLOBALS = {"scale": 1.0}


def _signed_zero_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any, shift: float) -> Any:
        w.grad = None
        out = (ac.Tensor(x) * w + 1.0 / (shift + 1e-300 * 0.0) if False else ac.Tensor(x) * w)
        loss = (out * np.copysign(1.0, shift)).sum()
        loss.backward()
        return loss, w.grad
    return Setup(step, lambda k: (np.full(3, 1.0 + k), -0.0 if k % 2 else 0.0), lambda: [w.data, w.grad])


def _value_args_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any, n: int, mode: str, pair: tuple, flag: bool) -> Any:
        w.grad = None
        out = ac.Tensor(x) * w
        for _ in range(n):
            out = out * 1.5
        out = out.relu() if mode == "relu" else out.tanh()
        loss = (out * pair[0] + pair[1]).sum() if flag else out.sum()
        loss.backward()
        return loss, w.grad
    cases = [(1, "relu", (1.0, 0.0), True), (2, "relu", (1.0, 0.0), True), (2, "tanh", (1.0, 0.0), True),
             (2, "tanh", (2.0, 1.0), True), (2, "tanh", (2.0, 1.0), False), (1, "relu", (1.0, 0.0), True)]
    return Setup(step, lambda k: (np.linspace(-1, 1, 3) * (k + 1),) + cases[k], lambda: [w.data, w.grad])


def _int_vs_float_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any, c: Any) -> Any:
        w.grad = None
        loss = (ac.Tensor(x) * w * (c / 2)).sum()
        loss.backward()
        return loss, w.grad
    vals = [1, 1.0, True, 3, np.float64(3.0), 3]
    return Setup(step, lambda k: (np.ones(3), vals[k]), lambda: [w.data, w.grad])


def _static_kw_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any, *, power: int = 2, bias: float = 0.0) -> Any:
        w.grad = None
        loss = ((ac.Tensor(x) * w) ** power + bias).sum()
        loss.backward()
        return loss, w.grad
    return Setup(step, lambda k: (np.full(3, 0.5 + k),), lambda: [w.data, w.grad],
                 kwargs=lambda k: {"power": 2 + k % 2, "bias": 0.5 * k} if k else {})


def _model_as_argument() -> Setup:
    m = mlp()
    opt = SGD(m.parameters(), lr=0.1)

    def step(model: Any, x: Any, y: Any) -> Any:
        model.zero_grad()
        loss = _ce(model, x, y)
        loss.backward()
        return loss

    def between(k: int) -> None:  # the update outside the step
        opt.step()
    return Setup(step, lambda k: (m,) + batch(k), params_state(m), between)


def _dict_model_world() -> Setup:
    rng = np.random.default_rng(0)
    params = {"w": ac.Tensor(rng.normal(size=(4, 3)), requires_grad=True),
              "b": ac.Tensor(np.zeros(3), requires_grad=True)}

    def step(x: Any, y: Any) -> Any:
        for p in params.values():
            p.grad = None
        loss = nn.cross_entropy(ac.Tensor(x) @ params["w"] + params["b"], y)
        loss.backward()
        return loss

    def between(k: int) -> None:  # a non-Module model updated outside the step
        for p in params.values():
            p.data = p.data - 0.1 * p.grad
    return Setup(step, batch, lambda: [p.data for p in params.values()] + [p.grad for p in params.values()], between)


def _list_model_rebound() -> Setup:
    rng = np.random.default_rng(0)
    params = [ac.Tensor(rng.normal(size=(4, 3)), requires_grad=True)]

    def step(x: Any, y: Any) -> Any:
        loss = nn.cross_entropy(ac.Tensor(x) @ params[0], y)
        loss.backward()
        return loss, params[0].grad

    def between(k: int) -> None:  # a new Tensor object each call (functional update)
        params[0] = ac.Tensor(params[0].data - 0.1 * params[0].grad, requires_grad=True)
    return Setup(step, batch, lambda: [params[0].data], between)


def _global_array_world() -> Setup:
    def step(x: Any) -> Any:
        return (ac.Tensor(x) * ac.Tensor(_TABLE)).sum() + _TABLE[1]

    def between(k: int) -> None:
        _TABLE[:] = k + 1.0  # in place
    return Setup(step, lambda k: (np.ones(3),), lambda: [], between)


_TABLE = np.zeros(3)


def _closure_tensor_constant() -> Setup:
    target = ac.Tensor(np.zeros(3))
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any) -> Any:
        w.grad = None
        loss = ((ac.Tensor(x) * w - target) ** 2).sum()
        loss.backward()
        return loss, w.grad

    def between(k: int) -> None:
        target.data = np.full(3, float(k))
    return Setup(step, lambda k: (np.ones(3),), lambda: [w.data, w.grad], between)


def _optimizer_rebound() -> Setup:
    m = mlp()
    holder = types.SimpleNamespace(opt=SGD(m.parameters(), lr=0.1))

    def step(x: Any, y: Any) -> Any:
        holder.opt.zero_grad()
        loss = _ce(m, x, y)
        loss.backward()
        holder.opt.step()
        return loss

    def between(k: int) -> None:
        if k == 2:
            holder.opt = Adam(m.parameters(), lr=0.01)
    return Setup(step, batch, params_state(m), between)


def _grad_mode_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any) -> Any:
        out = (ac.Tensor(x) * w).sum()
        return out, out.requires_grad

    def between(k: int) -> None:
        pass
    return Setup(step, lambda k: (np.ones(3) * k,), lambda: [w.data], between)


def _shape_dtype_world() -> Setup:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any) -> Any:
        w.grad = None
        loss = (ac.Tensor(x) * w).sum()
        loss.backward()
        return loss, w.grad
    xs = [np.ones((2, 3)), np.ones((4, 3)), np.ones((2, 3), np.float32), np.ones(3), np.ones((2, 3)) * 2]
    return Setup(step, lambda k: (xs[k],), lambda: [w.data, w.grad])


VALUES = [
    Program("values/closure-number", _closure_world("closure")),
    Program("values/global-number", _closure_world("global")),
    Program("values/config-object", _closure_world("config")),
    Program("values/nested-config", _closure_world("nested-config")),
    Program("values/dict-in-closure", _closure_world("dict")),
    Program("values/signed-zero-argument", _signed_zero_world, calls=4),
    Program("values/python-arguments-by-value", _value_args_world, calls=6),
    Program("values/int-float-bool-arguments", _int_vs_float_world, calls=6),
    Program("values/keyword-arguments", _static_kw_world),
    Program("values/static-argnames", _static_kw_world, options={"static_argnames": ["power"]}),
    Program("world/model-as-argument-updated-outside", _model_as_argument),
    Program("world/dict-model-updated-outside", _dict_model_world),
    Program("world/list-model-rebound", _list_model_rebound),
    Program("world/global-array-changed-in-place", _global_array_world),
    Program("world/closure-tensor-constant-rebound", _closure_tensor_constant),
    Program("world/optimizer-rebound", _optimizer_rebound),
    Program("world/grad-mode", _grad_mode_world),
    Program("world/shapes-and-dtypes", _shape_dtype_world, calls=5),
    Program("world/check-mode", _closure_world("config"), options={"check": True}),
]

PROGRAMS = CHANGES + VALUES
