"""Hostile expressions through the real command: a clean error, fast, and nothing executed."""
from __future__ import annotations

import pytest

CANARY = "canary.txt"

HOSTILE = [
    f"__import__('os').system('touch {CANARY}')",
    f"open('{CANARY}', 'w').write('x')",
    f"exp.__globals__['__builtins__']['open']('{CANARY}', 'w')",
    f"(lambda: open('{CANARY}', 'w'))()",
    f"[open('{CANARY}', 'w') for _ in (1,)]",
    "x.__class__.__base__.__subclasses__()",
    "9**9**9",
    "(" * 5000 + "x" + ")" * 5000,
    "-" * 9000 + "x",
    "x+" * 4999 + "x",
]


@pytest.mark.parametrize("expression", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_expression_fails_cleanly_fast_and_runs_nothing(cli, clean_error, tmp_path, expression):
    args = ("grad", expression, "x=1") if "x" in expression.replace("exp", "") else ("grad", expression)
    r = cli(*args, timeout=10)
    clean_error(r)
    assert r.stdout == ""
    assert not (tmp_path / CANARY).exists()
