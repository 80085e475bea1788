"""rnn-sharing: one RNN cell serves every time step; its weight gradient is the sum of the steps' gradients."""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Tensor

from .core import Context, Result


def unroll(cells: list, xs: np.ndarray) -> Tensor:
    """h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) with cells[t] at step t; loss = |h_T|^2."""
    h: Any = None
    for t, x in enumerate(xs):
        h = cells[t](Tensor(x[None, :]), h)
    loss = (h ** 2).sum()
    loss.label = "loss"
    return loss


def picture(ctx: Context, cell, xs: np.ndarray) -> None:
    """The same computation as nn.RNN (which loops this cell), drawn with one box per time step."""
    import nn

    rnn = nn.RNN(2, 3)
    rnn.cell.load_state_dict(cell.state_dict())
    outputs, _ = rnn(Tensor(xs))
    loss = (outputs[-1] ** 2).sum()
    loss.label = "loss"
    loss.backward()
    ctx.graph(loss, "rnn_sharing_graph", view="backward", params=rnn, collapse=["cell"], rankdir="TB",
              title="one RNNCell over 4 steps (a box per step): every step reads the same weights")


def run(ctx: Context) -> Result:
    import nn

    rng = np.random.default_rng(ctx.seed)
    cell = nn.RNNCell(2, 3, seed=ctx.seed)
    xs = rng.normal(size=(4, 2))
    loss = unroll([cell] * len(xs), xs)                       # parameter sharing: the same cell each step
    loss.backward()
    copies = []
    for _ in xs:                                              # one private copy per step, same numbers
        c = nn.RNNCell(2, 3)
        c.load_state_dict(cell.state_dict())
        copies.append(c)
    unroll(copies, xs).backward()
    per_step = [np.abs(c.weight_hh.grad).max() for c in copies]
    summed = sum(c.weight_hh.grad for c in copies)
    reversed_loss = unroll([cell] * len(xs), xs[::-1]).item()
    picture(ctx, cell, xs)
    lengths = {str(T): unroll([cell] * T, rng.normal(size=(T, 2))).item() for T in (3, 7)}
    numbers = {"parameter_count": cell.num_parameters(), "steps": len(xs),
               "max_error_sum_of_steps": float(np.abs(summed - cell.weight_hh.grad).max()),
               "per_step_grad_max": [float(v) for v in per_step],
               "loss": loss.item(), "loss_reversed": reversed_loss,
               "order_sensitive": bool(abs(loss.item() - reversed_loss) > 1e-9),
               "loss_by_length": lengths}
    lines = [f"RNNCell(2, 3): {numbers['parameter_count']} parameters whatever the sequence length "
             f"(lengths 3 and 7 run through the same cell: losses {', '.join(f'{v:.4f}' for v in lengths.values())})",
             f"  dL/dW_hh of the shared cell = sum over the 4 steps of each step's own dL/dW_hh: max difference "
             f"{numbers['max_error_sum_of_steps']:.0e} "
             f"(steps contribute up to {', '.join(f'{v:.3f}' for v in per_step)})",
             f"  order matters: loss {loss.item():.4f} for the sequence, {reversed_loss:.4f} reversed "
             "(a sum of the inputs could not tell them apart)"]
    return Result(numbers, lines)
