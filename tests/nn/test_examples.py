"""The nn examples: run each main() and check the figures it reports."""
import importlib.util
from pathlib import Path

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_moons_tensor_reaches_100_percent(capsys):
    result = load("moons_tensor").main()
    assert result["accuracy"] == 1.0
    assert result["first_perfect_step"] == 41
    assert result["loss"] == pytest.approx(0.0116, abs=5e-4)
    assert result["parameters"] == 337
    assert "training accuracy 100% after 100 steps" in capsys.readouterr().out


def test_moons_scalar_follows_the_tensor_path_step_for_step():
    # the scalar path takes ~0.2-0.5 s per step (100 x ~1,000 Value nodes); its full 100-step run
    # (100% at step 41, like the Tensor path) is the example itself. Here: the first steps agree
    # with the Tensor model to rounding, so the two paths train the same network the same way.
    scalar = load("moons_scalar").main(steps=3, verbose=False)
    tensor = load("moons_tensor").main(steps=3, verbose=False)
    assert scalar["parameters"] == tensor["parameters"] == 337
    assert scalar["loss"] == pytest.approx(tensor["loss"], rel=1e-12)
    assert scalar["accuracy"] == tensor["accuracy"]
    first = load("moons_scalar").main(steps=1, verbose=False)
    assert first["loss"] == pytest.approx(1.8975, abs=1e-4)


def test_digits_mlp_reaches_97_percent():
    pytest.importorskip("sklearn")
    result = load("digits_mlp").main(verbose=False)
    assert result["test_accuracy"] >= 0.97
    assert result["test_accuracy"] == pytest.approx(438 / 449)
    assert (result["train_size"], result["test_size"], result["parameters"]) == (1348, 449, 9610)
    history = result["history"]
    assert history.epochs == 30 and history.val_accuracy[-1] == result["test_accuracy"]


def test_sequence_rnn_recurrent_cells_learn_parity_and_the_mlp_does_not():
    results = load("sequence_rnn").main(verbose=False)
    for kind in ("RNN", "LSTM", "GRU"):
        assert results[kind]["train"] == 1.0 and results[kind]["test"] == 1.0, kind
        assert results[kind]["long"] >= 0.99, kind  # 20-bit sequences, twice the training length
    assert results["MLP"]["test"] <= 0.6 and results["MLP"]["train"] < 0.9
    params = {k: r["parameters"] for k, r in results.items()}
    assert params == {"RNN": 338, "LSTM": 1250, "GRU": 946, "MLP": 1198}


def test_sequence_rnn_data_split_is_disjoint():
    data = load("sequence_rnn").make_data(0)
    seen = {x.tobytes() for x in data["X_train"]}
    assert len(seen) == 512 and not any(x.tobytes() in seen for x in data["X_test"])
    np.testing.assert_array_equal(data["y_test"][:, -1], data["X_test"][:, :, 0].sum(axis=1) % 2)


def test_logic_gates(capsys):
    result = load("logic_gates").main()
    assert result["step"] == {"AND": 1.0, "OR": 1.0, "NAND": 1.0}
    assert result["sigmoid"] == {"AND": 1.0, "OR": 1.0, "NAND": 1.0}
    xor = result["xor"]
    assert xor["single step unit (best on grid)"] == 0.75
    assert xor["single sigmoid neuron (trained)"] <= 0.75
    assert xor["2-2-1 step units (hand-wired)"] == 1.0
    assert xor["2-2-1 sigmoid network (trained)"] == 1.0
    assert "XOR, 2-2-1 sigmoid network (trained): 100%" in capsys.readouterr().out
