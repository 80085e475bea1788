"""Hypothesis draws steps from the whole op table: a few ops (any entry, any input spec), optionally
chained (each op's first input scaled by a function of the previous result), summed with fixed
weights, backward; compiled and eager over three calls with new data must match."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd_core import OPS, Tensor
from autograd_core.ops.apply import apply
from core_op_specs import SPECS, assemble, draw
from harness import Program, Setup, judge

CASES = [(name, case) for name in sorted(SPECS) if name in OPS for case in SPECS[name].tensor]


def _world(picks: list[int], seed: int, chain: bool) -> Any:
    cases = [CASES[i] for i in picks]

    def build() -> Setup:
        def step(*arrays: Any) -> Any:
            it = iter(arrays)
            total: Any = None
            xs: list[Tensor] = []
            prev: Any = None
            for k, (name, case) in enumerate(cases):
                ins = [Tensor(next(it), requires_grad=True) for _ in case.inputs]
                xs += ins
                first = ins[0] * (1.0 + 0.001 * prev.sum().tanh()) if chain and prev is not None and ins else None
                nodes = ([first] + ins[1:]) if first is not None else ins
                out = apply(OPS[name], *assemble(case, nodes), **case.kwargs)
                w = np.random.default_rng(seed + k).uniform(0.5, 1.5, out.shape)
                term = (out * w).sum()
                total = term if total is None else total + term
                prev = out
            total.backward()
            return [total] + [x.grad for x in xs]

        def data(call: int) -> tuple:
            rng = np.random.default_rng(seed * 7 + call)
            return tuple(draw(spec, rng) for _, case in cases for spec in case.inputs)
        return Setup(step, data)
    return build


@settings(max_examples=40, deadline=None)
@given(picks=st.lists(st.integers(0, len(CASES) - 1), min_size=1, max_size=4), seed=st.integers(0, 2**16),
       chain=st.booleans())
def test_random_steps_from_the_op_table_match_eager(picks: list[int], seed: int, chain: bool) -> None:
    judge(Program(f"hypothesis {[CASES[i][0] for i in picks]}", _world(picks, seed, chain), calls=3, rtol=1e-8))
