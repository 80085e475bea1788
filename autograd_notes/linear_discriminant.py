"""linear-discriminant: g(x) = theta0 + theta1 x1 + theta2 x2 is 0 on the boundary, signed on each side;
(theta1, theta2) is its normal and |theta0| / |(theta1, theta2)| its distance from the origin."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor

from .core import Context, Result

THETA0, THETA = 1.0, np.array([2.0, 3.0])


def g(x: Tensor) -> Tensor:
    return (x * THETA).sum(axis=-1) + THETA0


def run(ctx: Context) -> Result:
    closest = -THETA0 * THETA / (THETA @ THETA)              # the foot of the perpendicular from 0
    p = Tensor(closest, requires_grad=True)
    value = g(p)
    value.backward()                                         # grad g = (theta1, theta2): the normal
    along = closest + 0.5 * np.array([-THETA[1], THETA[0]])  # another boundary point
    sides = [g(Tensor(np.array(pt))).item() for pt in ((1.0, 1.0), (-1.0, -1.0))]
    distance = float(np.linalg.norm(closest))
    with ctx.figure("linear_discriminant", width=4.4, height=4.2) as ax:
        g1, g2 = np.meshgrid(np.linspace(-1.5, 1.5, 200), np.linspace(-1.5, 1.5, 200))
        ax.contourf(g1, g2, g(Tensor(np.stack([g1, g2], axis=-1))).data, levels=[-20, 0, 20],
                    colors=["#f4cccc", "#d9ead3"])
        ax.contour(g1, g2, g(Tensor(np.stack([g1, g2], axis=-1))).data, levels=[0], colors="k")
        ax.annotate("", xy=closest + 0.3 * THETA / np.linalg.norm(THETA), xytext=closest,
                    arrowprops={"arrowstyle": "->"})
        ax.plot([0, closest[0]], [0, closest[1]], "k:")
        ax.text(0.5, 1.0, "g > 0")
        ax.text(-1.2, -1.2, "g < 0")
        ax.set(aspect="equal", title=f"g = 1 + 2 x1 + 3 x2: distance {distance:.3f}")
    numbers = {"g_on_boundary": [round(value.item(), 12), round(g(Tensor(along)).item(), 12)],
               "g_sides": sides, "normal": [float(v) for v in p.grad],
               "distance_from_origin": round(distance, 6), "notes_distance": THETA0}
    lines = [f"g(x) = {THETA0} + {THETA[0]} x1 + {THETA[1]} x2:",
             f"  g = {numbers['g_on_boundary']} at two boundary points; g(1, 1) = {sides[0]}, g(-1, -1) = {sides[1]}",
             f"  grad g (the engine) = {numbers['normal']}: the normal to the boundary",
             f"  distance from the origin |theta0| / |(theta1, theta2)| = 1/sqrt(13) = {distance:.4f} "
             "(the notes: theta0 = 1)"]
    return Result(numbers, lines)
