"""The explorer in a real headless Chromium: click a leaf, step backward, fold modules, search, hover.

Skips with a message where no browser is installed (the README's test command installs Debian's
chromium and chromium-driver). Numbers are read from the page and compared with the engine's.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor
from autograd_core.graph.order import reverse_topological_order
from explore_graphs import tanh_matmul_loss
from viz.explore.sample import two_path_neuron
from viz.labels import fmt

pytest.importorskip("selenium", reason="selenium is not installed (pip install 'autograd-core[test]')")
from selenium.webdriver import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait




def shared_neuron():
    o, n, leaves = two_path_neuron()
    return o, n, leaves["w1"]


def open_page(driver, root, path, **options):
    page = viz.save(root, path, **options)
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return !!(window.explorer && explorer.ready)"))
    return driver


def node_el(driver, label):
    key = driver.execute_script("return GRAPH.nodes.find(n => n.label === arguments[0]).key", label)
    return driver.find_element(By.ID, f"node-{key}")


def displayed_grads(driver):
    """node key -> (state, raw gradient, text) as the page shows them now."""
    out = {}
    for e in driver.find_elements(By.CSS_SELECTOR, "g.node"):
        raw = e.get_attribute("data-grad-raw")
        out[e.get_attribute("data-key")] = (e.get_attribute("data-grad-state"), json.loads(raw) if raw else None,
                                            e.get_attribute("data-grad-text"))
    return out


def test_clicking_a_leaf_lists_path_products_and_their_sum(browser, tmp_path):
    o, n, w1 = shared_neuron()
    open_page(browser, o, tmp_path / "graph.html")
    node_el(browser, "w1").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#paths-info .path-row")
    t = math.tanh(n.data)
    expected = sorted([2.0 * t, 2.0 * (1 - t * t) * n.data])  # x1 * 1 * 1 * (tanh(n) | (1 - t^2) n)
    assert sorted(float(r.get_attribute("data-product")) for r in rows) == pytest.approx(expected, rel=1e-12)
    assert sorted(r.text.rsplit("= ", 1)[1] for r in rows) == sorted(fmt(p) for p in expected)
    total = browser.find_element(By.ID, "path-sum")
    assert float(total.get_attribute("data-value")) == pytest.approx(w1.grad, rel=1e-12)
    assert total.text.endswith(fmt(w1.grad))
    engine = browser.find_element(By.ID, "path-engine")
    assert json.loads(engine.get_attribute("data-value")) == w1.grad
    assert "the sum ✓" in engine.text
    lit = {e.find_element(By.TAG_NAME, "text").text for e in browser.find_elements(By.CSS_SELECTOR, "g.node.onpath")}
    assert lit == {"w1", "x1×w1", "x1×w1 + x2×w2", "n", "tanh(n)", "o"}  # every node on a path from w1 to o
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node.dim")) == 5  # x1, x2, w2, b and x2*w2


def test_stepping_backward_k_times_shows_the_engines_gradients(browser, tmp_path):
    o, n, w1 = shared_neuron()
    open_page(browser, o, tmp_path / "graph.html")
    order = reverse_topological_order(o, requires_grad_only=True)
    keys = browser.execute_script("return GRAPH.backward.map(s => s.key)")
    assert len(keys) == len(order)
    browser.find_element(By.ID, "btn-reset").click()
    n_key = browser.execute_script("return GRAPH.nodes.find(n => n.label === 'n').key")
    t = math.tanh(n.data)
    for k in range(1, 5):
        browser.find_element(By.ID, "btn-step").click()
        assert browser.find_element(By.ID, "step-count").text == f"step {k} / {len(order)}"
        shown = displayed_grads(browser)
        for key, node in zip(keys[:k], order[:k]):
            state, raw, text = shown[key]
            assert state == "final" and raw == pytest.approx(node.grad, rel=1e-12)
            assert text == "grad " + fmt(node.grad)
        if k == 1:  # o sent n its first share: tanh(n); the share from tanh has not come yet
            assert shown[n_key][:2] == ("partial", pytest.approx(t, rel=1e-12))
            assert shown[n_key][2] == f"so far {fmt(t)} (1/2)"
        if k == 2:  # tanh sent (1 - t^2) * n: n's gradient is now complete
            assert shown[n_key][1] == pytest.approx(n.grad, rel=1e-12)
            info = browser.find_element(By.ID, "step-info").text
            assert f"{fmt(t)} + {fmt((1 - t * t) * n.data)} = {fmt(n.grad)}" in info
    browser.find_element(By.ID, "btn-back").click()
    assert browser.find_element(By.ID, "step-count").text == f"step 3 / {len(order)}"
    browser.find_element(By.ID, "btn-step").click()
    browser.execute_script("explorer.go(GRAPH.backward.length)")
    shown = displayed_grads(browser)
    w1_key = browser.execute_script("return GRAPH.nodes.find(n => n.label === 'w1').key")
    assert shown[w1_key][1] == w1.grad


def test_tensor_graph_steps_and_paths(browser, tmp_path):
    loss, w = tanh_matmul_loss(1)
    open_page(browser, loss, tmp_path / "t.html")
    order = reverse_topological_order(loss, requires_grad_only=True)
    keys = browser.execute_script("return GRAPH.backward.map(s => s.key)")
    browser.execute_script("explorer.go(0)")
    for _ in range(3):
        browser.find_element(By.ID, "btn-step").click()
    shown = displayed_grads(browser)
    for key, node in zip(keys[:3], order[:3]):
        np.testing.assert_allclose(shown[key][1], node.grad, rtol=1e-12)
    node_el(browser, "W").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "#paths-info .path-row")) == 2  # W feeds h twice
    np.testing.assert_allclose(json.loads(browser.find_element(By.ID, "path-engine").get_attribute("data-value")),
                               w.grad, rtol=1e-12)
    assert "Jacobian" in browser.find_element(By.ID, "path-sum").text


def test_forward_stepper_fills_in_data(browser, tmp_path):
    o, _, _ = shared_neuron()
    open_page(browser, o, tmp_path / "graph.html")
    browser.find_element(By.ID, "mode-forward").click()
    browser.find_element(By.ID, "btn-reset").click()
    for _ in range(6):
        browser.find_element(By.ID, "btn-step").click()
    data = [e.find_elements(By.TAG_NAME, "text")[2].text for e in browser.find_elements(By.CSS_SELECTOR, "g.node")]
    assert sum(d != "data ?" for d in data) == 6
    assert "x1×w1 = 2×(-3) = -6" in browser.find_element(By.ID, "step-info").text


def test_hover_shows_op_data_grad_and_local_rule(browser, tmp_path):
    o, n, _ = shared_neuron()
    open_page(browser, o, tmp_path / "graph.html")
    tanh = browser.execute_script("return GRAPH.nodes.find(n => n.op === 'tanh').key")
    browser.execute_script("explorer.go(GRAPH.backward.length)")   # the local derivative's value comes with its step
    ActionChains(browser).move_to_element(browser.find_element(By.ID, f"node-{tanh}")).perform()
    tip = browser.find_element(By.ID, "tooltip")
    assert tip.is_displayed()
    assert f"tanh: d out / d n = 1 − out² = {fmt(1 - math.tanh(n.data) ** 2)}" in tip.text
    assert f"data {fmt(math.tanh(n.data))}" in tip.text


def test_clusters_fold_and_unfold_and_search_finds_labels(browser, tmp_path):
    model = nn.MLP(2, [3, 1], seed=0)
    loss = (model(Tensor(np.ones((2, 2)))) ** 2).mean()
    loss.backward()
    open_page(browser, loss, tmp_path / "m.html", params=model)
    count = len(browser.find_elements(By.CSS_SELECTOR, "g.node"))
    layer = browser.execute_script("return GRAPH.scopes.find(s => s.name === 'layers.0').index")
    browser.find_element(By.CSS_SELECTOR, f"#cluster-label-{layer} text").click()
    folded = browser.find_element(By.ID, f"node-s{layer}")
    assert "layers.0" in folded.text
    members = browser.execute_script(f"return GRAPH.nodes.filter(n => n.scope === {layer}).length")
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) == count - members + 1
    folded.click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) == count
    box = browser.find_element(By.ID, "search")
    box.send_keys("weight")
    assert browser.find_element(By.ID, "search-count").text == "2 matches"
    assert len(browser.find_elements(By.CSS_SELECTOR, "g.node.match")) == 2


def test_inline_notebook_display_runs_in_its_iframe(browser, tmp_path):
    o, _, _ = shared_neuron()
    host = tmp_path / "notebook_cell.html"
    host.write_text(f"<!doctype html><html><body><h1>a notebook cell</h1>{viz.explore(o)._repr_html_()}</body></html>",
                    encoding="utf-8")
    browser.get(host.resolve().as_uri())
    browser.switch_to.frame(browser.find_element(By.TAG_NAME, "iframe"))
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return !!(window.explorer && explorer.ready)"))
    try:
        assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) == 11
        assert browser.find_element(By.ID, "step-count").text == "step 0 / 11"
    finally:
        browser.switch_to.default_content()
