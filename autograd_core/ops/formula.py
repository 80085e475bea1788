"""An op's math stated once, as formulas, and every form derived from them: the generic vjp rule, the
inline float code, the batched replay text, the display derivative and the simple forwards.

A gradient formula is one input's vector-Jacobian product written as a Python expression over the
upstream gradient `g`, the result `out` and the inputs (`x`, or `a` and `b`): `g * (1.0 - out * out)`
for tanh. It may use + - * /, unary minus, number literals, the constants in CONSTANTS and calls of
the table's own one-input ops by name (`cos(x)`, `sqrt(1.0 - x * x)`, `sigmoid(-x)`). From it:

* the generic rule (`rule`): the expression compiled as a function whose calls are the generic
  helpers (`call(COS, x)`), so it runs on floats, numpy arrays and nodes (create_graph=True);
* the inline float code (`inline_text`): the same expression with each call the op's `scalar`
  (`SCALAR_cos(x)`), which Value's operators and the scalar backward paste in;
* the batched replay text (`text` with names of the replay's variables);
* the display derivative (`derivative`): the formula at g = 1, simplified and pretty-printed
  (`1 − out²`, `−out/b`, `cos x`).

A forward formula (`forward_forms`) is a call of a math function (`tanh(x)`) or arithmetic on the
inputs (`a * b`, `-x`): it gives the float forward (math.tanh, operator.mul), the numpy forward
(np.tanh, np.multiply) and the inline forward text.
"""
from __future__ import annotations

import ast
import functools
import math
import operator
from typing import Any, Callable, Mapping

import numpy as np

from ..generated import run_source

#: Named constants a formula may use: name -> (value, how the display derivative writes it).
#: Generated code gets the value as a literal.
CONSTANTS: dict[str, tuple[float, str]] = {
    "LN2": (math.log(2.0), "ln 2"),
    "LN10": (math.log(10.0), "ln 10"),
    "TWO_OVER_SQRT_PI": (2.0 / math.sqrt(math.pi), "2/√π"),
}

#: The globals of every generated rule: a formula's call `f(...)` is `call(OPS[f], ...)`, bound as
#: each one-input op is defined (`register_function`), so a rule may name an op defined after it.
#: `divide` is a formula's `/` in its generic rule: the table's div (ops/elementwise.py binds it once
#: DIV exists), IEEE on raw data without a warning (asin'(1) = inf is the answer), recorded on nodes.
RULE_NAMESPACE: dict[str, Any] = {"divide": None}
FUNCTIONS: dict[str, Any] = {}  # op name -> the Op a formula's call of that name runs

_ARITHMETIC = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_OPERATOR = {ast.Add: (operator.add, np.add), ast.Sub: (operator.sub, np.subtract),
             ast.Mult: (operator.mul, np.multiply), ast.Div: (operator.truediv, np.divide)}
_NUMPY_NAMES = {"asin": "arcsin", "acos": "arccos", "atan": "arctan", "atan2": "arctan2"}
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def scalar_div(x: float, y: float) -> float:
    """x / y on Python floats with IEEE meaning where Python raises: ±inf for a non-zero x over ±0.0
    (sign of x times sign of the zero), NaN for 0/0 and NaN/0 (torch's and numpy's answer)."""
    if y == 0.0:
        return math.nan if x == 0.0 or x != x else math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


class FormulaError(TypeError):
    """A formula uses something outside the language (the message names the op and the part)."""


def register_function(op: Any) -> None:
    """Make a one-input op callable by name in formulas (defop calls this for every such op)."""
    from .apply import call  # apply imports the table, which imports this module
    FUNCTIONS[op.name] = op
    RULE_NAMESPACE[op.name] = functools.partial(call, op)


def check_calls(ops: Any) -> None:
    """Every call in the formulas of `ops` (the table) names a one-input op (run once the package's
    ops are all defined, so a misspelt call fails at import, naming the op, not at backward)."""
    for op in ops.values():
        for formula in op.formulas:
            missing = [f for f in (formula.functions if formula else ()) if f not in FUNCTIONS]
            if missing:
                raise FormulaError(f"op {op.name!r}: formula {formula.text!r} calls {missing}, which are not one-input "
                                   f"ops of the table")


def _parse(text: str, where: str) -> ast.expr:
    try:
        return ast.parse(text, mode="eval").body
    except SyntaxError as e:
        raise FormulaError(f"{where}: {text!r} is not an expression ({e.msg})") from None


