"""The adversarial suite: every program, compiled beside eager over calls with new data, ends as "match"
or "clear error" as it declares; none is silently different (tests/compile/harness.py judges)."""
from __future__ import annotations

import importlib

import pytest

from harness import Program, judge

FAMILIES = ["programs_data", "programs_state", "programs_layers", "programs_ops"]
PROGRAMS: list[Program] = [p for f in FAMILIES for p in importlib.import_module(f).PROGRAMS]


def test_the_suite_has_at_least_200_programs_with_unique_names() -> None:
    names = [p.name for p in PROGRAMS]
    assert len(set(names)) == len(names), sorted(n for n in names if names.count(n) > 1)
    assert len(PROGRAMS) >= 200


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_program(program: Program) -> None:
    judge(program)
