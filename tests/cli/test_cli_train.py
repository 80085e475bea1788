"""`autograd-core train` through the real command: metrics, checkpoints, pictures, and its errors."""
from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

PNG = b"\x89PNG\r\n\x1a\n"


def final_metrics(stdout: str) -> dict[str, float]:
    """Numbers of the 'final: ...' line."""
    line = next(l for l in stdout.splitlines() if l.startswith("final:"))
    pairs = re.findall(r"(train loss|train accuracy|test loss|test accuracy) ([0-9.]+)", line)
    return {k: float(v) for k, v in pairs}


def test_train_moons_writes_checkpoint_curve_boundary_graph_and_reloads(cli, tmp_path):
    r = cli("train", "--task", "moons", "--epochs", "20", "--save", "ck.npz", "--plot", "curve.png",
            "--boundary", "b.png", "--svg", "g.svg", "--log-every", "5")
    assert r.returncode == 0, r.stderr
    epoch_lines = [l for l in r.stdout.splitlines() if l.startswith("epoch")]
    assert [l.split()[1] for l in epoch_lines] == ["5/20", "10/20", "15/20", "20/20"]
    losses = [float(l.split()[3]) for l in epoch_lines]
    assert losses[-1] < losses[0]
    first = final_metrics(r.stdout)
    assert first["test accuracy"] >= 90.0
    for png in ("curve.png", "b.png"):
        data = (tmp_path / png).read_bytes()
        assert data.startswith(PNG) and len(data) > 1000
    assert ET.parse(tmp_path / "g.svg").getroot().tag.endswith("svg")
    with np.load(tmp_path / "ck.npz") as ck:
        assert sorted(ck.files) == ["layers.0.bias", "layers.0.weight", "layers.1.bias", "layers.1.weight",
                                    "layers.2.bias", "layers.2.weight"]
        assert ck["layers.0.weight"].shape == (16, 2)
    again = cli("train", "--task", "moons", "--load", "ck.npz", "--epochs", "0")
    assert again.returncode == 0, again.stderr
    assert final_metrics(again.stdout) == first


@pytest.mark.parametrize("model", ["rnn", "lstm", "gru"])
def test_recurrent_models_train_on_parity(cli, model):
    r = cli("train", "--task", "parity", "--model", model, "--hidden", "8", "--epochs", "2", "--seed", "1",
            "--length", "4")
    assert r.returncode == 0, r.stderr
    assert "parity of 4 bits" in r.stdout and "adam lr=0.03, 2 epochs" in r.stdout
    assert re.search(rf"model {model}: \d+ parameters", r.stdout)
    metrics = final_metrics(r.stdout)
    assert 0.0 <= metrics["test accuracy"] <= 100.0 and metrics["test loss"] > 0.0


def test_sgd_on_spirals_with_a_recurrent_reader_of_points(cli):
    r = cli("train", "--task", "xor", "--model", "gru", "--optimizer", "sgd", "--epochs", "3", "--hidden", "4")
    assert r.returncode == 0, r.stderr
    assert "sgd lr=0.1, 3 epochs" in r.stdout


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="digits needs scikit-learn")
def test_digits_mlp_one_epoch(cli):
    r = cli("train", "--task", "digits", "--epochs", "1", "--hidden", "32")
    assert r.returncode == 0, r.stderr
    assert "1348 training and 449 test samples" in r.stdout
    assert final_metrics(r.stdout)["test accuracy"] > 50.0


def test_train_errors(cli, clean_error, tmp_path):
    clean_error(cli("train", "--task", "mnist"), "unknown task 'mnist'", "moons", code=2)
    clean_error(cli("train", "--model", "transformer"), "unknown model 'transformer'", code=2)
    clean_error(cli("train", "--hidden", "16,x"), "bad --hidden '16,x'", code=2)
    clean_error(cli("train", "--model", "rnn", "--hidden", "8,8"), "one hidden layer", code=2)
    clean_error(cli("train", "--load", "missing.npz"), "cannot load checkpoint 'missing.npz': no such file")
    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 not really a zip file")
    clean_error(cli("train", "--load", "junk.npz"), "cannot load checkpoint 'junk.npz'", "not a readable")
    clean_error(cli("train", "--plot", "nowhere/curve.png", "--epochs", "1"), "does not exist")
    clean_error(cli("train", "--epochs", "x"), "argument --epochs: expected a whole number from 0 to 100000",
                code=2)
    clean_error(cli("train", "--task", "parity", "--length", "0"), "argument --length: must be from 1 to 64, got 0",
                code=2)


def test_checkpoint_of_another_shape_names_the_key(cli, clean_error, tmp_path):
    assert cli("train", "--epochs", "1", "--hidden", "8", "--save", "small.npz").returncode == 0
    clean_error(cli("train", "--load", "small.npz", "--epochs", "0"), "cannot load checkpoint", "layers.0")
