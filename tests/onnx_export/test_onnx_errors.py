"""What export refuses, and the error a user sees: ops without an ONNX form, values read outside the graph, bad arguments."""
from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np
import pytest

import nn
from autograd_core import Op, Tensor, where

pytest.importorskip("onnx", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
pytest.importorskip("onnxruntime", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
from autograd_core.onnx import ExportError, export  # noqa: E402

X = np.random.default_rng(0).normal(size=(4, 3))
BATCH = {"input": {0: "batch"}}


def test_an_op_without_an_onnx_form_is_named() -> None:
    from autograd_core.ops.apply import apply

    cube = Op("cube", forward=lambda x: x ** 3, scalar=None, vjps=(lambda g, ans, x: 3 * g * x * x,),
              vjp_variadic=None, check=None)
    layer = nn.Linear(3, 3, seed=0)
    with pytest.raises(ExportError, match=r"op 'cube' has no ONNX form: its op-table entry gives no onnx="):
        export(lambda x: apply(cube, layer(x)), X, None)


def test_an_op_without_a_form_inside_a_module_names_the_module() -> None:
    from autograd_core.ops.apply import apply

    cube = Op("cube", forward=lambda x: x ** 3, scalar=None, vjps=(lambda g, ans, x: 3 * g * x * x,),
              vjp_variadic=None, check=None)

    class Cube(nn.Module):
        def forward(self, x: Any) -> Any:
            return apply(cube, x)
    model = nn.Sequential(nn.Linear(3, 3, seed=0), Cube())
    with pytest.raises(ExportError, match=r"op 'cube' \(in 1, a Cube\) has no ONNX form"):
        export(model, X, None)


def test_a_custom_function_exports_through_its_onnx_form_or_is_named(tmp_path: Any) -> None:
    from autograd_core import autograd
    from tests.onnx_export.onnx_check import roundtrip

    class Cube(autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            x, = ctx.saved_tensors
            return 3 * g * x * x

    layer = nn.Linear(3, 3, seed=0)
    with pytest.raises(ExportError, match=r"onnx.export: Cube: the custom autograd.Function Cube has no ONNX form"):
        export(lambda x: Cube.apply(layer(x)), X, None)
    Cube.onnx = staticmethod(lambda b, x: b.op("Pow", x, b.const(3.0)))
    roundtrip(lambda x: Cube.apply(layer(x)), [X], tmp_path, [[X[:1]], [np.ones((9, 3))]], BATCH)


def test_a_condition_computed_outside_the_graph_is_refused() -> None:
    """x > 0 is not recorded (comparisons give constants), so `where` would freeze the example's mask."""
    with pytest.raises(ExportError, match=r"where .*changes when the inputs do"):
        export(lambda x: where(x > 0, x, x * 0.1), X, None)


def test_a_value_read_into_python_is_refused() -> None:
    with pytest.raises(ExportError, match="changes when the inputs do"):
        export(lambda x: x * float(x.sum().item()), X, None)


def test_control_flow_on_the_batch_size_is_refused() -> None:
    with pytest.raises(ExportError, match="takes another path|depends on the inputs"):
        export(lambda x: x.exp() if x.shape[0] == 4 else x.tanh(), X, None, dynamic_axes=BATCH)


def test_a_size_baked_into_a_constant_is_refused() -> None:
    fn = lambda x: x * Tensor(np.arange(x.shape[0], dtype=float)[:, None])  # noqa: E731
    with pytest.raises(ExportError, match=r"constant of shape \(4, 1\) that changes"):
        export(fn, X, None, dynamic_axes=BATCH)


def test_without_onnx_installed_the_error_says_how_to_install(monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match=r"pip install 'autograd-core\[onnx\]'"):
        export(nn.Linear(3, 2, seed=0), X, None)


def test_a_target_that_is_not_a_regular_file_is_refused_untouched(tmp_path: Any) -> None:
    folder = tmp_path / "model.onnx"
    folder.mkdir()
    (folder / "keep").write_text("x")
    with pytest.raises(IsADirectoryError, match="not a regular file"):
        export(nn.Linear(3, 2, seed=0), X, folder)
    assert (folder / "keep").read_text() == "x" and os.listdir(tmp_path) == ["model.onnx"]


def test_an_existing_file_is_replaced_whole(tmp_path: Any) -> None:
    import onnx

    path = tmp_path / "m.onnx"
    path.write_bytes(b"old")
    export(nn.Linear(3, 2, seed=0), X, path)
    onnx.checker.check_model(onnx.load(str(path)))
    assert sorted(os.listdir(tmp_path)) == ["m.onnx"]


@pytest.mark.parametrize("kwargs,message", [
    ({"dynamic_axes": {"x": {0: "batch"}}}, "neither an input"),
    ({"dynamic_axes": {"input": {2: "batch"}}}, "not a dim"),
    ({"dynamic_axes": {"input": {0: ""}}}, "non-empty string"),
    ({"input_names": ["a", "b"]}, "1 distinct non-empty strings"),
    ({"output_names": ["y", "y"]}, "distinct"),
])
def test_bad_arguments_are_named(kwargs: dict, message: str) -> None:
    with pytest.raises(ExportError, match=message):
        export(nn.Linear(3, 2, seed=0), X, None, **kwargs)


def test_a_recurrent_layer_dropping_units_in_training_mode_is_refused() -> None:
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5, seed=0)
    with pytest.raises(ExportError, match=r"LSTM: in training mode it drops units.*call .eval\(\)"):
        export(lambda x: lstm(x)[0], np.ones((5, 2, 3)), None)
    lstm.eval()
    export(lambda x: lstm(x)[0], np.ones((5, 2, 3)), None)


def test_a_dropout_in_training_mode_inside_a_function_is_refused() -> None:
    drop = nn.Dropout(0.5)
    with pytest.raises(ExportError, match="a Dropout in training mode"):
        export(lambda x: drop(x) * 2.0, X, None)


def test_bad_inputs_and_outputs_are_named() -> None:
    with pytest.raises(ExportError, match="dtype bool"):
        export(lambda x: x, np.array([True]), None)
    with pytest.raises(ExportError, match="return a Tensor"):
        export(lambda x: 3.0, X, None)
    with pytest.raises(ExportError, match="has size 4 in one input and 5"):
        export(lambda a, b: a, (X, np.ones((5, 3))), None, input_names=["a", "b"],
               dynamic_axes={"a": {0: "n"}, "b": {0: "n"}})
    with pytest.raises(ExportError, match="empty in the example"):
        export(lambda x: x * 2.0, np.ones((0, 3)), None, dynamic_axes=BATCH)
