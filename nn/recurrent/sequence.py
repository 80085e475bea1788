"""RNN, LSTM, GRU: one cell unrolled over a sequence, sharing its parameters across time steps.

Shapes follow PyTorch with num_layers=1: input (T, B, I), or (B, T, I) with batch_first, or
unbatched (T, I); the result is (outputs, final state) with outputs (T, B, H) / (B, T, H) / (T, H)
and the final h of shape (1, B, H) (or (1, H)); LSTM's state is the pair (h, c).
State dict keys are "cell.weight_ih", ...; load_state_dict also takes torch's single-layer names
(weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0), and torch_state_dict() writes them.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from autograd_core import Tensor, stack

from ..module import Module
from ..scope import time_step
from .cells import GRUCell, LSTMCell, RecurrentCell, RNNCell, as_tensor

TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def from_torch_keys(state_dict: Any) -> "OrderedDict[str, Any]":
    """Rename torch's single-layer keys (weight_ih_l0, ...) to ours (cell.weight_ih, ...); others kept."""
    torch_to_ours = {f"{n}_l0": f"cell.{n}" for n in TORCH_NAMES}
    return OrderedDict((torch_to_ours.get(k, k), v) for k, v in state_dict.items())


def to_torch_keys(state_dict: Any) -> "OrderedDict[str, Any]":
    """Rename our keys (cell.weight_ih, ...) to torch's single-layer names (weight_ih_l0, ...)."""
    ours_to_torch = {f"cell.{n}": f"{n}_l0" for n in TORCH_NAMES}
    return OrderedDict((ours_to_torch.get(k, k), v) for k, v in state_dict.items())


class Recurrent(Module):
    """Unrolls `self.cell` over time: h_t = cell(x_t, h_{t-1}), one parameter set for every t.

    The input side x_t W_ih^T + b of every step is computed in one fused linear node, W_hh^T
    once per call (cell.recurrent_weight); each step is recorded as a span "cell[t=k]" for viz.
    """

    cell_type: type = RecurrentCell

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, batch_first: bool = False, *,
                 seed: Any = None, dtype: Any = None, **cell_options: Any) -> None:
        super().__init__()
        self.cell = self.cell_type(input_size, hidden_size, bias, seed=seed, dtype=dtype, **cell_options)
        self.batch_first = bool(batch_first)

    @property
    def input_size(self) -> int:
        return self.cell.input_size

    @property
    def hidden_size(self) -> int:
        return self.cell.hidden_size

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Any]:
        """(outputs h_1..h_T stacked on the time axis, final state with a leading dim of 1)."""
        cell = self.cell
        x = as_tensor(x)
        cell.check_input(x, (2, 3))
        batch_first = self.batch_first and x.ndim == 3
        if batch_first:
            x = x.transpose(0, 1)
        steps = x.shape[0]
        if steps == 0:
            raise ValueError(f"{type(self).__name__}: the sequence is empty (input shape {x.shape})")
        state = cell.initial_state(hx, x.shape[1:-1] + (cell.hidden_size,))
        xp = cell.project_input(x)
        whh_t = cell.recurrent_weight()
        outputs = []
        for t in range(steps):
            with time_step(cell, t):
                h, state = cell.step(xp[t], state, whh_t)
            outputs.append(h)
        return stack(outputs, axis=1 if batch_first else 0), self._final_state(state)

    @staticmethod
    def _final_state(state: Any) -> Any:
        """Add torch's leading num_layers dim (of size 1) to each state tensor."""
        if isinstance(state, tuple):
            return tuple(s.reshape((1,) + s.shape) for s in state)
        return state.reshape((1,) + state.shape)

    def _state_dict_aliases(self) -> dict[str, str]:
        return {f"{n}_l0": f"cell.{n}" for n in TORCH_NAMES}

    def torch_state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """state_dict() with torch's names, ready for torch.nn.RNN/LSTM/GRU.load_state_dict
        (after torch.as_tensor on each value)."""
        return to_torch_keys(self.state_dict())

    # torch spells the parameters weight_ih_l0, ...: offer the same names for reading
    weight_ih_l0 = property(lambda self: self.cell.weight_ih)
    weight_hh_l0 = property(lambda self: self.cell.weight_hh)
    bias_ih_l0 = property(lambda self: self.cell.bias_ih)
    bias_hh_l0 = property(lambda self: self.cell.bias_hh)

    def extra_repr(self) -> str:
        return "batch_first=True" if self.batch_first else ""


class RNN(Recurrent):
    """Elman RNN over a sequence: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh or relu."""

    cell_type = RNNCell

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, batch_first: bool = False,
                 nonlinearity: str = "tanh", *, seed: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, bias, batch_first, seed=seed, dtype=dtype,
                         nonlinearity=nonlinearity)


class LSTM(Recurrent):
    """LSTM over a sequence (gates i, f, g, o); hx and the final state are pairs (h, c)."""

    cell_type = LSTMCell


class GRU(Recurrent):
    """GRU over a sequence (gates r, z, n)."""

    cell_type = GRUCell
