"""`autograd-core grad` knows the new table ops by their PyTorch names: values and derivatives checked
against closed forms (and torch when installed)."""
from __future__ import annotations

import json
import math

import pytest

X = 0.5
PHI = 0.5 * (1 + math.erf(X / math.sqrt(2)))
phi = math.exp(-X * X / 2) / math.sqrt(2 * math.pi)
CASES = [  # (expression, value, first derivative) at x = 0.5
    ("sin(x)", math.sin(X), math.cos(X)),
    ("cos(x)", math.cos(X), -math.sin(X)),
    ("tan(x)", math.tan(X), 1 / math.cos(X) ** 2),
    ("log1p(x)", math.log1p(X), 1 / (1 + X)),
    ("expm1(x)", math.expm1(X), math.exp(X)),
    ("softplus(x)", math.log1p(math.exp(X)), 1 / (1 + math.exp(-X))),
    ("gelu(x)", X * PHI, PHI + X * phi),
    ("elu(-x)", math.expm1(-X), -math.exp(-X)),
    ("leaky_relu(-x)", -0.01 * X, -0.01),
]


@pytest.mark.parametrize(("expr", "value", "slope"), CASES, ids=[c[0] for c in CASES])
def test_new_functions(cli, expr: str, value: float, slope: float) -> None:
    r = cli("grad", expr, f"x={X}", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["value"] == pytest.approx(value, rel=1e-12)
    assert out["gradient"]["x"] == pytest.approx(slope, rel=1e-12)


def test_new_functions_match_torch() -> None:
    torch = pytest.importorskip("torch")
    import autograd_core as ac

    for name in ("sin", "cos", "tan", "log1p", "expm1"):
        x, xt = ac.Value(X), torch.tensor(X, dtype=torch.float64, requires_grad=True)
        getattr(x, name)().backward()
        getattr(torch, name)(xt).backward()
        assert x.grad == pytest.approx(xt.grad.item(), rel=1e-14)
    for name in ("softplus", "gelu", "elu", "leaky_relu"):
        x, xt = ac.Value(-X), torch.tensor(-X, dtype=torch.float64, requires_grad=True)
        getattr(x, name)().backward()
        getattr(torch.nn.functional, name)(xt).backward()
        assert x.grad == pytest.approx(xt.grad.item(), rel=1e-14)
