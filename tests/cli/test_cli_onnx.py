"""`autograd-core train --export model.onnx`: the file runs in onnxruntime and agrees with the trained model."""
from __future__ import annotations

import argparse
import importlib.util

import numpy as np
import pytest

HAVE_ONNX = importlib.util.find_spec("onnx") is not None and importlib.util.find_spec("onnxruntime") is not None
needs_onnx = pytest.mark.skipif(not HAVE_ONNX, reason="--export needs the onnx extra: pip install '.[onnx]'")


@needs_onnx
@pytest.mark.parametrize("model,task,shape", [("mlp", "moons", (1000, 2)), ("lstm", "parity", (7, 4, 1)),
                                              ("gru", "xor", (1, 2, 1))])
def test_train_exports_a_model_onnxruntime_runs(cli, tmp_path, model, task, shape):
    import onnxruntime as ort

    from autograd_cli import models, tasks
    from autograd_core import Tensor, no_grad

    r = cli("train", "--task", task, "--model", model, "--hidden", "8", "--epochs", "2", "--length", "4",
            "--save", "m.npz", "--export", "m.onnx", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "ONNX model written to m.onnx" in r.stdout
    data = tasks.load_task(task, 0, 4)
    net = models.build_model(model, data, [8], 0)
    net.load(str(tmp_path / "m.npz"))
    x = np.random.default_rng(0).normal(size=shape)
    session = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["input"] and [o.name for o in session.get_outputs()] == ["logits"]
    got = session.run(None, {"input": x})[0]
    with no_grad():
        want = net.eval()(Tensor(x)).data
    assert got.shape == want.shape and np.max(np.abs(got - want)) <= 1e-10 * max(1.0, np.max(np.abs(want)))


def test_export_path_errors(cli, clean_error):
    clean_error(cli("train", "--export", "m.txt"), "--export 'm.txt': the file name must end in .onnx", code=2)
    clean_error(cli("train", "--export", "nowhere/m.onnx"), "does not exist")


def test_export_without_onnx_says_how_to_install(monkeypatch):
    from autograd_cli import train_cmd
    from autograd_cli.errors import CLIError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "onnx" else real(name, *a))
    args = argparse.Namespace(task="moons", model="mlp", hidden=None, epochs=0, lr=None, optimizer="adam", plot=None,
                              boundary=None, length=5, batch_size=32, save=None, svg=None, load=None, export="m.onnx")
    with pytest.raises(CLIError, match=r"--export needs the onnx package.*pip install 'autograd-core\[onnx\]'"):
        train_cmd._validate(args)
