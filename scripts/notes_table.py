"""The table of the notes' 42 items (item, experiment, test, doc page, picture) for docs/notes/README.md."""
from __future__ import annotations

from autograd_notes.items import ITEMS

TESTS = "tests/notes/test_notes_experiments.py"


def items_table() -> str:
    """Markdown rows, one per item, built from items.py (the docs test checks the page holds exactly this)."""
    rows = ["| # | note | item | author's slip | OCR noise | experiment | test | doc page | picture |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for i in ITEMS:
        test = f"`test_{i.experiment.replace('-', '_')}`"
        picture = f"[{i.picture}](img/{i.picture})" if i.picture else "—"
        marks = f"{'yes' if i.slip else '—'} | {'yes' if i.reading else '—'}"
        rows.append(f"| {i.number} | {i.note} | {i.title} | {marks} | `{i.experiment}` | {test} "
                    f"| [{i.page}]({i.page}#{anchor(i)}) | {picture} |")
    return "\n".join(rows) + "\n"


def anchor(item) -> str:
    """GitHub's anchor of the item's heading '## N. title'."""
    keep = "".join(ch for ch in f"{item.number}. {item.title}".lower() if ch.isalnum() or ch in " -_")
    return keep.replace(" ", "-")
