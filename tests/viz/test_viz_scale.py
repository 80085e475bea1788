"""viz at model scale: the docs' pictures fit a screen (sizes read from the rendered SVG), levels of
detail and their automatic choice, clusters from scopes stamped at creation (two forwards, two threads),
trouble markers with their rules, and the public edge_derivative."""
from __future__ import annotations

import math
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor, Value, topological_order
from viz_svg_tools import SVG, parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import viz_doc_pictures as pictures  # noqa: E402

XLINK = "{http://www.w3.org/1999/xlink}"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, str]:
    """Run the docs' picture script (as a user would) and read back every SVG it wrote."""
    out = tmp_path_factory.mktemp("pictures")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "viz_doc_pictures.py"), str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    files = {p.name: p.read_text() for p in out.glob("*.svg")}
    assert set(files) == set(pictures.PICTURES)
    assert len(run.stdout.splitlines()) == len(files) and " px" in run.stdout
    return files


def size(svg: str) -> tuple[float, float]:
    """(width, height) in px from the <svg> element (Graphviz writes points; 1 pt = 4/3 px)."""
    root = ET.fromstring(svg)
    return tuple(float(root.get(k).removesuffix("pt")) * 4 / 3 for k in ("width", "height"))  # type: ignore


def tooltip(svg: str, key: str) -> str:
    """The tooltip of a node (Graphviz puts it on an <a> inside the node's group)."""
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if g.get("id") == key:
            return next(a.get(XLINK + "title") for a in g.iter(SVG + "a"))
    raise KeyError(key)


# ---- the pictures of docs/viz.md ------------------------------------------------------------------


def test_scalar_mlp_one_sample_fits_at_neuron_level_with_every_neuron_named(drawn):
    svg = drawn["scalar_mlp_one_sample.svg"]
    w, h = size(svg)
    assert max(w, h) <= 2000 and min(w, h) > 500
    pic = parse(svg)
    neurons = [d for d in pic.nodes.values() if "role-module" in d.classes]
    assert sorted(d.texts[0] for d in neurons) == sorted([f"neurons.{i}" for i in range(16)] * 2 + ["neurons.0"])
    assert any("drawn at collapse='neuron'" in line for line in pic.caption)
    assert set(pic.clusters) == {"MLP", "layers.0", "layers.1", "layers.2"}
    for layer in ("layers.0", "layers.1"):      # top to bottom in numeric order
        column = [d for d in neurons if pic.inside(d.title, layer)]
        ys = [d.center[1] for d in sorted(column, key=lambda d: int(d.texts[0].split(".")[1]))]
        assert len(ys) == 16 and ys == sorted(ys)


@pytest.mark.parametrize("options", [{"view": "backward"}, {"rankdir": "TB"}, {"rankdir": "RL"}])
def test_neurons_keep_numeric_order_in_every_direction(options):
    model, loss = pictures.scalar_mlp_loss(1)
    pic = parse(viz.to_svg(loss, params=model, **options))
    column = [d for d in pic.nodes.values() if "role-module" in d.classes and pic.inside(d.title, "layers.1")]
    across = 1 if options.get("rankdir", "LR") in ("LR", "RL") else 0      # the axis a rank spreads along
    order = [int(d.texts[0].split(".")[1]) for d in sorted(column, key=lambda d: d.center[across])]
    assert order == list(range(16))


def test_scalar_mlp_batch_fits_and_says_how_calls_are_shown(drawn):
    svg = drawn["scalar_mlp_batch4.svg"]
    w, h = size(svg)
    assert max(w, h) <= 2200   # the loss's boxes are named by their expressions ("(MLP − 1)**2")
    pic = parse(svg)
    assert any("one box; its out and grad list one entry per call" in line for line in pic.caption)
    n0 = next(d for d in pic.nodes.values() if d.texts[0] == "neurons.0" and pic.inside(d.title, "layers.2"))
    out = next(t for t in n0.texts if t.startswith("out ["))
    assert len(out.split(",")) == 4                                   # one entry per sample


