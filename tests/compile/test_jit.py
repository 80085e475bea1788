"""autograd_core.compile on plain Tensor steps: guards and re-tracing, the trace cache, the stated limits
(value reads raise TraceError naming the call), and results equal to the eager step."""
from __future__ import annotations

import logging
import re
from typing import Any

import numpy as np
import pytest

import autograd_core as ac
from autograd_core import Tensor, TraceError, Value, no_grad


def _weights(seed: int = 0) -> tuple[Tensor, Tensor]:
    rng = np.random.default_rng(seed)
    return Tensor(rng.normal(size=(3, 2)), requires_grad=True), Tensor(rng.normal(size=(2,)), requires_grad=True)


def _manual_sgd_step(w: Tensor, b: Tensor):
    def step(x: Any, y: Any) -> Any:
        w.grad = b.grad = None
        loss = (((x @ w + b).tanh() - y) ** 2).mean()
        loss.backward()
        w.data -= 0.1 * w.grad          # in place
        b.data = b.data - 0.1 * b.grad  # rebinding
        return loss, w.grad
    return step


def _batch(k: int, n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(100 + k)
    return rng.normal(size=(n, 3)), rng.normal(size=(n, 2))


def test_manual_update_equals_eager_and_returns_the_same_structure() -> None:
    w1, b1 = _weights()
    w2, b2 = _weights()
    eager = _manual_sgd_step(w1, b1)
    compiled = ac.compile(_manual_sgd_step(w2, b2))
    for k in range(20):
        x, y = _batch(k)
        (l1, g1), (l2, g2) = eager(Tensor(x), y), compiled(Tensor(x), y)
        assert isinstance(l2, Tensor) and not l2.requires_grad
        assert float(l2.data) == float(l1.data)
        np.testing.assert_array_equal(g2, g1)
        np.testing.assert_array_equal(w2.data, w1.data)
        np.testing.assert_array_equal(b2.data, b1.data)
        np.testing.assert_array_equal(w2.grad, w1.grad)
    # the first call finds .grad None; the second finds a gradient (which this step never reads)
    assert compiled.traces == 2
    assert "return _MISS" in compiled.source and "_set_grad(" in compiled.source


def test_new_input_shape_retraces_once_and_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    w, b = _weights()
    compiled = ac.compile(_manual_sgd_step(w, b))
    compiled(*_batch(0, 5))  # .grad None, then a gradient: two traces for shape (5, 3)
    compiled(*_batch(1, 5))
    with caplog.at_level(logging.DEBUG, logger="autograd_core.jit"):
        compiled(*_batch(1, 5))
        assert compiled.traces == 2 and not caplog.records
        compiled(*_batch(2, 7))
        assert compiled.traces == 3
        assert len(caplog.records) == 1
        assert "re-tracing" in caplog.text and "(7, 3)" in caplog.text
        for k in range(3, 7):  # both shapes are kept: no further traces
            compiled(*_batch(k, 5 if k % 2 else 7))
    assert compiled.traces == 3 and len(caplog.records) == 1


def test_cache_size_bounds_the_kept_traces() -> None:
    w, b = _weights()
    compiled = ac.compile(_manual_sgd_step(w, b), cache_size=1)
    compiled(*_batch(0, 6))
    for k in range(4):
        compiled(*_batch(k, 5 if k % 2 else 6))
    assert compiled.traces == 5


def test_dtype_and_grad_mode_are_guarded() -> None:
    w = Tensor(np.ones((3, 2)), requires_grad=True)

    def predict(x: Any) -> Any:
        return (x @ w).sum()
    compiled = ac.compile(predict)
    x = np.arange(6.0).reshape(2, 3)
    assert float(compiled(x).data) == 30.0
    assert float(compiled(x.astype(np.float32)).data) == 30.0
    assert compiled.traces == 2
    with no_grad():
        assert float(compiled(x).data) == 30.0
    assert compiled.traces == 3
    w.data = np.full((3, 2), 2.0)  # a new array of the same shape: read afresh, no trace
    assert float(compiled(x).data) == 60.0
    assert compiled.traces == 3
    w.data = np.ones((4, 2))       # a new shape: guarded
    assert float(compiled(np.ones((2, 4))).data) == 16.0
    assert compiled.traces == 4


def test_item_while_tracing_raises_naming_the_call_and_the_line() -> None:
    w, b = _weights()

    def step(x: Any) -> Any:
        loss = (x @ w + b).sum()
        loss.backward()
        return loss.item()
    with pytest.raises(TraceError, match=r"\.item\(\) reads a traced value.*return loss\.item\(\)"):
        ac.compile(step)(np.ones((2, 3)))


def test_branching_on_a_tensor_value_raises() -> None:
    w, _ = _weights()

    def step(x: Any) -> Any:
        y = (x @ w).sum()
        if y.data > 0:
            return y * 2.0
        return y
    with pytest.raises(TraceError, match=r"bool\(\).*if y\.data > 0"):
        ac.compile(step)(np.ones((2, 3)))


def test_numpy_functions_returning_python_values_raise() -> None:
    w, _ = _weights()

    def step(x: Any) -> Any:
        y = x @ w
        return y * 2.0 if np.allclose(y.data, 0.0) else y
    with pytest.raises(TraceError, match="allclose"):
        ac.compile(step)(np.ones((2, 3)))


def test_writing_into_an_untraced_buffer_raises() -> None:
    w, _ = _weights()

    def step(x: Any) -> Any:
        buf = np.zeros((2, 2))
        np.add(buf, (x @ w).data, out=buf)
        return buf
    with pytest.raises(TraceError, match="did not see being made"):
        ac.compile(step)(np.ones((2, 3)))


def test_parameters_are_restored_after_a_failed_trace() -> None:
    w, b = _weights()
    before = w.data

    def step(x: Any) -> Any:
        return float((x @ w + b).sum().data)
    with pytest.raises(TraceError):
        ac.compile(step)(np.ones((2, 3)))
    assert w.data is before and type(w.data) is np.ndarray and w.grad is None


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(TypeError, match="compile: expected a callable"):
        ac.compile(3)
    with pytest.raises(ValueError, match="cache_size must be an int >= 1, got 0"):
        ac.compile(lambda x: x, cache_size=0)
    with pytest.raises(ValueError, match=r"static_argnames names 'nope'"):
        ac.compile(lambda x: x, static_argnames=["nope"])
    with pytest.raises(TypeError, match=r"static argument argument 0 is a list"):
        ac.compile(lambda x: x, static_argnames=["x"])([1.0])


def test_static_arguments_are_guarded_by_value() -> None:
    w = Tensor(np.ones((3, 2)), requires_grad=True)
    compiled = ac.compile(lambda x, scale: (x @ w).sum() * scale)
    x = np.ones((2, 3))
    assert float(compiled(x, 2.0).data) == 24.0
    assert float(compiled(x, 3.0).data) == 36.0
    assert float(compiled(x, 2.0).data) == 24.0
    assert compiled.traces == 2


def test_generated_program_has_no_graph_nodes() -> None:
    w, b = _weights()
    compiled = ac.compile(_manual_sgd_step(w, b))
    compiled(*_batch(0))
    src = compiled.source
    assert "backward" not in src and "Tensor(" not in src and "sorted" not in src
    body = [line for line in src.splitlines()[1:] if "_MISS" not in line]
    assert len(body) < 60


def test_repeated_calls_are_merged_only_while_their_inputs_and_result_are_unchanged() -> None:
    W = np.arange(6.0).reshape(3, 2)

    def f(x: np.ndarray) -> tuple:
        a = np.matmul(x, W)
        a += 1.0                # a's memory changes: the next matmul must not reuse it
        b = np.matmul(x, W)
        c = np.matmul(x, W)     # a true repeat of b
        x *= 2.0                # x changes: the last matmul is new
        d = np.matmul(x, W)
        return a - b, c - b, d - b
    compiled = ac.compile(f)
    for k in range(3):
        x = np.full((2, 3), float(k + 1))
        ab, cb, db = compiled(x)
        np.testing.assert_array_equal(ab, np.ones((2, 2)))
        np.testing.assert_array_equal(cb, np.zeros((2, 2)))
        np.testing.assert_array_equal(db, np.full((2, 3), float(k + 1)) @ W)
    assert compiled.source.count("f") > 0 and compiled.traces == 1


def test_converting_a_traced_array_to_a_plain_one_raises_naming_the_line() -> None:
    def f(x: np.ndarray) -> Any:
        plain = np.asarray(x)   # would freeze the first call's values: refused
        return np.add(plain, x)
    with pytest.raises(TraceError, match=r"plain array.*the step itself.*test_jit.py:\d+: plain = np.asarray"):
        ac.compile(f)(np.ones(3))

    def g(x: np.ndarray) -> Any:
        out = np.empty(3)
        out[...] = x * 2.0          # writing traced values into a plain buffer: refused
        return out
    with pytest.raises(TraceError, match="plain array"):
        ac.compile(g)(np.ones(3))


def test_function_transforms_inside_a_step_are_refused() -> None:
    w = Tensor(np.ones(3), requires_grad=True)

    def step(x: np.ndarray) -> Any:
        return ac.grad(lambda v: (v * v).sum())(Tensor(x))
    with pytest.raises(TraceError, match="grad inside a compiled step is not supported"):
        ac.compile(step, params=[w])(np.ones(3))


def test_batched_replay_writes_out_the_ops_formulas() -> None:
    """The batched replay pastes each op's gradient formula on its variables (mul, tanh, sin); a
    hand-written rule (relu) is called. The gradients equal eager backward, summed over the batch."""
    w = Value(0.3)

    def loss(x: Value) -> Value:
        return ((w * x).tanh().sin() + (x - w).relu()) * w
    step = ac.compile(loss, batched=True)
    xs = np.array([-1.0, 0.2, 0.9, 2.0])
    step(xs)
    got = w.grad
    w.grad = 0.0
    for x in xs:
        loss(Value(float(x))).backward()
    assert got == pytest.approx(w.grad, rel=1e-12)
    src = step.source
    assert re.search(r"= \(\w+ \* \(1\.0 - (\w+) \* \1\)\)", src), src       # tanh: g * (1.0 - out * out)
    assert re.search(r"= \(\w+ \* cos\w*\(\w+\)\)", src), src                # sin: g * cos(x), cos a table op
    assert re.search(r"= relu\w*\(\w+, \w+, \w+\)", src), src                # relu's hand-written rule is called


def _slices_step(W: Tensor) -> Any:
    def step(x: Any) -> Any:
        y = (x[0:2] * W[0:2]).sum() + (x[1:4] * W[1:4]).tanh().sum() + (x[::2] * W[::2] ** 2).sum()
        y.backward()
        return y
    return step


def test_slices_gradients_are_added_in_place_into_the_running_sum() -> None:
    """optimize.sparse_accumulate: each slice's gradient after the first is added into its rows of the
    running sum (`getitem; add(.., out=)`), not scattered into a full-size zeros and added; the numbers
    are eager's, call after call, gradients accumulating."""
    W_eager = Tensor(np.arange(8.0).reshape(4, 2) / 8, requires_grad=True)
    W = Tensor(W_eager.data.copy(), requires_grad=True)
    eager, compiled = _slices_step(W_eager), ac.compile(_slices_step(W))
    rng = np.random.default_rng(3)
    for _ in range(3):
        x = rng.normal(size=(4, 2))
        assert float(compiled(Tensor(x)).data) == pytest.approx(float(eager(Tensor(x)).data), rel=1e-12)
        np.testing.assert_allclose(np.asarray(W.grad), np.asarray(W_eager.grad), rtol=1e-12)
    src = compiled.source
    assert src.count("zeros_like(") == 1, src  # the first slice's gradient only
    assert len(re.findall(r"add\((getitem_\d+), \w+, out=\1\)", src)) == 2, src
