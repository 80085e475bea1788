"""The recurrent notebook's step-level picture: a readable width however many steps, every step drawn, in order."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor
from explore_graphs import notebook_loss
from viz_svg_tools import parse

# A picture this wide fits a 1920 px screen beside a scroll bar, and a 980 px notebook cell shows it at
# 61% or more, node text (11 pt = 14.7 px) at 9 px or more; the 7-step picture was 4,781 px wide.
READABLE_WIDTH = 1600


def size_px(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return tuple(float(root.get(k).removesuffix("pt")) * 4 / 3 for k in ("width", "height"))  # type: ignore


@pytest.mark.parametrize("kind, steps", [(nn.RNN, 7), (nn.RNN, 12), (nn.GRU, 4)])   # 12: longer than the notebook
def test_the_notebooks_unrolled_picture_is_readable_and_shows_every_step_in_order(kind, steps):
    loss, model = notebook_loss(kind, steps)
    svg = viz.to_svg(loss, params=model, collapse="step")
    w, h = size_px(svg)
    assert w < READABLE_WIDTH and h > w
    pic = parse(svg)
    cells = {int(d.texts[0][7:-1]): d for d in pic.nodes.values() if d.texts[0].startswith("cell[t=")}
    assert sorted(cells) == list(range(steps))                          # every time step, once
    ys = [cells[t].center[1] for t in range(steps)]
    assert ys == sorted(ys) and len(set(ys)) == steps                   # time runs down the page
    xs = [cells[t].center[0] for t in range(steps)]
    assert max(xs) - min(xs) < 40                                        # in one column (a box is ~150 px wide)
    for t in range(steps - 1):                                          # h_t -> step t+1, one arrow each
        assert len(pic.edges_between(cells[t].title, cells[t + 1].title)) == 1


def test_arrows_between_the_steps_and_the_shared_part_carry_their_text_in_tooltips():
    loss, model = notebook_loss(nn.RNN, 3)
    pic = parse(viz.to_svg(loss, params=model, collapse="step"))
    cells = {d.title for d in pic.nodes.values() if d.texts[0].startswith("cell[t=")}
    stepped = cells | {d.title for d in pic.nodes.values() if d.texts[0].startswith("input of t=")}
    chain = [e for e in pic.edges if set(pic.edge_ends(e)) <= cells]
    inputs = [e for e in pic.edges if set(pic.edge_ends(e)) <= stepped and e not in chain]
    fanned = [e for e in pic.edges if len(set(pic.edge_ends(e)) & stepped) == 1]
    assert len(chain) == 2 and all(e.texts for e in chain)              # h_0 -> t=1, h_1 -> t=2, labelled
    assert len(inputs) == 3 and all(e.texts for e in inputs)            # x_t -> step t, labelled
    assert len(fanned) == 10 and not any(e.texts for e in fanned)                   # W_hh into every step, outputs to stack


@pytest.mark.parametrize("rankdir", [None, "LR"])
@pytest.mark.parametrize("options", [{"bidirectional": True}, {"num_layers": 2}, {}])
@pytest.mark.parametrize("kind", [nn.RNN, nn.LSTM])
def test_every_recurrent_shape_renders_at_step_level(kind, options, rankdir):
    """dot once failed ("lost edge", routesplines) on a bidirectional RNN drawn top to bottom when each x_t was
    chained to its step by an invisible edge beside the real one; every direction and layer draws all its steps."""
    model = kind(1, 3, seed=0, **options)
    out, _ = model(Tensor(np.random.default_rng(0).normal(size=(4, 2, 1)), label="x"))
    loss = out.sum()
    loss.backward()
    pic = parse(viz.to_svg(loss, params=model, collapse="step", rankdir=rankdir))
    boxes = [d.texts[0] for d in pic.nodes.values() if "role-module" in d.classes]
    lines = 2 if options else 1
    assert len(boxes) == 4 * lines and {b.split("[")[1] for b in boxes} == {f"t={t}]" for t in range(4)}, boxes
