"""ce-vs-quadratic: a saturated sigmoid neuron learns slowly under the quadratic cost, fast under cross-entropy."""
from __future__ import annotations

from autograd_core import Value

from .core import Context, Result, fmt

X, Y, W0, B0, ETA = 1.0, 0.0, 2.0, 2.0, 0.15
CHECKPOINTS = (50, 150, 300)


def cost(kind: str, a: Value) -> Value:
    """quadratic: C = (y - a)^2 / 2;  cross-entropy: C = -[y ln a + (1 - y) ln(1 - a)]."""
    if kind == "quadratic":
        return (a - Y) ** 2 * 0.5
    return -(a.log() * Y + (1 - a).log() * (1 - Y))


def train(kind: str, epochs: int) -> list[float]:
    """Gradient descent on one example; the neuron's output a = sigma(w x + b) after every epoch."""
    w, b = Value(W0, label="w"), Value(B0, label="b")
    outputs = []
    for _ in range(epochs):
        c = cost(kind, (w * X + b).sigmoid())
        w.grad = b.grad = 0.0
        c.backward()
        w.data -= ETA * w.grad
        b.data -= ETA * b.grad
        outputs.append((w * X + b).sigmoid().data)
    return outputs


def first_graph(ctx: Context, kind: str) -> None:
    """The backward graph of the first step: the quadratic path carries sigma'(z) = 0.018, CE's does not."""
    w, b = Value(W0, label="w"), Value(B0, label="b")
    c = cost(kind, (w * X + b).sigmoid())
    c.label = f"C ({kind})"
    c.backward()
    ctx.graph(c, f"ce_vs_quadratic_{kind}_graph", view="backward",
              title=f"{kind} cost: dC/dw = {w.grad:.4f} at a = {(w * X + b).sigmoid().data:.3f}")


def run(ctx: Context) -> Result:
    epochs = max(CHECKPOINTS)
    quad, ce = train("quadratic", epochs), train("cross_entropy", epochs)
    pick = [e - 1 for e in CHECKPOINTS]
    with ctx.figure("ce_vs_quadratic") as ax:
        ax.plot(range(1, epochs + 1), quad, label="quadratic cost")
        ax.plot(range(1, epochs + 1), ce, label="cross-entropy")
        ax.set(xlabel="epoch", ylabel="output a (target 0)",
               title="x=1, y=0, w=b=2, eta=0.15: a saturated neuron")
        ax.legend()
    first_graph(ctx, "quadratic")
    first_graph(ctx, "cross_entropy")
    numbers = {"epochs": list(CHECKPOINTS), "quadratic_output": [round(quad[i], 6) for i in pick],
               "cross_entropy_output": [round(ce[i], 6) for i in pick]}
    lines = [f"one neuron, x={X}, y={Y}, w=b={W0}, eta={ETA}; output a after epochs {list(CHECKPOINTS)}:",
             f"  quadratic cost:  {fmt(numbers['quadratic_output'])}   (dC/dw = (a - y) sigma'(z) x: "
             "sigma'(z) ~ 0.018 at the start, so it barely moves)",
             f"  cross-entropy:   {fmt(numbers['cross_entropy_output'])}   (dC/dw = (a - y) x: no sigma', "
             "the larger the error the faster it learns)"]
    return Result(numbers, lines)
