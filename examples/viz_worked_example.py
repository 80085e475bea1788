"""The notes' worked example: weights θ = (0.1, 0.2, 0.3) on input x = (1, 1), sigmoid activation.

y = sigmoid(θ0 + θ1 x1 + θ2 x2) = sigmoid(0.6) = 0.6457, and dy/dθ_i = y (1 - y) x_i = 0.2288
(x0 = 1 for the bias). The picture shows every value, every gradient, and (highlighted) the path
from θ1 to y whose rate factors multiply to dy/dθ1.

Run:  python examples/viz_worked_example.py [OUTPUT_FOLDER]      (default: out/viz)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import viz  # noqa: E402
from autograd_core import Value  # noqa: E402


def main(out: Path) -> list[Path]:
    t0, t1, t2 = Value(0.1, label="θ0"), Value(0.2, label="θ1"), Value(0.3, label="θ2")
    x1, x2 = Value(1.0, label="x1", requires_grad=False), Value(1.0, label="x2", requires_grad=False)
    g = t0 + t1 * x1 + t2 * x2
    g.label = "g(x)"
    y = g.sigmoid()
    y.label = "ŷ"
    params = {"θ0": t0, "θ1": t1, "θ2": t2}
    paths = [viz.save(y, out / "worked_forward.svg", view="forward", params=params,
                      title="ŷ = f(0.1 + 0.2·1 + 0.3·1) = f(0.6) with f = sigmoid")]
    y.backward()
    paths.append(viz.save(y, out / "worked_backward.svg", view="both", params=params, highlight=t1,
                          title="dŷ/dθ1 = f'(0.6) · x1 = ŷ (1 - ŷ) · 1"))
    print(f"ŷ = {y.data:.4f}; dŷ/dθ = ({t0.grad:.4f}, {t1.grad:.4f}, {t2.grad:.4f})")
    return paths


if __name__ == "__main__":
    for path in main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/viz")):
        print(path)
