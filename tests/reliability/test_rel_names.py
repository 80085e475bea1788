"""Names from outside reach Graphviz and HTML only through viz.labels.esc: injected module names stay text (in
the SVG and in Chromium), control characters are shown, long names shortened, the explorer's data cannot end its
script; dot failures say what dot said."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor, Value
from viz.labels import MAX_NAME, MAX_TEXT, esc, visible

LINK = '<<TABLE HREF="javascript:alert(1)"><TR><TD>click me</TD></TR></TABLE>>'
IMAGE = '<<IMG SRC="/etc/hostname"/>>'
XLINK = "{http://www.w3.org/1999/xlink}href"


def _injected():
    """A loss through two modules whose ModuleDict keys are Graphviz HTML markup."""
    m = nn.ModuleDict({LINK: nn.Linear(2, 1), IMAGE: nn.Linear(1, 1)})
    loss = m[IMAGE](m[LINK](Tensor(np.ones((1, 2))))).sum()
    loss.backward()
    return loss, m


def _texts(root):
    return ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text")]


def test_injected_module_names_are_text_in_the_svg():
    loss, m = _injected()
    root = ET.fromstring(viz.to_svg(loss, params=m))
    hrefs = [e.get(XLINK) or e.get("href") for e in root.iter() if e.tag.endswith("}a")]
    assert all(h is None or not h.lower().startswith("javascript") for h in hrefs), hrefs
    assert not [e for e in root.iter() if e.tag.endswith("}image")]
    texts = _texts(root)
    assert LINK in texts and IMAGE in texts     # the cluster labels show the names as written


def test_control_characters_in_a_module_name_give_valid_xml_and_show_visibly():
    m = nn.ModuleDict({"bell\x07\x1b[31mred": nn.Linear(2, 1)})
    loss = m["bell\x07\x1b[31mred"](Tensor(np.ones((1, 2)))).sum()
    loss.backward()
    root = ET.fromstring(viz.to_svg(loss, params=m))
    assert "bell\\x07\\x1b[31mred" in _texts(root)


@pytest.mark.parametrize("label,shown", [
    ("a\x07b", "a\\x07b"), ("nul\x00here", "nul\\x00here"), ("non\ufffechar", "non\\ufffechar"),
    ("line\u2028sep", "line\\u2028sep"), ("<!--<script>", "<!--<script>"), ("x" * 20_000, None),
    ("y" * 200_000, None)])
def test_hostile_labels_render_as_valid_svg(label, shown):
    v = Value(1.5, label=label)
    w = (v * 2.0).tanh()
    w.backward()
    texts = _texts(ET.fromstring(viz.to_svg(w)))
    if shown is not None:
        assert shown in texts
    else:
        long = [t for t in texts if t.startswith(label[:10])]
        assert long and all(len(t) <= MAX_NAME and "…" in t for t in long), [len(t) for t in long]
        assert max(map(len, texts)) <= MAX_TEXT


def test_visible_and_esc():
    assert visible("a\x00\x07\x7f\x9f\ud800\ufdd0\U0010ffff b") == "a\\x00\\x07\\x7f\\x9f\\ud800\\ufdd0\\U0010ffff b"
    assert visible("é ü 中 ∂") == "é ü 中 ∂"
    assert esc('<b a="1">&') == "&lt;b a=&quot;1&quot;&gt;&amp;"
    short = visible("a" * 50 + "b" * 50, 20)
    assert len(short) == 20 and short.startswith("a" * 13) and short.endswith("…" + "b" * 6)


def test_a_failing_dot_says_what_dot_said_without_size_advice_for_a_small_graph(monkeypatch):
    import graphviz

    graph = viz.draw_graph(Value(2.0, label="x") * 3.0)

    def refuse(*args, **kwargs):
        raise graphviz.CalledProcessError(1, ["dot"], stderr=b"Error: syntax error in line 3")

    monkeypatch.setattr(graph, "pipe", refuse)
    with pytest.raises(viz.GraphvizFailedError) as info:
        viz.to_svg(graph)
    assert "exit status 1" in str(info.value) and "syntax error in line 3" in str(info.value)
    assert "several thousand" not in str(info.value)

    def broken(*args, **kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(graph, "pipe", broken)
    with pytest.raises(viz.GraphvizFailedError, match="it stopped reading the graph"):
        viz.to_svg(graph)


HOSTILE = ["</script><script>alert(1)</script>", "<!--<script>", "a\u2028b\u2029c", "/*SCRIPT*/", "<!--TITLE-->"]


def test_explorer_data_cannot_end_or_change_its_script():
    v = Value(1.0, label=HOSTILE[0])
    out = v
    for lab in HOSTILE[1:]:
        out = out * Value(2.0, label=lab)
    out.backward()
    page = viz.explore(out, title=HOSTILE[0]).html
    data = page[page.index("const GRAPH = "):]
    data = data[:data.index("</script>")]
    assert "<" not in data and "\u2028" not in data and "\u2029" not in data
    assert page.count("</script>") == 2 and page.count("<script>") == 2
    assert "<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page


# ---- the same, in a real browser ----------------------------------------------------------------------

# `browser`: the headless Chromium fixture of tests/conftest.py (skips with the reason when absent)

def _no_alert(driver):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, 0.5).until(expected_conditions.alert_is_present())
    except TimeoutException:
        return True
    driver.switch_to.alert.accept()
    return False


def test_injected_names_in_chromium_svg_are_not_links(browser, tmp_path):
    from selenium.webdriver.common.by import By

    loss, m = _injected()
    path = viz.save(loss, tmp_path / "g.svg", params=m)
    browser.get(path.resolve().as_uri())
    hrefs = browser.execute_script(
        "return [...document.querySelectorAll('a')].map(a => a.getAttribute('href') || "
        "a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'))")
    assert not [h for h in hrefs if h and "javascript" in h.lower()], hrefs
    label = [e for e in browser.find_elements(By.TAG_NAME, "text") if e.text == LINK]
    assert label, "the module name is not shown as text"
    label[0].click()
    assert _no_alert(browser)


def test_explorer_with_hostile_names_draws_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    loss, m = _injected()
    v = Value(1.0, label=HOSTILE[1])            # the label that used to blank the page
    w = (v * Value(2.0, label=HOSTILE[0])) * Value(3.0, label=HOSTILE[2])
    w.backward()
    for root, params in ((loss, m), (w, None)):
        path = viz.save(root, tmp_path / "page.html", params=params, title=HOSTILE[1])
        browser.get(path.resolve().as_uri())
        assert _no_alert(browser)
        assert browser.execute_script("return typeof GRAPH") == "object"
        assert len(browser.find_elements(By.CSS_SELECTOR, "g.node")) >= 3
        assert browser.title == HOSTILE[1]
    labels = browser.execute_script("return GRAPH.nodes.map(n => n.label)")
    assert set(HOSTILE[:3]) <= set(labels)
