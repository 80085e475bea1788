"""Walks the op table's gradient formulas: every form derived from an op's one formula (generic rule on
floats, arrays and nodes, inline float code, batched replay text, display derivative, forward) gives the
numbers the numpy forward implies, and no hand-written rule states a formula's math again."""
from __future__ import annotations

import ast
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from autograd_core import OPS, Tensor, Value, defop, gradients
from autograd_core.ops.apply import apply
from autograd_core.ops.formula import FUNCTIONS, RULE_NAMESPACE, Formula, FormulaError, check_calls
from autograd_core.ops.table import INLINE_OPS, pass_through

from core_op_specs import SPECS, In, draw

ROOT = Path(__file__).resolve().parents[2]
FORMULA_OPS = sorted(name for name, op in OPS.items() if op.formulas and any(op.formulas))
EPS = 1e-6


def _inputs(name: str, rng: np.random.Generator) -> tuple[list[np.ndarray], dict[str, Any]]:
    """Same-shape float64 inputs from the op's domain (its first such case in core_op_specs) and settings."""
    for case in SPECS[name].tensor:
        if all(isinstance(a, In) for a in case.args) and len({a.shape for a in case.args}) == 1 and case.args[0].shape:
            return [draw(a, rng) for a in case.args], dict(case.kwargs)
    raise AssertionError(f"{name}: no same-shape case in core_op_specs")


def _case(name: str, seed: int) -> tuple[Any, list[np.ndarray], dict[str, Any], np.ndarray, np.ndarray]:
    """The op, its inputs and settings, its numpy result and an upstream gradient g."""
    op, rng = OPS[name], np.random.default_rng(seed)
    xs, kw = _inputs(name, rng)
    out = np.asarray(op.forward(*xs, **kw))
    return op, xs, kw, out, rng.uniform(0.5, 1.5, out.shape)


