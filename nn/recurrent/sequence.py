"""RNN, LSTM, GRU over sequences, as torch.nn (num_layers, dropout, bidirectional, batch_first).

Dropout acts between layers; the parameters carry torch's names (weight_ih_l0, ...,
weight_hh_l1_reverse) in state_dict.

Input (T, B, I), or (B, T, I) with batch_first, or unbatched (T, I). The result is (output,
h_n): output (T, B, D*H) (D = 2 when bidirectional: forward and reverse halves side by side),
h_n (num_layers*D, B, H) ordered layer 0 forward, layer 0 reverse, layer 1 forward, ...; LSTM's
state is the pair (h_n, c_n). Each (layer, direction) has its own cell, unrolled over time with one
parameter set for every step; the module holds the cells' parameters under torch's names, so a
state_dict moves to and from torch unchanged.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from autograd_core import Tensor, cat, stack

from ..functional import dropout as _dropout
from ..init import get_rng
from ..module import Module
from ..scope import time_step
from .cells import GRUCell, LSTMCell, RecurrentCell, RNNCell, as_tensor

TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def from_torch_keys(state_dict: Any) -> "OrderedDict[str, Any]":
    """Rename torch's single-layer keys (weight_ih_l0, ...) to the old cell keys (cell.weight_ih, ...)."""
    torch_to_cell = {f"{n}_l0": f"cell.{n}" for n in TORCH_NAMES}
    return OrderedDict((torch_to_cell.get(k, k), v) for k, v in state_dict.items())


def to_torch_keys(state_dict: Any) -> "OrderedDict[str, Any]":
    """Rename the old cell keys (cell.weight_ih, ...) to torch's (weight_ih_l0, ...); others kept."""
    cell_to_torch = {f"cell.{n}": f"{n}_l0" for n in TORCH_NAMES}
    return OrderedDict((cell_to_torch.get(k, k), v) for k, v in state_dict.items())


def _suffix(layer: int, direction: int) -> str:
    return f"_l{layer}" + ("_reverse" if direction else "")


