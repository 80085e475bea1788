"""Generated code says what its names are: arguments by the step's parameter names, parameters by
their names (labels, module paths, variables), slots by what made them, gradients as grad_<name>,
constants by what they are; hostile names still give valid, unique identifiers and eager numbers;
a failing line of a replay shows in the traceback with those names."""
from __future__ import annotations

import ast
import builtins
import re
import traceback
import unicodedata
from typing import Any, Callable

import numpy as np
import pytest

import autograd_core as ac
import nn
from autograd_core import Value
from harness import Program, Setup, judge
from nn.optim import SGD


def _lines(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines()]


def _assert_names_are_sound(source: str, fn: Callable[..., Any]) -> None:
    """Every name is a valid identifier Python reads as written (NFKC: two spellings that Python
    merges would silently be one variable), no local shadows a global the code reads, and every
    name read is defined (a local, a global of the generated function, a builtin)."""
    tree = ast.parse(source)
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    args = {a.arg for a in func.args.args} | {func.args.vararg.arg if func.args.vararg else ""}
    stores, loads = set(args), set()
    for node in ast.walk(func):
        if isinstance(node, ast.Name):
            assert node.id.isidentifier() and unicodedata.normalize("NFKC", node.id) == node.id, node.id
            (stores if isinstance(node.ctx, ast.Store) else loads).add(node.id)
    scope = fn.__globals__
    assert not stores & set(scope), f"locals shadowing globals: {stores & set(scope)}"
    assert not stores & set(dir(builtins)), f"locals shadowing builtins: {stores & set(dir(builtins))}"
    undefined = {n for n in loads - stores if n not in scope and not hasattr(builtins, n)}
    assert not undefined, f"names read but never defined: {undefined}"


def _w_step() -> tuple[ac.Tensor, Any]:
    W = ac.Tensor(np.random.default_rng(0).standard_normal((3, 2)), requires_grad=True)

    def step(x: Any) -> Any:
        y = (x @ W).tanh().sum()
        y.backward()
        return y
    return W, step


def test_a_step_reads_with_its_own_names_and_gives_the_eager_numbers() -> None:
    W, step = _w_step()
    compiled = ac.compile(step, params=[W])
    rng = np.random.default_rng(1)
    grad = np.zeros((3, 2))
    for _ in range(3):
        x = rng.normal(size=(4, 3))
        y = compiled(ac.Tensor(x))
        t = np.tanh(x @ W.data)
        grad += x.T @ (1 - t * t)
        assert float(y.data) == pytest.approx(t.sum(), rel=1e-12)
        np.testing.assert_allclose(np.asarray(W.grad), grad, rtol=1e-12)
    src = compiled.source
    lines = _lines(src)
    assert "x_tensor, = _args" in lines and "x = x_tensor.data" in lines and "W = W_tensor.data" in lines
    assert "old_grad_W = _plain(W_tensor.grad)" in lines
    matmul = next(line for line in lines if line.endswith("= matmul(x, W)"))
    m = re.fullmatch(r"(matmul_\d+) = matmul\(x, W\)", matmul)
    assert m, matmul
    assert any(re.fullmatch(rf"tanh_\d+ = tanh\({m.group(1)}\)", line) for line in lines), src
    assert any(re.fullmatch(r"subtract_\d+ = subtract\(ONE, multiply_\d+\)", line) for line in lines), src
    assert any(re.fullmatch(r"grad_W = add\(old_grad_W, matmul_\d+\)", line) for line in lines), src
    assert "_set_grad(W_tensor, _as_grad(grad_W))" in lines and "x_T = x.T" in lines
    assert "x_tensor.__class__ is not Tensor" in src and "x_tensor.data.dtype != float64" in src
    assert not re.search(r"\b[tca]\d+\b", src), "no t3, c2, a0 names are left"
    _assert_names_are_sound(src, compiled._replays[0])


