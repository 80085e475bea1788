"""Every op-table entry with an ONNX form, exported alone: onnx.checker passes and onnxruntime agrees at other batch sizes."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from autograd_core import OPS, Tensor
from autograd_core.ops.apply import apply

pytest.importorskip("onnx", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
pytest.importorskip("onnxruntime", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
from tests.onnx_export.onnx_check import roundtrip  # noqa: E402

R = np.random.default_rng(0)
W = R.normal(size=(4, 5))
COND = R.random((3, 4)) > 0.5
COEF = R.random((3, 4))
GATHER = R.integers(0, 4, size=(2, 3, 4))
WHH = R.normal(size=(4, 4))


def op(name: str, **kw: Any) -> Callable[..., Any]:
    return lambda *xs: apply(OPS[name], *xs, **kw)


def pos(x: Any) -> Any:
    return x * x + 0.5  # keep log, sqrt, pow in their domain


# name -> (function of the inputs, number of (B, 3, 4) inputs); every op with an ONNX form is here
SPECS: dict[str, list[tuple[Callable[..., Any], int]]] = {
    "add": [(op("add"), 2)], "sub": [(op("sub"), 2)], "mul": [(op("mul"), 2)],
    "div": [(lambda x, y: x / pos(y), 2)], "pow": [(lambda x, y: pos(x) ** y, 2), (lambda x: x ** 3, 1)],
    "identity": [(op("identity"), 1)], "neg": [(op("neg"), 1)], "exp": [(op("exp"), 1)],
    "log": [(lambda x: pos(x).log(), 1)], "sqrt": [(lambda x: pos(x).sqrt(), 1)], "abs": [(op("abs"), 1)],
    "sigmoid": [(op("sigmoid"), 1)], "tanh": [(op("tanh"), 1)], "relu": [(op("relu"), 1)], "step": [(op("step"), 1)],
    "maximum": [(op("maximum"), 3)], "minimum": [(op("minimum"), 2)], "logaddexp": [(op("logaddexp"), 3)],
    "where": [(lambda x, y: apply(OPS["where"], x, y, cond=COND), 2)],
    "softplus": [(op("softplus", beta=2.0, threshold=1.0), 1), (op("softplus", beta=1.0, threshold=20.0), 1)],
    "gelu": [(op("gelu", approximate="none"), 1), (op("gelu", approximate="tanh"), 1)],
    "leaky_relu": [(op("leaky_relu", negative_slope=0.1), 1)], "elu": [(op("elu", alpha=0.7), 1)],
    "clamp": [(op("clamp", min=-0.5, max=0.3), 1), (op("clamp", min=None, max=0.3), 1),
              (op("clamp", min=-0.2, max=None), 1)],
    "cast": [(lambda x: apply(OPS["cast"], x, dtype="float32").tanh(), 1)],
    "sin": [(op("sin"), 1)], "cos": [(op("cos"), 1)], "tan": [(op("tan"), 1)], "erf": [(op("erf"), 1)],
    "log1p": [(lambda x: pos(x).log1p(), 1)], "expm1": [(op("expm1"), 1)],
    "sum": [(op("sum", axis=1, keepdims=False), 1), (op("sum", axis=None, keepdims=False), 1),
            (op("sum", axis=(0, 2), keepdims=True), 1)],
    "max": [(op("max", axis=-1, keepdims=False), 1), (op("max", axis=None, keepdims=True), 1)],
    "min": [(op("min", axis=(1, 2), keepdims=True), 1)],
    "softmax": [(op("softmax", axis=-1), 1), (op("softmax", axis=0), 1)],
    "log_softmax": [(op("log_softmax", axis=1), 1)],
    "logsumexp": [(op("logsumexp", axis=-1, keepdims=False), 1), (op("logsumexp", axis=None, keepdims=False), 1),
                  (lambda x: apply(OPS["logsumexp"], x * 1000.0, axis=(1, 2), keepdims=True), 1)],
    "var": [(op("var", axis=1, correction=1, keepdims=False), 1), (op("var", axis=0, correction=1, keepdims=True), 1)],
    "std": [(op("std", axis=None, correction=0, keepdims=False), 1), (op("std", axis=(0, 2), correction=1, keepdims=False), 1)],
    "prod": [(op("prod", axis=2, keepdims=False), 1)],
    "cumsum": [(op("cumsum", axis=1), 1), (op("cumsum", axis=0), 1)],
    "matmul": [(lambda x: x @ Tensor(W), 1), (lambda x, y: x @ y.transpose(1, 2), 2)],
    "linear": [(lambda x: apply(OPS["linear"], x, Tensor(W.T), Tensor(W[0])), 1),
               (lambda x: apply(OPS["linear"], x[:, 0], Tensor(W.T), Tensor(W[0])), 1)],
    "softmax_cross_entropy": [(lambda x: apply(OPS["softmax_cross_entropy"], x, x * 0.0 + COEF.astype(x.dtype)), 1)],
    "rnn_tanh_step": [(lambda x, h: apply(OPS["rnn_tanh_step"], x, h, Tensor(WHH)), 2)],
    "sum_to": [(op("sum_to", shape=(3, 1)), 1), (op("sum_to", shape=(1, 3, 4)), 1)],
    "broadcast_to": [(lambda x: apply(OPS["broadcast_to"], x[:, :1], shape=(x.shape[0], 3, 4)), 1)],
    "reshape": [(lambda x: x.reshape(x.shape[0], 12), 1), (lambda x: x.reshape(-1, 4), 1),
                (lambda x: x.reshape(x.shape[0], 2, 6).reshape(x.shape[0] * 2, 6), 1)],
    "transpose": [(lambda x: x.permute(2, 0, 1), 1)],
    "getitem": [(lambda x: x[:, 1], 1), (lambda x: x[..., ::-1], 1), (lambda x: x[:, None, 1:3], 1),
                (lambda x: x[-1], 1), (lambda x: x[:, [0, 2]], 1), (lambda x: x[:, [2, 0], 1], 1),
                (lambda x: x[:, 0, [1, 3, 3]], 1), (lambda x: x[:, [0, 1, 2], [3, 2, 1]], 1),
                (lambda x: x[:, :, np.array([True, False, True, True])], 1), (lambda x: x[:, -2:, 1:-1:2], 1),
                (lambda x: x[1:, ..., None], 1)],
    "norm": [(op("norm", axis=-1, keepdims=False, p=2), 1), (op("norm", axis=(0, 1), keepdims=True, p=3.0), 1),
             (op("norm", axis=None, keepdims=False, p=1.0), 1)],
    "concatenate": [(lambda x, y: apply(OPS["concatenate"], x, y, axis=-1), 2)],
    "stack": [(lambda x, y: apply(OPS["stack"], x, y, axis=1), 2), (lambda x, y: apply(OPS["stack"], x, y, axis=-1), 2)],
    "reciprocal": [(lambda x: pos(x).reciprocal(), 1)], "rsqrt": [(lambda x: pos(x).rsqrt(), 1)],
    "log2": [(lambda x: pos(x).log2(), 1)], "log10": [(lambda x: pos(x).log10(), 1)],
    "floor": [(lambda x: (x * 3.0).floor(), 1)], "ceil": [(lambda x: (x * 3.0).ceil(), 1)],
    "hardtanh": [(op("hardtanh", min_val=-0.5, max_val=0.8), 1), (op("hardtanh", min_val=0.0, max_val=6.0), 1)],
}
NOT_EXPORTABLE = {"index_add": "the adjoint of indexing: only backward graphs record it"}
OWN_TEST = {"index_put": "test_item_and_slice_assignment (fixed shapes only)"}


def test_every_op_with_an_onnx_form_has_an_export_test() -> None:
    with_form = {name for name, o in OPS.items() if o.onnx is not None}
    assert with_form - set(SPECS) - set(OWN_TEST) == set()
    assert {name for name, o in OPS.items() if o.onnx is None} <= set(NOT_EXPORTABLE) | set(OPS) - set(SPECS)


@pytest.mark.parametrize("name,case", [(n, i) for n, cases in SPECS.items() for i in range(len(cases))])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_op_exports_and_runs_at_other_batch_sizes(name: str, case: int, dtype: Any, tmp_path: Any) -> None:
    fn, n = SPECS[name][case]
    rng = np.random.default_rng(case)
    draw = lambda b: [rng.normal(size=(b, 3, 4)).astype(dtype) for _ in range(n)]  # noqa: E731
    names = [f"x{k}" for k in range(n)]
    model = roundtrip(fn, draw(4), tmp_path, [draw(1), draw(7)], dynamic_axes={k: {0: "batch"} for k in names},
                      input_names=names)
    assert any(node.op_type for node in model.graph.node)


@pytest.mark.parametrize("index", [(1, slice(None, None, 2)), (slice(None), [0, 2], 1), (Ellipsis, -1)])
def test_item_and_slice_assignment(index: Any, tmp_path: Any) -> None:
    """index_put (x[i] = v) on a fixed shape; along a dynamic axis it is refused, named."""
    from autograd_core.onnx import ExportError, export

    def fn(x: Any, v: Any) -> Any:
        y = x * 1.0
        y[index] = v.tanh()
        return y * 2.0
    x, v = np.random.default_rng(2).normal(size=(3, 4, 5)), np.random.default_rng(3).normal(size=(1,))
    roundtrip(fn, [x, v], tmp_path, [[x + 1.0, v - 2.0]], input_names=["x", "v"])
    with pytest.raises(ExportError, match="index_put .*changes when the inputs do"):
        export(fn, (x, v), None, input_names=["x", "v"], dynamic_axes={"x": {2: "n"}})


def test_gather_picks_along_a_dim(tmp_path: Any) -> None:
    x = np.random.default_rng(1).normal(size=(2, 3, 4))
    roundtrip(lambda t: t.gather(2, GATHER), [x], tmp_path, [[x * 2.0], [x - 1.0]])
