"""The op table: each op's forward, scalar forward, domain check, local-gradient rules and display facts in one entry."""
from __future__ import annotations

import builtins
import functools
import inspect
from typing import Any, Callable, Mapping, Sequence

from ..generated import run_source
from .formula import Formula, forward_forms, register_function

Vjp = Callable[..., Any]


def pass_through(g: Any, ans: Any, *inputs: Any, **settings: Any) -> Any:
    """The rule of an input whose local derivative is 1 (x + y, identity): the gradient passes on
    unchanged. The engine recognises this rule and skips the call (the scalar hot loop)."""
    return g


_FLOAT_METHODS = {"is_integer"}  # attribute names an inline expression may use on a float


class Inline:
    """An op's float arithmetic as Python expressions, which Value's operators and the scalar
    backward pass inline (no call per op): the same math as `scalar` and `vjp`, written for floats.

    Names: the inputs are `x` (one input) or `a`, `b` (two), the result is `out`, the upstream
    gradient `g`. `forward` gives out; `vjp[i]` gives input i's gradient (exactly what the op's
    generic rule gives on floats); `ok`, when given, is true for inputs in the op's domain, and
    only when it is false does the op's `check` run (to raise its error). `env` holds the names
    the expressions use besides these. `common` marks the ops most scalar graphs are made of
    (micrograd's + * ** tanh relu): the generated backward tests for them first.

    Most of it is derived (autograd_core/ops/formula.py): `defop` fills `vjp` from the op's gradient
    formulas and `forward` from its forward formula (else it calls the op's `scalar`); an op writes
    an `Inline` only for what a formula cannot say (pow's and relu's branches, a domain test `ok`,
    `common`). tests/core/test_inline_rules.py checks each expression against `scalar` and the
    generic rules.
    """

    __slots__ = ("forward", "vjp", "ok", "_env", "common", "functions")

    def __init__(self, forward: str | None = None, vjp: Sequence[str] | None = None, *, ok: str | None = None,
                 env: Mapping[str, Any] | None = None, common: bool = False) -> None:
        self.forward = forward
        self.vjp: tuple[str, ...] = tuple(vjp) if vjp is not None else ()
        self.ok = ok
        self._env = dict(env or {})
        self.common = common
        self.functions: list[Formula] = []  # the gradient formulas whose calls `env` resolves

    @property
    def env(self) -> dict[str, Any]:
        """The names the expressions use besides inputs, out and g (formula calls resolved on use:
        a formula may call an op defined after it)."""
        env = dict(self._env)
        for formula in self.functions:
            env.update(formula.inline_env())
        return env

    def inputs(self) -> tuple[str, ...]:
        """The input names the expressions use: ('x',) or ('a', 'b')."""
        return ("x",) if len(self.vjp) == 1 else ("a", "b")

    def validate(self, name: str) -> None:
        """Compile every expression and check it names only inputs, out, g and env (at import)."""
        allowed = set(self.inputs()) | {"out", "g"} | set(self._env) | set(dir(builtins))
        allowed |= {f"SCALAR_{f}" for formula in self.functions for f in formula.functions}
        if self.functions:  # a formula's `/` is guarded: scalar_div, and `_d<k>` for a compound divisor
            allowed |= {"scalar_div"} | {f"_d{k}" for k in range(16)}
        if len(self.vjp) not in (1, 2):
            raise TypeError(f"defop: op {name!r}: inline code is for one- or two-input ops, got "
                            f"{len(self.vjp)} rules")
        for what, text in [("forward", self.forward), ("ok", self.ok)] + [(f"vjp[{i}]", t) for i, t in enumerate(self.vjp)]:
            if text is None:
                continue
            code = compile(text, f"<{name} inline {what}>", "eval")
            unknown = sorted(set(code.co_names) - allowed - _FLOAT_METHODS)
            if unknown:
                raise TypeError(f"defop: op {name!r}: inline {what} {text!r} uses unknown names {unknown}")


