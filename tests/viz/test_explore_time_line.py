"""The explorer keeps a recurrent net's time steps on one steady line, read back from headless Chromium.

Each step's box (a folded step, or an unfolded step's output node) is read from the page's own SVG
transforms; within one module the steps share one y and run left to right in time. Skips with a
message where no browser is installed.
"""
from __future__ import annotations

import re

import pytest

import nn
import viz
from explore_graphs import notebook_loss

pytest.importorskip("selenium", reason="selenium is not installed (pip install 'autograd-core[test]')")
from selenium.webdriver.support.wait import WebDriverWait

def open_page(driver, tmp_path, loss, model, collapse="step"):
    driver.set_window_size(1366, 768)
    driver.get(viz.explore(loss, params=model, collapse=collapse).save(tmp_path / "page.html").resolve().as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !!(window.explorer && explorer.ready)"))


def boxes(driver) -> list[tuple[str, float, float]]:
    """(title text, x, y) of every box's top-left corner, from its transform."""
    found = driver.execute_script("""
        return [...document.querySelectorAll('g.node')].map((g) =>
            [g.querySelector('text').textContent, g.getAttribute('transform')]);""")
    out = []
    for title, transform in found:
        x, y = map(float, re.fullmatch(r"translate\(([-\d.e]+),([-\d.e]+)\)", transform).groups())
        out.append((title, x, y))
    return out


def folded_steps(driver, prefix="⊞ cell[t=") -> dict[int, tuple[float, float]]:
    return {int(re.search(r"t=(\d+)", t).group(1)): (x, y) for t, x, y in boxes(driver) if t.startswith(prefix)}


@pytest.mark.parametrize("kind, steps", [(nn.RNN, 7), (nn.GRU, 4)])
def test_the_notebooks_recurrent_nets_keep_their_steps_on_one_line(browser, tmp_path, kind, steps):
    loss, model = notebook_loss(kind, steps)
    open_page(browser, tmp_path, loss, model)
    at = folded_steps(browser)
    assert sorted(at) == list(range(steps))                                  # every time step is a box
    ys = {round(y, 6) for _, y in at.values()}
    assert len(ys) == 1, at                                                  # one line (it wandered by ~4 boxes)
    xs = [at[t][0] for t in range(steps)]
    assert xs == sorted(xs) and len(set(xs)) == steps                        # time runs left to right


def test_an_unfolded_step_keeps_its_output_on_the_line(browser, tmp_path):
    loss, model = notebook_loss(nn.RNN, 5)
    open_page(browser, tmp_path, loss, model)
    scope = browser.execute_script("return GRAPH.scopes.find((s) => s.name.endsWith('cell[t=2]')).index")
    browser.execute_script("explorer.toggleFold(arguments[0])", scope)
    at = folded_steps(browser)
    assert sorted(at) == [0, 1, 3, 4]
    line = {round(y, 6) for _, y in at.values()}
    assert len(line) == 1
    # the unfolded step's output h_2 (its last node, the one the next step reads) sits on the same line
    last = browser.execute_script("""
        const s = GRAPH.scopes.find((s) => s.name.endsWith('cell[t=2]')).index;
        const mine = GRAPH.nodes.filter((n) => n.scope === s);
        return mine[mine.length - 1].key;""")
    y = float(re.search(r",([-\d.e]+)\)", browser.execute_script(
        "return document.getElementById('node-' + arguments[0]).getAttribute('transform')", last)).group(1))
    assert abs(y - line.pop()) < 1e-6


def test_two_stacked_layers_get_a_line_each(browser, tmp_path):
    loss, model = notebook_loss(nn.RNN, 4, num_layers=2)
    open_page(browser, tmp_path, loss, model)
    titles = [t for t, _, _ in boxes(browser) if "[t=" in t]
    lines = {}
    for t, x, y in boxes(browser):
        m = re.fullmatch(r"⊞ (.+)\[t=(\d+)\]", t)
        if m:
            lines.setdefault(m.group(1), {})[int(m.group(2))] = (x, y)
    assert len(lines) == 2 and all(sorted(v) == [0, 1, 2, 3] for v in lines.values()), titles
    for steps in lines.values():
        assert len({round(y, 6) for _, y in steps.values()}) == 1
    first, second = lines["cell"], lines["cell_l1"]     # layer 1 reads layer 0's whole output: it comes after
    assert max(x for x, _ in first.values()) < min(x for x, _ in second.values())


def test_a_recurrent_graph_taller_than_the_window_opens_on_its_time_steps(browser, tmp_path):
    """At the readable opening zoom the 7-step graph is taller than a 1366x768 window (the long arrows from
    the shared weights arch above the steps); it opens with the steps' line in view, not the arches."""
    loss, model = notebook_loss(nn.RNN, 7)
    open_page(browser, tmp_path, loss, model)
    seen = browser.execute_script("""
        const g = document.getElementById('graph').getBoundingClientRect(), vp = document.getElementById('viewport').getBBox();
        const steps = [...document.querySelectorAll('g.node')].filter((e) => e.querySelector('text').textContent.includes('[t='))
            .map((e) => e.getBoundingClientRect()).filter((r) => r.left >= g.left && r.right <= g.right);
        return [g.top, g.bottom, steps.map((r) => [r.top, r.bottom]), vp.height * explorer.state.zoom.k,
                explorer.minTextPx()];""")
    top, bottom, steps, graph_height, text_px = seen
    assert graph_height > bottom - top                              # it does not fit: the opening view had to choose
    assert len(steps) >= 4 and text_px >= 11                         # several steps across, readable
    assert all(top <= a and b <= bottom for a, b in steps), (top, bottom, steps)
