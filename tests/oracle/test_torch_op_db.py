"""PyTorch's own op tests as the oracle: every op both libraries have, through op_db's sample and reference
inputs, each spelling, float64 and float32, forward, gradient and second order.

Every case must end as "agree" or as one of the deliberate errors in DOCUMENTED (the same table is in
docs/from-pytorch.md, "Documented differences"). Print the counts with
`.venv/bin/python tests/oracle/test_torch_op_db.py` (or `pytest tests/oracle -s`).

Runtime: at most SAMPLES_PER_OP samples per op and dtype are taken, the first ones op_db yields (its sample
inputs, then its reference inputs) with at most MAX_ELEMENTS tensor elements in all, drawn from a fixed seed,
so the run is deterministic and fits the suite's budget.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from itertools import islice
from typing import Any

import pytest

torch = pytest.importorskip("torch", reason="the op_db oracle needs torch (an optional extra)")
pytest.importorskip("expecttest", reason="torch's op_db needs the expecttest package (in the test extra)")

import autograd_core as ac  # noqa: E402
from nn import functional as F  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_cases import Documented, Outcome, run_case, spellings  # noqa: E402

SAMPLES_PER_OP = 12
MAX_ELEMENTS = 1024  # samples with more tensor elements in all are left out (op_db's few large stress inputs)
DTYPES = (torch.float64, torch.float32)

# The deliberate errors: where torch answers and this library refuses, on purpose, with this message.
DOCUMENTED: tuple[Documented, ...] = (
    Documented("domain", ValueError,
               r"^(log|sqrt|log1p|log2|log10|div|rsqrt|reciprocal|asin|acos|pow): (expected (a positive input|a "
               r"non-negative input|a non-zero divisor|an input > -1|an input in \[-1, 1\]|a non-zero input|a "
               r"positive input)|negative base .* has no real value|0\.0 \*\* .* is a division by zero)",
               "outside an op's real domain (log of a negative number, a division by zero) this library raises "
               "where torch returns NaN or inf"),
    Documented("nuclear-norm", ValueError, r"^norm: the nuclear norm \(p='nuc'\) needs a singular value decomposition",
               "norm(p='nuc') needs a singular value decomposition, which this library does not have"),
    Documented("embedding-max-norm-sparse", ValueError, r"^embedding: max_norm \(which rewrites the weight in place\) "
               r"and sparse \(sparse gradients\) are not supported",
               "F.embedding's max_norm (rewriting the weight in place) and sparse gradients are refused"),
)

# Ops whose gradient at a NaN input torch gives two ways: its scalar kernel passes the gradient (as here),
# its vectorized kernel (tensors of 8 or more elements) gives 0 or NaN. A gradient that differs only at
# NaN inputs is counted under the documented key "nan-kernel" for these ops (see docs/from-pytorch.md).
NAN_KERNEL_OPS = frozenset({"nn.functional.elu", "nn.functional.selu", "nn.functional.celu", "nn.functional.relu6",
                            "nn.functional.hardtanh"})

# op_db entries whose samples are written for a wrapper (its `op`), spelled the same way on both sides
TF = torch.nn.functional
WRAPPERS = {
    "einsum": ("torch.einsum", lambda ts, eq: torch.einsum(eq, ts), lambda ts, eq: ac.einsum(eq, ts)),
    "nn.functional.embedding": ("F.embedding", lambda w, i, **k: TF.embedding(i, w, **k),
                                lambda w, i, **k: F.embedding(i, w, **k)),
    "where": ("torch.where", lambda x, c, y, **k: torch.where(c, x, y), lambda x, c, y, **k: ac.where(c, x, y)),
    "T": ("Tensor.T", lambda x: x.T, lambda x: x.T),
}

# ops both libraries name but whose cases are not run, with the reason
SKIPPED = {
    "empty": "uninitialised memory: there is nothing to compare",
    "empty_like": "uninitialised memory: there is nothing to compare",
}


def _op_db() -> list[Any]:
    from torch.testing._internal.common_methods_invocations import op_db

    return [info for info in op_db if _spellings(info.name)]


def _spellings(name: str) -> list[Any]:
    """The spellings of an op_db entry: torch.X, Tensor.X, F.X, linalg.X where both libraries have them, or the
    entry's wrapper spelled on both sides."""
    return [WRAPPERS[name]] if name in WRAPPERS else spellings(name)


