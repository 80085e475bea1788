"""Hypothesis fuzz of `grad` formulas and `train` flags through main(): one clean line or a result, never a crash."""
from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_cli import limits, main, tasks

TOKENS = ["x", "y", "1", "0", "2.5", "1e308", "-", "+", "*", "/", "**", "(", ")", ",", "[0]", "[-1]", "exp(",
          "log(", "sqrt(", "abs(", "tanh(", "sigmoid(", "relu(", "step(", "max(", "min(", "logsumexp(",
          "softmax(", "log_softmax(", "if", "else", "lambda", "__", ".", "'", " ", "1if", "9**9**9", "@"]


def _run(argv):
    try:
        return main.main(argv)
    except SystemExit as e:
        return e.code


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12), x=st.floats(-5, 5), order=st.sampled_from("12"))
def test_grad_formulas_give_a_result_or_one_clean_line(capsys, parts, x, order):
    code = _run(["grad", "".join(parts), f"x={x}", f"y={-x}", "--order", order, "--json"])
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and "internal error" not in err and "Warning" not in err, err
    if code == 0:
        data = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
        assert isinstance(data["value"], float) and math.isfinite(data["value"])
    elif code == 1:
        assert out == "" and err.count("\n") == 1 and err.startswith("autograd-core: error: "), err


NUMBERS = st.one_of(st.integers(-10**12, 10**12).map(str), st.sampled_from(["inf", "-inf", "nan", "1e308", "",
                                                                             "abc", "1.5", "0x10", " 7 "]))
FLAGS = {"--epochs": limits.EPOCHS, "--batch-size": limits.BATCH, "--length": limits.LENGTH,
         "--seed": limits.SEED, "--log-every": limits.LOG_EVERY}


class Reached(BaseException):
    """The flags passed every check and the command asked for its data."""


def _int_ok(raw, lo, hi):
    try:
        return lo <= int(raw.strip()) <= hi
    except ValueError:
        return False


def _lr_ok(raw):
    try:
        return 0 < float(raw) <= limits.MAX_LR
    except ValueError:
        return False


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ints=st.dictionaries(st.sampled_from(sorted(FLAGS)), NUMBERS, max_size=3),
       lr=st.one_of(st.none(), NUMBERS, st.floats(allow_nan=True, allow_infinity=True).map(repr)),
       hidden=st.one_of(st.none(), st.lists(st.integers(-2, 5000), min_size=0, max_size=3).map(
           lambda ws: ",".join(map(str, ws)))))
def test_train_flags_are_refused_with_exit_2_or_reach_the_work(capsys, ints, lr, hidden):
    argv = ["train", "--task", "parity", "--model", "gru"] + [a for k, v in ints.items() for a in (k, v)]
    argv += ["--lr", lr] if lr is not None else []
    argv += ["--hidden", hidden] if hidden is not None else []
    valid = all(_int_ok(v, FLAGS[k].lo, FLAGS[k].hi) for k, v in ints.items())
    valid &= lr is None or _lr_ok(lr)
    widths = [] if hidden is None else [int(w) for w in hidden.split(",") if w]
    valid &= hidden is None or (hidden != "" and len(widths) == 1 and 1 <= widths[0] <= limits.MAX_WIDTH)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tasks, "load_task", lambda *a, **k: (_ for _ in ()).throw(Reached()))
        try:
            code = _run(argv)
        except Reached:
            code = None
    err = capsys.readouterr().err
    if not valid:
        assert code == 2 and "error: " in err, (argv, code, err)
        assert any(option in err for option in ["--epochs", "--batch-size", "--length", "--seed", "--log-every",
                                                "--lr", "--hidden"]), err
    else:
        assert code in (None, 2), (argv, err)
        assert code is None or "activations, over the limit" in err or "parameters, over the limit" in err, err
