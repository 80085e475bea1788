"""rate-factors: dC/dw is the sum over all paths from w to C of the product of the rate factors on the path."""
from __future__ import annotations

from autograd_core import Value, topological_order

from .core import Context, Result

X, Y = (0.5, -1.0), 0.3
W1 = [[0.7, -0.3], [0.2, 0.5]]       # layer 1: 2 inputs -> 2 tanh neurons
W2 = [[0.6, -0.8], [0.4, 0.9]]       # layer 2: 2 -> 2
W3 = [1.1, -0.7]                     # output: 2 -> 1


def layer(inputs: list, weights: list, tag: str) -> tuple[list, list]:
    """tanh neurons a_j = tanh(sum_k w_jk a_k) (no biases, to keep the picture small)."""
    ws = [[Value(w, label=f"w{tag}_{j}{k}") for k, w in enumerate(row)] for j, row in enumerate(weights)]
    outs = []
    for j, row in enumerate(ws):
        z = row[0] * inputs[0]
        for w, a in zip(row[1:], inputs[1:]):
            z = z + w * a
        a = z.tanh()
        a.label = f"a{tag}_{j}"
        outs.append(a)
    return outs, ws


def by_hand(a1: list, a2: list, a3: float) -> list[float]:
    """Neuron-level rate factors: da1_0/dw = tanh'(z) x_0, da2_q/da1_0 = tanh'(z) w2_q0,
    da3/da2_q = tanh'(z) w3_q, dC/da3 = a3 - y; one product per path through a2_q."""
    d = lambda a: 1 - a ** 2  # noqa: E731 - tanh' from the output
    return [(a3 - Y) * d(a3) * W3[q] * d(a2[q].data) * W2[q][0] * d(a1[0].data) * X[0] for q in range(2)]


def run(ctx: Context) -> Result:
    x = [Value(v, label=f"x{i}") for i, v in enumerate(X)]
    a1, w1 = layer(x, W1, "1")
    a2, _ = layer(a1, W2, "2")
    a3, _ = layer(a2, [W3], "3")
    C = (a3[0] - Y) ** 2 * 0.5
    C.label = "C"
    C.backward()
    w = w1[0][0]
    from viz import path_report

    report = path_report(C, w, topological_order(C))
    hand = by_hand(a1, a2, a3[0].data)
    ctx.graph(C, "rate_factors_graph", view="backward", highlight=w,
              title="paths from w1_00 to C: dC/dw = sum over paths of the product of local derivatives")
    numbers = {"paths": report.count, "path_products": [p.product for p in report.paths],
               "sum_of_products": report.total, "hand_path_products": hand, "grad": w.grad,
               "max_error": max(abs(report.total - w.grad), abs(sum(hand) - w.grad))}
    lines = [f"a 2-2-2-1 tanh net, C = (a - y)^2 / 2; from w1_00 to C there are {report.count} paths:"]
    lines += [f"  path through a2_{q}: product of rate factors {h:+.6f} (op by op: {p.product:+.6f}, "
              f"{len(p.factors or [])} factors)" for q, (h, p) in enumerate(zip(hand, report.paths))]
    lines.append(f"  sum {report.total:+.6f} = dC/dw from backward {w.grad:+.6f}")
    return Result(numbers, lines)
