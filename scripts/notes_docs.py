"""Refresh docs/notes: rerun every experiment (full mode) for its printed output and pictures, rebuild the item table.

    .venv/bin/python scripts/notes_docs.py            # all experiments (about two minutes)
    .venv/bin/python scripts/notes_docs.py newton     # only these
    .venv/bin/python scripts/notes_docs.py --table    # only the item table (from autograd_notes/items.py)

The pages keep their prose; only the ```text block after each `<!-- output of: autograd-core notes
run NAME -->` marker and the table between the `items table` markers of docs/notes/README.md change.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograd_notes import EXPERIMENTS, run  # noqa: E402
from notes_table import items_table  # noqa: E402
from autograd_cli.notes_cmd import DEFAULT_OUT, report  # noqa: E402

NOTES = ROOT / "docs" / "notes"
MARKER = re.compile(r"(<!-- output of: autograd-core notes run ([a-z0-9-]+) -->\n```text\n)(.*?)(```)", re.DOTALL)
TABLE = re.compile(r"(<!-- items table -->\n)(.*?)(<!-- end items table -->)", re.DOTALL)


def outputs(names: list[str]) -> dict[str, str]:
    """The text `autograd-core notes run NAME` prints (pictures written to docs/notes/img)."""
    texts = {}
    for name in names:
        print(f"running {name} ...", flush=True)
        result = run(name, out=str(NOTES / "img"))
        lines = report(name, result)
        texts[name] = "\n".join(line.replace(str(NOTES / "img"), DEFAULT_OUT) for line in lines) + "\n"
    return texts


def main(names: list[str]) -> None:
    texts = {} if names == ["--table"] else outputs(names or list(EXPERIMENTS))
    for page in sorted(NOTES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        text = MARKER.sub(lambda m: m.group(1) + texts.get(m.group(2), m.group(3)) + m.group(4), text)
        text = TABLE.sub(lambda m: m.group(1) + items_table() + m.group(3), text)
        page.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