def test_module_parameters_are_named_as_the_module_names_them_and_labels_win() -> None:
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    model[2].bias.label = "out bias"
    opt = SGD(model.parameters(), lr=0.1)

    def train(inputs: Any, targets: Any) -> Any:
        opt.zero_grad()
        loss = ((model(inputs) - targets) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    compiled = ac.compile(train)
    x, y = ac.Tensor(np.ones((5, 3))), ac.Tensor(np.zeros((5, 1)))
    compiled(x, y)
    lines = _lines(compiled.source)
    for name in ("model_0_weight", "model_0_bias", "model_2_weight", "out_bias"):
        assert f"{name} = {name}_tensor.data" in lines
        assert f"_set_grad({name}_tensor, _as_grad(grad_{name}))" in lines
    assert "inputs_tensor, targets_tensor, = _args" in lines
    assert any(re.fullmatch(r"matmul_\d+ = matmul\(inputs, model_0_weight_T\)", line) for line in lines)
    _assert_names_are_sound(compiled.source, compiled._replays[0])


def _hostile_world() -> Setup:
    """Names that are keywords, builtins, not identifiers, unicode (two spellings Python reads as
    one), names the generated code uses itself, and labels that are code."""
    W = ac.Tensor(np.linspace(-1, 1, 6).reshape(3, 2), requires_grad=True, label="W.grad[0] - class")
    float64 = ac.Tensor(np.full((3, 2), 0.5), requires_grad=True, label="")
    lam = ac.Tensor(np.full(2, 0.25), requires_grad=True, label="__import__('os').system('x')")
    model = nn.Sequential(nn.Linear(2, 2))
    setattr(model, "a-b", nn.Linear(2, 2))
    model.θ = nn.Parameter(np.ones(2))
    matmul, _MISS, Tensor = 2.0, 3.0, 0.5  # noqa: N806 - names the generated code uses

    def step(*args: Any, **kw: Any) -> Any:
        x_tensor = kw["ﬁ"] @ W + kw["fi"] @ float64 * matmul
        y = x_tensor.tanh() * kw["class"] + kw["a-b"] * kw["θ"] + kw["len"] + args[0] * _MISS + lam
        y = model(y * Tensor).sum() + getattr(model, "a-b")(y).sum() * model.θ.sum()
        y.backward()
        return y, kw["_args"]

    def kwargs(k: int) -> dict:
        rng = np.random.default_rng(k)
        return {"ﬁ": ac.Tensor(rng.normal(size=(4, 3))), "fi": ac.Tensor(rng.normal(size=(4, 3))), "class": 2.0,
                "a-b": rng.normal(size=(4, 2)), "θ": rng.normal(size=(4, 2)), "len": rng.normal(size=(4, 2)),
                "_args": rng.normal(size=3)}

    params = [W, float64, lam, *model.parameters()]
    return Setup(step, data=lambda k: (np.full((4, 2), float(k)),), kwargs=kwargs,
                 state=lambda: [np.asarray(p.grad) for p in params])


def test_hostile_names_give_valid_unique_identifiers_and_the_eager_numbers() -> None:
    assert judge(Program("names/hostile", _hostile_world)) == "match"
    setup = _hostile_world()
    compiled = ac.compile(setup.step)
    for k in range(2):
        compiled(*setup.data(k), **setup.kwargs(k))
    src = compiled.source
    _assert_names_are_sound(src, compiled._replays[0])
    lines = _lines(src)
    assert "args_0, args, a_b, class_, fi_tensor, len_, θ, fi_tensor_2, = _args" in lines  # ﬁ is fi to Python
    assert "fi = fi_tensor.data" in lines and "fi_2 = fi_tensor_2.data" in lines
    assert "W_grad_0_class = W_grad_0_class_tensor.data" in lines
    assert "import_os_system_x = import_os_system_x_tensor.data" in lines
    assert "return (_leaf(add_44), args, )" in lines or any(line.endswith(", args, )") for line in lines)
    assert any(re.fullmatch(r"empty_like_\d+\[Ellipsis\] = reshape_\d+", line) for line in lines)
    assert "model_a_b_weight = model_a_b_weight_tensor.data" in lines and "model_θ = model_θ_tensor.data" in lines


def test_names_of_every_kind_are_identifiers() -> None:
    from autograd_core.jit.names import constant_hint, identifier
    cases = {"class": "class", "a-b": "a_b", "": "v", "1x": "v_1x", "__init__": "init", "θ": "θ", "ﬁ": "fi",
             "model.0.weight": "model_0_weight", "x" * 80: "x" * 48, "-": "v", "٣x": "v_٣x"}
    for hint, want in cases.items():
        assert identifier(hint) == want, hint
    assert constant_hint(np.ones((4, 2))) == "ONES_4x2" and constant_hint(np.float64(1.0)) == "ONE"
    assert constant_hint(np.dtype("float32")) == "float32" and constant_hint(np.float32) == "np_float32"
    assert constant_hint(np.arange(3)) == "ARRAY_3" and constant_hint(-0.25) == "CONST_MINUS_0_25"
    assert constant_hint(np.add.reduce) == "add_reduce"
    assert constant_hint(lambda: 0) == "test_names_of_every_kind_are_identifiers_fn"  # named after where it is written
    assert constant_hint(slice(0, 2)) == "slice_0_2" and constant_hint(slice(None, None, -1)) == "slice_0_end_stepm1"
    assert constant_hint((slice(1, None), 0, None)) == "index" and constant_hint(Ellipsis) == "Ellipsis"
    assert constant_hint(eval("lambda: 0")) == "fn" and constant_hint({}) == "empty_dict"  # noqa: S307


def _eager_batched(fn: Callable[..., Value], params: list[Value], X: np.ndarray, y: np.ndarray) -> tuple:
    for p in params:
        p.grad = 0.0
    total = fn([Value(float(v)) for v in X[0]], Value(float(y[0])))
    for row, t in zip(X[1:], y[1:]):
        total = total + fn([Value(float(v)) for v in row], Value(float(t)))
    total.backward()
    grads = [p.grad for p in params]
    for p in params:
        p.grad = 0.0
    return total.data, grads


def test_batched_value_code_is_named_and_hostile_parameter_names_stay_apart() -> None:
    w = [Value(v, requires_grad=True, label=lab) for v, lab in ((0.3, "w0"), (-0.2, "n"), (0.1, "inputs_0"))]
    b = Value(0.05, requires_grad=True, label="total")

    def loss(n: Any, total: Any) -> Value:  # names the generated code uses for itself
        s = w[0] * n[0] + w[1] * n[1] + w[2] * n[2] + b
        return (s.tanh() - total) ** 2
    X = np.random.default_rng(0).standard_normal((6, 3))
    y = np.linspace(-1, 1, 6)
    want_total, want = _eager_batched(loss, [*w, b], X, y)
    step = ac.compile(loss, batched=True)
    assert step(X, y) == pytest.approx(want_total, rel=1e-12)
    for p, g in zip([*w, b], want):
        assert p.grad == pytest.approx(g, rel=1e-9, abs=1e-12)
    lines = _lines(step.source)
    assert lines[0].startswith("def run(n_2, mean, n, total):"), lines[0]
    assert "n_0 = n[0]" in lines and "total_2 = _total(pow_17, n_2)" in lines
    assert "dots_0 = weights_0 @ inputs_0" in lines and "add_14 = add(add_13, total_3)" in lines
    assert any(re.fullmatch(r"tanh_\d+ = tanh\(add_\d+\)", line) for line in lines)
    assert any(re.fullmatch(r"grad_add_\d+ = \(grad_tanh_\d+ \* \(1\.0 - tanh_\d+ \* tanh_\d+\)\)", line)
               for line in lines), step.source
    assert "n_value.grad = n_value.grad + grad_weights_0[0][1]" in lines and "sub_16 = sub(tanh_15, total)" in lines
    _assert_names_are_sound(step.source, step._run)  # type: ignore[arg-type]


def _generated_frames(exc: BaseException, prefix: str) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(prefix)]


