"""Each scalar op's formulas for the explorer's live sliders, translated to JavaScript from its op-table entry.

The page recomputes a scalar graph when a slider moves a leaf, so it needs every op's forward and
local derivative. They are not written again here: the op's `Inline` expressions (the float math
the scalar engine runs) are translated from their Python syntax tree, and so are the helper
functions they call (`_scalar_sigmoid`, ...), from the helpers' own source. `math.tanh` becomes
`Math.tanh`; JavaScript's float math never raises, so a `try` keeps its body (overflow gives
Infinity in both). Anything the translator does not know (a math function JavaScript lacks, such as
erf; numpy helpers) makes that formula unavailable with a reason, and the page says that the slider
cannot recompute the op, never a wrong number. tests/viz/test_explore_browser.py checks every
translated formula against the engine to 1e-12.
"""
from __future__ import annotations

import ast
import inspect
import math
import textwrap
from typing import Any

from autograd_core.ops.table import INLINE_OPS, Op

# Python's math functions that JavaScript's Math object has under the same name (names of functions
# in the two languages' libraries, not of ops), plus the two JavaScript lacks, written in PRELUDE.
_SAME_IN_JS = "exp log sqrt sin cos tan tanh log1p expm1 atan asin acos sinh cosh floor ceil".split()
_MATH_JS = {name: "Math." + name for name in _SAME_IN_JS} | {"fabs": "Math.abs", "copysign": "_copysign",
                                                           "isnan": "Number.isNaN", "isinf": "_isinf"}
_BUILTINS_JS = dict(zip("abs max min float".split(), ("Math.abs", "Math.max", "Math.min", "Number")))
_CONSTANTS = {"inf": "Infinity", "nan": "NaN", "pi": repr(math.pi), "e": repr(math.e)}
PRELUDE = ("const _copysign = (a, b) => Math.abs(a) * ((b < 0 || Object.is(b, -0)) ? -1 : 1);\n"
           "const _isinf = (a) => a === Infinity || a === -Infinity;\n")
_BIN = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMP = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "===", ast.NotEq: "!=="}


class Untranslatable(ValueError):
    """A formula uses something the translator does not know; the message says what."""