def _samples(info: Any, dtype: Any) -> Any:
    """The first SAMPLES_PER_OP reference inputs (op_db's sample inputs first), drawn from a fixed seed. The
    generator is called directly: OpInfo.reference_inputs wraps it in a tracker that inspects the call stack
    for every sample (most of the run time otherwise)."""
    torch.manual_seed(0)
    make = info.reference_inputs_func or info.sample_inputs_func
    small = (s for s in make(info, "cpu", dtype, False) if _elements(s) <= MAX_ELEMENTS)
    return islice(small, SAMPLES_PER_OP)


def _elements(obj: Any) -> int:
    """The number of tensor elements in a sample (input, args and kwargs)."""
    if isinstance(obj, torch.Tensor):
        return obj.numel()
    if isinstance(obj, (list, tuple)):
        return sum(_elements(o) for o in obj)
    if isinstance(obj, dict):
        return sum(_elements(o) for o in obj.values())
    if hasattr(obj, "input") and hasattr(obj, "args"):
        return _elements(obj.input) + _elements(list(obj.args)) + _elements(dict(obj.kwargs))
    return 0


def run_oracle() -> tuple[list[Outcome], dict[str, str]]:
    """Every case of every shared op (op_db entries with a spelling here), and the skipped ops."""
    outcomes: list[Outcome] = []
    skipped: dict[str, str] = {}
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # this library's default float, so creation ops compare
    try:
        for info in _op_db():
            name = info.name + (f".{info.variant_test_name}" if info.variant_test_name else "")
            if info.name in SKIPPED:
                skipped[name] = SKIPPED[info.name]
                continue
            for dtype in DTYPES:
                if dtype not in info.supported_dtypes("cpu"):
                    continue
                for index, sample in enumerate(_samples(info, dtype)):
                    for spelling in _spellings(info.name):
                        case = run_case(name, spelling, sample, dtype, index, info.supports_autograd, DOCUMENTED,
                                        NAN_KERNEL_OPS)
                        if case is not None:
                            outcomes.append(case)
            if not any(o.op == name for o in outcomes):
                skipped[name] = ("op_db writes its samples for a wrapper of the op (other argument order or "
                                 "kinds) that torch's own spellings refuse, or only for dtypes other than float32/64")
    finally:
        torch.set_default_dtype(previous)
    return outcomes, skipped


def summary(outcomes: list[Outcome], skipped: dict[str, str]) -> str:
    """The counts the closing note quotes, then every case that did not agree."""
    verdicts = Counter(o.verdict for o in outcomes)
    documented = Counter(o.detail for o in outcomes if o.verdict == "documented")
    ops = {o.op for o in outcomes}
    lines = [f"op_db oracle: {len(outcomes)} cases over {len(ops)} ops (op_db entries), "
             f"{SAMPLES_PER_OP} samples per op and dtype at most, each of at most {MAX_ELEMENTS} elements",
             f"  agree: {verdicts['agree']}",
             f"  documented errors: {verdicts['documented']} " + ", ".join(f"{k} {n}" for k, n in documented.items()),
             f"  differ: {verdicts['differs']}", f"  undocumented errors: {verdicts['error']}",
             f"  skipped ops: {len(skipped)}"]
    lines += [f"    {op}: {why}" for op, why in sorted(skipped.items())]
    bad = [o for o in outcomes if o.verdict in ("differs", "error")]
    lines += [f"  {o.verdict.upper()} {o.op} {o.spelling} {o.dtype} #{o.index}: {o.detail}" for o in bad]
    return "\n".join(lines)


@pytest.mark.slow
def test_every_shared_op_agrees_with_torch_or_raises_a_documented_error() -> None:
    start = time.perf_counter()
    outcomes, skipped = run_oracle()
    report = summary(outcomes, skipped)
    print(f"\n{report}\n  ({time.perf_counter() - start:.1f} s)")
    assert len({o.op for o in outcomes}) >= 100
    bad = [o for o in outcomes if o.verdict in ("differs", "error")]
    assert not bad, report


def test_documented_errors_are_in_the_docs() -> None:
    """docs/from-pytorch.md lists every row of DOCUMENTED (by key) in its "Documented differences" section."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(root, "docs", "from-pytorch.md"), encoding="utf-8") as fh:
        text = fh.read()
    assert "## Documented differences" in text
    section = text.split("## Documented differences", 1)[1]
    for key in [row.key for row in DOCUMENTED] + ["nan-kernel"]:
        assert f"`{key}`" in section, key


if __name__ == "__main__":
    t0 = time.perf_counter()
    print(summary(*run_oracle()))
    print(f"({time.perf_counter() - t0:.1f} s)")
