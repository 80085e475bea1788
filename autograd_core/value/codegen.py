"""Value's operators and elementwise methods, generated from the op table.

Each method is the scalar forward's hot path written out for one op: wrap a number operand as a
constant leaf, check the domain, compute the float, fill a new node. An op with `inline`
expressions gets them pasted in (`a * b`, not a call to operator.mul); any other op calls its
`scalar` and `check`. Generating the code keeps every fact in the op's table entry while the
interpreter runs straight-line code with no dispatch layers.
`print(codegen.source(E.MUL))` shows what a method runs.
"""
from __future__ import annotations

from typing import Any, Callable

from ..generated import run_source
from ..graph.grad_mode import current_state
from ..ops.table import Op

#: The globals of every generated method. `Value`, `_wrap`, `_leaf` and `CONSTANTS` are bound by
#: value.py once the class exists (bind); each op adds OP_<name>, SCALAR_<name>, CHECK_<name>
#: and its env.
NAMESPACE: dict[str, Any] = {"_new": object.__new__, "_state": current_state, "Value": None, "_wrap": None,
                             "_leaf": None, "CONSTANTS": None}

# A number operand becomes a constant leaf: a shared one for a small number (value.Constant),
# else a new one.
_WRAP_OTHER = """    if other.__class__ is not Value:
        oc = other.__class__
        if oc is float or oc is int:
            c = CONSTANTS.get(other)
            other = c if c is not None else _leaf(other if oc is float else float(other))
        else:
            other = _wrap(other, OP_{name})
"""

_BINARY = """def {fname}(self, other):
{wrap}    {a} = self.data
    {b} = other.data
{guard}    out = {forward}
{record}"""

_UNARY = """def {fname}(self):
    x = self.data
{guard}    out = {forward}
{record}"""

# Fill the new node: every slot of Node.__slots__ but the engine's `_n`; `_meta` holds just the
# recording state (a node made by a Value operator has no settings and no label).
_RECORD = """    state = _state()
    v = _new(Value)
    v.data = out
    if state.enabled and ({requires}):
        v._a = {first}
        v._b = {second}
        v.op = OP_{name}
        v.requires_grad = True
    else:
        v._a = None
        v._b = None
        v.op = None
        v.requires_grad = False
    v.grad = 0.0
    v._meta = state
    v._g = None
    return v
"""


def _register(op: Op) -> None:
    """Add the op and the names its expressions use to NAMESPACE (a clash is a table bug)."""
    names: dict[str, Any] = {f"OP_{op.name}": op, f"SCALAR_{op.name}": op.scalar, f"CHECK_{op.name}": op.check}
    if op.inline is not None:
        names.update(op.inline.env)
    for key, obj in names.items():
        if key in NAMESPACE and NAMESPACE[key] is not obj:
            raise TypeError(f"value codegen: name {key!r} of op {op.name!r} already means {NAMESPACE[key]!r}")
        NAMESPACE[key] = obj


def _guard(op: Op, args: str) -> str:
    """The domain check: the inline `ok` test first (the check runs only when it fails)."""
    if op.check is None:
        return ""
    if op.inline is not None and op.inline.ok is not None:
        return f"    if not ({op.inline.ok}):\n        CHECK_{op.name}({args})\n"
    return f"    CHECK_{op.name}({args})\n"


def source(op: Op, *, reflected: bool = False, arity: int | None = None) -> str:
    """The Python source of the Value method for `op` (binary unless the op takes one input)."""
    if op.scalar is None:
        raise TypeError(f"{op.name}: a Value method needs the op's scalar forward")
    if arity is None:
        arity = len(op.vjps) if op.vjps is not None else 2
    fname = f"{op.name}_reflected" if reflected else op.name
    if arity == 1:
        forward = op.inline.forward if op.inline is not None else f"SCALAR_{op.name}(x)"
        record = _RECORD.format(requires="self.requires_grad", first="self", second="None", name=op.name)
        return _UNARY.format(fname=fname, guard=_guard(op, "x"), forward=forward, record=record)
    forward = op.inline.forward if op.inline is not None else f"SCALAR_{op.name}(a, b)"
    record = _RECORD.format(requires="self.requires_grad or other.requires_grad", name=op.name,
                            first="other" if reflected else "self", second="self" if reflected else "other")
    return _BINARY.format(fname=fname, wrap=_WRAP_OTHER.format(name=op.name),
                          a="b" if reflected else "a", b="a" if reflected else "b",
                          guard=_guard(op, "a, b"), forward=forward, record=record)


def make_method(op: Op, *, reflected: bool = False, arity: int | None = None,
                doc_from: Any = None) -> Callable[..., Any]:
    """Compile the Value method for `op` (see `source`)."""
    _register(op)
    text = source(op, reflected=reflected, arity=arity)
    (method,) = run_source(text, f"Value.{op.name}" + ("_reflected" if reflected else ""), NAMESPACE, {}).values()
    method.__doc__ = getattr(doc_from, "__doc__", None)
    return method


def bind(value_class: type, wrap: Callable[..., Any], leaf: Callable[[float], Any],
         constants: dict[float, Any]) -> None:
    """Point the generated methods at the Value class, its operand wrapper, its constant-leaf
    maker and its shared small constants (value.py calls this once, right after defining Value)."""
    NAMESPACE.update(Value=value_class, _wrap=wrap, _leaf=leaf, CONSTANTS=constants)