class Op:
    """One differentiable primitive.

    forward(*arrays, **settings) computes the result on numpy data; `scalar` on Python floats
    (Value's fast path). `vjps[i](g, ans, *inputs, **settings)` returns the gradient for input i
    (None in `vjps` marks a non-differentiable input); a variadic op gives
    `vjp_variadic(i, g, ans, *inputs, **settings)` instead, or `vjp_all(g, ans, *inputs, **settings)`
    giving every input's gradient at once (when they share work, e.g. counting ties). Rules are written with the generic
    helpers of this package, so they run on raw data (plain backward) and on nodes
    (create_graph=True, giving gradients of gradients). `formulas[i]` is input i's gradient
    formula when the op states one (autograd_core/ops/formula.py; `vjps[i]` is then derived from
    it), else None. `check` validates inputs (domain, shapes) before a recorded forward and raises
    a ValueError naming the op.

    Display facts (required by `defop`; viz, the CLI and the tests read them, nobody keys on names):

    * `display`: a short name for pictures ("×" for mul, "@" for matmul, "tanh").
    * `elementwise`: True when output entry k depends only on entry k of each (broadcast) input,
      so d out / d input is diagonal and viz shows its diagonal, vjp(g=ones).
    * `derivative`: per input, the local derivative as math (derived from the gradient formulas
      of an op that has them, at g = 1). For an elementwise op it is d out / d input in terms of
      the inputs (`x` for a unary op, `a`, `b` for a binary one, `xs` for a variadic one) and
      `out` ("1 - out²" for tanh); for any other op it is how the upstream gradient `g` becomes
      the input's gradient ("g·Bᵀ" for A @ B). A variadic op gives one string that holds for
      every input `xᵢ`.
    * `words`: one sentence saying the same in words.
    * `flat_warning` (optional): for an activation, what it means when its local derivative is
      about 0 for a unit across a whole batch ("dead ReLU"); viz marks such units as trouble.

    ONNX form (optional; autograd_core.onnx.export reads it, and an op without one cannot be exported):

    * `onnx(b, *inputs, **settings)` writes the op as ONNX nodes and returns the name of its result.
      `inputs` are the names of the input values, `settings` the node's static settings (axis,
      shape, ...); `b` is the exporter's builder (autograd_core/onnx/builder.py: `b.op("Tanh", x)`
      adds a node, `b.const(0.5)` a constant of the result's dtype, `b.ints([0, 2])` an int64
      vector, `b.shape(x)` the example shape). The form must hold for every input of the exported
      shapes: the exporter builds it twice, from inputs of other values and batch sizes too, and
      refuses a form whose nodes or constants change. No onnx import happens here.

    `function` is set only on the ops autograd.Function makes for a user's class (never in OPS):
    the class; its ONNX form comes from the class's own `onnx` (None: none, and export raises naming it).
    """

    __slots__ = ("name", "forward", "scalar", "vjps", "vjp_variadic", "vjp_all", "check",
                 "display", "elementwise", "_derivative", "words", "flat_warning", "inline",
                 "inline_index", "onnx", "function", "formulas")

    def __init__(self, name: str, forward: Callable[..., Any], scalar: Callable[..., Any] | None,
                 vjps: Sequence[Vjp | None] | None, vjp_variadic: Vjp | None,
                 check: Callable[..., None] | None, vjp_all: Vjp | None = None) -> None:
        self.name = name
        self.forward = forward
        self.scalar = scalar
        self.vjps = tuple(vjps) if vjps is not None else None
        self.vjp_variadic = vjp_variadic
        self.vjp_all = vjp_all
        self.check = check
        self.display = name
        self.elementwise = False
        self._derivative: tuple[str, ...] = ()
        self.formulas: tuple[Formula | None, ...] = ()  # per input: its gradient formula, or None (hand-written)
        self.words = ""
        self.flat_warning: str | None = None
        self.inline: Inline | None = None
        self.inline_index = -1  # position in INLINE_OPS, or -1 for an op without inline code
        self.onnx: Callable[..., Any] | None = None  # the ONNX form (see above), or None: not exportable
        self.function: Any = None  # the autograd.Function subclass behind a user's op (not in OPS), else None

    @property
    def derivative(self) -> tuple[str, ...]:
        """Per input, the local derivative as math (see above); derived from the gradient formulas
        when the op states them (on first use: a formula may call an op defined after it)."""
        if not self._derivative and self.formulas and all(self.formulas):
            self._derivative = tuple(f.derivative() for f in self.formulas if f is not None)
        return self._derivative

    @derivative.setter
    def derivative(self, rules: tuple[str, ...]) -> None:
        self._derivative = rules

    def derivative_text(self, i: int) -> str:
        """The local derivative of input i as math (see `derivative`; variadic ops share one)."""
        return self.derivative[min(i, len(self.derivative) - 1)]

    def input_grad(self, i: int, g: Any, ans: Any, inputs: Sequence[Any], kwargs: dict | None) -> Any:
        """Vector-Jacobian product of this op for input i: g^T d(ans)/d(input_i)."""
        kw = kwargs or {}
        if self.vjp_all is not None:
            return self.vjp_all(g, ans, *inputs, **kw)[i]
        if self.vjp_variadic is not None:
            return self.vjp_variadic(i, g, ans, *inputs, **kw)
        rule = self.vjps[i]  # type: ignore[index]
        return None if rule is None else rule(g, ans, *inputs, **kw)

    def input_grads(self, g: Any, ans: Any, inputs: Sequence[Any], kwargs: dict | None,
                    needed: Sequence[bool]) -> list[Any]:
        """The gradients of every input at once (None where not needed or not differentiable)."""
        if self.vjp_all is not None:
            kw = kwargs or {}
            return [gi if need else None for gi, need in zip(self.vjp_all(g, ans, *inputs, **kw), needed)]
        return [self.input_grad(i, g, ans, inputs, kwargs) if need else None for i, need in enumerate(needed)]

    def differentiable(self, i: int) -> bool:
        """Whether input i has a gradient rule."""
        if self.vjps is None:
            return True
        return self.vjps[i] is not None

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


