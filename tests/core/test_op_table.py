"""Walks the whole op table: every op is checked against a numpy reference forward and
gradient-checked at first and second order, on Tensor (broadcast shapes included) and on Value."""
from __future__ import annotations

import math
from functools import reduce
from typing import Any, Callable

import numpy as np
import pytest

from autograd_core import OPS, Tensor, Value, gradcheck, gradgradcheck, gradients
from autograd_core.ops.apply import apply

from core_op_specs import SPECS, Case, In, assemble, draw


def _sum_to(x: np.ndarray, *, shape: tuple) -> np.ndarray:
    lead = x.ndim - len(shape)
    out = x.sum(axis=tuple(range(lead)))
    for i, s in enumerate(shape):
        if s == 1:
            out = out.sum(axis=i, keepdims=True)
    return out


def _index_add(g: np.ndarray, *, index: Any, shape: tuple) -> np.ndarray:
    """Adjoint of getitem, written densely: out[j] = sum of g over positions that index j."""
    positions = np.arange(int(np.prod(shape))).reshape(shape)[index]
    out = np.zeros(int(np.prod(shape)))
    for pos, val in zip(np.ravel(positions), np.ravel(g)):
        out[pos] += val
    return out.reshape(shape)


def _softmax(x: np.ndarray, *, axis: int) -> np.ndarray:
    e = np.exp(x)
    return e / e.sum(axis=axis, keepdims=True)


def _erf(a: np.ndarray) -> np.ndarray:
    """erf by its Maclaurin series (converges fast on |x| <= 2; 60 terms reach 1e-16)."""
    a = np.asarray(a, dtype=np.float64)
    total, term = np.zeros_like(a), a.copy()
    for n in range(60):
        total = total + term / (2 * n + 1)
        term = -term * a * a / (n + 1)
    return total * 2.0 / math.sqrt(math.pi)


def _softplus(a: np.ndarray, *, beta: float, threshold: float) -> np.ndarray:
    return np.where(a * beta > threshold, a, np.log(1.0 + np.exp(beta * a)) / beta)


def _gelu(a: np.ndarray, *, approximate: str) -> np.ndarray:
    if approximate == "tanh":
        u = math.sqrt(2.0 / math.pi) * (a + 0.044715 * a ** 3)
        return 0.5 * a * (1.0 + (np.exp(u) - np.exp(-u)) / (np.exp(u) + np.exp(-u)))
    return 0.5 * a * (1.0 + _erf(a / math.sqrt(2.0)))


def _var(a: np.ndarray, *, axis: Any, correction: float, keepdims: bool) -> np.ndarray:
    n = a.size if axis is None else int(np.prod([a.shape[i] for i in np.atleast_1d(axis)]))
    d = a - a.mean(axis=axis, keepdims=True)
    return (d * d).sum(axis=axis, keepdims=keepdims) / (n - correction)


def _prod(a: np.ndarray, *, axis: Any, keepdims: bool) -> np.ndarray:
    """Product by repeated multiplication along each reduced axis."""
    axes = range(a.ndim) if axis is None else np.atleast_1d(axis) % max(a.ndim, 1)
    out = a
    for ax in sorted(axes, reverse=True):
        out = reduce(np.multiply, np.split(out, out.shape[ax], axis=ax)) if out.shape[ax] else np.ones_like(out)
    return out if keepdims else out.reshape([s for i, s in enumerate(out.shape) if i not in set(axes)])


def _cumsum(a: np.ndarray, *, axis: int) -> np.ndarray:
    """Running sums by the definition y_i = sum_{j <= i} x_j."""
    moved = np.moveaxis(a, axis, 0)
    return np.moveaxis(np.stack([moved[:i + 1].sum(axis=0) for i in range(len(moved))]), 0, axis)


def _vector_norm(a: np.ndarray, *, p: float, axis: Any, keepdims: bool) -> np.ndarray:
    """Max/min of |a|, or (sum |a|^p)^(1/p), written out."""
    m = np.abs(a)
    if math.isinf(p):
        return (np.max if p > 0 else np.min)(m, axis=axis, keepdims=keepdims)
    return np.power(np.sum(np.power(m, p), axis=axis, keepdims=keepdims), 1.0 / p)


