"""Read an expression safely: size limits, then `ast.parse`, then a whitelist walk (nothing runs).

Accepted: numbers (int/float), variable names, + - * / **, unary + and -, parentheses, calls
of the whitelisted functions with positional arguments, and an integer index on a function that
returns a list (softmax(a, b)[0]). Everything else is refused before any evaluation.
"""
from __future__ import annotations

import ast
import math

from .errors import CLIError
from .functions import FUNCTIONS

MAX_LENGTH = 10_000
MAX_NESTING = 100
MAX_DEPTH = 1000
MAX_NODES = 20_000

BINARY_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
UNARY_OPS = {ast.USub: "-", ast.UAdd: "+"}
_OPERATOR_HINTS = {ast.BitXor: "'^' is not supported: write powers as x**2", ast.FloorDiv: "'//' is not supported",
                   ast.Mod: "'%' is not supported", ast.MatMult: "'@' is not supported"}
_NODE_NAMES = {ast.Attribute: "attribute access (.)", ast.Lambda: "lambda", ast.ListComp: "a comprehension",
               ast.GeneratorExp: "a comprehension", ast.SetComp: "a comprehension", ast.DictComp: "a comprehension",
               ast.Compare: "a comparison", ast.BoolOp: "and/or", ast.IfExp: "if/else",
               ast.NamedExpr: "':='", ast.Starred: "'*' unpacking", ast.keyword: "a keyword argument",
               ast.List: "a list", ast.Tuple: "a tuple", ast.Dict: "a dict", ast.Set: "a set",
               ast.JoinedStr: "an f-string", ast.Await: "await", ast.Yield: "yield", ast.Slice: "a slice"}


def column(node: ast.AST) -> int | None:
    """1-based column of a node; for a binary operation, the column of its operator."""
    if isinstance(node, ast.BinOp):
        return getattr(node.left, "end_col_offset", 0) + getattr(node, "operator_gap", 0) + 1
    offset = getattr(node, "col_offset", None)
    return None if offset is None else offset + 1


def _mark_operators(tree: ast.Expression, text: str) -> None:
    """Record on each BinOp how many spaces separate its left operand from the operator."""
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp):
            rest = text[node.left.end_col_offset:]
            node.operator_gap = len(rest) - len(rest.lstrip(" )"))  # type: ignore[attr-defined]


