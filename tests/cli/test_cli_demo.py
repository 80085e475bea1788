"""`autograd-core demo`, the README's main job: it trains, prints accuracy and writes valid pictures."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

PNG = b"\x89PNG\r\n\x1a\n"


def test_demo_writes_valid_svgs_and_pngs(cli, tmp_path):
    r = cli("demo", "--out", "out", timeout=120)
    assert r.returncode == 0, r.stderr
    accuracy = float(re.search(r"test accuracy: ([0-9.]+)%", r.stdout).group(1))
    assert accuracy >= 95.0
    assert "do/dx1 = -1.5000" in r.stdout and "do/dw1 = 1.0000" in r.stdout  # micrograd's neuron
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["decision_boundary.png", "loss_curve.png", "mlp_graph.svg",
                                                     "neuron_backward.svg", "neuron_explorer.html",
                                                     "neuron_forward.svg"]
    assert "const GRAPH = " in (out / "neuron_explorer.html").read_text(encoding="utf-8")
    for svg in out.glob("*.svg"):
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}g")) > 3
    for png in out.glob("*.png"):
        data = png.read_bytes()
        assert data.startswith(PNG) and len(data) > 1000
    texts = [e.text for e in ET.parse(out / "neuron_backward.svg").iter() if e.text]
    assert "grad -1.5" in texts and "grad 0.5" in texts  # do/dx1 and do/db drawn on the nodes


def test_demo_default_folder_and_unwritable_target(cli, clean_error, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder")
    clean_error(cli("demo", "--out", "taken"), "cannot create the output folder 'taken'")