def _index_put(x: np.ndarray, v: np.ndarray, *, index: Any) -> np.ndarray:
    """Write through the flat positions the index picks (numpy drops extra leading size-1 dims of v)."""
    flat = np.arange(x.size).reshape(x.shape)[index]
    v = np.asarray(v)
    v = v.reshape(v.shape[v.ndim - np.ndim(flat):]) if v.ndim > np.ndim(flat) else v
    out = x.copy().ravel()
    out[np.ravel(flat)] = np.broadcast_to(v, np.shape(flat)).ravel()
    return out.reshape(x.shape)


# Independent forward definitions (valid on the spec domains, where nothing overflows).
REFERENCE: dict[str, Callable[..., Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: np.power(a, b),
    "identity": lambda a: a + 0.0,
    "neg": lambda a: -a,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "sigmoid": lambda a: 1.0 / (1.0 + np.exp(-a)),
    "tanh": lambda a: (np.exp(a) - np.exp(-a)) / (np.exp(a) + np.exp(-a)),
    "relu": lambda a: a * (a > 0),
    "step": lambda a: (a > 0) * 1.0,
    "maximum": lambda *xs: reduce(np.maximum, xs),
    "minimum": lambda *xs: reduce(np.minimum, xs),
    "logaddexp": lambda *xs: np.log(sum(np.exp(x) for x in xs)),
    "where": lambda a, b, *, cond: np.where(cond, a, b),
    "sum_to": _sum_to,
    "broadcast_to": lambda a, *, shape: a * np.ones(shape),
    "reshape": lambda a, *, shape: np.reshape(a, shape),
    "transpose": lambda a, *, axes: np.transpose(a, axes),
    "getitem": lambda a, *, index: a[index],
    "index_add": _index_add,
    "index_put": _index_put,
    "norm": _vector_norm,
    "concatenate": lambda *xs, axis: np.concatenate(xs, axis=axis),
    "stack": lambda *xs, axis: np.stack(xs, axis=axis),
    "matmul": np.matmul,
    "linear": lambda x, w, b: np.einsum("...i,oi->...o", x, w) + b,
    "sum": lambda a, *, axis, keepdims: np.sum(a, axis=axis, keepdims=keepdims),
    "max": lambda a, *, axis, keepdims: np.max(a, axis=axis, keepdims=keepdims),
    "min": lambda a, *, axis, keepdims: np.min(a, axis=axis, keepdims=keepdims),
    "softmax": _softmax,
    "log_softmax": lambda a, *, axis: np.log(_softmax(a, axis=axis)),
    "rnn_tanh_step": lambda xp, h, w: np.tanh(xp + h @ w),
    "softmax_cross_entropy": lambda a, c: -(c * np.log(_softmax(a, axis=-1))).sum(),
    "logsumexp": lambda a, *, axis, keepdims: np.log(np.exp(a).sum(axis=axis, keepdims=keepdims)),
    "sin": np.sin,
    "cos": np.cos,
    "tan": lambda a: np.sin(a) / np.cos(a),
    "log1p": lambda a: np.log(1.0 + a),
    "expm1": lambda a: np.exp(a) - 1.0,
    "erf": _erf,
    "softplus": _softplus,
    "gelu": _gelu,
    "leaky_relu": lambda a, *, negative_slope: np.where(a > 0, a, negative_slope * a),
    "elu": lambda a, *, alpha: np.where(a > 0, a, alpha * (np.exp(a) - 1.0)),
    "clamp": lambda a, *, min, max: np.minimum(np.maximum(a, -np.inf if min is None else min),
                                               np.inf if max is None else max),
    "var": _var,
    "std": lambda a, **kw: np.sqrt(_var(a, **kw)),
    "prod": _prod,
    "cumsum": _cumsum,
    "cast": lambda a, *, dtype: np.asarray(a, dtype=dtype),
    "sinh": lambda a: (np.exp(a) - np.exp(-a)) / 2.0,
    "cosh": lambda a: (np.exp(a) + np.exp(-a)) / 2.0,
    "asin": lambda a: np.arctan2(a, np.sqrt(1.0 - a * a)),
    "acos": lambda a: np.pi / 2 - np.arctan2(a, np.sqrt(1.0 - a * a)),
    "atan": lambda a: np.arctan2(a, 1.0),
    "atan2": lambda y, x: np.angle(x + 1j * y),
    "log2": lambda a: np.log(a) / np.log(2.0),
    "log10": lambda a: np.log(a) / np.log(10.0),
    "reciprocal": lambda a: 1.0 / a,
    "rsqrt": lambda a: a ** -0.5,
    "floor": lambda a: a - np.mod(a, 1.0),
    "ceil": lambda a: -(-a - np.mod(-a, 1.0)),
    "trunc": lambda a: np.sign(a) * (np.abs(a) - np.mod(np.abs(a), 1.0)),
    "round": lambda a, *, decimals: np.rint(a * 10.0 ** decimals) / 10.0 ** decimals,
    "sign": lambda a: (a > 0) * 1.0 - (a < 0) * 1.0,
    "floor_divide": lambda a, b: (a - np.mod(a, b)) / b,
    "logsigmoid": lambda a: -np.log(1.0 + np.exp(-a)),
    "hardtanh": lambda a, *, min_val, max_val: np.minimum(np.maximum(a, min_val), max_val),
    "einsum": lambda *xs, equation: np.einsum(equation, *xs),
}

TENSOR_CASES = [(name, case) for name in sorted(SPECS) for case in SPECS[name].tensor]
VALUE_CASES = [(name, case) for name in sorted(SPECS) for case in SPECS[name].value]


def _ids(cases: list[tuple[str, Case]]) -> list[str]:
    return [f"{name}[{case.label}]" for name, case in cases]


def op_function(name: str, case: Case) -> Callable[..., Any]:
    """f(*differentiable inputs) = OPS[name](*args, **kwargs), constants filled in."""
    op = OPS[name]

    def f(*nodes: Any) -> Any:
        return apply(op, *assemble(case, list(nodes)), **case.kwargs)

    return f


def draw_inputs(case: Case, seed: int, as_value: bool) -> list[Any]:
    rng = np.random.default_rng(seed)
    arrays = [draw(spec, rng) for spec in case.inputs]
    return [float(a) for a in arrays] if as_value else arrays


# ---- the table is fully covered ----------------------------------------------------------------


def test_every_op_in_the_table_has_an_input_spec() -> None:
    missing = sorted(set(OPS) - set(SPECS))
    assert not missing, f"ops without an input spec in tests/core/core_op_specs.py: {missing}"
    stale = sorted(set(SPECS) - set(OPS))
    assert not stale, f"specs for ops that are not in the table: {stale}"


def test_every_op_has_a_reference_forward() -> None:
    assert sorted(set(OPS) - set(REFERENCE)) == []


def test_value_cases_exactly_for_ops_with_a_scalar_forward() -> None:
    with_scalar = {name for name, op in OPS.items() if op.scalar is not None}
    with_value_cases = {name for name, spec in SPECS.items() if spec.value}
    assert with_scalar == with_value_cases
    assert len(with_scalar) >= 29


def test_table_entries_are_well_formed() -> None:
    for name, op in OPS.items():
        assert op.name == name
        assert callable(op.forward)
        assert sum(r is not None for r in (op.vjps, op.vjp_variadic, op.vjp_all)) == 1, name


# ---- Tensor: forward, first and second order ------------------------------------------------------


@pytest.mark.parametrize(("name", "case"), TENSOR_CASES, ids=_ids(TENSOR_CASES))
def test_tensor_forward_matches_reference(name: str, case: Case) -> None:
    arrays = draw_inputs(case, 0, as_value=False)
    nodes = [Tensor(a, requires_grad=True) for a in arrays]
    out = op_function(name, case)(*nodes)
    expected = REFERENCE[name](*assemble(case, arrays), **case.kwargs)
    assert isinstance(out, Tensor)
    assert out.op is OPS[name] and out.op_name == name
    assert out.shape == np.shape(expected)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("name", "case"), TENSOR_CASES, ids=_ids(TENSOR_CASES))
