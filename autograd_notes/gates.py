"""gates: in the backward pass an add gate distributes, a mul gate swaps, max and min route the gradient."""
from __future__ import annotations

from autograd_core import Value
from autograd_core import max as vmax
from autograd_core import min as vmin

from .core import Context, Result


def run(ctx: Context) -> Result:
    x, y, w = Value(3.0, label="x"), Value(-2.0, label="y"), Value(4.0, label="w")
    s = x + y
    s.label = "s = x + y"
    p = s * w
    p.label = "p = s * w"
    m = vmax(p, x)
    m.label = "m = max(p, x)"
    n = vmin(m, y * 2.0)
    n.label = "n = min(m, 2y)"
    L = m * 0.5 + n
    L.label = "L"
    L.backward()
    ctx.graph(L, "gates_graph", view="backward",
              title="add distributes, mul swaps, max/min route; each edge: upstream x local")
    locals_ = {}
    for name, (a, b, f) in {"add": (3.0, -2.0, lambda a, b: a + b), "mul": (3.0, -2.0, lambda a, b: a * b),
                            "max": (3.0, -2.0, lambda a, b: vmax(a, b)), "min": (3.0, -2.0, lambda a, b: vmin(a, b)),
                            "scale_by_c": (3.0, 5.0, lambda a, b: a * 5.0)}.items():
        va, vb = Value(a), Value(b)
        out = f(va, vb)
        out.backward(7.0)                                 # an upstream gradient dL/dz = 7
        locals_[name] = [va.grad, vb.grad]
    numbers = {"upstream": 7.0, "gate_grads": locals_,
               "example": {"L": L.data, "dL/dx": x.grad, "dL/dy": y.grad, "dL/dw": w.grad}}
    lines = ["each gate with inputs (3, -2) and upstream gradient dL/dz = 7 passes back dL/dz * dz/dinput:"]
    lines += [f"  {name:10s}: {g}" for name, g in locals_.items()]
    lines.append(f"  L = 0.5 max((x + y) w, x) + min(max(...), 2y) at x=3, y=-2, w=4: L = {L.data}, "
                 f"dL/dx = {x.grad}, dL/dy = {y.grad}, dL/dw = {w.grad}")
    return Result(numbers, lines)
