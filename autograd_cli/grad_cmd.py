"""`autograd-core grad EXPR x=1 ...`: the value, every partial derivative, optionally the Hessian and a graph."""
from __future__ import annotations

import argparse
import json
import keyword
import math
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograd_core import Value, hessian

from . import limits
from .errors import CLIError, GraphTooLargeToDraw
from .evaluate import evaluate
from .functions import FUNCTIONS
from .parse import parse_expression, variable_names


@dataclass
class GradResult:
    """What `grad` computed: f's value, df/dv per variable (in order), and the Hessian if asked."""

    expression: str
    names: list[str]
    point: list[float]
    value: float
    gradient: list[float]
    hessian: list[list[float]] | None = None
    root: Value | None = field(default=None, repr=False)


def parse_assignments(items: list[str]) -> dict[str, float]:
    """Read `name=number` arguments; refuse anything else with the offending argument named."""
    values: dict[str, float] = {}
    for item in (i.strip() for i in items):
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        if not sep or not name.isidentifier() or not name.isascii() or keyword.iskeyword(name):
            raise CLIError(f"bad argument {item!r}: expected NAME=NUMBER, as in x=1.5")
        if name in FUNCTIONS:
            raise CLIError(f"bad argument {item!r}: {name!r} is a function name, not a variable")
        if name in values:
            raise CLIError(f"bad argument {item!r}: {name} is given twice")
        try:
            number = float(text)
        except ValueError:
            raise CLIError(f"bad argument {item!r}: {text!r} is not a number") from None
        if not math.isfinite(number):
            raise CLIError(f"bad argument {item!r}: the value must be a finite number")
        values[name] = number
    return values


def compute(expression: str, values: dict[str, float], order: int = 1) -> GradResult:
    """Parse `expression`, build its graph at `values`, run backward (and the Hessian for order 2)."""
    tree = parse_expression(expression)
    used = variable_names(tree)
    extra = [n for n in values if n not in used]
    if extra:
        raise CLIError(f"unknown variable {extra[0]!r}: it does not appear in the expression")
    names = list(values)
    if order == 2 and len(names) ** 2 > limits.MAX_HESSIAN_ENTRIES:
        raise CLIError(f"--order 2: the Hessian of {len(names)} variables has {len(names) ** 2} entries, over the "
                       f"limit of {limits.MAX_HESSIAN_ENTRIES} (at most {math.isqrt(limits.MAX_HESSIAN_ENTRIES)} "
                       f"variables); use --order 1", code=2)
    leaves = {n: Value(values[n], label=n) for n in names}
    root = evaluate(tree, leaves)
    if root.requires_grad:
        root.backward(retain_graph=True)
    gradient = [leaves[n].grad for n in names]
    result = GradResult(expression.strip(), names, [values[n] for n in names], root.data, gradient, root=root)
    if order == 2 and names:
        f = lambda xs: evaluate(tree, {n: x for n, x in zip(names, xs)})  # noqa: E731
        result.hessian = _hessian(f, [values[n] for n in names])
    return result


def _hessian(f: object, point: list[float]) -> list[list[float]]:
    """hessian(f) at `point`, with a second derivative that does not exist reported as a CLIError."""
    try:
        return np.asarray(hessian(f)(point), dtype=np.float64).tolist()  # type: ignore[arg-type]
    except CLIError as e:
        raise CLIError(f"the second derivatives do not exist at this point: {e.message}") from None
    except (ValueError, ZeroDivisionError, OverflowError) as e:
        raise CLIError(f"the second derivatives do not exist at this point: {e}") from None


def number(x: float) -> str:
    """A float with 10 significant digits, -0 shown as 0."""
    return f"{(x + 0.0):.10g}"


def format_text(r: GradResult) -> str:
    """The human-readable report: value, gradient lines, Hessian table."""
    at = ", ".join(f"{n}={number(v)}" for n, v in zip(r.names, r.point))
    shown = r.expression if len(r.expression) <= 100 else r.expression[:97] + "..."
    lines = [f"f = {shown}" + (f"  at {at}" if at else ""), f"value = {number(r.value)}"]
    lines += [f"df/d{n} = {number(g)}" for n, g in zip(r.names, r.gradient)]
    if r.hessian is not None:
        cells = [[number(v) for v in row] for row in r.hessian]
        width = max(len(c) for row in cells for c in row + r.names)
        pad = max(len(n) for n in r.names)
        lines.append("hessian d2f/(row col):")
        lines.append(" " * (pad + 4) + "  ".join(n.rjust(width) for n in r.names))
        lines += [f"  {n.ljust(pad)}  " + "  ".join(c.rjust(width) for c in row) for n, row in zip(r.names, cells)]
    return "\n".join(lines)


