"""Shared helpers for the ONNX export tests: export, check, run in onnxruntime, compare with our forward."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pytest

from autograd_core import Tensor, no_grad

onnx = pytest.importorskip("onnx", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
ort = pytest.importorskip("onnxruntime", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")

TOL = {np.dtype(np.float32): 1e-6, np.dtype(np.float64): 1e-10}


# onnxruntime has no float64 kernel for these ONNX ops (valid ONNX all the same): files using them in
# float64 run in onnx's own reference evaluator instead (numpy-based, independent of this library).
NO_DOUBLE_KERNEL = {"Erf"}


def run_onnx(path: Any, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Run the file in onnxruntime on the CPU (onnx's reference evaluator for float64 graphs using an
    op onnxruntime has no float64 kernel for)."""
    model = onnx.load(str(path))
    doubles = any(i.type.tensor_type.elem_type == onnx.TensorProto.DOUBLE for i in model.graph.input)
    if doubles and {n.op_type for n in model.graph.node} & NO_DOUBLE_KERNEL:
        from onnx.reference import ReferenceEvaluator

        return list(ReferenceEvaluator(model).run(None, feeds))
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def ours(fn: Any, inputs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """This library's forward (eval mode for a module), as arrays."""
    was = getattr(fn, "training", None)
    if was is not None:
        fn.eval()
    try:
        with no_grad():
            out = fn(*[Tensor(a, dtype=a.dtype) if a.dtype.kind == "f" else a for a in inputs])
    finally:
        if was:
            fn.train()
    from autograd_core.onnx.walk import flatten

    return [v.data for v in flatten(out)]


def assert_close(got: np.ndarray, want: np.ndarray) -> None:
    """Agree to 1e-6 (float32) or 1e-10 (float64), relative to the size of the numbers."""
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape, got.dtype, want.dtype)
    tol = TOL[np.dtype(want.dtype)]
    scale = max(1.0, float(np.max(np.abs(want))) if want.size else 1.0)
    assert np.array_equal(np.isnan(got), np.isnan(want)), "nan in different places"
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    err = float(np.max(np.where(np.isnan(want), 0.0, diff))) if want.size else 0.0
    assert err <= tol * scale, f"max difference {err:.3g} over {tol * scale:.3g}"


def roundtrip(fn: Any, example: Sequence[np.ndarray], tmp: Path, new: Sequence[Sequence[np.ndarray]],
              dynamic_axes: dict[str, Any] | None = None, **options: Any) -> Any:
    """Export fn on the example, check the file with onnx.checker, and for each input set in `new`
    compare onnxruntime's outputs with ours; returns the ModelProto."""
    from autograd_core.onnx import export

    path = tmp / "model.onnx"
    model = export(fn, tuple(example), path, dynamic_axes=dynamic_axes, **options)
    loaded = onnx.load(str(path))
    onnx.checker.check_model(loaded, full_check=True)
    names = [i.name for i in loaded.graph.input]
    for inputs in new:
        got = run_onnx(path, dict(zip(names, inputs)))
        want = ours(fn, inputs)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert_close(g, w)
    return model
