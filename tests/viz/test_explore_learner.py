"""The explorer as a learner meets it, in headless Chromium at 1366x768, 1920x1080 and in a 980 px notebook cell.

It opens at step 0 and Step shows step 1; nothing is shown before its step; node text is at least
11 px at the opening zoom (the demo neuron, micrograd's MLP(3, [4, 4, 1]) and a 5-step RNN); a
slider on a leaf recomputes the graph from the op table's formulas (checked against the engine to
1e-12, and its finite-difference check agrees within 1e-6); predict mode flags a wrong entry.
One browser serves the module (resized per case). Skips with a message where no browser is installed.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor, Value
from autograd_core.ops.table import INLINE_OPS
from viz.explore.jsform import op_formulas
from viz.explore.sample import B, two_path_neuron

pytest.importorskip("selenium", reason="selenium is not installed (pip install 'autograd-core[test]')")
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait
from selenium.webdriver.common.keys import Keys


SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080), "notebook cell": (1100, 900)}



def micrograd_mlp():
    """micrograd's MLP(3, [4, 4, 1]) on one sample, squared error."""
    model = nn.scalar.MLP(3, [4, 4, 1], seed=0)
    loss = (model([2.0, 3.0, -1.0]) - 1.0) ** 2
    loss.backward()
    return loss, {"params": model}


def rnn_5_steps():
    model = nn.RNN(3, 4, seed=0)
    _, h = model(Tensor(np.random.default_rng(0).normal(size=(5, 2, 3)), label="x"))
    loss = h.sum()
    loss.backward()
    return loss, {"params": model}


GRAPHS = {"neuron": lambda: (two_path_neuron()[0], {}), "mlp": micrograd_mlp, "rnn": rnn_5_steps}


def open_at(driver, tmp_path, size, root, **options):
    """Open the explorer of `root` at one of SIZES; the notebook cell is the inline display in a 980 px div."""
    driver.switch_to.default_content()
    driver.set_window_size(*SIZES[size])
    ex = viz.explore(root, **options)
    if size == "notebook cell":
        host = tmp_path / "cell.html"
        host.write_text(f"<!doctype html><html><body style='margin:0'><div style='width:980px'>{ex._repr_html_()}"
                        "</div></body></html>", encoding="utf-8")
        driver.get(host.resolve().as_uri())
        driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
    else:
        driver.get(ex.save(tmp_path / "page.html").resolve().as_uri())
    ready(driver)
    return ex


def ready(driver):
    """Wait until the page has laid itself out (it does so once it has a size)."""
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !!(window.explorer && explorer.ready)"))


def shown_grads(driver):
    return [e.get_attribute("data-grad-text") for e in driver.find_elements(By.CSS_SELECTOR, "g.node")]


def edge_labels(driver):
    return [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#edge-labels text.elabel") if t.text]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("graph", list(GRAPHS))
def test_opens_ready_readable_and_hides_what_is_not_computed(browser, tmp_path, size, graph):
    root, options = GRAPHS[graph]()
    open_at(browser, tmp_path, size, root, **options)
    total = browser.execute_script("return explorer.state.macro.length")
    assert browser.find_element(By.ID, "step-count").text == f"step 0 / {total}"
    assert browser.execute_script("return explorer.minTextPx()") >= 11.0
    # backward, before any step: only the seed has a gradient, and no arrow shows a local derivative
    grads = [g for g in shown_grads(browser) if g and g not in ("constant", "no grad")]
    assert all(g == "grad ?" or g.endswith("(seed)") for g in grads), grads
    assert sum(g.endswith("(seed)") for g in grads) <= 1
    assert edge_labels(browser) == []
    browser.find_element(By.ID, "btn-step").click()          # the first click is step 1
    assert browser.find_element(By.ID, "step-count").text == f"step 1 / {total}"
    assert "Step 1 of" in browser.find_element(By.ID, "step-info").text
    browser.find_element(By.ID, "mode-forward").click()     # forward: no value before its step
    data = [e.get_attribute("data-data") for e in browser.find_elements(By.CSS_SELECTOR, "g.node:not(.folded)")]
    assert data and all(d == "" for d in data)
    browser.switch_to.default_content()


def test_tooltip_gives_nothing_away_before_its_step(browser, tmp_path):
    from selenium.webdriver import ActionChains
    o, n, _ = two_path_neuron()
    open_at(browser, tmp_path, "1920x1080", o)
    tanh = browser.execute_script("return GRAPH.nodes.find(n => n.op === 'tanh').key")
    ActionChains(browser).move_to_element(browser.find_element(By.ID, f"node-{tanh}")).perform()
    tip = browser.find_element(By.ID, "tooltip").text
    assert "grad ?" in tip and "1 − out²" in tip
    assert f"1 − out² = {viz.labels.fmt(1 - math.tanh(n.data) ** 2)}" not in tip   # its value comes with its step
    assert "after backward" not in tip


def slide_and_read(driver, key, presses):
    box = driver.find_element(By.ID, f"slide-{key}")
    for _ in range(presses):
        box.send_keys(Keys.ARROW_RIGHT)
    read = lambda i: float(driver.find_element(By.ID, i).get_attribute("data-value"))  # noqa: E731
    return {k: read("fd-" + k) for k in ("dout", "pred", "grad", "cd", "rel")}, float(box.get_attribute("value"))


def neuron_at(**values):
    """The sample neuron recomputed by the engine with some leaves changed: (o, leaves)."""
    start = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": B} | values
    leaves = {k: Value(v, label=k) for k, v in start.items()}
    n = leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]
    o = n * n.tanh()
    o.backward()
    return o, leaves


