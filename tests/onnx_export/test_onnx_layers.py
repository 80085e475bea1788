"""nn layers and the notes' models exported to ONNX: onnx.checker passes, onnxruntime agrees at other batch sizes."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import nn
from autograd_core import Tensor, log_softmax

pytest.importorskip("onnx", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
pytest.importorskip("onnxruntime", reason="the ONNX export tests need the onnx extra: pip install '.[onnx]'")
from tests.onnx_export.onnx_check import roundtrip, run_onnx  # noqa: E402

BATCH = {"input": {0: "batch"}}


def draw(*shape: int, dtype: Any = np.float64, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_linear_exports_with_a_dynamic_batch(dtype: Any, tmp_path: Any) -> None:
    layer = nn.Linear(5, 3, seed=0, dtype=dtype)
    model = roundtrip(layer, [draw(4, 5, dtype=dtype)], tmp_path,
                      [[draw(1, 5, dtype=dtype, seed=1)], [draw(1000, 5, dtype=dtype, seed=2)]], BATCH)
    assert {i.name for i in model.graph.initializer} == {"weight", "bias"}
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and dims[1].dim_value == 5


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mlp_exports_and_agrees_at_batch_1_and_1000(activation: str, dtype: Any, tmp_path: Any) -> None:
    mlp = nn.MLP(6, [16, 16, 3], activation=activation, seed=1, dtype=dtype)
    roundtrip(mlp, [draw(4, 6, dtype=dtype)], tmp_path,
              [[draw(1, 6, dtype=dtype, seed=1)], [draw(1000, 6, dtype=dtype, seed=2)]], BATCH)


def test_sequential_of_every_activation_with_dropout_as_identity(tmp_path: Any) -> None:
    model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 8, seed=1), nn.Tanh(),
                          nn.Sigmoid(), nn.LeakyReLU(0.2), nn.GELU(), nn.ELU(0.5), nn.Softplus(), nn.GELU("tanh"),
                          nn.Identity(), nn.Linear(8, 5, seed=2), nn.LogSoftmax(dim=-1), nn.Softmax(dim=-1))
    model.train()  # export runs it in eval mode and puts it back
    roundtrip(model, [draw(4, 4)], tmp_path, [[draw(1, 4, seed=1)], [draw(1000, 4, seed=2)]], BATCH)
    assert model.training and model[2].training


def test_flatten_and_step_layers(tmp_path: Any) -> None:
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 4, seed=0), nn.Step())
    roundtrip(model, [draw(4, 3, 4)], tmp_path, [[draw(1, 3, 4, seed=1)], [draw(1000, 3, 4, seed=2)]], BATCH)


class Bag(nn.Module):
    """Embedding -> mean over the sequence -> Linear: integer indices in, logits out."""

    def __init__(self) -> None:
        super().__init__()
        self.emb = nn.Embedding(20, 6, seed=0)
        self.head = nn.Linear(6, 3, seed=1)

    def forward(self, idx: Any) -> Any:
        return self.head(self.emb(idx).mean(axis=1))


def test_embedding_takes_integer_indices_as_a_graph_input(tmp_path: Any) -> None:
    rng = np.random.default_rng(0)
    model = roundtrip(Bag(), [rng.integers(0, 20, (4, 7))], tmp_path,
                      [[rng.integers(0, 20, (1, 7))], [rng.integers(0, 20, (1000, 7))]], BATCH)
    assert model.graph.input[0].type.tensor_type.elem_type == 7  # int64
    assert any(n.op_type == "Gather" for n in model.graph.node)


def test_int32_indices_in_gather_nd(tmp_path: Any) -> None:
    rng = np.random.default_rng(0)
    table = nn.Parameter(rng.normal(size=(6, 5)))
    fn = lambda rows, cols: table[rows, cols] * 2.0  # noqa: E731
    ex = [rng.integers(0, 6, 4).astype(np.int32), rng.integers(0, 5, 4).astype(np.int32)]
    new = [rng.integers(0, 6, 9).astype(np.int32), rng.integers(0, 5, 9).astype(np.int32)]
    roundtrip(fn, ex, tmp_path, [new], {"r": {0: "n"}, "c": {0: "n"}}, input_names=["r", "c"])


def test_two_inputs_two_outputs_and_names(tmp_path: Any) -> None:
    lin = nn.Linear(3, 2, seed=0)
    fn = lambda a, b: (lin(a) * b.sum(axis=-1, keepdims=True), (a - 1.0).exp())  # noqa: E731
    axes = {"a": {0: "n"}, "b": {0: "n"}, "y": {0: "rows"}}
    model = roundtrip(fn, [draw(4, 3), draw(4, 5, seed=1)], tmp_path, [[draw(9, 3, seed=2), draw(9, 5, seed=3)]],
                      axes, input_names=["a", "b"], output_names=["y", "z"])
    out = {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in model.graph.output}
    assert out == {"y": ["rows", 2], "z": ["n", 3]}


def test_a_fixed_batch_is_fixed_in_the_file(tmp_path: Any) -> None:
    from autograd_core.onnx import export

    model = export(nn.Linear(3, 2, seed=0), draw(4, 3), tmp_path / "m.onnx")
    assert [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim] == [4, 3]
    with pytest.raises(Exception, match="(?i)dimension|shape|got"):
        run_onnx(tmp_path / "m.onnx", {"input": draw(5, 3)})


# ---- the models the notes' experiments train ---------------------------------------------------


def _trained(model: Any, X: np.ndarray, y: np.ndarray, steps: int = 20) -> Any:
    opt = nn.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(steps):
        opt.zero_grad()
        nn.cross_entropy(model(Tensor(X)), y).backward()
        opt.step()
    return model


@pytest.mark.parametrize("note,build", [
    ("hidden-layer (logistic regression)", lambda: nn.Linear(2, 2, seed=0)),
    ("hidden-layer", lambda: nn.MLP(2, [8, 2], activation="tanh", seed=0)),
    ("l1-vs-l2, minibatch-noise, nielsen-sgd", lambda: nn.MLP(64, [30, 10], activation="sigmoid", seed=0)),
    ("vanishing-gradients", lambda: nn.MLP(64, [30] * 5 + [10], activation="sigmoid", seed=0)),
    ("width-approximation", lambda: nn.MLP(1, [20, 1], activation="relu", seed=0)),
])
def test_the_notes_mlps_export_after_training(note: str, build: Any, tmp_path: Any) -> None:
    model = build()
    nin, nout = model.in_features if hasattr(model, "in_features") else model.layers[0].in_features, \
        model.out_features if hasattr(model, "out_features") else model.layers[-1].out_features
    rng = np.random.default_rng(0)
    X = rng.normal(size=(32, nin))
    if nout > 1:
        _trained(model, X, rng.integers(0, nout, 32))
    roundtrip(model, [X[:4]], tmp_path, [[X[:1]], [rng.normal(size=(1000, nin))]], BATCH)


def test_models_trained_by_the_notes_own_code_export(tmp_path: Any) -> None:
    """hidden-layer's and l1-vs-l2's train functions, run briefly, give models that export."""
    from autograd_notes import hidden_layer, l1_vs_l2

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    for hidden in (0, 3):
        model = hidden_layer.train(X, (X[:, 0] * X[:, 1] > 0).astype(float), hidden, 5, 0)
        roundtrip(model, [X[:4]], tmp_path, [[X[:1]], [rng.normal(size=(1000, 2))]], BATCH)
    digits = rng.random((60, 64))
    model, _ = l1_vs_l2.train("l2", digits, rng.integers(0, 10, 60), 0, 1)
    roundtrip(model, [digits[:4]], tmp_path, [[digits[:1]], [rng.random((1000, 64))]], BATCH)


def test_the_notes_skip_gram_model_exports(tmp_path: Any) -> None:
    """skip-gram: log softmax(U v_c) over the vocabulary for centre words c (integer inputs)."""
    rng = np.random.default_rng(0)
    Vw, Uw = nn.Parameter(0.1 * rng.normal(size=(25, 10))), nn.Parameter(0.1 * rng.normal(size=(25, 10)))
    fn = lambda c: log_softmax(Vw[c] @ Uw.T, axis=1)  # noqa: E731
    roundtrip(fn, [rng.integers(0, 25, 4)], tmp_path, [[rng.integers(0, 25, 1)], [rng.integers(0, 25, 1000)]], BATCH)


def test_the_notes_rnn_cell_unrolled_by_hand_exports(tmp_path: Any) -> None:
    """rnn-sharing: one RNNCell applied at every step of a fixed-length sequence."""
    cell = nn.RNNCell(2, 3, seed=0)

    def unroll(xs: Any) -> Any:
        h = None
        for t in range(xs.shape[1]):
            h = cell(xs[:, t], h)
        return h
    roundtrip(unroll, [draw(4, 5, 2)], tmp_path, [[draw(1, 5, 2, seed=1)], [draw(1000, 5, 2, seed=2)]], BATCH)
