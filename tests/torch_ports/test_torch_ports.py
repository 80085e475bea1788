"""PyTorch scripts in the style of the beginner material, run unchanged but for the import lines.

Each script in scripts/ is written for PyTorch (`import torch`, `import torch.nn as nn`, ...) and
ends by filling a `report` dict. The test runs the same source twice: once with its import lines
pointed at autograd_core (`import autograd_core as torch`, `import autograd_core.nn as nn`; only
those lines differ, which the test checks) and once as is under torch (float64 as its default
dtype, the default here; without torch that half is skipped with a message), and compares the
reports: the scripts start from fixed weights, so every number must agree.
"""
from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SCRIPTS = Path(__file__).resolve().parent / "scripts"
IMPORT = re.compile(r"^(\s*)(import|from) torch\b(.*)$")

# script -> relative tolerance of the comparison (float64 unless said)
CASES: dict[str, float] = {
    "poly_tensors_autograd": 1e-4,  # float32 throughout, as the lesson writes it
    "poly_custom_function": 1e-9,
    "poly_nn": 1e-9,
    "poly_optim": 1e-4,  # RMSprop divides by sqrt(mean g²): rounding in the 2000-term sums grows to 1e-5
                         # (and to 6e-6 in absolute terms on a bias that hovers about 0)
    "poly_module": 1e-9,
    "dynamic_net": 1e-9,
    "autograd_walkthrough": 1e-9,
    "nlp_tensors": 1e-12,
    "bow_classifier": 1e-9,
    "ngram_lm": 1e-9,
    "lstm_tagger": 1e-9,
    "bilstm_crf": 1e-9,
}


def port(source: str) -> str:
    """The script with only its import lines changed: torch -> autograd_core."""
    out = []
    for line in source.splitlines():
        m = IMPORT.match(line)
        if m is None:
            out.append(line)
            continue
        indent, kind, rest = m.groups()
        if kind == "import" and rest == "":
            out.append(f"{indent}import autograd_core as torch")
        else:
            out.append(f"{indent}{kind} autograd_core{rest}")
    return "\n".join(out) + "\n"


def run(name: str, source: str) -> dict[str, Any]:
    module = types.ModuleType(f"torch_port_{name}")
    exec(compile(source, str(SCRIPTS / f"{name}.py"), "exec"), module.__dict__)
    return module.report


def _close(ours: Any, theirs: Any, rtol: float, where: str) -> None:
    if isinstance(ours, dict):
        assert list(ours) == list(theirs), where
        for key in ours:
            _close(ours[key], theirs[key], rtol, f"{where}.{key}")
    elif isinstance(ours, (bool, str)) or ours is None:
        assert ours == theirs, where
    elif isinstance(ours, (list, tuple)) and not _numeric(ours):
        assert len(ours) == len(theirs), where
        for k, (a, b) in enumerate(zip(ours, theirs)):
            _close(a, b, rtol, f"{where}[{k}]")
    else:
        np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float), rtol=rtol,
                                   atol=rtol * 0.1, err_msg=where)


def _numeric(x: Any) -> bool:
    """A number or a regular nested list of numbers (compared as one array)."""
    try:
        return np.asarray(x).dtype.kind in "biuf"
    except ValueError:
        return False


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_script_runs_with_only_its_imports_changed_and_matches_torch(name: str) -> None:
    source = (SCRIPTS / f"{name}.py").read_text()
    ported = port(source)
    changed = [(a, b) for a, b in zip(source.splitlines(), ported.splitlines()) if a != b]
    assert changed and all(IMPORT.match(a) for a, _ in changed)  # the imports, nothing else
    ours = run(name, ported)
    _sane(name, ours)
    torch = pytest.importorskip("torch", reason="torch is not installed: the comparison with PyTorch is skipped")
    torch.set_default_dtype(torch.float64)
    theirs = run(name, source)
    _close(ours, theirs, CASES[name], name)


def _sane(name: str, report: dict[str, Any]) -> None:
    """What each run must show on its own (the check that stands when torch is absent)."""
    losses = report.get("losses")
    if losses is not None:
        assert all(np.isfinite(losses)) and losses[-1] < losses[0], (name, losses)
    if name == "poly_tensors_autograd":
        assert report["leaves"] == [True] * 4 and report["dtype"] == "float32"
    if name == "poly_custom_function":
        assert report["gradcheck"] and report["gradgradcheck"] and report["grad_fn"] == "LegendrePolynomial3Backward"
    if name == "autograd_walkthrough":
        assert report["grad_of_mean"] == [[4.5, 4.5], [4.5, 4.5]] and report["accumulated"] == [6.0, 12.0]
    if name == "bow_classifier":
        spanish, english = report["after"]
        assert spanish[0][0] > spanish[0][1] and english[0][1] > english[0][0]
    if name == "lstm_tagger":  # step by step or the whole sequence at once: one LSTM
        np.testing.assert_allclose(report["stepwise"], [report["whole"]], rtol=1e-12)