_LANGUAGE = (ast.Call, ast.Name, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Load, ast.operator, ast.unaryop)


def _validate(tree: ast.expr, where: str, inputs: tuple[str, ...]) -> tuple[str, ...]:
    """Refuse anything outside the formula language (naming it); the names of the ops it calls."""
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    for call in calls:
        if not isinstance(call.func, ast.Name) or call.keywords:
            raise FormulaError(f"{where}: a call must name a table op, positional arguments only")
    called = {id(call.func) for call in calls}
    known = ("g", "out", *inputs, *CONSTANTS)
    for node in ast.walk(tree):
        if not isinstance(node, _LANGUAGE):
            raise FormulaError(f"{where}: {type(node).__name__} is not part of the formula language")
        if isinstance(node, ast.Name) and id(node) not in called and node.id not in known:
            raise FormulaError(f"{where} uses {node.id!r}; a formula knows g, out, {', '.join(inputs)}, the "
                               f"constants {sorted(CONSTANTS)} and table ops")
        if isinstance(node, ast.BinOp) and type(node.op) not in _ARITHMETIC:
            raise FormulaError(f"{where}: only + - * / are formula arithmetic")
        if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.USub):
            raise FormulaError(f"{where}: only unary minus is formula arithmetic")
        if isinstance(node, ast.Constant) and type(node.value) not in (int, float):
            raise FormulaError(f"{where}: {node.value!r} is not a number")
    return tuple(dict.fromkeys(call.func.id for call in calls))  # type: ignore[attr-defined]


class _Rename(ast.NodeTransformer):
    """Variables renamed, each call's function named by `function(op name)`, constants as literals."""

    def __init__(self, names: Mapping[str, str], function: Callable[[str], str]) -> None:
        self.names, self.function = names, function

    def visit_Call(self, node: ast.Call) -> Any:
        args = [self.visit(a) for a in node.args]
        return ast.Call(func=ast.Name(self.function(node.func.id), ast.Load()), args=args, keywords=[])  # type: ignore[attr-defined]

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in CONSTANTS:
            return ast.Constant(CONSTANTS[node.id][0])
        return ast.Name(self.names.get(node.id, node.id), ast.Load())


class _GenericDivision(ast.NodeTransformer):
    """Each `n / d` becomes `divide(n, d)` (the table's div, see RULE_NAMESPACE)."""

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        self.generic_visit(node)
        if isinstance(node.op, ast.Div) and not isinstance(node.right, ast.Constant):
            return ast.Call(func=ast.Name("divide", ast.Load()), args=[node.left, node.right], keywords=[])
        return node


class _FloatDivision(ast.NodeTransformer):
    """Each `n / d` on floats becomes `(n / d if d != 0.0 else scalar_div(n, d))`: plain division
    (no call) where d is not zero, IEEE's ±inf or NaN where Python would raise ZeroDivisionError.
    A compound d is computed once, into a walrus name `_d<k>`."""

    def __init__(self) -> None:
        self.count = 0

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Div) or isinstance(node.right, ast.Constant):
            return node
        den: ast.expr = node.right
        first: ast.expr = den
        if not isinstance(den, ast.Name):
            name = f"_d{self.count}"
            self.count += 1
            first = ast.NamedExpr(target=ast.Name(name, ast.Store()), value=den)
            den = ast.Name(name, ast.Load())
        test = ast.Compare(left=first, ops=[ast.NotEq()], comparators=[ast.Constant(0.0)])
        return ast.IfExp(test=test, body=ast.BinOp(node.left, ast.Div(), den),
                         orelse=ast.Call(func=ast.Name("scalar_div", ast.Load()), args=[node.left, den], keywords=[]))