def _strict(x: Any, where: str, non_finite: dict[str, str]) -> Any:
    """`x` with every inf/nan replaced by None, recording {JSON path: 'inf' | '-inf' | 'nan'}."""
    if isinstance(x, dict):
        return {k: _strict(v, f"{where}.{k}", non_finite) for k, v in x.items()}
    if isinstance(x, list):
        return [_strict(v, f"{where}[{i}]", non_finite) for i, v in enumerate(x)]
    if isinstance(x, float) and not math.isfinite(x):
        non_finite[where] = repr(x)
        return None
    return x


def format_json(r: GradResult) -> str:
    """The same report as one strict JSON object (value, gradient by name, hessian as nested lists).

    A number that is not finite is written as null and listed in "non_finite" by its path, e.g.
    {"gradient": {"x": null}, "non_finite": {"gradient.x": "inf"}}; "non_finite" is always present.
    """
    out: dict[str, Any] = {"expression": r.expression, "point": dict(zip(r.names, r.point)), "value": r.value,
                           "gradient": dict(zip(r.names, r.gradient))}
    if r.hessian is not None:
        out["hessian"] = r.hessian
    non_finite: dict[str, str] = {}
    out = {k: _strict(v, k, non_finite) for k, v in out.items()}
    out["non_finite"] = non_finite
    return json.dumps(out, allow_nan=False)


def run(args: argparse.Namespace) -> int:
    """Entry of the `grad` subcommand: compute, draw (if asked), then print."""
    from .render import check_target

    if args.svg is not None:
        check_target(args.svg)
    result = compute(args.expression, parse_assignments(args.assignments), args.order)
    if args.svg is not None:
        _draw(result, args.svg, args.view, args.max_nodes)
    print(format_json(result) if args.json else format_text(result))
    bad = [n for n, g in zip(result.names, result.gradient) if not math.isfinite(g)]
    if bad:
        print(f"autograd-core: warning: the derivative for {', '.join(bad)} is not finite here", file=sys.stderr)
    if args.svg is not None:
        print(f"graph written to {args.svg}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _draw(result: GradResult, path: str, view: str, max_nodes: int) -> None:
    """Render the expression's graph, with a too-big graph reported in command-line terms."""
    from .render import save_graph

    try:
        save_graph(result.root, path, view=view, max_nodes=max_nodes)
    except GraphTooLargeToDraw:
        raise CLIError(f"the graph is too big to draw well (more than {max_nodes} nodes); raise the limit "
                       f"with --max-nodes N or draw a smaller expression") from None


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `grad` and its options."""
    functions = ", ".join(f"{n}" for n in FUNCTIONS)
    p = sub.add_parser("grad", help="differentiate an expression at a point",
                       description="Print the value of EXPRESSION at the given point and its partial "
                                   "derivatives with respect to every variable.",
                       epilog=f"Expressions: numbers, variables, + - * / **, unary minus, parentheses and "
                              f"the functions {functions}. softmax and log_softmax give one value per "
                              f"argument: index them, as in softmax(a, b, c)[0]. Example: "
                              f"autograd-core grad \"tanh(x*w + b)\" x=1 w=-2 b=0.5 --order 2")
    p.add_argument("expression", help='the formula, e.g. "tanh(x*w + b)" (quote it for the shell)')
    p.add_argument("assignments", nargs="*", metavar="NAME=VALUE", help="a value for every variable, e.g. x=1")
    p.add_argument("--order", type=int, choices=(1, 2), default=1, help="2 also prints the Hessian")
    p.add_argument("--svg", metavar="PATH", help="render the computation graph (SVG, PNG, PDF or DOT by extension)")
    p.add_argument("--view", choices=("forward", "backward", "both"), default="both",
                   help="which graph to draw with --svg (default: both)")
    p.add_argument("--max-nodes", type=limits.MAX_NODES, default=500, metavar="N",
                   help=limits.MAX_NODES.help("refuse to draw graphs with more nodes than this (default: 500)"))
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(run=run)
    return p