OPS: dict[str, Op] = {}
INLINE_OPS: list[Op] = []  # the ops with inline code, in the order defined (op.inline_index)
DISPLAY_FIELDS = ("display", "elementwise", "derivative", "words")


def _check_display(name: str, display: Any, elementwise: Any, derivative: Any, words: Any,
                   n_rules: int | None) -> tuple[str, ...]:
    """Validate the display facts of a new op (see Op's docstring); the derivative as a tuple."""
    missing = [f for f, v in zip(DISPLAY_FIELDS, (display, elementwise, derivative, words)) if v is None]
    if missing:
        raise TypeError(f"defop: op {name!r} is missing its display metadata {missing}: every op states "
                        f"display (short name), elementwise (bool), derivative (the local derivative as "
                        f"math, one string per input) and words (one sentence); see the Op docstring in "
                        f"autograd_core/ops/table.py")
    if not isinstance(display, str) or not display or not isinstance(words, str) or not words:
        raise TypeError(f"defop: op {name!r}: display and words must be non-empty strings")
    if not isinstance(elementwise, bool):
        raise TypeError(f"defop: op {name!r}: elementwise must be True or False, got {elementwise!r}")
    rules = (derivative,) if isinstance(derivative, str) else tuple(derivative)
    if not rules or not all(isinstance(r, str) and r for r in rules):
        raise TypeError(f"defop: op {name!r}: derivative must be a non-empty string or one per input")
    if n_rules is not None and len(rules) != n_rules:
        raise TypeError(f"defop: op {name!r}: derivative gives {len(rules)} rules for {n_rules} inputs")
    return rules


def defop(name: str, *, forward: Callable[..., Any] | str, scalar: Callable[..., Any] | None = None,
          vjp: Sequence[Vjp | str | None] | None = None, vjp_variadic: Vjp | None = None,
          vjp_all: Vjp | None = None, check: Callable[..., None] | None = None,
          display: str | None = None, elementwise: bool | None = None,
          derivative: str | Sequence[str] | None = None, words: str | None = None,
          flat_warning: str | None = None, inline: Inline | None = None,
          onnx: Callable[..., Any] | str | None = None) -> Op:
    """Register an op in the table and return it; display, elementwise, derivative and words are
    required (see Op), and an op without them fails here, at import, naming what is missing.

    A string is a formula (autograd_core/ops/formula.py), the op's math stated once: a `vjp` entry
    `"g * (1.0 - out * out)"` gives that input's generic rule, its inline float code, its batched
    replay text and its display `derivative` (which the op then must not write); a `forward`
    `"tanh(x)"` gives the numpy forward, the float `scalar` and the inline forward. An op whose
    rules are all formulas gets inline code without writing any, and is elementwise (it must not
    say so again). `inline` (optional) gives what formulas cannot say (see Inline); `onnx`
    (optional) the op's ONNX form (see Op), or the name of the one ONNX op it is ("Tanh")."""
    if name in OPS:
        raise ValueError(f"defop: op {name!r} is already defined")
    if sum(rule is not None for rule in (vjp, vjp_variadic, vjp_all)) != 1:
        raise ValueError(f"defop: op {name!r} needs exactly one of vjp, vjp_variadic or vjp_all")
    inputs = ("x",) if vjp is not None and len(vjp) == 1 else ("a", "b")
    formulas = tuple(Formula(v, inputs, f"defop: op {name!r}: vjp[{i}]") if isinstance(v, str) else None
                     for i, v in enumerate(vjp or ()))
    derived = bool(formulas) and all(formulas)
    if derived:  # the display facts a formula gives: it is elementwise, its derivative is the formula at g = 1
        _refuse_restated(name, derivative=derivative, elementwise=elementwise)
        derivative, elementwise = tuple(f.text for f in formulas if f is not None), True
    rules = _check_display(name, display, elementwise, derivative, words, None if vjp is None else len(vjp))
    forward_inline: tuple[str, dict[str, Any]] | None = None
    if isinstance(forward, str):
        _refuse_restated(name, scalar=scalar)
        forward, scalar, text, env = forward_forms(forward, inputs, name)
        forward_inline = (text, env)
    if scalar is None and inline is not None and inline.forward is not None:
        scalar = _compiled(f"{name}_scalar", inputs, inline.forward, inline._env)
    if vjp is not None:
        vjp = tuple(f.rule(f"{name} vjp {inputs[i]}") if f is not None and not f.is_pass_through()
                    else pass_through if f is not None else v for i, (f, v) in enumerate(zip(formulas, vjp)))
    op = Op(name, forward, scalar, vjp, vjp_variadic, check, vjp_all)  # type: ignore[arg-type]
    op.display, op.elementwise, op.words = str(display), bool(elementwise), str(words)
    op.derivative, op.formulas = (() if derived else rules), formulas
    op.flat_warning = flat_warning
    if isinstance(onnx, str):  # the ONNX op of that name over the inputs
        onnx = functools.partial(_onnx_node, onnx)
    if onnx is not None and not callable(onnx):
        raise TypeError(f"defop: op {name!r}: onnx must be a function (b, *inputs, **settings) -> name, got {onnx!r}")
    op.onnx = onnx
    if inline is not None or (derived and scalar is not None and not _takes_settings(scalar)):
        _add_inline(op, inline or Inline(), inputs, forward_inline)
    if vjp is not None and len(vjp) == 1:
        register_function(op)
    OPS[name] = op
    return op


