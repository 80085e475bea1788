"""docs/notes: every code block runs, every item has its section in the notes' order, the table matches items.py."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from autograd_notes import EXPERIMENTS
from autograd_notes.items import ITEMS, PAGES
from tests.test_docs import python_blocks

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
from notes_table import items_table  # noqa: E402 - the docs generator lives in scripts/
NOTES = ROOT / "docs" / "notes"
HEADING = re.compile(r"^## (\d+)\. (.+)$", re.MULTILINE)


@pytest.mark.parametrize("page", sorted(PAGES.values()))
def test_page_snippets_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    path = NOTES / page
    namespace: dict = {"__name__": "__docs__"}
    blocks = python_blocks(path.read_text(encoding="utf-8"))
    assert blocks, f"{page} has no code"
    for line, options, code in blocks:
        assert "no-test" not in options.split()
        exec(compile("\n" * (line - 1) + code, str(path), "exec"), namespace)  # noqa: S102 - our own docs


def sections(page: str) -> dict[int, tuple[str, str]]:
    """item number -> (heading title, the section's text up to the next heading)."""
    text = (NOTES / page).read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)]
    return {int(m.group(1)): (m.group(2), text[m.end():end]) for m, end in zip(found, ends)}


def test_each_item_has_its_section_in_order_with_its_command_slip_and_picture():
    numbers = []
    for note, page in sorted(PAGES.items()):
        found = sections(page)
        numbers += list(found)
        for item in (i for i in ITEMS if i.note == note):
            title, body = found[item.number]
            assert title == item.title, (item.number, title)
            assert f"autograd-core notes run {item.experiment}" in body, item.number
            assert ("**The slip" in body) == bool(item.slip), item.number
            assert ("**OCR reading noise" in body) == bool(item.reading), item.number   # not the author's
            assert not item.picture or f"(img/{item.picture})" in body, (item.number, item.picture)
    assert numbers == list(range(1, 43))


def test_pictures_exist_and_every_output_block_is_filled():
    for page in [*PAGES.values(), "README.md"]:
        text = (NOTES / page).read_text(encoding="utf-8")
        for picture in re.findall(r"\(img/([^)]+\.png)\)", text):
            assert (NOTES / "img" / picture).read_bytes()[:4] == b"\x89PNG", picture
        for name, output in re.findall(r"<!-- output of: autograd-core notes run ([a-z0-9-]+) -->\n```text\n(.*?)```",
                                       text, re.DOTALL):
            assert name in EXPERIMENTS and output.startswith(f"{name}: "), (page, name)
    assert {i.picture for i in ITEMS if i.picture} <= {p.name for p in (NOTES / "img").glob("*.png")}


def test_the_table_is_built_from_items_and_linked_from_the_readme():
    index = (NOTES / "README.md").read_text(encoding="utf-8")
    assert "<!-- items table -->\n" + items_table() + "<!-- end items table -->" in index
    assert items_table().count("\n") == 2 + 42
    assert "(docs/notes/README.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
