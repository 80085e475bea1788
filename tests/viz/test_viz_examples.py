"""The viz examples run and write SVGs that parse, with the structure each one promises."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from viz_svg_tools import parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run_example(name: str, out: Path) -> dict[str, object]:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    paths = mod.main(out)
    assert paths and all(p.exists() and p.parent == out for p in paths)
    return {p.name: parse(p.read_text(encoding="utf-8")) for p in paths}


def test_neuron_and_worked_example(tmp_path, capsys):
    pics = run_example("viz_neuron", tmp_path)
    assert not any(t.startswith("grad") for d in pics["neuron_forward.svg"].nodes.values() for t in d.texts)
    assert any("grad 1" in d.texts for d in pics["neuron_backward.svg"].nodes.values())
    pics = run_example("viz_worked_example", tmp_path)
    assert any("data 0.6457" in d.texts for d in pics["worked_backward.svg"].nodes.values())
    assert "0.2288, 0.2288, 0.2288" in capsys.readouterr().out


def test_softmax_cross_entropy_gradient_is_softmax_minus_onehot(tmp_path, capsys):
    run_example("viz_softmax_ce", tmp_path)
    lines = capsys.readouterr().out.splitlines()
    value_line = next(line for line in lines if line.startswith("Value graph"))
    shown, expected = value_line.split("dL/dz =")[1].split("softmax(z) - y =")
    assert shown.strip() == expected.strip()


@pytest.mark.parametrize("name, svg, boxes", [
    ("viz_mlp_tensor", "mlp_tensor.svg", {"MLP", "layers.0", "layers.1", "layers.2"}),
    ("viz_rnn", "rnn.svg", {"RNN", "cell[t=0]", "cell[t=1]", "cell[t=2]"}),
])
def test_module_examples_draw_their_clusters(tmp_path, name, svg, boxes):
    pics = run_example(name, tmp_path)
    assert set(pics[svg].clusters) == boxes
