"""Turn a validated expression tree into autograd_core Value operations, without recursion.

Every intermediate result is checked: a domain error (log of -1, division by zero) or a value
that overflows to inf/nan stops evaluation with a CLIError naming the operation and its column.
"""
from __future__ import annotations

import ast
import math
import operator
from typing import Any, Mapping

from autograd_core import Value

from .errors import CLIError
from .functions import FUNCTIONS
from .parse import BINARY_OPS, column, index_of

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.Pow: operator.pow}

Result = Any  # a Value, or a list of Values for softmax/log_softmax


def evaluate(tree: ast.Expression, variables: Mapping[str, Value]) -> Value:
    """Build the graph of `tree` over `variables` (name -> leaf Value) and return its root."""
    done: dict[int, Result] = {}
    stack: list[tuple[ast.AST, bool]] = [(tree.body, False)]
    while stack:
        node, ready = stack.pop()
        kids = _operands(node)
        if not ready:
            stack.append((node, True))
            stack.extend((k, False) for k in reversed(kids))
            continue
        done[id(node)] = _compute(node, [done.pop(id(k)) for k in kids], variables)
    result = done[id(tree.body)]
    if isinstance(result, list):
        raise CLIError("the expression gives a list; pick one entry, as in softmax(a, b)[0]")
    return result


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    if isinstance(node, ast.Subscript):
        return [node.value]
    return []


def _compute(node: ast.AST, args: list[Result], variables: Mapping[str, Value]) -> Result:
    if isinstance(node, ast.Constant):
        return _constant(node)
    if isinstance(node, ast.Name):
        return _variable(node, variables)
    if isinstance(node, ast.Subscript):
        return args[0][index_of(node)]
    for a in args:
        if isinstance(a, list):
            raise CLIError("softmax/log_softmax give a list: index it, as in softmax(a, b)[0]", column(node))
    if isinstance(node, ast.BinOp):
        return _checked(node, BINARY_OPS[type(node.op)], _BINARY[type(node.op)], *args)
    if isinstance(node, ast.UnaryOp):
        return args[0] if isinstance(node.op, ast.UAdd) else _checked(node, "-", operator.neg, args[0])
    name = node.func.id  # type: ignore[attr-defined]  # validated: a whitelisted call
    return _checked(node, name, FUNCTIONS[name].build, *args)


def _constant(node: ast.Constant) -> Value:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):  # parse refused these already
        raise CLIError(f"only numbers are allowed as constants, got {value!r}", column(node))
    try:
        return Value(float(value), requires_grad=False)
    except OverflowError:
        raise CLIError("number too large for a float", column(node)) from None


def _variable(node: ast.Name, variables: Mapping[str, Value]) -> Value:
    if node.id in FUNCTIONS:
        raise CLIError(f"{node.id!r} is a function: call it, as in {node.id}(x)", column(node))
    if node.id not in variables:
        raise CLIError(f"missing value for variable {node.id!r}: add {node.id}=NUMBER", column(node))
    return variables[node.id]


def _checked(node: ast.AST, what: str, fn: Any, *args: Value) -> Result:
    """Run one operation; turn domain errors and overflow into a CLIError at the node's column."""
    try:
        out = fn(*args)
    except OverflowError:
        raise CLIError(f"value overflowed: '{what}' is too large for a float", column(node)) from None
    except (ValueError, ZeroDivisionError) as e:
        raise CLIError(str(e), column(node)) from None
    for v in out if isinstance(out, list) else [out]:
        if not math.isfinite(v.data):
            raise CLIError(f"value overflowed: '{what}' gave {v.data}", column(node))
    return out