def step_boxes(pic, steps):
    """t -> the drawn step box cell[t=t], and t -> the drawn box of its input x_t; both for every t."""
    boxes = {int(d.texts[0][7:-1]): d for d in pic.nodes.values() if d.texts[0].startswith("cell[t=")}
    inputs = {int(d.texts[0].split("=")[1]): d for d in pic.nodes.values() if d.texts[0].startswith("input of t=")}
    assert sorted(boxes) == sorted(inputs) == list(range(steps))
    return boxes, inputs


def test_rnn_at_step_level_runs_down_the_page_in_one_column(drawn):
    svg = drawn["rnn_5_steps.svg"]
    w, h = size(svg)
    assert w <= 1300 and w < h    # one step per row: the width does not grow with the steps (2720 px across)
    pic = parse(svg)
    steps, inputs = step_boxes(pic, 5)
    xs = {round(steps[t].center[0], 1) for t in range(5)}
    ys = [steps[t].center[1] for t in range(5)]
    assert len(xs) == 1 and ys == sorted(ys) and len(set(ys)) == 5      # one straight column, time downwards
    for t in range(5):                                                  # x_t left of its step, level with it
        assert inputs[t].box[2] < steps[t].box[0]
        assert abs(inputs[t].center[1] - steps[t].center[1]) < 1
    for t in range(4):                                                  # h_t flows into step t+1
        (e,) = pic.edges_between(steps[t].title, steps[t + 1].title)
        assert any(x.startswith("carries g·(1 − out²)·W") for x in e.texts)   # labelled at the step level
    params = [d for d in pic.nodes.values() if "role-parameter" in d.classes]
    assert sorted(d.texts[0] for d in params) == ["bias_hh_l0", "bias_ih_l0", "weight_hh_l0", "weight_ih_l0"]  # torch's names
    assert all(d.box[3] < steps[0].box[1] for d in params)             # the shared weights sit above the steps


def test_rnn_at_step_level_left_to_right_when_asked_as_the_textbook_draws_it():
    model, loss = pictures.rnn_loss()
    pic = parse(viz.to_svg(loss, params=model, collapse="step", rankdir="LR"))
    steps, inputs = step_boxes(pic, 5)
    xs = [steps[t].center[0] for t in range(5)]
    assert xs == sorted(xs) and len(set(xs)) == 5                       # time runs left to right
    assert len({round(steps[t].center[1], 1) for t in range(5)}) == 1   # on one line
    for t in range(5):                                                  # x_t right below its step
        assert inputs[t].center[1] > steps[t].box[3]
        assert steps[t].box[0] <= inputs[t].center[0] <= steps[t].box[2]


def test_tensor_mlp_is_at_most_twice_as_wide_as_tall_with_shapes_and_no_false_trouble(drawn):
    svg = drawn["tensor_mlp.svg"]
    w, h = size(svg)
    assert w <= 2 * h and max(w, h) <= 2000
    pic = parse(svg)
    assert any(t == "data (200, 16)" for e in pic.edges for t in e.texts)      # shapes on edges
    assert not [d.texts for d in pic.nodes.values() if "trouble" in d.classes]
    model, loss = pictures.tensor_mlp_loss()
    assert len(viz.build_scene(loss, params=model).nodes) == len(pic.nodes)


# ---- clusters come from node.scope ---------------------------------------------------------------


def _clusters_of(scene) -> dict[int, str | None]:
    """node id -> the name of the cluster its box is drawn in."""
    return {dn.node.id: (None if dn.scope is None else scene.scopes[dn.scope].name) for dn in scene.nodes}