def _number(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(float(x))


class _Translator:
    """Python expressions and small helper functions -> JavaScript; helpers collected by name."""

    def __init__(self, env: dict[str, Any]) -> None:
        self.env = env
        self.helpers: dict[str, str] = {}
        self.named: dict[Any, str] = {}  # function -> its JavaScript name

    def expr(self, e: ast.expr, scope: dict[str, Any]) -> str:
        if isinstance(e, ast.Constant) and isinstance(e.value, (int, float)) and not isinstance(e.value, bool):
            return _number(e.value)
        if isinstance(e, ast.Constant) and isinstance(e.value, bool):
            return "true" if e.value else "false"
        if isinstance(e, ast.Name):
            return self.name(e.id, scope)
        if isinstance(e, ast.BinOp) and type(e.op) in _BIN:
            return f"({self.expr(e.left, scope)} {_BIN[type(e.op)]} {self.expr(e.right, scope)})"
        if isinstance(e, ast.UnaryOp) and isinstance(e.op, (ast.USub, ast.UAdd, ast.Not)):
            sign = {ast.USub: "-", ast.UAdd: "+", ast.Not: "!"}[type(e.op)]
            return f"({sign}{self.expr(e.operand, scope)})"
        if isinstance(e, ast.BoolOp):
            glue = " && " if isinstance(e.op, ast.And) else " || "
            return "(" + glue.join(self.expr(v, scope) for v in e.values) + ")"
        if isinstance(e, ast.Compare) and all(type(o) in _CMP for o in e.ops):
            terms = [e.left, *e.comparators]
            return "(" + " && ".join(f"({self.expr(a, scope)} {_CMP[type(o)]} {self.expr(b, scope)})"
                                     for a, o, b in zip(terms, e.ops, terms[1:])) + ")"
        if isinstance(e, ast.IfExp):
            return f"({self.expr(e.test, scope)} ? {self.expr(e.body, scope)} : {self.expr(e.orelse, scope)})"
        if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and scope.get(e.value.id) is math:
            if e.attr in _CONSTANTS:
                return _CONSTANTS[e.attr]
            raise Untranslatable(f"math.{e.attr} is not a number JavaScript knows")
        if isinstance(e, ast.Call) and not e.keywords:
            return self.call(e, scope)
        raise Untranslatable(f"cannot translate {ast.unparse(e)!r}")

    def call(self, e: ast.Call, scope: dict[str, Any]) -> str:
        args = ", ".join(self.expr(a, scope) for a in e.args)
        f = e.func
        if isinstance(f, ast.Attribute) and f.attr == "is_integer" and not e.args:
            return f"Number.isInteger({self.expr(f.value, scope)})"
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and scope.get(f.value.id) is math:
            if f.attr not in _MATH_JS:
                raise Untranslatable(f"math.{f.attr} has no JavaScript counterpart")
            return f"{_MATH_JS[f.attr]}({args})"
        if isinstance(f, ast.Name):
            return f"{self.name(f.id, scope)}({args})"
        raise Untranslatable(f"cannot translate the call {ast.unparse(e)!r}")

    def name(self, name: str, scope: dict[str, Any]) -> str:
        if name in scope.get("__locals__", ()):
            return name
        value = scope[name] if name in scope else getattr(__builtins__, name, None) if not isinstance(
            __builtins__, dict) else __builtins__.get(name)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return _number(value)
        for module_name, js in _MATH_JS.items():
            if value is getattr(math, module_name, None):
                return js
        for builtin, js in _BUILTINS_JS.items():
            if value is getattr(__import__("builtins"), builtin):
                return js
        if inspect.isfunction(value):
            return self.helper(value)
        raise Untranslatable(f"{name!r} is not something the page can compute")

    def helper(self, fn: Any) -> str:
        """A Python helper function as a JavaScript function named after it (translated once; two
        functions with one name, such as two closures, get two names; one that fails leaves none)."""
        if fn in self.named:
            return self.named[fn]
        js_name = "h" + fn.__name__ if "h" + fn.__name__ not in self.helpers else f"h{fn.__name__}_{len(self.helpers)}"
        self.named[fn] = js_name
        self.helpers[js_name] = ""   # recursion guard
        try:
            self._translate(fn, js_name)
        except Untranslatable:
            del self.named[fn], self.helpers[js_name]
            raise
        return js_name

    def _translate(self, fn: Any, js_name: str) -> None:
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
        except (OSError, SyntaxError):  # no source, or a lambda inside a longer statement
            raise Untranslatable(f"{fn.__name__} has no source the page can translate") from None
        if not isinstance(tree, ast.FunctionDef) or tree.args.vararg or tree.args.kwarg or tree.args.kwonlyargs:
            raise Untranslatable(f"{fn.__name__} is not a plain function of floats")
        params = [a.arg for a in tree.args.args]
        scope = dict(fn.__globals__)
        scope["__locals__"] = set(params) | {t.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                                             for t in node.targets if isinstance(t, ast.Name)}
        body = self.block(tree.body, scope, "  ")
        self.helpers[js_name] = f"function {js_name}({', '.join(params)}) {{\n{body}}}\n"

    def block(self, stmts: list[ast.stmt], scope: dict[str, Any], pad: str) -> str:
        out = []
        for s in stmts:
            if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant) and isinstance(s.value.value, str):
                continue  # a docstring
            if isinstance(s, ast.Return) and s.value is not None:
                out.append(f"{pad}return {self.expr(s.value, scope)};\n")
            elif isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
                out.append(f"{pad}let {s.targets[0].id} = {self.expr(s.value, scope)};\n")
            elif isinstance(s, ast.If):
                out.append(f"{pad}if ({self.expr(s.test, scope)}) {{\n{self.block(s.body, scope, pad + '  ')}{pad}}}"
                           + (f" else {{\n{self.block(s.orelse, scope, pad + '  ')}{pad}}}\n" if s.orelse else "\n"))
            elif isinstance(s, ast.Try):   # JavaScript's float math does not raise: the body is the answer
                out.append(self.block(s.body, scope, pad))
            elif isinstance(s, ast.Raise):
                out.append(f"{pad}return NaN;\n")
            else:
                raise Untranslatable(f"cannot translate the statement {ast.unparse(s)!r}")
        return "".join(out)


def _one(op: Op, tr: _Translator) -> dict[str, Any]:
    inline = op.inline
    assert inline is not None
    scope = dict(inline.env)
    scope["__locals__"] = {*inline.inputs(), "out", "g"}
    formulas: dict[str, Any] = {"inputs": list(inline.inputs())}
    for what, text in [("forward", inline.forward), ("ok", inline.ok)]:
        if text is not None:
            try:
                formulas[what] = tr.expr(ast.parse(text, mode="eval").body, scope)
            except Untranslatable as e:
                formulas[what + "Missing"] = str(e)
    formulas["vjp"], formulas["vjpMissing"] = [], []
    for text in inline.vjp:
        try:
            formulas["vjp"].append(tr.expr(ast.parse(text, mode="eval").body, scope))
            formulas["vjpMissing"].append(None)
        except Untranslatable as e:
            formulas["vjp"].append(None)
            formulas["vjpMissing"].append(str(e))
    return formulas


def op_formulas(names: set[str]) -> dict[str, Any]:
    """{"ops": op name -> {inputs, forward, ok, vjp: [...], ...Missing: reasons}, "helpers": JS text}
    for the scalar ops named (those with Inline code; others are listed under "none")."""
    ops: dict[str, Any] = {}
    tr = _Translator({})
    by_name = {op.name: op for op in INLINE_OPS}
    for name in sorted(names):
        if name in by_name:
            ops[name] = _one(by_name[name], tr)
        else:
            ops[name] = {"none": f"{name} has no float formula in the op table (no Inline entry)"}
    return {"ops": ops, "helpers": PRELUDE + "".join(v for v in tr.helpers.values())}