class Formula:
    """One input's gradient formula (see the module docstring); `inputs` are the op's input names."""

    __slots__ = ("text", "tree", "inputs", "functions")

    def __init__(self, text: str, inputs: tuple[str, ...], where: str = "formula") -> None:
        self.text, self.inputs = text, inputs
        self.tree = _parse(text, where)
        self.functions = _validate(self.tree, f"{where}: {text!r}", inputs)

    def is_pass_through(self) -> bool:
        """The formula is `g` itself (the engine skips the call of such a rule)."""
        return isinstance(self.tree, ast.Name) and self.tree.id == "g"

    def text_with(self, names: Mapping[str, str] | None = None,
                  function: Callable[[str], str] = lambda f: f) -> str:
        """The formula as Python source, variables renamed by `names`, each call's function named by
        `function(op name)`, constants as literals."""
        return ast.unparse(self._renamed(names, function))

    def _renamed(self, names: Mapping[str, str] | None, function: Callable[[str], str]) -> ast.expr:
        return _Rename(names or {}, function).visit(_parse(self.text, "formula"))

    def inline_text(self) -> str:
        """The float code: each call is the op's scalar forward, `SCALAR_<op>`."""
        return ast.unparse(_FloatDivision().visit(self._renamed(None, lambda f: f"SCALAR_{f}")))

    def inline_env(self) -> dict[str, Any]:
        """The names `inline_text` uses besides the variables (resolved now: the ops must exist)."""
        env: dict[str, Any] = {"scalar_div": scalar_div} if "/" in self.text else {}
        for f in self.functions:
            if f not in FUNCTIONS:
                raise FormulaError(f"formula {self.text!r} calls {f!r}, which is not a one-input op of the table")
            env[f"SCALAR_{f}"] = FUNCTIONS[f].scalar
        return env

    def rule(self, name: str) -> Callable[..., Any]:
        """The generic rule rule(g, out, *inputs, **settings): the formula on floats, arrays or nodes."""
        fname = name.replace(" ", "_").replace(".", "_")
        body = ast.unparse(_GenericDivision().visit(self._renamed(None, lambda f: f)))
        src = f"def {fname}(g, out, {', '.join(self.inputs)}, **settings):\n    return {body}\n"
        fn = run_source(src, name, RULE_NAMESPACE, {})[fname]
        fn.formula = self
        return fn

    def derivative(self) -> str:
        """The local derivative for display: the formula at g = 1, simplified, in math notation."""
        return _show(_simplify(self.tree))[0]


# ---- display: simplify at g = 1, then print with ·, −, ², √ and the ops' display names ----------


def _const(v: float) -> ast.Constant:
    return ast.Constant(v)


def _is_const(e: ast.expr, v: float) -> bool:
    return isinstance(e, ast.Constant) and e.value == v


def _neg(e: ast.expr) -> ast.expr:
    if isinstance(e, ast.UnaryOp):
        return e.operand
    return _const(0) if _is_const(e, 0) else ast.UnaryOp(ast.USub(), e)


def _factors(e: ast.expr) -> tuple[bool, list[ast.expr]]:
    """A simplified product as (negative?, factors), minus signs pulled out, ones dropped."""
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mult):
        ln, lf = _factors(e.left)
        rn, rf = _factors(e.right)
        return ln != rn, lf + rf
    if isinstance(e, ast.UnaryOp):
        neg, fs = _factors(e.operand)
        return not neg, fs
    return False, [] if _is_const(e, 1) else [e]


def _product(neg: bool, factors: list[ast.expr]) -> ast.expr:
    if any(_is_const(f, 0) for f in factors):
        return _const(0)
    powers: dict[str, list[Any]] = {}
    for f in factors:  # equal factors become powers, in order of first appearance
        n = 1
        if isinstance(f, ast.BinOp) and isinstance(f.op, ast.Pow):
            f, n = f.left, f.right.value  # type: ignore[attr-defined]
        powers.setdefault(ast.dump(f), [f, 0])[1] += n
    out: ast.expr | None = None
    for f, n in powers.values():
        term = f if n == 1 else ast.BinOp(f, ast.Pow(), _const(n))
        out = term if out is None else ast.BinOp(out, ast.Mult(), term)
    out = out if out is not None else _const(1)
    return _neg(out) if neg else out


def _simplify(e: ast.expr) -> ast.expr:
    if isinstance(e, ast.Name):
        return _const(1) if e.id == "g" else e
    if isinstance(e, ast.Call):
        return ast.Call(e.func, [_simplify(a) for a in e.args], [])
    if isinstance(e, ast.UnaryOp):
        return _neg(_simplify(e.operand))
    if isinstance(e, ast.BinOp):
        left, right = _simplify(e.left), _simplify(e.right)
        if isinstance(e.op, ast.Mult):
            return _product(*_factors(ast.BinOp(left, ast.Mult(), right)))
        if isinstance(e.op, ast.Div):
            if isinstance(left, ast.UnaryOp):
                return _neg(ast.BinOp(left.operand, ast.Div(), right))
            return left if _is_const(right, 1) else ast.BinOp(left, ast.Div(), right)
        return ast.BinOp(left, e.op, right)
    return e


