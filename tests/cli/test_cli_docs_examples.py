"""The `$ autograd-core grad ...` transcripts in docs/cli.md must match what the command prints."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from autograd_cli.main import main

DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def transcripts() -> list[tuple[str, list[str]]]:
    """(command line, expected output lines) for every `$ autograd-core grad` line in a ```text block,
    skipping commands that write files (--svg)."""
    found = []
    for block in re.findall(r"^```text\n(.*?)^```", DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("$ autograd-core grad") and "--svg" not in line:
                out = []
                for follow in lines[i + 1:]:
                    if follow.startswith("$ "):
                        break
                    out.append(follow)
                found.append((line[2:], out))
    return found


def test_the_page_has_transcripts():
    assert len(transcripts()) >= 6


@pytest.mark.parametrize("command, expected", transcripts(), ids=[c for c, _ in transcripts()])
def test_transcript_matches(command, expected, capsys):
    argv = shlex.split(command)[1:]
    code = main(argv)
    captured = capsys.readouterr()
    printed = (captured.out + captured.err).splitlines()
    assert printed == expected
    assert code == (0 if not any(l.startswith("autograd-core: error") for l in expected) else 1)
