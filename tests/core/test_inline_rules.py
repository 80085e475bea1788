"""Each op's inline float expressions (Value's generated operators, the generated scalar backward)
say exactly what the op's `scalar` forward and generic vjp rules say, bit for bit."""
from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from autograd_core import Value
from autograd_core.engine import scalar_walk as engine_scalar
from autograd_core.value import codegen as value_codegen
from autograd_core.ops.table import INLINE_OPS, Op

NUMBERS = st.one_of(st.floats(-30.0, 30.0), st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.0, 3.0]),
                    st.sampled_from([math.inf, -math.inf, math.nan]))
IDS = [op.name for op in INLINE_OPS]


def same(x: Any, y: Any) -> bool:
    """Equal as floats, bit for bit: nan equals nan, 0.0 differs from -0.0."""
    if isinstance(x, float) and isinstance(y, float):
        return (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
    return bool(x == y)


def evaluate(op: Op, text: str, inputs: tuple[float, ...], **more: float) -> Any:
    names = dict(zip(op.inline.inputs(), inputs), **more)  # type: ignore[union-attr]
    return eval(text, dict(op.inline.env), names)  # type: ignore[union-attr]


def in_domain(op: Op, inputs: tuple[float, ...]) -> bool:
    if op.check is None:
        return True
    try:
        op.check(*inputs)
    except ValueError:
        return False
    return True


def scalar_or_error(f: Any, *args: float) -> Any:
    try:
        return f(*args)
    except (OverflowError, ZeroDivisionError, ValueError) as e:
        return type(e)


@pytest.mark.parametrize("op", INLINE_OPS, ids=IDS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_inline_forward_and_rules_match_the_table(op: Op, data: Any) -> None:
    inline = op.inline
    assert inline is not None
    inputs = tuple(data.draw(NUMBERS) for _ in inline.inputs())
    if inline.ok is not None:
        ok = bool(evaluate(op, inline.ok, inputs))
        if ok:  # ok never admits what the op's check rejects
            assert in_domain(op, inputs), (op.name, inputs)
        elif not in_domain(op, inputs):
            return  # the generated method runs the check, which raises (tested below)
    assume(in_domain(op, inputs))
    out = scalar_or_error(op.scalar, *inputs)
    assert same(scalar_or_error(lambda *xs: evaluate(op, inline.forward, xs), *inputs), out), (op.name, inputs)
    assume(isinstance(out, float))
    g = data.draw(NUMBERS)
    for i, (rule, text) in enumerate(zip(op.vjps, inline.vjp)):  # type: ignore[arg-type]
        generic = scalar_or_error(rule, g, out, *inputs)
        inlined = scalar_or_error(lambda *xs, t=text: evaluate(op, t, xs, g=g, out=out), *inputs)
        assert same(inlined, generic), (op.name, i, inputs, g, inlined, generic)


@pytest.mark.parametrize("op", [op for op in INLINE_OPS if op.check is not None and op.inline and op.inline.ok],
                         ids=lambda op: op.name)
def test_generated_method_raises_the_checks_error_outside_the_domain(op: Op) -> None:
    bad = {"div": (1.0, 0.0), "pow": (-2.0, 0.5), "log": (-1.0,), "sqrt": (-1.0,), "log1p": (-1.0,)}[op.name]
    method = value_codegen.make_method(op, arity=len(bad))
    with pytest.raises(ValueError, match=op.name):
        method(*[Value(x) for x in bad])


def test_pow_at_zero_base_gives_pytorchs_gradients() -> None:
    x = Value(0.0)
    (x ** 0.5).backward()
    assert x.grad == math.inf
    x = Value(0.0)
    (x ** 0).backward()
    assert same(x.grad, 0.0)


def test_every_inline_op_has_a_branch_in_the_generated_backward() -> None:
    text = engine_scalar.source()
    for op in INLINE_OPS:
        assert f"# {op.name}\n" in text


def test_scalar_and_general_passes_agree_on_a_graph_of_every_inline_op() -> None:
    """The same graph differentiated by the generated pass (float seed) and by the general one
    (create_graph, rules on nodes) gives the same gradients."""
    def f(x: Value, y: Value) -> Value:
        z = (x * y + x - y / (y + 3.0)) ** 2 + (-x).exp() + (y + 4.0).log() + (x * x + 1.0).sqrt()
        z = z + abs(x - 0.1) + (x * 0.3).sigmoid() + (y * 0.2).tanh() + (x - 0.2).relu() + x.step()
        z = z + x.sin() * x.cos() + (x * 0.2).tan() + (x + 1.0).log1p() + (x * 0.1).expm1() + x.erf()
        return z + (2.0 ** x) + (x.identity() if hasattr(x, "identity") else x)
    a, b = Value(0.7), Value(-0.4)
    f(a, b).backward()
    c, d = Value(0.7), Value(-0.4)
    f(c, d).backward(create_graph=True)
    assert math.isclose(a.grad, c.grad.data, rel_tol=1e-12) and math.isclose(b.grad, d.grad.data, rel_tol=1e-12)