_ATOM, _POW, _MUL, _NEG, _ADD = 5, 4, 3, 2, 1


def _number(v: Any) -> str:
    if v == 0.5:
        return "½"
    return str(int(v)) if float(v).is_integer() else repr(v)


def _show(e: ast.expr) -> tuple[str, int]:
    """Display text and binding strength of a simplified formula."""
    if isinstance(e, ast.Constant):
        return _number(e.value), _ATOM
    if isinstance(e, ast.Name):
        return (CONSTANTS[e.id][1] if e.id in CONSTANTS else e.id), _ATOM
    if isinstance(e, ast.Call):
        return _show_call(e)
    if isinstance(e, ast.UnaryOp):
        text, strength = _show(e.operand)
        return "−" + (f"({text})" if strength <= _NEG else text), _NEG
    assert isinstance(e, ast.BinOp)
    if isinstance(e.op, ast.Pow):
        base, strength = _show(e.left)
        return (f"({base})" if strength < _ATOM else base) + str(e.right.value).translate(_SUPERSCRIPT), _POW  # type: ignore[attr-defined]
    (lt, ls), (rt, rs) = _show(e.left), _show(e.right)
    if isinstance(e.op, (ast.Add, ast.Sub)):
        right = f"({rt})" if rs <= _ADD and isinstance(e.op, ast.Sub) else rt
        return f"{lt} {'+' if isinstance(e.op, ast.Add) else '−'} {right}", _ADD
    left = f"({lt})" if ls < _MUL else lt
    if isinstance(e.op, ast.Mult):
        return f"{left}·{f'({rt})' if rs < _MUL else rt}", _MUL
    return f"{left}/{f'({rt})' if rs < _POW else rt}", _MUL


def _show_call(e: ast.Call) -> tuple[str, int]:
    name = e.func.id  # type: ignore[attr-defined]
    shown = FUNCTIONS[name].display if name in FUNCTIONS else name
    arg, strength = _show(e.args[0])
    if len(e.args) == 1 and isinstance(e.args[0], (ast.Name, ast.Constant)) and (shown == "√" or (
            shown.isalpha() and len(shown) > 1)):
        return (f"√{arg}" if shown == "√" else f"{shown} {arg}"), _ATOM
    return f"{shown}({', '.join(_show(a)[0] for a in e.args)})", _ATOM


# ---- forward formulas ----------------------------------------------------------------------------


def forward_forms(text: str, inputs: tuple[str, ...], name: str) -> tuple[Callable[..., Any], Callable[..., Any],
                                                                           str, dict[str, Any]]:
    """(numpy forward, float forward, inline text, inline env) from a forward formula: a math
    function of the inputs (`tanh(x)`, `atan2(a, b)`), arithmetic on them (`a * b`, `-x`) or `x`."""
    tree = _parse(text, f"defop: op {name!r}: forward")
    env: dict[str, Any] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            f = node.func.id
            if not hasattr(math, f) or not hasattr(np, _NUMPY_NAMES.get(f, f)):
                raise FormulaError(f"defop: op {name!r}: forward {text!r}: {f!r} is not a function of both math "
                                   f"and numpy")
            env[f] = getattr(math, f)
        elif isinstance(node, ast.Name) and node.id not in inputs and node.id not in env:
            raise FormulaError(f"defop: op {name!r}: forward {text!r} uses {node.id!r}, not an input")
    variables = [ast.Name(n, ast.Load()) for n in inputs]
    if isinstance(tree, ast.Call) and all(isinstance(a, ast.Name) for a in tree.args):
        f = tree.func.id  # type: ignore[attr-defined]
        return getattr(np, _NUMPY_NAMES.get(f, f)), getattr(math, f), text, env
    if isinstance(tree, ast.BinOp) and type(tree.op) in _OPERATOR and ast.dump(tree.left) == ast.dump(
            variables[0]) and len(variables) == 2 and ast.dump(tree.right) == ast.dump(variables[1]):
        scalar, array = _OPERATOR[type(tree.op)]
        return array, scalar, text, env
    if isinstance(tree, ast.UnaryOp) and isinstance(tree.op, ast.USub) and isinstance(tree.operand, ast.Name):
        return np.negative, operator.neg, text, env
    if isinstance(tree, ast.Name):
        return np.positive, float, text, env
    raise FormulaError(f"defop: op {name!r}: forward {text!r}: a forward formula is one math function of the "
                       f"inputs or one operation on them; write other forwards as functions")