def test_clusters_of_an_old_graph_survive_a_second_forward():
    model = nn.MLP(2, [4, 1], seed=0)
    x = Tensor(np.ones((3, 2)))
    first = (model(x) ** 2).mean()
    before = _clusters_of(viz.build_scene(first, params=model))
    second = model(x * 2.0).sum()
    after = _clusters_of(viz.build_scene(first, params=model))
    assert before == after
    assert sorted(v for v in after.values() if v) == ["MLP", "layers.0", "layers.0", "layers.0", "layers.1",
                                                        "layers.1", "layers.1"]
    assert len(_clusters_of(viz.build_scene(second, params=model))) > 0


def test_clusters_are_right_for_graphs_built_in_two_threads_at_once():
    barrier = threading.Barrier(2)

    class Slow(nn.Module):
        """y = tanh(x * w), waiting for the other thread between the two ops."""

        def __init__(self) -> None:
            super().__init__()
            self.w = nn.Parameter(np.ones(2))

        def forward(self, x):
            a = x * self.w
            barrier.wait(timeout=10)
            return a.tanh()

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = Slow()

        def forward(self, x):
            return self.inner(x).sum()

    nets, outs = [Net(), Net()], [None, None]

    def run(k: int) -> None:
        outs[k] = nets[k](Tensor(np.full(2, k + 1.0)))

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(2):
        scene = viz.build_scene(outs[k], params=nets[k])
        names = {d.node.op_name: scene.scopes[d.scope].name for d in scene.nodes if d.scope is not None and
                 d.node.op is not None}
        assert names == {"mul": "inner", "tanh": "inner", "sum": "Net"}
        assert all(n.scope is None or n.scope.chain()[0].owner is nets[k] for n in topological_order(outs[k]))


# ---- levels of detail ----------------------------------------------------------------------------


def test_automatic_level_is_the_finest_that_fits_and_says_so():
    model, loss = pictures.rnn_loss(nonlinearity="relu")  # several nodes per step, so 'step' level saves boxes
    full = viz.build_scene(loss, params=model)
    assert full.level == "none" and not full.notes
    steps = viz.build_scene(loss, params=model, max_nodes=len(full.nodes) - 1)
    assert steps.level == "step" and len(steps.nodes) <= len(full.nodes) - 1
    assert steps.notes == [f"drawn at collapse='step', the finest level of detail within max_nodes="
                           f"{len(full.nodes) - 1} (every node: {len(full.nodes)} boxes)"]
    whole = viz.build_scene(loss, params=model, max_nodes=len(steps.nodes) - 1)
    assert whole.level == "module" and [d.name for d in whole.nodes if d.group] == ["RNN"]
    with pytest.raises(viz.GraphTooLargeError, match=r"no level of detail fits in max_nodes=2 \(boxes per level: "
                                                     r"none: 31, step: 21, module: \d+\)"):
        viz.build_scene(loss, params=model, max_nodes=2)
    with pytest.raises(viz.GraphTooLargeError, match="more than max_nodes=20"):
        viz.build_scene(loss, params=model, max_nodes=20, collapse="none")


def test_each_level_by_name_and_bad_levels():
    model, loss = pictures.tensor_mlp_loss()
    for level, boxes in (("neuron", ["layers.0", "layers.1", "layers.2"]), ("layer", ["layers.0", "layers.1",
                         "layers.2"]), ("module", ["MLP"]), (True, ["layers.0", "layers.1", "layers.2"]),
                         (["layers.1"], ["layers.1"]), ("none", [])):
        assert [d.name for d in viz.build_scene(loss, params=model, collapse=level).nodes if d.group] == boxes
    with pytest.raises(ValueError, match="collapse='step' needs recurrent time steps"):
        viz.build_scene(loss, params=model, collapse="step")
    with pytest.raises(ValueError, match=r"collapse must be one of \('none', 'step', 'neuron', 'layer', 'module', "
                                         r"'auto'\)"):
        viz.build_scene(loss, params=model, collapse="layers")
    with pytest.raises(TypeError, match="collapse must be a level name, True/False or a list of module paths, "
                                        "got int 3"):
        viz.build_scene(loss, params=model, collapse=3)


