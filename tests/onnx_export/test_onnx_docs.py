"""docs/onnx.md lists every op that has an ONNX form, and names the ones without (no onnx package needed)."""
from __future__ import annotations

import re
from pathlib import Path

from autograd_core import OPS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "onnx.md").read_text(encoding="utf-8")


def test_the_page_lists_every_op_with_an_onnx_form() -> None:
    rows = [line.split("|")[1] for line in DOC.splitlines() if re.match(r"^\| [a-z0-9_ ]+ \|", line)]
    listed = {word for row in rows for word in row.split()}
    assert {name for name, op in OPS.items() if op.onnx is not None} - listed == set()
    for name in (n for n, op in OPS.items() if op.onnx is None):
        assert f"`{name}`" in DOC, f"docs/onnx.md should say that {name} does not export"
