"""Hypothesis properties over each op's valid domain: gradcheck passes, Value and Tensor agree,
and the identities from the notes hold (softmax shift, sigmoid', cross-entropy gradient, sigmoid/tanh,
max gradient sums to one)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd_core as ac
from autograd_core import OPS, Tensor, Value, gradcheck, gradients, log_softmax, softmax
from autograd_core.ops.apply import apply

from core_op_specs import SPECS, Case, array_strategy, assemble

FEW = settings(max_examples=30, deadline=None)
floats = st.floats(-30.0, 30.0, allow_nan=False, allow_infinity=False)


def _function(name: str, case: Case):
    op = OPS[name]
    return lambda *nodes: apply(op, *assemble(case, list(nodes)), **case.kwargs)


VALUE_OPS = sorted(name for name, spec in SPECS.items() if spec.value)


def _draw_case(data: st.DataObject, name: str, kind: str) -> tuple[Case, list]:
    """One of the op's `kind` ("tensor" or "value") cases and inputs drawn from its domain (floats for Values)."""
    case = data.draw(st.sampled_from(getattr(SPECS[name], kind)), label="case")
    xs = [data.draw(array_strategy(spec), label=f"input {i}") for i, spec in enumerate(case.inputs)]
    return case, ([float(a) for a in xs] if kind == "value" else xs)


# ---- gradcheck over each op's domain ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [(name, "tensor") for name in sorted(SPECS)]
                         + [(name, "value") for name in VALUE_OPS])
@FEW
@given(data=st.data())
def test_gradcheck_over_domain(name: str, kind: str, data: st.DataObject) -> None:
    case, xs = _draw_case(data, name, kind)
    assert gradcheck(_function(name, case), *xs) is True


@pytest.mark.parametrize("name", VALUE_OPS)
@FEW
@given(data=st.data())
def test_value_and_tensor_agree_on_shared_ops(name: str, data: st.DataObject) -> None:
    case, xs = _draw_case(data, name, "value")
    f = _function(name, case)
    values, tensors = [Value(x) for x in xs], [Tensor(x, requires_grad=True) for x in xs]
    v_out, t_out = f(*values), f(*tensors)
    assert v_out.data == pytest.approx(t_out.item(), rel=1e-12, abs=1e-14)
    for vg, tg in zip(gradients(v_out, values), gradients(t_out, tensors)):
        assert vg == pytest.approx(float(tg), rel=1e-12, abs=1e-14)


# ---- identities from the notes ----------------------------------------------------------------------


@FEW
@given(x=hnp.arrays(np.float64, (3, 5), elements=st.floats(-50, 50)),
       c=hnp.arrays(np.float64, (3, 1), elements=st.floats(-100, 100)))
def test_softmax_is_shift_invariant_tensor(x: np.ndarray, c: np.ndarray) -> None:
    p = Tensor(x).softmax(axis=-1).data
    np.testing.assert_allclose(Tensor(x + c).softmax(axis=-1).data, p, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)


@FEW
@given(xs=st.lists(st.floats(-50, 50), min_size=1, max_size=6), c=st.floats(-100, 100))
def test_softmax_is_shift_invariant_values(xs: list[float], c: float) -> None:
    p = [v.data for v in softmax([Value(x) for x in xs])]
    q = [v.data for v in softmax([Value(x + c) for x in xs])]
    assert q == pytest.approx(p, rel=1e-9, abs=1e-12)
    assert math.fsum(p) == pytest.approx(1.0, rel=1e-12)


@FEW
@given(z=floats)
def test_sigmoid_derivative_is_s_times_one_minus_s(z: float) -> None:
    v = Value(z)
    s = v.sigmoid()
    s.backward()
    assert v.grad == pytest.approx(s.data * (1.0 - s.data), rel=1e-12, abs=1e-300)
    t = Tensor([z, -z, 0.5 * z], requires_grad=True)
    st_ = t.sigmoid()
    st_.sum().backward()
    np.testing.assert_allclose(t.grad, st_.data * (1.0 - st_.data), rtol=1e-12)


@FEW
@given(z=floats)
def test_sigmoid_equals_rescaled_tanh(z: float) -> None:
    assert Value(z).sigmoid().data == pytest.approx((1.0 + math.tanh(z / 2.0)) / 2.0, rel=1e-12, abs=1e-15)
    via_tanh = (1.0 + (Value(z) / 2.0).tanh()) / 2.0
    assert Value(z).sigmoid().data == pytest.approx(via_tanh.data, rel=1e-12, abs=1e-15)
    t = Tensor([z, -z, z / 3.0])
    np.testing.assert_allclose(t.sigmoid().data, ((1.0 + (t / 2.0).tanh()) / 2.0).data, rtol=1e-12, atol=1e-15)


@FEW
@given(logits=hnp.arrays(np.float64, (4, 3), elements=st.floats(-20, 20)),
       labels=hnp.arrays(np.int64, (4,), elements=st.integers(0, 2)))
def test_cross_entropy_gradient_is_softmax_minus_onehot_tensor(logits: np.ndarray, labels: np.ndarray) -> None:
    y = np.eye(3)[labels]
    z = Tensor(logits, requires_grad=True)
    loss = -(Tensor(y) * z.log_softmax(axis=-1)).sum()
    loss.backward()
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(z.grad, p - y, rtol=1e-9, atol=1e-12)


@FEW
@given(logits=st.lists(st.floats(-20, 20), min_size=2, max_size=5), data=st.data())
def test_cross_entropy_gradient_is_softmax_minus_y_values(logits: list[float], data: st.DataObject) -> None:
    k = data.draw(st.integers(0, len(logits) - 1), label="label")
    zs = [Value(x) for x in logits]
    loss = -log_softmax(zs)[k]
    loss.backward()
    p = [v.data for v in softmax([Value(x) for x in logits])]
    expected = [p[i] - (1.0 if i == k else 0.0) for i in range(len(logits))]
    assert [z.grad for z in zs] == pytest.approx(expected, rel=1e-9, abs=1e-12)


tie_or_not = st.one_of(st.just(None), floats)


@FEW
@given(a=floats, b=tie_or_not)
def test_max_and_min_gradients_sum_to_one_values(a: float, b: float | None) -> None:
    b = a if b is None else b
    for fn in (ac.max, ac.min):
        va, vb = Value(a), Value(b)
        fn(va, vb).backward()
        assert va.grad + vb.grad == 1.0
        assert {va.grad, vb.grad} <= {0.0, 0.5, 1.0}
        assert (va.grad == 0.5) == (a == b)


@FEW
@given(a=hnp.arrays(np.float64, (6,), elements=st.integers(-3, 3).map(float)),
       b=hnp.arrays(np.float64, (6,), elements=st.integers(-3, 3).map(float)))
def test_max_and_min_gradients_sum_to_one_tensors(a: np.ndarray, b: np.ndarray) -> None:
    for fn in (ac.maximum, ac.minimum):
        ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
        fn(ta, tb).sum().backward()
        np.testing.assert_array_equal(ta.grad + tb.grad, np.ones(6))
        np.testing.assert_array_equal(ta.grad[a == b], 0.5)