def _refuse_restated(name: str, **given: Any) -> None:
    """A fact the op's formulas give must not be written again (it could disagree)."""
    for what, value in given.items():
        if value is not None:
            raise TypeError(f"defop: op {name!r}: its {what} is derived from its formulas; do not write it again")


def _onnx_node(onnx_op: str, b: Any, *inputs: str) -> str:
    """The ONNX form of an op that is one ONNX op over its inputs (`onnx="Tanh"`)."""
    return b.op(onnx_op, *inputs)


def _takes_settings(fn: Callable[..., Any]) -> bool:
    """Whether fn has keyword-only settings (round's decimals): inline code passes none."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature takes none
        return False
    return any(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params)


def _compiled(fname: str, inputs: tuple[str, ...], text: str, env: Mapping[str, Any]) -> Callable[..., Any]:
    """A float function of the inputs from an inline expression (an op's scalar from its inline forward)."""
    return run_source(f"def {fname}({', '.join(inputs)}):\n    return {text}\n", fname, dict(env), {})[fname]


def _add_inline(op: Op, inline: Inline, inputs: tuple[str, ...], forward: tuple[str, dict[str, Any]] | None) -> None:
    """Complete the op's inline code from its formulas (see Inline) and list it in INLINE_OPS."""
    name, formulas = op.name, op.formulas
    if op.scalar is None or op.vjps is None:
        raise TypeError(f"defop: op {name!r}: inline code needs a scalar forward and one vjp rule per input")
    if inline.vjp and any(formulas):
        raise TypeError(f"defop: op {name!r}: its vjp formulas give the inline vjp code; Inline gives vjp only for "
                        f"hand-written rules")
    if not inline.vjp:
        if not (formulas and all(formulas)):
            raise TypeError(f"defop: op {name!r}: inline code needs one vjp expression per input (formulas, or Inline's vjp)")
        inline.vjp = tuple(f.inline_text() for f in formulas if f is not None)
        inline.functions = [f for f in formulas if f is not None]
    if len(inline.vjp) != len(op.vjps):
        raise TypeError(f"defop: op {name!r}: inline code needs a scalar forward and one vjp rule per input")
    if forward is not None:
        if inline.forward is not None:
            raise TypeError(f"defop: op {name!r}: its forward formula gives the inline forward; do not write it again")
        inline.forward = forward[0]
        inline._env.update(forward[1])
    elif inline.forward is None:  # no expression: the inline forward calls the op's scalar
        inline.forward = f"SCALAR_{name}({', '.join(inputs)})"
        inline._env[f"SCALAR_{name}"] = op.scalar
    inline.validate(name)
    op.inline = inline
    op.inline_index = len(INLINE_OPS)
    INLINE_OPS.append(op)