def test_a_failing_replay_line_shows_in_the_traceback_with_its_names() -> None:
    def ratio(num: Any, den: Any) -> Any:
        return np.divide(num, den)
    compiled = ac.compile(ratio)
    np.testing.assert_array_equal(compiled(np.ones(2), np.full(2, 2.0)), np.full(2, 0.5))
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError) as info:
        compiled(np.ones(2), np.zeros(2))
    frames = _generated_frames(info.value, "<generated compiled ratio")
    assert len(frames) == 1 and re.fullmatch(r"divide_\d+ = divide\(num, den\)", frames[0].line or ""), frames


def test_a_failing_batched_line_shows_in_the_traceback_with_its_names() -> None:
    v = Value(0.5, requires_grad=True)
    step = ac.compile(lambda x: (x * v).log(), batched=True)
    assert step(np.ones(4)) == pytest.approx(4 * np.log(0.5))
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError) as info:
        step(-np.ones(4))
    frames = _generated_frames(info.value, "<generated compiled batched Value step")
    assert len(frames) == 1 and re.fullmatch(r"log_\d+ = log\(mul_\d+\)", frames[0].line or ""), frames


class _Neuron:
    def __init__(self, weights: list[float]) -> None:
        self.w = [Value(v, requires_grad=True) for v in weights]
        self.b = Value(0.1, requires_grad=True)
        self.me = [self]  # a cycle: the walk that names parameters must not go round it

    def __call__(self, x: list[Any]) -> Value:
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act.tanh()


class _Refuses:
    @property
    def __dict__(self) -> Any:  # type: ignore[override]
        raise RuntimeError("no")


def test_batched_parameters_are_named_by_where_the_function_reads_them() -> None:
    layer = [_Neuron([0.5, -0.3]), _Neuron([0.2, 0.7])]
    out = _Neuron([1.0, -1.0])
    hostile = _Refuses()

    def loss(x: Any, y: Any) -> Value:
        assert hostile is not None
        return (out([n(x) for n in layer]) - y) ** 2
    X, y = np.random.default_rng(2).standard_normal((5, 2)), np.linspace(0, 1, 5)
    params = [p for n in (*layer, out) for p in (*n.w, n.b)]
    want_total, want = _eager_batched(loss, params, X, y)
    step = ac.compile(loss, batched=True)
    assert step(X, y) == pytest.approx(want_total, rel=1e-12)
    for p, g in zip(params, want):
        assert p.grad == pytest.approx(g, rel=1e-9, abs=1e-12)
    lines = _lines(step.source)
    assert "layer_0_b = layer_0_b_value.data" in lines and "out_b = out_b_value.data" in lines
    assert any(line.startswith("layer_1_w_1_value.grad = layer_1_w_1_value.grad + grad_weights_") for line in lines)
    assert not any("param_" in line for line in lines), step.source
    _assert_names_are_sound(step.source, step._run)  # type: ignore[arg-type]