def _central(op: Any, xs: list[np.ndarray], i: int, kw: dict[str, Any]) -> np.ndarray:
    """d forward / d input i, elementwise, by central differences (the op is elementwise)."""
    up, down = list(xs), list(xs)
    up[i], down[i] = xs[i] + EPS, xs[i] - EPS
    return (np.asarray(op.forward(*up, **kw)) - np.asarray(op.forward(*down, **kw))) / (2 * EPS)


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_the_rule_derived_from_a_formula_is_the_forwards_derivative_on_arrays_and_floats(name: str) -> None:
    op, xs, kw, out, g = _case(name, 1)
    for i, formula in enumerate(op.formulas):
        assert formula is not None
        rule = op.vjps[i]
        assert rule is pass_through if formula.is_pass_through() else rule.formula is formula
        on_arrays = np.asarray(rule(g, out, *xs, **kw), dtype=float)
        np.testing.assert_allclose(on_arrays, g * _central(op, xs, i, kw), rtol=1e-5, atol=1e-7)
        for k in range(out.size):  # the same rule on plain floats: the same numbers
            floats = [float(x.flat[k]) for x in xs]
            got = rule(float(g.flat[k]), float(op.scalar(*floats, **kw)), *floats, **kw)
            assert type(got) is float and got == pytest.approx(on_arrays.flat[k], rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_the_rule_on_nodes_gives_second_derivatives_matching_finite_differences(name: str) -> None:
    """create_graph: the rule runs on Tensors; differentiating sum(rule(g, op(x), x)) once more
    matches central differences of the rule on arrays (float64)."""
    op, xs, kw, _, g = _case(name, 2)
    for i in range(len(xs)):
        nodes = [Tensor(x, requires_grad=True) for x in xs]
        total = op.vjps[i](Tensor(g), apply(op, *nodes, **kw), *nodes, **kw)
        if not getattr(total, "requires_grad", False):  # a constant rule (0 or ±g): its second derivative is 0
            assert np.all(np.asarray(getattr(total, "data", total)) * 0 == 0)
            continue
        total.sum().backward()

        def summed(arrays: list[np.ndarray], i: int = i) -> float:
            return float(np.sum(op.vjps[i](g, np.asarray(op.forward(*arrays, **kw)), *arrays, **kw)))
        for j, node in enumerate(nodes):
            up, down = list(xs), list(xs)
            expected = np.zeros_like(xs[j])
            for k in range(xs[j].size):
                e = np.zeros_like(xs[j])
                e.flat[k] = EPS
                up[j], down[j] = xs[j] + e, xs[j] - e
                expected.flat[k] = (summed(up) - summed(down)) / (2 * EPS)
            grad = np.zeros_like(xs[j]) if node.grad is None else np.asarray(node.grad)
            np.testing.assert_allclose(grad, expected, rtol=1e-5, atol=1e-6, err_msg=f"{name} d2/dx{i}dx{j}")


@pytest.mark.parametrize("name", [n for n in FORMULA_OPS if OPS[n].inline is not None])
def test_inline_code_is_the_formula_and_gives_the_rules_numbers_bit_for_bit(name: str) -> None:
    op, xs, kw, _, _ = _case(name, 3)
    inline = op.inline
    env = inline.env
    for k in range(xs[0].size):
        floats = [float(x.flat[k]) for x in xs]
        out = eval(inline.forward, dict(env), dict(zip(inline.inputs(), floats)))  # noqa: S307
        assert out == op.scalar(*floats)
        assert out == pytest.approx(float(np.asarray(op.forward(*[x.flat[k] for x in xs]))), rel=1e-12, abs=1e-300)
        for i, (formula, text) in enumerate(zip(op.formulas, inline.vjp)):
            assert text == formula.inline_text()
            names = dict(zip(inline.inputs(), floats), g=1.25, out=out)
            assert eval(text, dict(env), names) == op.vjps[i](1.25, out, *floats)  # noqa: S307


@pytest.mark.parametrize("name", FORMULA_OPS)
def test_the_batched_replay_text_gives_the_rules_numbers(name: str) -> None:
    op, xs, kw, out, g = _case(name, 4)
    functions: dict[str, Any] = {}  # the replay's names for the table ops a formula calls
    for i, formula in enumerate(op.formulas):
        names = {"g": "g7", "out": "v7", **{n: f"v{j}" for j, n in enumerate(formula.inputs)}}
        text = formula.text_with(names, lambda f: functions.setdefault(f"f_{f}", RULE_NAMESPACE[f]) and f"f_{f}")
        scope = {"g7": g, "v7": out, **{f"v{j}": x for j, x in enumerate(xs)}, **functions}
        np.testing.assert_array_equal(eval(text, scope), op.vjps[i](g, out, *xs, **kw))  # noqa: S307


DISPLAY = {"tanh": ("1 − out²",), "sigmoid": ("out·(1 − out)",), "mul": ("b", "a"), "div": ("1/b", "−out/b"),
           "log": ("1/x",), "exp": ("out",), "add": ("1", "1"), "sub": ("1", "−1"), "sin": ("cos x",),
           "cos": ("−sin x",), "erf": ("2/√π·exp(−x²)",), "asin": ("1/√(1 − x²)",), "log2": ("1/(x·ln 2)",),
           "reciprocal": ("−out²",), "rsqrt": ("−½·out³",), "logsigmoid": ("σ(−x)",), "floor": ("0",)}


@pytest.mark.parametrize("name", sorted(DISPLAY))
def test_the_display_derivative_is_the_formula_at_g_equal_1(name: str) -> None:
    op = OPS[name]
    assert op.derivative == DISPLAY[name] == tuple(f.derivative() for f in op.formulas)


def test_every_formula_op_derives_its_display_text() -> None:
    for name in FORMULA_OPS:
        op = OPS[name]
        assert op.derivative == tuple(f.derivative() for f in op.formulas), name
    assert len(FORMULA_OPS) >= 30


def _rule_bodies(tree: ast.AST) -> list[tuple[str, ast.expr]]:
    """Hand-written gradient rules in a module: lambdas and one-line functions taking (g, ans, ...)."""
    found: list[tuple[str, ast.expr]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda) and [a.arg for a in node.args.args[:2]] == ["g", "ans"]:
            found.append((ast.unparse(node), node.body))
        if isinstance(node, ast.FunctionDef) and [a.arg for a in node.args.args[:2]] == ["g", "ans"]:
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if len(body) == 1 and isinstance(body[0], ast.Return) and body[0].value is not None:
                found.append((node.name, body[0].value))
    return found


def _shape(e: ast.expr, inputs: list[str]) -> str:
    """An expression with its inputs renamed by position and ans as out (to compare rules with formulas)."""
    rename = {name: f"_{k}" for k, name in enumerate(inputs)} | {"ans": "out"}

    class Rename(ast.NodeTransformer):
        def visit_Name(self, node: ast.Name) -> Any:
            return ast.Name(rename.get(node.id, node.id), ast.Load())
    return ast.unparse(Rename().visit(e))


def test_no_hand_written_rule_states_a_formula_again() -> None:
    formulas = {_shape(f.tree, list(f.inputs)) for n in FORMULA_OPS for f in OPS[n].formulas if f}
    inline_texts = {f.inline_text() for n in FORMULA_OPS for f in OPS[n].formulas if f and not f.is_pass_through()}
    files = sorted((ROOT / "autograd_core" / "ops").glob("*.py")) + sorted((ROOT / "autograd_core" / "jit").glob("*.py"))
    files += [ROOT / "autograd_core" / "value" / "codegen.py", ROOT / "autograd_core" / "engine" / "scalar_walk.py"]
    assert len(files) > 20
    for path in files:
        tree = ast.parse(path.read_text())
        for where, body in _rule_bodies(tree):
            if where == "pass_through":  # the rule formula "g" derives to (the engine skips its call)
                continue
            lam = next((n for n in ast.walk(tree) if isinstance(n, ast.Lambda) and n.body is body), None)
            params = [a.arg for a in lam.args.args[2:]] if lam else []
            assert _shape(body, params) not in formulas, f"{path.name}: {where} restates a formula"
        for node in ast.walk(tree):  # Inline(...) strings that repeat a derived inline vjp
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Inline":
                for s in ast.walk(node):
                    assert not (isinstance(s, ast.Constant) and s.value in inline_texts), f"{path.name}: {s.value!r}"
    assert not (ROOT / "autograd_core" / "jit" / "inline.py").exists()  # the old tracing re-derivation is gone


def test_a_formula_outside_the_language_is_refused_naming_the_op() -> None:
    with pytest.raises(FormulaError, match=r"op '_f1': vjp\[0\]: 'g \* y' uses 'y'"):
        defop("_f1", forward=np.sin, scalar=math.sin, vjp=("g * y",), display="f", words="a test op here")
    with pytest.raises(FormulaError, match="only \\+ - \\* / are formula arithmetic"):
        defop("_f2", forward=np.sin, scalar=math.sin, vjp=("g ** 2",), display="f", words="a test op")
    with pytest.raises(FormulaError, match="IfExp is not part of the formula language"):
        defop("_f3", forward=np.sin, scalar=math.sin, vjp=("g if x > 0 else 0.0",), display="f",
              words="a test op here")
    with pytest.raises(TypeError, match="its derivative is derived from its formulas; do not write it again"):
        defop("_f4", forward=np.sin, scalar=math.sin, vjp=("g * cos(x)",), display="f",
              derivative=("cos x",), words="a test op here")
    with pytest.raises(FormulaError, match="'lgamma' is not a function of both math and numpy"):
        defop("_f5", forward="lgamma(x)", vjp=("g",), display="f", words="a test op here")
    with pytest.raises(FormulaError, match="uses 'cos'"):  # an op's name is not a value
        Formula("g * cos(x) * cos", ("x",))
    with pytest.raises(FormulaError, match="Attribute is not part of the formula language"):
        Formula("g * math.pi", ("x",))
    with pytest.raises(FormulaError, match="'abc' is not a number"):
        Formula("g * 'abc'", ("x",))
    with pytest.raises(FormulaError, match="is not an expression"):
        Formula("g *", ("x",))
    with pytest.raises(FormulaError, match="calls 'nosuch', which is not a one-input op"):
        Formula("g * nosuch(x)", ("x",)).inline_env()
    bad = defop("_f7", forward=np.sin, scalar=math.sin, vjp=("g * nosuch(x)",), display="f", words="a test op here")
    try:  # a misspelt call is found when the package's ops are checked (at import), naming the op
        with pytest.raises(FormulaError, match=r"op '_f7': formula 'g \* nosuch\(x\)' calls \['nosuch'\]"):
            check_calls({bad.name: bad})
    finally:  # leave the table as shipped
        del OPS[bad.name], FUNCTIONS[bad.name], RULE_NAMESPACE[bad.name]
        INLINE_OPS.remove(bad)
    with pytest.raises(TypeError, match="its elementwise is derived from its formulas; do not write it again"):
        defop("_f6", forward="sin(x)", vjp=("g * cos(x)",), display="f", elementwise=True, words="a test op here")
    with pytest.raises(TypeError, match="its scalar is derived from its formulas; do not write it again"):
        defop("_f8", forward="sin(x)", scalar=math.sin, vjp=("g * cos(x)",), display="f", words="a test op here")
    assert not {"_f1", "_f2", "_f3", "_f4", "_f5", "_f6", "_f8"} & set(OPS)


def test_formulas_run_on_values_with_create_graph() -> None:
    """d²/dx² sin(x) through sin's formula rule on Values (create_graph): -sin x."""
    x = Value(0.7)
    (gx,) = gradients(x.sin(), [x], create_graph=True)
    gx.backward()
    assert gx.data == pytest.approx(math.cos(0.7), rel=1e-15)
    assert x.grad == pytest.approx(-math.sin(0.7), rel=1e-15)
