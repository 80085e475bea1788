"""The adversarial suite's judge: a program runs eagerly and compiled side by side over several calls
with new data, and ends as "match" (same outputs and state after every call), "error" (compile
refused with a TraceError naming the user's line) or "silent" (different numbers: never allowed)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import autograd_core as ac
from autograd_core import Node, TraceError


@dataclass
class Setup:
    """One fresh copy of a program's world: the step, its data per call, the state to compare and
    what a user changes between calls (before call k)."""

    step: Callable[..., Any]
    data: Callable[[int], tuple]                      # k -> positional args of call k
    state: Callable[[], list[Any]] = lambda: []       # arrays (or None) compared after every call
    between: Callable[[int], None] = lambda k: None   # mutation made before call k (k >= 1)
    kwargs: Callable[[int], dict] = lambda k: {}      # k -> keyword args of call k


@dataclass
class Program:
    """A named program: build() makes a fresh Setup; `expect` is "match" or "error" (with `error`,
    a regex the TraceError must match)."""

    name: str
    build: Callable[[], Setup]
    expect: str = "match"
    error: str = ""
    calls: int = 4
    options: dict = field(default_factory=dict)       # compile(step, **options)
    rtol: float = 1e-9
    driver: bool = False  # build(wrap) compiles what it wants with wrap (ac.compile or nothing) itself


def flatten(x: Any) -> list[Any]:
    """Every number-bearing leaf of a returned structure, as arrays (None kept)."""
    if isinstance(x, Node):
        return [np.asarray(x.data)]
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in flatten(item)]
    if isinstance(x, dict):
        return [v for k in sorted(x, key=str) for v in flatten(x[k])]
    if x is None:
        return [None]
    return [np.asarray(x)]


def _differs(a: Any, b: Any, rtol: float) -> str | None:
    if (a is None) != (b is None):
        return f"None vs {type(b).__name__}" if a is None else f"{type(a).__name__} vs None"
    if a is None:
        return None
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return f"shapes {a.shape} vs {b.shape}"
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        if not np.allclose(a, b, rtol=rtol, atol=rtol, equal_nan=True):
            return f"values differ by up to {np.nanmax(np.abs(a.astype(float) - b.astype(float))):.3g}"
    elif not np.array_equal(a, b):
        return "values differ"
    return None


class _Side:
    """One copy of the world and its own random stream (the two sides must draw the same numbers)."""

    def __init__(self, program: Program, compiled: bool) -> None:
        ac.manual_seed(1234)
        wrap = (lambda f: ac.compile(f, **program.options)) if compiled else (lambda f: f)
        self.setup = program.build(wrap) if program.driver else program.build()  # type: ignore[call-arg]
        self.rng_state = ac.default_generator().get_state()
        self.step = self.setup.step if program.driver else wrap(self.setup.step)

    def call(self, k: int) -> tuple[Any, BaseException | None]:
        gen = ac.default_generator()
        gen.set_state(self.rng_state)
        if k:
            self.setup.between(k)
        try:
            out = self.step(*self.setup.data(k), **self.setup.kwargs(k))
            return out, None
        except Exception as exc:  # noqa: BLE001 - judged below
            return None, exc
        finally:
            self.rng_state = gen.get_state()


def run(program: Program) -> tuple[str, str]:
    """("match" | "error" | "silent", detail)."""
    eager, compiled = _Side(program, False), _Side(program, True)
    for k in range(program.calls):
        out_e, exc_e = eager.call(k)
        out_c, exc_c = compiled.call(k)
        if isinstance(exc_c, TraceError):
            return "error", str(exc_c)
        if exc_e is not None or exc_c is not None:
            if exc_e is not None and exc_c is not None and type(exc_e) is type(exc_c):
                return "match", f"both raise {type(exc_e).__name__} at call {k}"
            return "silent", f"call {k}: eager {exc_e!r}, compiled {exc_c!r}"
        for what, a, b in (("output", out_e, out_c), ("state", eager.setup.state(), compiled.setup.state())):
            fa, fb = flatten(a), flatten(b)
            if len(fa) != len(fb):
                return "silent", f"call {k}: {what} structure differs"
            for i, (x, y) in enumerate(zip(fa, fb)):
                why = _differs(x, y, program.rtol)
                if why:
                    return "silent", f"call {k}: {what} {i}: {why}"
    return "match", ""


def judge(program: Program) -> str:
    """Run the program and assert it ends as it should; returns the outcome."""
    outcome, detail = run(program)
    assert outcome != "silent", f"{program.name}: compiled differs from eager silently: {detail}"
    assert outcome == program.expect, f"{program.name}: expected {program.expect}, got {outcome}: {detail}"
    if outcome == "error":
        assert detail.startswith(("compile:", "compile(")), detail
        assert re.search(program.error, detail, re.S), f"{program.name}: error {detail!r} !~ {program.error!r}"
    return outcome
