"""Generated code reads like a file: every exec'd text is in linecache under a readable name, so a
traceback through it prints the failing line and inspect.getsource returns the text."""
from __future__ import annotations

import inspect
import linecache
import traceback

import numpy as np
import pytest

import autograd_core as ac
from autograd_core import Value
from autograd_core.generated import run_source


def _generated_frames(exc: BaseException, prefix: str) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(prefix)]


def test_run_source_registers_the_text_under_a_unique_readable_name() -> None:
    text = "def half(x):\n    y = x / 2\n    return y + undefined_name\n"
    fn = run_source(text, "test.half", {})["half"]
    again = run_source(text.replace("/ 2", "/ 4"), "test.half", {})["half"]
    assert fn.__code__.co_filename.startswith("<generated test.half #")
    assert fn.__code__.co_filename != again.__code__.co_filename  # the second text did not replace the first
    with pytest.raises(NameError) as info:
        fn(3.0)
    (frame,) = _generated_frames(info.value, "<generated test.half")
    assert (frame.lineno, frame.line) == (3, "return y + undefined_name")
    assert inspect.getsource(fn) == text
    assert linecache.getline(again.__code__.co_filename, 2) == "    y = x / 4\n"
    linecache.checkcache()  # no file on disk: the entry must survive the stale-file sweep
    assert linecache.getline(fn.__code__.co_filename, 2) == "    y = x / 2\n"


def test_run_source_puts_definitions_in_local_when_given() -> None:
    glob: dict[str, object] = {"K": 5}
    local = run_source("def f():\n    return K\n", "test.local", glob, {})
    assert set(local) == {"f"} and "f" not in glob and local["f"]() == 5


def test_a_failing_value_operator_shows_its_generated_line() -> None:
    with pytest.raises(ValueError, match="div: expected a non-zero divisor") as info:
        Value(1.0) / Value(0.0)
    frames = _generated_frames(info.value, "<generated Value.div")
    assert len(frames) == 1 and frames[0].line == "CHECK_div(a, b)"
    source = inspect.getsource(Value.__truediv__)
    assert source.startswith("def div(self, other):") and "CHECK_div(a, b)" in source


def test_a_failing_scalar_backward_walk_shows_its_generated_line() -> None:
    x = Value(2.0, requires_grad=True)
    y = (x * x).tanh()
    x.grad = "not a number"  # type: ignore[assignment]  # a hostile user's leaf gradient
    with pytest.raises(TypeError) as info:
        y.backward()
    frames = _generated_frames(info.value, "<generated scalar_walk")
    assert len(frames) == 1 and frames[0].line == "node.grad += g"


def test_a_failing_jit_replay_shows_its_generated_line() -> None:
    w = ac.Tensor(np.ones(3), requires_grad=True)
    step = ac.compile(lambda x: (ac.Tensor(x) * w).log().sum())
    assert float(step(np.full(3, 2.0)).data) == pytest.approx(3 * np.log(2.0))
    with pytest.raises(ValueError, match="log: expected a positive input") as info:
        step(-np.ones(3))
    frames = _generated_frames(info.value, "<generated compiled")
    assert frames and frames[0].line and frames[0].line in linecache.getline(frames[0].filename, frames[0].lineno)


def test_pdb_steps_into_a_generated_value_operator_and_lists_its_lines() -> None:
    """`x * w` under pdb: step enters the generated `mul`, list shows its source, p reads its locals."""
    import io
    import pdb

    x, w = Value(2.0), Value(-3.0)
    out = io.StringIO()
    debugger = pdb.Pdb(stdin=io.StringIO("step\nlist\nstep\nstep\nstep\nstep\np a * b\ncontinue\n"), stdout=out,
                       nosigint=True)
    debugger.use_rawinput = False
    debugger.run("y = x * w", {"x": x, "w": w})
    text = out.getvalue()
    assert "> <generated Value.mul #" in text and "-> def mul(self, other):" in text
    assert "  9  \t    a = self.data" in text and " 11  \t    out = a * b" in text   # `list` read linecache
    assert "-> out = a * b" in text and "\n(Pdb) -6.0\n" in text                   # stepped there; locals are live