class Recurrent(Module):
    """num_layers x (1 or 2 directions) cells; layer l > 0 reads layer l-1's output (D*H features).

    Each cell computes the input side x_t W_ih^T + b of every step in one fused linear node and
    W_hh^T once per call (cell.recurrent_weight); each step runs in a time-step scope (viz: "cell[t=k]").
    """

    cell_type: type = RecurrentCell

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False, *,
                 seed: Any = None, dtype: Any = None, **cell_options: Any) -> None:
        super().__init__()
        name = type(self).__name__
        if isinstance(num_layers, bool) or not isinstance(num_layers, int) or num_layers < 1:
            raise ValueError(f"{name}: num_layers must be a positive int, got {num_layers!r}")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"{name}: dropout must lie in [0, 1], got {dropout!r}")
        self.num_layers, self.dropout = num_layers, float(dropout)
        self.bidirectional, self.batch_first = bool(bidirectional), bool(batch_first)
        rng = get_rng(seed)  # one stream, drawn layer by layer, direction by direction, as torch does
        dirs = 2 if bidirectional else 1
        cells = [[self.cell_type(input_size if layer == 0 else hidden_size * dirs, hidden_size, bias, seed=rng,
                                 dtype=dtype, **cell_options) for _ in range(dirs)] for layer in range(num_layers)]
        for layer, row in enumerate(cells):  # parameters first, so they are named as torch names them
            for d, cell in enumerate(row):
                for n in TORCH_NAMES:
                    if getattr(cell, n) is not None:
                        setattr(self, n + _suffix(layer, d), getattr(cell, n))
        for layer, row in enumerate(cells):
            for d, cell in enumerate(row):
                setattr(self, "cell" if layer == d == 0 else "cell" + _suffix(layer, d), cell)
        self._cells = cells

    @property
    def input_size(self) -> int:
        return self.cell.input_size

    @property
    def hidden_size(self) -> int:
        return self.cell.hidden_size

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Any]:
        """(output, h_n) (LSTM: (output, (h_n, c_n))), torch's shapes."""
        x = as_tensor(x)
        self.cell.check_input(x, (2, 3))
        batch_first = self.batch_first and x.ndim == 3
        if batch_first:
            given, x = x, x.transpose(0, 1)
            if given.label and x.is_leaf:  # a fresh constant: keep the name the user gave the input
                x.label = f"{given.label}, time first"
        if x.shape[0] == 0:
            raise ValueError(f"{type(self).__name__}: the sequence is empty (input shape {x.shape})")
        state_shape = x.shape[1:-1] + (self.hidden_size,)
        starts = self._split_state(hx, state_shape)
        finals, layer_in = [], x
        for layer, row in enumerate(self._cells):
            outs = []
            for d, cell in enumerate(row):
                out, final = self._unroll(cell, layer_in, starts[layer * len(row) + d], state_shape, d == 1)
                outs.append(out)
                finals.append(final)
            layer_in = outs[0] if len(outs) == 1 else cat(outs, dim=-1)
            if self.dropout and layer < self.num_layers - 1:
                layer_in = _dropout(layer_in, self.dropout, self.training)
        output = layer_in.transpose(0, 1) if batch_first else layer_in
        if isinstance(finals[0], tuple):
            return output, (stack([f[0] for f in finals]), stack([f[1] for f in finals]))
        return output, stack(finals)

    @staticmethod
    def _unroll(cell: Any, x: Tensor, start: Any, state_shape: tuple, reverse: bool) -> tuple[Tensor, Any]:
        """Run one cell over all steps (last to first when reverse); outputs stay in time order."""
        state = cell.initial_state(start, state_shape)
        xp = cell.project_input(x)
        whh_t = cell.recurrent_weight()
        steps = x.shape[0]
        outputs: list[Any] = [None] * steps
        for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
            with time_step(cell, t):
                h, state = cell.step(xp[t], state, whh_t)
            outputs[t] = h
        return stack(outputs), state

    def _split_state(self, hx: Any, state_shape: tuple) -> list[Any]:
        """hx of shape (num_layers*D, *batch, H) (LSTM: a pair of them) -> one start per (layer, direction)."""
        count = self.num_layers * (2 if self.bidirectional else 1)
        if hx is None:
            return [None] * count
        if isinstance(self.cell, LSTMCell):
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(f"LSTM: expected the state as a pair (h_0, c_0), got {type(hx).__name__}")
            hs, cs = self._split_one(hx[0], state_shape, count, "h_0"), self._split_one(hx[1], state_shape, count, "c_0")
            return list(zip(hs, cs))
        return self._split_one(hx, state_shape, count, "h_0")

    def _split_one(self, h: Any, state_shape: tuple, count: int, name: str) -> list[Tensor]:
        h = as_tensor(h)
        if count == 1 and h.shape == state_shape:
            return [h]
        if h.shape != (count,) + state_shape:
            raise ValueError(f"{type(self).__name__}: expected {name} of shape {(count,) + state_shape} "
                             f"(num_layers * num_directions, batch, hidden_size), got {h.shape}")
        return [h[k] for k in range(count)]

    def onnx_form(self, b: Any, args: Any, kwargs: Any) -> Any:
        """Written to ONNX whole (one RNN/LSTM/GRU node per layer, or a Scan in float64): see onnx_form.py."""
        from .onnx_form import recurrent_form

        return recurrent_form(self, b, args, kwargs)

    def _state_dict_aliases(self) -> dict[str, str]:
        return {f"cell.{n}": f"{n}_l0" for n in TORCH_NAMES}

    def torch_state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """state_dict(): its keys already are torch's (weight_ih_l0, ..., bias_hh_l1_reverse)."""
        return self.state_dict()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"  # torch's one line; the cells are internal

    def extra_repr(self) -> str:
        parts = [f"{self.input_size}, {self.hidden_size}"]
        if self.num_layers != 1:
            parts.append(f"num_layers={self.num_layers}")
        if self.cell.bias_ih is None:
            parts.append("bias=False")
        if self.batch_first:
            parts.append("batch_first=True")
        if self.dropout:
            parts.append(f"dropout={self.dropout}")
        if self.bidirectional:
            parts.append("bidirectional=True")
        return ", ".join(parts)


class RNN(Recurrent):
    """Elman RNN: h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), act tanh or relu (torch's argument order)."""

    cell_type = RNNCell

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 *, seed: Any = None, dtype: Any = None) -> None:
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         seed=seed, dtype=dtype, nonlinearity=nonlinearity)


class LSTM(Recurrent):
    """LSTM (gates i, f, g, o); hx and the final state are pairs (h, c)."""

    cell_type = LSTMCell


class GRU(Recurrent):
    """GRU (gates r, z, n)."""

    cell_type = GRUCell
