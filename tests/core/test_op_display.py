"""Walks the op table for display metadata: every op states its short name, whether it is
elementwise, its local derivative in math and in words; the elementwise claim is checked numerically,
defop refuses an op without the metadata, and viz names no op."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from autograd_core import OPS, defop

from core_op_specs import SPECS, In, assemble, draw

VIZ = Path(__file__).resolve().parents[2] / "viz"


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_states_its_display_metadata(name: str) -> None:
    op = OPS[name]
    assert isinstance(op.display, str) and 0 < len(op.display) <= 12
    assert isinstance(op.elementwise, bool)
    assert op.derivative and all(isinstance(d, str) and d for d in op.derivative)
    if op.vjps is not None:
        assert len(op.derivative) == len(op.vjps)          # one rule per input
    assert isinstance(op.words, str) and len(op.words.split()) >= 4
    if not op.elementwise:
        assert all("g" in d for d in op.derivative), "a non-elementwise rule says what happens to g"
    assert op.flat_warning is None or (op.elementwise and op.flat_warning)


def _vjp_rows(op, args, kwargs, i: int) -> np.ndarray:
    """The Jacobian d out / d input_i, one row per output entry, from the op's own vjp."""
    ans = np.asarray(op.forward(*args, **kwargs))
    rows = []
    for k in range(ans.size):
        g = np.zeros(ans.shape)
        g.flat[k] = 1.0
        grad = op.input_grad(i, g, ans, args, kwargs)
        rows.append(np.broadcast_to(np.asarray(grad, dtype=float), np.shape(args[i])).ravel())
    return np.array(rows)


@pytest.mark.parametrize("name", sorted(n for n in OPS if OPS[n].elementwise))
def test_an_elementwise_op_has_a_diagonal_jacobian(name: str) -> None:
    op, rng = OPS[name], np.random.default_rng(0)
    checked = 0
    for case in SPECS[name].tensor:
        shapes = {a.shape for a in case.args if isinstance(a, In)}
        if len(shapes) != 1 or not next(iter(shapes)):
            continue                                   # broadcast or 0-d cases say nothing here
        args = assemble(case, [draw(a, rng) for a in case.inputs])
        for i, a in enumerate(case.args):
            if isinstance(a, In) and op.differentiable(i):
                jac = _vjp_rows(op, args, case.kwargs, i)
                assert np.count_nonzero(jac - np.diag(np.diag(jac))) == 0
                checked += 1
    assert checked, f"{name}: no same-shape Tensor case to check the elementwise claim on"


def test_a_non_elementwise_op_is_not_diagonal() -> None:
    """matmul's Jacobian mixes entries: calling it elementwise would show a wrong edge label."""
    a, b = np.arange(4.0).reshape(2, 2), np.ones((2, 2))
    jac = _vjp_rows(OPS["matmul"], (a, b), {}, 1)
    assert not OPS["matmul"].elementwise and np.count_nonzero(jac - np.diag(np.diag(jac))) > 0


def test_defop_refuses_an_op_without_display_metadata() -> None:
    with pytest.raises(TypeError, match=r"op '_no_display' is missing its display metadata "
                                        r"\['display', 'elementwise', 'derivative', 'words'\]"):
        defop("_no_display", forward=np.sin, vjp=(lambda g, ans, x: g * np.cos(x),))
    with pytest.raises(TypeError, match="derivative gives 2 rules for 1 inputs"):
        defop("_bad_arity", forward=np.sin, vjp=(lambda g, ans, x: g,), display="s", elementwise=True,
              derivative=("1", "2"), words="a test op here")
    with pytest.raises(TypeError, match="elementwise must be True or False"):
        defop("_bad_flag", forward=np.sin, vjp=(lambda g, ans, x: g,), display="s", elementwise="yes",
              derivative="1", words="a test op here")
    assert not {"_no_display", "_bad_arity", "_bad_flag"} & set(OPS)


def test_viz_names_no_op() -> None:
    """Everything viz shows about an op comes from its table entry: no op name in viz's code."""
    from viz.levels import LEVELS

    source = "\n".join(p.read_text() for p in sorted(VIZ.rglob("*.py")))
    quoted = set(re.findall(r"""["']([a-z_]+)["']""", source)) - set(LEVELS)   # collapse="step" is a level
    assert not quoted & set(OPS), f"viz keys on op names {sorted(quoted & set(OPS))}"
