"""compile's interface: guards in words, check=True, generated code in linecache with readable names,
methods, keyword and static arguments, refusals that name the op and the user's line."""
from __future__ import annotations

import linecache
import re
import traceback
import types
from typing import Any

import numpy as np
import pytest

import autograd_core as ac
import nn
from nn.optim import SGD


def _world() -> tuple[nn.Module, Any, Any]:
    model = nn.Sequential(nn.Linear(3, 4, seed=0), nn.Dropout(0.2), nn.Linear(4, 2, seed=1))
    opt = SGD(model.parameters(), lr=0.1)

    def step(x: Any, y: Any) -> Any:
        opt.zero_grad()
        loss = nn.cross_entropy(model(ac.Tensor(x)), y)
        loss.backward()
        opt.step()
        return loss
    return model, opt, step


def test_guards_are_listed_in_words() -> None:
    model, opt, step = _world()
    c = ac.compile(step)
    c(np.ones((5, 3)), np.zeros(5, dtype=int))
    words = "\n".join(c.guards)
    for expected in ("argument 0 has shape (5, 3) and dtype float64", "training == True", ".p == 0.2",
                     "requires_grad is True", "param_groups is the same list of 1 groups", "grad mode is on"):
        assert expected in words, expected
    model.eval()  # a guarded flag: the next call traces again
    c(np.ones((5, 3)), np.zeros(5, dtype=int))
    assert c.traces == 2 and any("training == False" in g for g in c.guards)


def test_check_mode_raises_on_the_first_difference_naming_the_output() -> None:
    cfg = types.SimpleNamespace(a=types.SimpleNamespace(b=types.SimpleNamespace(scale=1.0)))  # deeper than guarded
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any) -> Any:
        return (ac.Tensor(x) * w).sum() * cfg.a.b.scale

    plain, checked = ac.compile(step), ac.compile(step, check=True)
    for f in (plain, checked):
        f(np.ones(3))
    cfg.a.b.scale = 2.0
    assert float(plain(np.ones(3)).data) == 3.0  # the documented limit: stale without check
    with pytest.raises(ac.TraceError, match=r"check=True.*the returned value differs from the eager step's"):
        checked(np.ones(3))


def test_check_mode_passes_and_counts_down_on_a_training_step() -> None:
    _, _, step = _world()
    c = ac.compile(step, check=2)
    rng = np.random.default_rng(0)
    for _ in range(4):
        c(rng.normal(size=(5, 3)), rng.integers(0, 2, size=5))
    assert c._checker.left == 0


def test_generated_code_reads_in_tracebacks_and_names_its_calls() -> None:
    w = ac.Tensor(np.ones(3), requires_grad=True)

    def step(x: Any) -> Any:
        return (ac.Tensor(x) * w).log().sum()

    c = ac.compile(step)
    c(np.ones(3))
    assert re.search(r"\bmultiply\(", c.source) and not re.search(r"\bf\d+\(", c.source)
    with pytest.raises(ValueError, match="log: expected a positive input") as info:
        c(-np.ones(3))  # the replayed check raises as eager does
    frames = [f for f in traceback.extract_tb(info.value.__traceback__) if f.filename.startswith("<generated compiled")]
    assert frames and frames[0].line and linecache.getline(frames[0].filename, frames[0].lineno).strip()


def test_methods_keyword_and_static_arguments() -> None:
    class Trainer:
        def __init__(self, scale: float) -> None:
            self.w = ac.Tensor(np.full(3, scale), requires_grad=True)

        @ac.compile
        def value(self, x: Any, *, power: int = 1) -> Any:
            return ((ac.Tensor(x) * self.w) ** power).sum()

    a, b = Trainer(1.0), Trainer(2.0)
    x = np.full(3, 2.0)
    assert float(a.value(x).data) == 6.0 and float(b.value(x).data) == 12.0
    assert float(a.value(x, power=2).data) == 12.0 and float(b.value(x, power=2).data) == 48.0
    s = ac.compile(lambda x, n: (ac.Tensor(x) * n).sum(), static_argnames=["n"])
    assert [float(s(x, n).data) for n in (1, 2, 1)] == [6.0, 12.0, 6.0] and s.traces == 2


def test_a_refusal_names_the_library_function_and_the_users_line() -> None:
    def step(x: Any) -> Any:
        t = ac.Tensor(x)
        return nn.functional.one_hot(t.long())  # width from the data

    with pytest.raises(ac.TraceError, match=r"num_classes"):
        ac.compile(step)(np.arange(3.0))

    def step2(x: Any) -> Any:
        return ac.Tensor(np.asarray(x) * 2.0).sum()

    with pytest.raises(ac.TraceError, match=r"asked by the step itself, at .*test_interface\.py:\d+: "
                                            r"return ac\.Tensor\(np\.asarray\(x\) \* 2\.0\)"):
        ac.compile(step2)(np.ones(2))