@pytest.mark.parametrize("size", list(SIZES))
def test_slider_recomputes_like_the_engine_and_passes_the_finite_difference_check(browser, tmp_path, size):
    o, _, _ = two_path_neuron()
    open_at(browser, tmp_path, size, o)
    w1 = browser.execute_script("return GRAPH.nodes.find(n => n.label === 'w1').key")
    fd, w_new = slide_and_read(browser, w1, 3)
    assert w_new != -3.0
    o_new, leaves = neuron_at(w1=w_new)
    o_old, _ = neuron_at()
    assert fd["dout"] == pytest.approx(o_new.data - o_old.data, rel=1e-12, abs=1e-15)
    assert fd["grad"] == pytest.approx(leaves["w1"].grad, rel=1e-12)
    assert abs(fd["cd"] - fd["grad"]) <= 1e-6 * abs(fd["grad"])        # Δoutput / Δw -> grad
    assert fd["rel"] < 1e-6
    # every box and path product now shows the engine's numbers at the new w1
    shown = browser.execute_script("return GRAPH.nodes.map(n => [n.label, n.dataRaw, n.gradRaw])")
    by_label = {lab: (d, g) for lab, d, g in shown if lab}
    assert by_label["o"][0] == pytest.approx(o_new.data, rel=1e-12)
    for k, leaf in leaves.items():
        assert by_label[k][1] == pytest.approx(leaf.grad, rel=1e-12, abs=1e-15)
    browser.find_element(By.ID, f"node-{w1}").click()
    total = float(browser.find_element(By.ID, "path-sum").get_attribute("data-value"))
    assert total == pytest.approx(leaves["w1"].grad, rel=1e-12)
    browser.switch_to.default_content()


def test_every_translated_op_formula_matches_the_engine(browser):
    """Each scalar op's JavaScript (derived from its op-table Inline entry) against the engine, to 1e-12."""
    forms = op_formulas({op.name for op in INLINE_OPS})
    points = {1: [-1.7, -0.3, 0.2, 0.9, 2.5], 2: [(-1.5, 2.0), (0.7, -0.4), (2.0, 3.0), (1.3, 0.5), (0.25, 4.0)]}
    script, checks = [forms["helpers"], "const out = {};"], []
    for op in INLINE_OPS:
        f = forms["ops"][op.name]
        if "forward" not in f:
            assert f.get("forwardMissing"), op.name      # an op without a formula says why
            continue
        names = f["inputs"]
        for k, pt in enumerate(points[len(names)]):
            xs = (pt,) if len(names) == 1 else pt
            if op.check is not None:
                try:
                    op.check(*xs)
                except ValueError:
                    continue
            out = op.scalar(*xs)
            env = "; ".join(f"const {n} = {x!r}" for n, x in zip(names, xs)) + f"; const out = {out!r}; const g = 1.7"
            vjps = ", ".join(v if v else "null" for v in f["vjp"])
            script.append(f"out[{json.dumps(op.name + str(k))}] = (() => {{ {env}; return [{f['forward']}, [{vjps}]]; }})();")
            checks.append((op, k, xs, out))
    got = browser.execute_script("\n".join(script) + "\nreturn out;")
    assert len(checks) > 60
    for op, k, xs, out in checks:
        fwd, vjps = got[op.name + str(k)]
        assert fwd == pytest.approx(out, rel=1e-12, abs=1e-300), (op.name, xs)
        for i, v in enumerate(vjps):
            if v is None:
                continue
            want = float(op.input_grad(i, 1.7, out, xs, {}))
            assert v == pytest.approx(want, rel=1e-12, abs=1e-300), (op.name, i, xs)


def test_an_op_without_a_formula_says_the_slider_is_unavailable(browser, tmp_path):
    x = Value(0.3, label="x")
    y = x.erf() * 2.0
    y.backward()
    open_at(browser, tmp_path, "1920x1080", y)
    text = browser.find_element(By.ID, "live-info").text
    assert "unavailable" in text and "erf" in text
    assert not browser.find_elements(By.CSS_SELECTOR, "#live-info input[type=range]")


