"""`autograd-core notes`: the list, `run NAME` in words and in JSON, MNIST input, and the errors users see."""
from __future__ import annotations

import json

import numpy as np
import pytest

from autograd_notes import EXPERIMENTS, run
from autograd_cli.notes_cmd import jsonable
from tests.cli.conftest import assert_clean_error, run_cli


def test_notes_lists_every_experiment(tmp_path):
    r = run_cli("notes", cwd=tmp_path)
    assert r.returncode == 0 and r.stderr == ""
    assert r.stdout.startswith("28 experiments") and all(f"  {name} " in r.stdout for name in EXPERIMENTS)
    assert run_cli("notes", "list", cwd=tmp_path).stdout == r.stdout


def test_run_prints_words_and_writes_pictures(tmp_path):
    r = run_cli("notes", "run", "worked-neuron", "--quick", "--out", "pics", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "y_hat = f(0.6): step 1.0000, sigmoid 0.6457, tanh 0.5370, relu 0.6000" in r.stdout
    assert (tmp_path / "pics" / "worked_neuron_graph.png").stat().st_size > 5000


def test_run_json_is_one_object_of_numbers(tmp_path):
    r = run_cli("notes", "run", "ce-vs-quadratic", "--quick", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    numbers = json.loads(r.stdout)
    assert numbers["epochs"] == [50, 150, 300] and numbers["quadratic_output"][0] == pytest.approx(0.976, abs=1e-3)
    assert (tmp_path / "autograd-core-notes" / "ce_vs_quadratic.png").exists()


@pytest.mark.parametrize("args, fragments, code", [
    (["run", "no-such"], ["no experiment named 'no-such'", "autograd-core notes"], 2),
    (["run", "newton", "--mnist", "."], ["--mnist applies only to nielsen-sgd"], 2),
    (["run", "nielsen-sgd", "--mnist", "missing"], ["--mnist 'missing' is not a folder"], 1),
    (["run", "gates", "--out", "file.txt/sub"], ["cannot create the output folder"], 1),
    (["run", "gates", "--seed", "-1"], ["--seed must be a non-negative integer, got -1"], 2),
])
def test_bad_input_gets_one_clear_line(tmp_path, monkeypatch, capsys, args, fragments, code):
    from autograd_cli.main import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x")
    assert main(["notes", *args]) == code
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert all(f in err for f in fragments), err


def test_the_real_command_reports_an_unknown_name(tmp_path):
    assert_clean_error(run_cli("notes", "run", "no-such", cwd=tmp_path), "no experiment named 'no-such'", code=2)


def test_nielsen_sgd_reads_mnist_idx_files(tmp_path):
    from nn.data import write_idx

    rng = np.random.default_rng(0)
    for stem, n in (("train", 120), ("t10k", 40)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = np.zeros((n, 28, 28), np.uint8)
        for i, k in enumerate(labels):                       # a bright row per class: learnable
            images[i, 2 * k + 4] = 255
        write_idx(tmp_path / f"{stem}-images-idx3-ubyte", images)
        write_idx(tmp_path / f"{stem}-labels-idx1-ubyte", labels)
    numbers = run("nielsen-sgd", quick=True, mnist=str(tmp_path)).numbers
    assert numbers["dataset"] == "mnist" and numbers["train_size"] == 120 and numbers["test_size"] == 40
    assert 0.0 <= numbers["test_accuracy_cross_entropy"] <= 1.0


def test_jsonable_turns_nan_into_null_and_numpy_into_python():
    assert json.dumps(jsonable({"a": [np.float64(1.5), float("nan")], "b": np.array([1, 2])})) == \
        '{"a": [1.5, null], "b": [1, 2]}'


def test_the_cli_page_transcript_matches(quick):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = text.split("$ autograd-core notes run ce-vs-quadratic --quick --json\n", 1)[1].splitlines()[0]
    assert json.loads(shown) == jsonable(quick("ce-vs-quadratic").numbers)