def test_tensor_gradcheck(name: str, case: Case) -> None:
    arrays = draw_inputs(case, 1, as_value=False)
    assert gradcheck(op_function(name, case), *arrays) is True


@pytest.mark.parametrize(("name", "case"), TENSOR_CASES, ids=_ids(TENSOR_CASES))
def test_tensor_gradgradcheck(name: str, case: Case) -> None:
    arrays = draw_inputs(case, 2, as_value=False)
    assert gradgradcheck(op_function(name, case), *arrays) is True


@pytest.mark.parametrize(("name", "case"), TENSOR_CASES, ids=_ids(TENSOR_CASES))
def test_tensor_gradients_have_input_shapes(name: str, case: Case) -> None:
    arrays = draw_inputs(case, 3, as_value=False)
    nodes = [Tensor(a, requires_grad=True) for a in arrays]
    out = op_function(name, case)(*nodes)
    out.backward(np.ones(out.shape))
    for node, a in zip(nodes, arrays):
        assert node.grad.shape == a.shape
        assert node.grad.dtype == np.float64


# ---- Value: forward, first and second order, agreement with Tensor ---------------------------------


@pytest.mark.parametrize(("name", "case"), VALUE_CASES, ids=_ids(VALUE_CASES))
def test_value_forward_matches_reference(name: str, case: Case) -> None:
    xs = draw_inputs(case, 0, as_value=True)
    out = op_function(name, case)(*[Value(x) for x in xs])
    expected = REFERENCE[name](*[np.float64(a) for a in assemble(case, xs)], **case.kwargs)
    assert isinstance(out, Value)
    assert type(out.data) is float
    assert out.op_name == name
    assert math.isclose(out.data, float(expected), rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(("name", "case"), VALUE_CASES, ids=_ids(VALUE_CASES))
def test_value_gradcheck(name: str, case: Case) -> None:
    assert gradcheck(op_function(name, case), *draw_inputs(case, 1, as_value=True)) is True


@pytest.mark.parametrize(("name", "case"), VALUE_CASES, ids=_ids(VALUE_CASES))
def test_value_gradgradcheck(name: str, case: Case) -> None:
    assert gradgradcheck(op_function(name, case), *draw_inputs(case, 2, as_value=True)) is True


@pytest.mark.parametrize(("name", "case"), VALUE_CASES, ids=_ids(VALUE_CASES))
def test_value_and_tensor_agree(name: str, case: Case) -> None:
    xs = draw_inputs(case, 4, as_value=True)
    f = op_function(name, case)
    values = [Value(x) for x in xs]
    tensors = [Tensor(x, requires_grad=True) for x in xs]
    v_out, t_out = f(*values), f(*tensors)
    assert v_out.data == pytest.approx(t_out.item(), rel=1e-13, abs=1e-15)
    v_grads = gradients(v_out, values)
    t_grads = gradients(t_out, tensors)
    for vg, tg in zip(v_grads, t_grads):
        assert vg == pytest.approx(float(tg), rel=1e-13, abs=1e-15)


# ---- the spec drawing itself keeps to the domains ---------------------------------------------------


def test_spec_domains_stay_away_from_kinks_and_ties() -> None:
    rng = np.random.default_rng(0)
    for domain, low in (("positive", 0.2), ("nonzero", 0.2)):
        x = draw(In((1000,), domain), rng)
        assert np.abs(x).min() >= low and np.abs(x).max() <= 2.0
    a, b = draw(In((40,), "lattice0"), rng), draw(In((40,), "lattice1"), rng)
    assert len(np.unique(a)) == 40
    assert np.abs(a[:, None] - b[None, :]).min() > 1e-3