def test_predict_mode_flags_the_factor_that_differs(browser, tmp_path):
    o, n, _ = two_path_neuron()
    open_at(browser, tmp_path, "1366x768", o)
    browser.find_element(By.ID, "predict").click()
    browser.find_element(By.ID, "btn-step").click()          # o = n × tanh(n) sends to n and to tanh(n)
    assert "?" in edge_labels(browser)                       # nothing carried is shown before the answer
    t = math.tanh(n.data)
    browser.find_element(By.ID, "guess-0").send_keys("1")     # to n: 1 × tanh(n); "1" leaves out the local factor
    browser.find_element(By.ID, "guess-1").send_keys(viz.labels.fmt(n.data))   # to tanh(n): 1 × n, right
    browser.find_element(By.ID, "btn-check").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#step-info .send")
    assert "wrong-row" in rows[0].get_attribute("class") and "right" in rows[1].get_attribute("class")
    wrong = rows[0].find_element(By.CSS_SELECTOR, ".factor.wrong")
    assert "loc" in wrong.get_attribute("class") and wrong.text == viz.labels.fmt(t)
    assert "local derivative differs" in rows[0].text
    browser.find_element(By.ID, "btn-step").click()           # step 2: tanh(n) sends 0.8814 × (1 − t²) to n
    browser.find_element(By.ID, "guess-0").send_keys("zero")  # not a number: said so, nothing highlighted
    browser.find_element(By.ID, "btn-check").click()
    assert "not a number" in browser.find_element(By.ID, "step-info").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#step-info .factor.wrong")
    browser.find_element(By.ID, "predict").click()            # predict off and on again: ask afresh
    browser.find_element(By.ID, "predict").click()
    browser.find_element(By.ID, "guess-0").send_keys(viz.labels.fmt(1 - t * t))  # the local alone: upstream missing
    browser.find_element(By.ID, "btn-check").click()
    assert "up" in browser.find_element(By.CSS_SELECTOR, "#step-info .factor.wrong").get_attribute("class")


def test_training_timeline_replays_dead_units_step_by_step(browser, tmp_path):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(16, 2)), np.arange(16) % 2
    model = nn.MLP(2, [6, 2], seed=0)
    model.layers[0].bias.data[2] = -100.0             # unit 2 is off for every sample
    hist = viz.TrainingHistory(model)
    for _ in range(4):
        model.zero_grad()
        loss = nn.cross_entropy(model(Tensor(X)), y)
        loss.backward()
        hist.record(loss)
        for p in model.parameters():
            p.data -= 0.1 * p.grad
    browser.switch_to.default_content()
    browser.set_window_size(1366, 768)
    browser.get(viz.explore_training(hist).save(tmp_path / "t.html").resolve().as_uri())
    browser.execute_script("timeline.go(1)")
    assert browser.find_element(By.ID, "step-count").text == "step 2 / 4"
    dead = browser.find_elements(By.CSS_SELECTOR, "#units g.dead-unit")
    assert [(d.get_attribute("data-layer"), d.get_attribute("data-unit")) for d in dead] == [("layers.0", "2")]
    cells = browser.find_elements(By.CSS_SELECTOR, "#units g.unit[data-layer='layers.0']")
    norms = [float(e.get_attribute("data-norm")) for e in cells]
    assert norms == pytest.approx(hist.steps[1]["layers"][0]["units"], rel=1e-12)


def test_a_folded_level_narrates_folded_steps(browser, tmp_path):
    root, options = micrograd_mlp()
    open_at(browser, tmp_path, "1920x1080", root, **options)
    assert browser.execute_script("return explorer.state.level") == "neuron"
    engine_steps = browser.execute_script("return GRAPH.backward.length")
    steps = browser.execute_script("return explorer.state.macro.length")
    assert steps < engine_steps                    # a folded neuron's consecutive engine steps are one step
    k, out = browser.execute_script("""
        const u = explorer.units().find(u => u.fold !== undefined && GRAPH.scopes[u.fold].name === 'layers.2.neurons.0');
        const inside = new Set(u.members.map(m => m.key)), k = explorer.state.macro.findIndex(m => m.unit === u);
        explorer.go(k + 1);
        const sends = explorer.state.macro[k].idx.flatMap(i => GRAPH.backward[i].sends);
        return [k, sends.filter(s => !inside.has(s.parent)).length];""")
    info = browser.find_element(By.ID, "step-info").text
    assert f"Step {k + 1} of {steps}: the engine passes through the folded box layers.2.neurons.0" in info
    hot = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "#edge-labels g.hot text.elabel")]
    assert out >= 1 and len(hot) == out and all("×" in h for h in hot), hot   # each share leaving the box
    assert "Sent out of the box" in info and info.count("upstream × local = carried") == out
