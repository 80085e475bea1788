"""PyTorch scripts ported by changing only their imports, run under both libraries and compared.

The scripts (examples/ported/*.py) run under autograd_core and, when torch is installed, under
torch itself (the import lines swapped back to the PyTorch lines kept in their comments), from
the same weights; every number must agree to 1e-6. Without torch, closed forms and facts about
the run are checked instead.
"""
from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

PORTED = Path(__file__).resolve().parents[2] / "examples" / "ported"
TOL = dict(rtol=1e-6, atol=1e-9)
IMPORT = re.compile(r"^(?:import|from) .*# PyTorch: (.*)$")


def load(name: str, torch_version: bool) -> types.ModuleType:
    """The script as a module; with torch_version, each ported import line replaced by its PyTorch line."""
    lines = (PORTED / f"{name}.py").read_text().splitlines()
    swapped = [IMPORT.sub(r"\1", line) if torch_version else line for line in lines]
    if torch_version:
        assert sum(a != b for a, b in zip(lines, swapped)) == sum(bool(IMPORT.match(line)) for line in lines) > 0
        assert all(a == b for a, b in zip(lines, swapped) if not IMPORT.match(a))  # only the imports differ
    module = types.ModuleType(f"ported_{name}_{'torch' if torch_version else 'ours'}")
    exec(compile("\n".join(swapped), str(PORTED / f"{name}.py"), "exec"), module.__dict__)
    return module


def _same_start(ours: Any, theirs: Any) -> None:
    """Give the torch model our initial weights (the RNGs differ; everything after must agree)."""
    import torch

    assert list(theirs.state_dict()) == list(ours.state_dict())  # the same parameter names, in order
    theirs.load_state_dict({k: torch.as_tensor(v) for k, v in ours.state_dict().items()})


def test_mlp_classifier() -> None:
    ours = load("mlp_classifier", False)
    model = ours.build()
    history, same = ours.train(model)
    assert same is True and len(history) == 6
    assert history[-1][1] < history[0][1] and history[-1][2] >= 0.7  # validation loss falls, accuracy rises
    assert [h[3] for h in history] == [0.01 * 0.5 ** ((e + 1) // 2) for e in range(6)]  # StepLR(2, 0.5)
    pytest.importorskip("torch")
    theirs = load("mlp_classifier", True)
    tmodel = theirs.build()
    _same_start(ours.build(), tmodel)
    t_history, t_same = theirs.train(tmodel)
    assert t_same is True
    np.testing.assert_allclose(np.array(history), np.array(t_history), **TOL)
    for (k, v), (tk, tv) in zip(model.state_dict().items(), tmodel.state_dict().items()):
        assert k == tk
        np.testing.assert_allclose(v, tv.numpy(), **TOL, err_msg=k)


def test_gru_classifier() -> None:
    ours = load("gru_classifier", False)
    model = ours.build()
    assert "gru.weight_hh_l1_reverse" in model.state_dict()
    losses, accuracy, probs = ours.train(model)
    assert losses[-1] < losses[0] and accuracy > 0.75
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-14)
    pytest.importorskip("torch")
    theirs = load("gru_classifier", True)
    tmodel = theirs.build()
    _same_start(ours.build(), tmodel)
    t_losses, t_accuracy, t_probs = theirs.train(tmodel)
    np.testing.assert_allclose(losses, t_losses, **TOL)
    assert accuracy == t_accuracy
    np.testing.assert_allclose(probs, t_probs, **TOL)


def _closed_forms(data: np.ndarray) -> dict[str, np.ndarray]:
    z = (data - data.mean(0)) / data.std(0, ddof=1)
    d = np.sqrt(((z[:, None] - z[None]) ** 2).sum(-1).clip(1e-12))
    w = np.exp(-d) / np.exp(-d).sum(1, keepdims=True)
    return {"z": z, "t": z.T.reshape(2, 12), "p": z.reshape(3, 2, 4).transpose(2, 0, 1).reshape(4, 6),
            "masked": np.where(z > 0, z, 0).sum(1), "count": (z > 0).sum(0), "values": z.max(1),
            "indices": z.argmax(1), "top": z.min(1), "dist": d, "attention": w @ z,
            "stacked": np.stack([z.max(0), z.min(0), z.prod(0), z.sum(0)]),
            "extras": np.concatenate([np.sin(z).mean(0), np.log1p(np.exp(z)).var(0, ddof=1),
                                      np.sqrt(np.abs(z)).sum(0)])}


def test_tensor_manipulation() -> None:
    data = np.random.default_rng(0).normal(size=(6, 4))
    ours = load("tensor_manipulation", False).run(data)
    for name, want in _closed_forms(data).items():
        got = ours[name].data
        assert got.shape == want.shape and got.dtype.kind == np.asarray(want).dtype.kind, name
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
    pytest.importorskip("torch")
    theirs = load("tensor_manipulation", True).run(data)
    assert set(ours) == set(theirs)
    for name, value in ours.items():
        mine = np.asarray(value.data if hasattr(value, "data") and not isinstance(value, np.ndarray) else value)
        other = theirs[name].detach().numpy()
        assert mine.shape == other.shape and mine.dtype.kind == other.dtype.kind, name
        np.testing.assert_allclose(mine, other, **TOL, err_msg=name)
