"""Run every ```python block of README.md and docs/*.md, so the documentation cannot rot.

The blocks of one file run in order in one namespace (a page reads as one session), from a
temporary working folder. A block fenced as ```python no-test is skipped: keep those for code
that needs something unavailable here (a download, a GPU), and say why next to it. A block fenced
```python needs=onnx,onnxruntime runs only when those optional packages are installed.
"""
from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^```python([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number, fence options, code) of each ```python block, in order."""
    return [(text.count("\n", 0, m.start()) + 2, m.group(1).strip(), textwrap.dedent(m.group(2)))
            for m in FENCE.finditer(text)]


def test_block_extraction():
    page = "x\n```python\na = 1\n```\n\n```python no-test\nboom()\n```\n```text\nb\n```\n"
    assert python_blocks(page) == [(3, "", "a = 1\n"), (7, "no-test", "boom()\n")]


@pytest.mark.parametrize("page", [p for p in PAGES if p.exists()], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippets_run(page: Path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    namespace: dict = {"__name__": "__docs__"}
    ran, missing = 0, set()
    for line, options, code in blocks:
        if "no-test" in options.split():
            continue
        needs = {m for o in options.split() if o.startswith("needs=") for m in o[len("needs="):].split(",")}
        missing |= {m for m in needs if importlib.util.find_spec(m) is None}
        if missing:
            continue
        padded = "\n" * (line - 1) + code  # tracebacks then point at the page's own line numbers
        exec(compile(padded, str(page), "exec"), namespace)  # noqa: S102 - our own documentation
        ran += 1
    if missing and not ran:
        pytest.skip(f"{page.name} needs {sorted(missing)} (pip install '.[onnx]')")
    if blocks:
        assert ran, f"{page.name}: every python block is marked no-test"
