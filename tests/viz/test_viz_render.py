"""Writing files: formats by ending, the clear error without Graphviz's `dot`, and a real browser check."""
from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

from autograd_core import Value
import viz

ROOT = Path(__file__).resolve().parents[2]


def small():
    x, w = Value(1.5, label="x"), Value(-2.0, label="w")
    y = (x * w).tanh()
    y.backward()
    return y


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk; fails unless the bytes start like a PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_save_picks_the_format_from_the_file_ending(tmp_path):
    y = small()
    svg = viz.save(y, tmp_path / "g.svg")
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    w, h = png_size(viz.save(y, tmp_path / "g.png", view="backward").read_bytes())
    assert w > 100 and h > 50
    dot = viz.save(y, tmp_path / "sub" / "g.dot")
    assert dot.read_text(encoding="utf-8") == viz.draw_graph(y).source
    graph = viz.draw_graph(y, view="forward")
    assert viz.save(graph, tmp_path / "f.gv").read_text(encoding="utf-8") == graph.source
    with pytest.raises(ValueError, match="cannot tell the format"):
        viz.save(y, tmp_path / "g.jpeg")
    with pytest.raises(TypeError, match="need a node"):
        viz.save(graph, tmp_path / "g.svg", view="backward")


def test_without_dot_on_path_rendering_raises_a_clear_error(tmp_path, monkeypatch):
    y = small()
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(viz.GraphvizNotFoundError) as info:
        viz.save(y, tmp_path / "g.svg")
    msg = str(info.value)
    assert isinstance(info.value, RuntimeError)
    assert "`dot` program was not found" in msg
    assert "apt-get install graphviz" in msg and "brew install graphviz" in msg and "scripts/setup.sh" in msg
    assert ".source" in msg and ".dot" in msg
    with pytest.raises(viz.GraphvizNotFoundError):
        viz.to_svg(y)
    # the DOT source needs no Graphviz program
    assert "digraph autograd" in viz.draw_graph(y).source
    assert viz.save(y, tmp_path / "g.dot").read_text(encoding="utf-8").startswith("digraph autograd")


def _screenshot_module():
    spec = importlib.util.spec_from_file_location("screenshot_svgs", ROOT / "scripts" / "screenshot_svgs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_headless_chromium_opens_the_svg_and_takes_a_screenshot(tmp_path):
    shots = _screenshot_module()
    browser = shots.find_chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    svg = viz.save(small(), tmp_path / "neuron.svg", view="both")
    png = shots.screenshot(svg, tmp_path / "neuron.png", browser=browser)
    data = png.read_bytes()
    width, height = png_size(data)
    assert (width, height) == shots.window_for(svg, 2400, 1600)
    assert len(data) > 5_000
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as im:
        grey = im.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 500, "the screenshot is blank: the browser did not draw the SVG"


def test_a_failing_dot_raises_a_clear_error(monkeypatch):
    import graphviz

    graph = viz.draw_graph(small())

    def crash(*args, **kwargs):
        raise graphviz.CalledProcessError(-11, ["dot", "-Tsvg"], stderr=b"")
    monkeypatch.setattr(graph, "pipe", crash)
    with pytest.raises(viz.GraphvizFailedError, match="failed with exit status -11.*collapse=True"):
        viz.to_svg(graph)


def test_a_graph_shown_in_jupyter_without_dot_gives_the_install_hint(monkeypatch, tmp_path):
    from autograd_core import Value

    g = viz.draw_graph(Value(2.0, label="x") * 3.0)
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    bundle = g._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert "`dot` program was not found" in bundle["text/plain"] and "apt-get install graphviz" in bundle["text/plain"]
    assert "viz.explore(root)" in bundle["text/html"]
