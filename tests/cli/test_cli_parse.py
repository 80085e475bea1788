"""The expression reader in-process: whitelist, limits, columns, and the numbers it computes."""
from __future__ import annotations

import math
import time

import pytest

from autograd_cli.errors import CLIError
from autograd_cli.grad_cmd import compute, parse_assignments
from autograd_cli.parse import MAX_LENGTH, parse_expression, variable_names


def used(expression: str, values: dict[str, float]) -> dict[str, float]:
    """Keep only the values of variables that appear in the expression (others are an error)."""
    try:
        names = variable_names(parse_expression(expression))
    except CLIError:
        return values
    return {n: v for n, v in values.items() if n in names}


def error_of(expression: str, **values: float) -> CLIError:
    with pytest.raises(CLIError) as info:
        compute(expression, used(expression, values))
    return info.value


def test_value_and_gradient_of_a_neuron():
    r = compute("tanh(x*w + b)", {"x": 1.0, "w": -2.0, "b": 0.5})
    t = math.tanh(-1.5)
    assert r.value == pytest.approx(t, abs=1e-15)
    assert r.gradient == pytest.approx([-2 * (1 - t * t), 1 - t * t, 1 - t * t], abs=1e-15)


def test_hessian_of_a_product_and_of_a_neuron():
    assert compute("x*y + x**3", {"x": 2.0, "y": 3.0}, order=2).hessian == [[12.0, 1.0], [1.0, 0.0]]
    h = compute("tanh(x*w + b)", {"x": 1.0, "w": -2.0, "b": 0.5}, order=2).hessian
    t = math.tanh(-1.5)
    d2 = -2 * t * (1 - t * t)  # tanh''(z)
    assert h[2][2] == pytest.approx(d2)
    assert h[0][1] == pytest.approx(d2 * 1.0 * -2.0 + (1 - t * t))  # d/dw (w tanh'(z)) = x w tanh'' + tanh'


@pytest.mark.parametrize("expression, value, grads", [
    ("-x + +y - 2", -1.0, [-1.0, 1.0]),
    ("x / y", 0.5, [0.5, -0.25]),
    ("x ** y", 1.0, [2.0, 0.0]),
    ("2 ** x + 0 * y", 2.0, [2 * math.log(2), 0.0]),
    ("exp(x) + log(y) + sqrt(y)", math.e + math.log(2) + math.sqrt(2), [math.e, 0.5 + 0.5 / math.sqrt(2)]),
    ("abs(-x) + relu(x - y) + step(x)", 2.0, [1.0, 0.0]),
    ("sigmoid(x) * y", 2 / (1 + math.exp(-1)), [2 * math.exp(-1) / (1 + math.exp(-1)) ** 2, 1 / (1 + math.exp(-1))]),
    ("max(x, y, 0) + min(x, y)", 3.0, [1.0, 1.0]),
    ("max(x, x) + 0 * y", 1.0, [1.0, 0.0]),
    ("logsumexp(x, y)", math.log(math.e + math.e ** 2), [1 / (1 + math.e), math.e / (1 + math.e)]),
    ("softmax(x, y)[1]", math.e / (1 + math.e), [-math.e / (1 + math.e) ** 2, math.e / (1 + math.e) ** 2]),
    ("log_softmax(x, y)[-2]", 1 - math.log(math.e + math.e ** 2), [math.e / (1 + math.e), -math.e / (1 + math.e)]),
])
def test_functions_and_operators(expression, value, grads):
    r = compute(expression, {"x": 1.0, "y": 2.0})
    assert r.value == pytest.approx(value, rel=1e-12)
    assert r.gradient == pytest.approx(grads, rel=1e-12, abs=1e-15)


def test_variables_in_order_of_appearance_and_a_constant_expression():
    assert variable_names(parse_expression("b * exp(a) + softmax(c, a)[0]")) == ["b", "a", "c"]
    r = compute("2 * 3 + 1", {})
    assert (r.value, r.gradient, r.names) == (7.0, [], [])


@pytest.mark.parametrize("expression, message, column", [
    ("x +* 2", "bad syntax", 4),
    ("(x + 1", "'(' was never closed", 1),
    ("1 +", "bad syntax", 4),
    ("foo(x)", "unknown function 'foo'", 1),
    ("y + x", "missing value for variable 'y'", 1),
    ("x + log(x - 2)", "log: expected a positive input, got -1.0", 5),
    ("x / (x - 1)", "non-zero divisor", 3),
    ("sqrt(-x)", "sqrt: expected a non-negative input", 1),
    ("(-x) ** 0.5", "negative base", 6),
    ("exp(1000 * x)", "value overflowed: 'exp' gave inf", 1),
    ("9**9**9", "value overflowed", 2),
    ("x ^ 2", "write powers as x**2", 3),
    ("softmax(x, 1)", "pick one entry", None),
    ("softmax(x, 1) + 1", "index it", 15),
    ("softmax(x, 1)[2]", "index 2 is out of range", 15),
    ("softmax(x, 1)[x]", "whole number", 15),
    ("exp(x)[0]", "only functions returning a list", 1),
    ("exp(x, x)", "exp takes 1 argument, got 2", 1),
    ("max()", "at least 1", 1),
    ("exp", "'exp' is a function", 1),
    ("x θ", "unexpected character", 3),
])
def test_errors_name_the_problem_and_the_column(expression, message, column):
    e = error_of(expression, x=1.0)
    assert message in e.message, e.message
    assert e.column == column


