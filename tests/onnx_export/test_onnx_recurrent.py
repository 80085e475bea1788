"""RNN, LSTM and GRU exported whole: any sequence length and batch in onnxruntime; ONNX's gate orders checked."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import nn

pytest.importorskip("onnx", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
pytest.importorskip("onnxruntime", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
from tests.onnx_export.onnx_check import roundtrip, run_onnx  # noqa: E402

KINDS = {"rnn": lambda **kw: nn.RNN(3, 5, **kw), "rnn_relu": lambda **kw: nn.RNN(3, 5, nonlinearity="relu", **kw),
         "lstm": lambda **kw: nn.LSTM(3, 5, **kw), "gru": lambda **kw: nn.GRU(3, 5, **kw)}
CONFIGS = {"one layer": {}, "stacked bidirectional batch_first": {"num_layers": 2, "bidirectional": True, "batch_first": True},
           "stacked, no bias": {"num_layers": 2, "bias": False}, "bidirectional": {"bidirectional": True}}


def draw(*shape: int, dtype: Any, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_recurrent_layers_run_any_length_and_batch(kind: str, config: str, dtype: Any, tmp_path: Any) -> None:
    opts = CONFIGS[config]
    model = KINDS[kind](seed=0, dtype=dtype, **opts)
    first = opts.get("batch_first", False)
    shape = (lambda t, n: (n, t, 3)) if first else (lambda t, n: (t, n, 3))
    axes = {"input": {1: "seq", 0: "batch"} if first else {0: "seq", 1: "batch"}}
    onnx_model = roundtrip(model, [draw(*shape(4, 2), dtype=dtype, seed=0)], tmp_path,
                           [[draw(*shape(1, 1), dtype=dtype, seed=1)], [draw(*shape(9, 1000), dtype=dtype, seed=2)]], axes)
    types = {n.op_type for n in onnx_model.graph.node}
    assert ({"LSTM", "GRU", "RNN"} & types if dtype == np.float32 else {"Scan"} <= types)


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_given_starting_states_and_unbatched_input(kind: str, dtype: Any, tmp_path: Any) -> None:
    model = KINDS[kind](seed=1, dtype=dtype, num_layers=2, bidirectional=True)

    def fn(x: Any, h: Any, c: Any) -> Any:
        return model(x, (h, c) if kind == "lstm" else h + c)
    axes = {"x": {0: "seq", 1: "batch"}, "h": {1: "batch"}, "c": {1: "batch"}}
    ex = [draw(4, 2, 3, dtype=dtype, seed=0), draw(4, 2, 5, dtype=dtype, seed=1), draw(4, 2, 5, dtype=dtype, seed=2)]
    new = [draw(7, 3, 3, dtype=dtype, seed=3), draw(4, 3, 5, dtype=dtype, seed=4), draw(4, 3, 5, dtype=dtype, seed=5)]
    roundtrip(fn, ex, tmp_path, [new], axes, input_names=["x", "h", "c"])
    single = KINDS[kind](seed=2, dtype=dtype)
    roundtrip(single, [draw(4, 3, dtype=dtype, seed=6)], tmp_path / "..", [[draw(11, 3, dtype=dtype, seed=7)]],
              {"input": {0: "seq"}})


def test_the_cli_sequence_classifier_exports(tmp_path: Any) -> None:
    from autograd_cli.models import SequenceClassifier

    for kind in ("rnn", "lstm", "gru"):
        model = SequenceClassifier(kind, 1, 8, 2, seed=0)
        roundtrip(model, [draw(4, 5, 1, dtype=np.float64, seed=0)], tmp_path,
                  [[draw(1, 5, 1, dtype=np.float64, seed=1)], [draw(1000, 12, 1, dtype=np.float64, seed=2)]],
                  {"input": {0: "batch", 1: "seq"}})


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_gate_order_against_torch(kind: str, tmp_path: Any) -> None:
    """ONNX stacks LSTM gates i,o,f,c and GRU gates z,r,h (linear_before_reset=1); torch and this library
    i,f,g,o and r,z,n. The file, run by onnxruntime, must agree with torch on torch's own weights."""
    torch = pytest.importorskip("torch", reason="the torch comparison needs torch")
    from autograd_core.onnx import export

    model = KINDS[kind](seed=3, dtype=np.float32, num_layers=2, bidirectional=True)
    ref = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(3, 5, num_layers=2, bidirectional=True, dtype=torch.float32)
    ref.load_state_dict({k: torch.tensor(v) for k, v in model.state_dict().items()})
    onnx_model = export(model, draw(4, 2, 3, dtype=np.float32, seed=0), tmp_path / "m.onnx",
                        dynamic_axes={"input": {0: "seq", 1: "batch"}})
    node = next(n for n in onnx_model.graph.node if n.op_type in ("LSTM", "GRU"))
    attrs = {a.name: a for a in node.attribute}
    assert kind == "lstm" or attrs["linear_before_reset"].i == 1
    x = draw(6, 3, 3, dtype=np.float32, seed=1)
    got = run_onnx(tmp_path / "m.onnx", {"input": x})
    with torch.no_grad():
        out, state = ref(torch.tensor(x))
    want = [out.numpy()] + ([state[0].numpy(), state[1].numpy()] if kind == "lstm" else [state.numpy()])
    for g, w in zip(got, want):
        assert np.max(np.abs(g - w)) < 1e-5