def check_text(text: str) -> None:
    """Refuse empty, over-long or too deeply parenthesised text before the parser sees it."""
    if not text.strip():
        raise CLIError("the expression is empty")
    for i, ch in enumerate(text):
        if not (ch.isascii() and ch.isprintable()):
            raise CLIError(f"unexpected character {ch!r}: use ASCII letters, digits and operators", i + 1)
    if len(text) > MAX_LENGTH:
        raise CLIError(f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise CLIError(f"brackets nest more than {MAX_NESTING} deep", i + 1)
        elif ch in ")]}":
            depth = max(depth - 1, 0)


def parse_expression(text: str) -> ast.Expression:
    """Parse and validate `text`; raise CLIError (with the column where known) on anything refused.

    Columns count from the first non-blank character of `text`.
    """
    check_text(text)
    text = text.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        if "digits" in e.msg:  # an integer literal longer than Python's 4300-digit limit
            raise CLIError("bad number: an integer literal with more than 4300 digits", e.offset or 1) from None
        raise CLIError(f"bad syntax: {e.msg}", e.offset if e.offset else len(text) + 1) from None
    except (RecursionError, MemoryError, ValueError):
        raise CLIError("the expression is too long or too deeply nested to parse") from None
    _mark_operators(tree, text)
    validate(tree)
    return tree


def validate(tree: ast.Expression) -> None:
    """Walk the tree without recursion; every node must be whitelisted, depth and size bounded."""
    stack: list[tuple[ast.AST, int]] = [(tree.body, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH or count > MAX_NODES:
            what = f"nested more than {MAX_DEPTH} deep" if depth > MAX_DEPTH else f"more than {MAX_NODES} parts"
            raise CLIError(f"the expression is too complex: {what}", column(node))
        stack.extend((child, depth + 1) for child in _children(node))


def _children(node: ast.AST) -> list[ast.AST]:
    """Check one node against the whitelist and return the sub-expressions to visit."""
    if isinstance(node, ast.Constant):
        _check_constant(node)
        return []
    if isinstance(node, ast.Name):
        return []
    if isinstance(node, ast.BinOp):
        if type(node.op) not in BINARY_OPS:
            hint = _OPERATOR_HINTS.get(type(node.op), f"operator {type(node.op).__name__} is not supported")
            raise CLIError(hint, column(node))
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in UNARY_OPS:
            raise CLIError(f"unary operator {type(node.op).__name__} is not supported", column(node))
        return [node.operand]
    if isinstance(node, ast.Call):
        return _check_call(node)
    if isinstance(node, ast.Subscript):
        return _check_subscript(node)
    what = _NODE_NAMES.get(type(node), type(node).__name__)
    raise CLIError(f"{what} is not allowed in an expression", column(node))


def _check_constant(node: ast.Constant) -> None:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CLIError(f"only numbers are allowed as constants, got {value!r}", column(node))
    if isinstance(value, float) and not math.isfinite(value):
        raise CLIError("number too large for a float", column(node))


def _check_call(node: ast.Call) -> list[ast.AST]:
    if not isinstance(node.func, ast.Name):
        raise CLIError("only the listed functions can be called (see `autograd-core grad --help`)", column(node))
    name = node.func.id
    if name not in FUNCTIONS:
        raise CLIError(f"unknown function {name!r}; known: {', '.join(sorted(FUNCTIONS))}", column(node))
    if node.keywords:
        raise CLIError(f"{name}: keyword arguments are not allowed", column(node.keywords[0]))
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise CLIError(f"{name}: '*' unpacking is not allowed", column(arg))
    fn = FUNCTIONS[name]
    n = len(node.args)
    if n < fn.min_args or (fn.max_args is not None and n > fn.max_args):
        want = str(fn.min_args) if fn.max_args == fn.min_args else f"at least {fn.min_args}"
        raise CLIError(f"{name} takes {want} argument{'s' if want != '1' else ''}, got {n}", column(node))
    return list(node.args)


def index_of(node: ast.Subscript) -> int:
    """The integer index of `f(...)[k]` (k may be negative)."""
    s = node.slice
    if isinstance(s, ast.UnaryOp) and isinstance(s.op, ast.USub) and isinstance(s.operand, ast.Constant):
        value = s.operand.value
        return -value if type(value) is int else _bad_index(node)
    if isinstance(s, ast.Constant) and type(s.value) is int:
        return s.value
    return _bad_index(node)


def _bad_index(node: ast.Subscript) -> int:
    raise CLIError("an index must be a whole number, as in softmax(a, b)[0]", column(node.slice))


def _check_subscript(node: ast.Subscript) -> list[ast.AST]:
    target = node.value
    if not (isinstance(target, ast.Call) and isinstance(target.func, ast.Name)
            and target.func.id in FUNCTIONS and FUNCTIONS[target.func.id].returns_list):
        lists = ", ".join(n for n, f in sorted(FUNCTIONS.items()) if f.returns_list)
        raise CLIError(f"only functions returning a list ({lists}) can be indexed", column(node))
    index = index_of(node)
    n = len(target.args)
    if not -n <= index < n:
        raise CLIError(f"index {index} is out of range for {target.func.id} of {n} argument"
                       f"{'s' if n != 1 else ''}", column(node.slice))
    return [target]


def variable_names(tree: ast.Expression) -> list[str]:
    """Names used as variables, in order of first appearance (function names excluded)."""
    names: list[str] = []
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    nodes = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls),
                   key=lambda n: (n.col_offset, n.id))
    for n in nodes:
        if n.id not in names:
            names.append(n.id)
    return names