@pytest.mark.parametrize("expression, what", [
    ("__import__('os').system('echo hi')", "only the listed functions"),
    ("__import__('os')", "unknown function '__import__'"),
    ("x.__class__", "attribute access"),
    ("(lambda: 1)()", "only the listed functions"),
    ("lambda: 1", "lambda"),
    ("[a for a in (1, 2)]", "comprehension"),
    ("(a for a in x)", "comprehension"),
    ("x if x else 1", "if/else"),
    ("x < 1", "comparison"),
    ("(y := 2)", "':='"),
    ("'abc'", "only numbers"),
    ("True", "only numbers"),
    ("1j", "only numbers"),
    ("exp(*x)", "unpacking"),
    ("exp(x=1)", "keyword arguments"),
    ("exp.__call__(1)", "only the listed functions"),
    ("x[0]", "only functions returning a list"),
    ("softmax(x)[0:1]", "whole number"),
    ("globals()", "unknown function 'globals'"),
    ("[x]", "a list"),
    ("f'{x}'", "f-string"),
])
def test_hostile_input_is_refused_before_evaluation(expression, what):
    with pytest.raises(CLIError) as info:
        parse_expression(expression)
    assert what in info.value.message


@pytest.mark.parametrize("expression, what", [
    ("(" * 5000 + "x" + ")" * 5000, "characters long"),
    ("(" * 2000 + "x" + ")" * 2000, "nest more than 100 deep"),
    ("-" * 5000 + "x", "too long or too deeply nested"),
    ("+".join(["x"] * 4000), "too long or too deeply nested"),
    ("**".join(["x"] * 3000), "too long or too deeply nested"),
    ("-" * 1500 + "x", "nested more than 1000 deep"),
    ("1" * 5000, "more than 4300 digits"),
    ("1" * 400 + ".0", "number too large"),
    ("1e999 * x", "number too large"),
    ("", "empty"),
])
def test_size_limits_fail_fast_and_cleanly(expression, what):
    start = time.perf_counter()
    with pytest.raises(CLIError) as info:
        compute(expression, {"x": 1.0} if "x" in expression else {})
    assert what in info.value.message
    assert time.perf_counter() - start < 5.0  # generous: a hang would be the failure here
    assert len(expression) <= 2 * MAX_LENGTH


def test_long_flat_sum_within_limits_is_computed():
    r = compute("+".join(["x"] * 900), {"x": 2.0}, order=2)
    assert (r.value, r.gradient, r.hessian) == (1800.0, [900.0], [[0.0]])


@pytest.mark.parametrize("items, message", [
    (["x"], "expected NAME=NUMBER"),
    (["x=abc"], "'abc' is not a number"),
    (["x=1", "x=2"], "given twice"),
    (["2x=1"], "expected NAME=NUMBER"),
    (["exp=1"], "is a function name"),
    (["x=nan"], "finite"),
    (["x=inf"], "finite"),
    (["import=1"], "expected NAME=NUMBER"),
])
def test_bad_assignments(items, message):
    with pytest.raises(CLIError) as info:
        parse_assignments(items)
    assert message in info.value.message


def test_assignments_parse_signs_and_exponents():
    assert parse_assignments(["x=-2", "y=1e-3", "z = +0.5"]) == {"x": -2.0, "y": 1e-3, "z": 0.5}


def test_unused_variable_is_an_error():
    with pytest.raises(CLIError, match="unknown variable 'z'"):
        compute("x + 1", {"x": 1.0, "z": 2.0})


def test_infinite_derivative_is_reported_and_missing_second_derivative_is_an_error():
    assert compute("sqrt(x)", {"x": 0.0}).gradient == [math.inf]
    with pytest.raises(CLIError, match="second derivatives do not exist"):
        compute("sqrt(x)", {"x": 0.0}, order=2)


def test_hessians_of_library_functions_are_symmetric_and_match_closed_forms():
    s = 1 / (1 + math.exp(-1.0))                       # softmax(x, y)[0] = sigmoid(x - y) at x - y = 1
    h = compute("softmax(x, y)[0]", {"x": 1.5, "y": 0.5}, order=2).hessian
    d2 = s * (1 - s) * (1 - 2 * s)
    assert sum(h, []) == pytest.approx([d2, -d2, -d2, d2], rel=1e-12)
    assert compute("max(x, y) * min(x, y)", {"x": 1.5, "y": 0.5}, order=2).hessian == [[0.0, 1.0], [1.0, 0.0]]