# ---- trouble and edges ---------------------------------------------------------------------------


def test_trouble_markers_state_their_rule_in_the_tooltip():
    z = Tensor(np.array([[-2.0, 1.0, 1.0, 2.0]] * 3), requires_grad=True, label="z")
    r = z.relu()
    out = r.sum()
    out.backward()
    svg = viz.to_svg(out)
    key = next(k for k, d in parse(svg).nodes.items() if "trouble" in d.classes)
    assert tooltip(svg, key).startswith("dead ReLU: in 1 of 4 units |∂out/∂in| < 0.001 for every one of the 3 "
                                        "samples (∂ = 1 if x > 0 else 0)")
    one = Value(-1.0, label="v").relu() * 2.0           # one sample: a ReLU that is off is not dead
    one.backward()
    assert not [d for d in parse(viz.to_svg(one)).nodes.values() if "trouble" in d.classes]


def test_a_neuron_dead_for_every_sample_is_marked_at_neuron_level():
    model = nn.scalar.MLP(2, [2, 1], seed=0)
    dead = model.layers[0].neurons[1]
    dead.b.data = -10.0                                  # relu(b + w·x) is off for every sample below
    terms = [(model([Value(a, requires_grad=False), Value(b, requires_grad=False)]) - 1.0) ** 2
             for a, b in ([0.5, -0.5], [1.0, 0.2], [-0.3, 0.9])]
    loss = terms[0] + terms[1] + terms[2]
    loss.backward()
    svg = viz.to_svg(loss, params=model, collapse="neuron")
    pic = parse(svg)
    marked = {d.texts[0]: d for d in pic.nodes.values() if "trouble" in d.classes}
    assert list(marked) == ["neurons.1"] and pic.inside(marked["neurons.1"].title, "layers.0")
    assert "dead ReLU: all 3 calls" in marked["neurons.1"].texts
    assert tooltip(svg, marked["neurons.1"].title).startswith("dead ReLU: |∂out/∂in| < 0.001 in all 3 calls")


def test_edge_derivative_is_public_and_reads_the_op_table():
    x = Value(0.3, label="x")
    y = x.tanh()
    d = viz.edge_derivative(y, 0)
    assert d.math == "1 − out²" and math.isclose(d.value, 1 - math.tanh(0.3) ** 2, rel_tol=1e-15)
    assert d.text == f"∂ {viz.labels.fmt(d.value)}" and "tanh" in d.words
    a, b = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.ones((3, 2)), requires_grad=True)
    m = viz.edge_derivative(a @ b, 1)
    assert (m.math, m.value, m.text) == ("Aᵀ·g", None, "carries Aᵀ·g")   # a product carried, not a number
    with pytest.raises(ValueError, match="matmul has 2 inputs, got input 2"):
        viz.edge_derivative(a @ b, 2)
    with pytest.raises(ValueError, match="is a leaf"):
        viz.edge_derivative(x, 0)


def test_a_big_scalar_graph_is_drawn_at_the_finest_readable_level():
    """micrograd's MLP(3, [4, 4, 1]) on one sample: ~120 nodes fit in max_nodes, but "auto" draws one
    box per neuron (the finest level within viz.scene.READABLE boxes) and says so; collapse="none" draws all."""
    import nn
    from viz.scene import READABLE
    model = nn.scalar.MLP(3, [4, 4, 1], seed=0)
    loss = (model([2.0, 3.0, -1.0]) - 1.0) ** 2
    loss.backward()
    scene = viz.build_scene(loss, params=model)
    full = viz.build_scene(loss, params=model, collapse="none")
    assert len(full.nodes) > READABLE >= len(scene.nodes) and scene.level == "neuron"
    assert scene.notes[0].startswith("drawn at collapse='neuron', the finest level of detail that stays readable")
