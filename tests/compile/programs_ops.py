"""Every op of the table inside a compiled step (each input spec of tests/core/core_op_specs.py): forward,
a weighted sum, backward; new inputs on every call. Ops added to the table are picked up here."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import OPS, Tensor
from autograd_core.ops.apply import apply
from core_op_specs import SPECS, Case, assemble, draw
from harness import Program, Setup


def op_step_world(name: str, case: Case, weight_seed: int = 7) -> Any:
    """step(*arrays): out = OPS[name](Tensors requiring grad, constants); (out * w).sum().backward();
    returns out and every input's gradient."""
    def build() -> Setup:
        def step(*arrays: Any) -> Any:
            xs = [Tensor(a, requires_grad=True) for a in arrays]
            out = apply(OPS[name], *assemble(case, xs), **case.kwargs)
            w = np.random.default_rng(weight_seed).uniform(0.5, 1.5, out.shape)
            (out * w).sum().backward()
            return [out] + [x.grad for x in xs]

        def data(k: int) -> tuple:
            rng = np.random.default_rng(1000 + k)
            return tuple(draw(spec, rng) for spec in case.inputs)
        return Setup(step, data)
    return build


PROGRAMS = [Program(f"op/{name}[{case.label}]", op_step_world(name, case), calls=3)
            for name in sorted(SPECS) if name in OPS for case in SPECS[name].tensor]
