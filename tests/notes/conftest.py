"""Run each notes experiment once per session in quick mode (pictures into a temporary folder) and share it."""
from __future__ import annotations

import pytest

from autograd_notes import run


@pytest.fixture(scope="session")
def notes_out(tmp_path_factory):
    return tmp_path_factory.mktemp("notes")


@pytest.fixture(scope="session")
def quick(notes_out):
    """quick("name") -> the Result of `autograd-core notes run name --quick`, computed once."""
    cache: dict = {}

    def get(name: str):
        if name not in cache:
            cache[name] = run(name, out=str(notes_out), quick=True)
        return cache[name]
    return get
