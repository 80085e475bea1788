"""Recurrent cells RNNCell, LSTMCell, GRUCell: one time step, PyTorch's names, shapes, gate order and formulas.

Each cell splits its step in two so a sequence module can batch the input side over all time
steps at once: `project_input(x)` = x W_ih^T + (biases that can be folded), then
`step(xp_t, state, W_hh^T)` does the recurrent part. `forward(x, hx)` runs one step.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import Tensor, linear
from autograd_core.ops.apply import apply
from autograd_core.ops.fused import RNN_TANH_STEP

from ..init import get_rng, linear_bound, uniform_array
from ..module import Module
from ..parameter import Parameter


def as_tensor(x: Any) -> Tensor:
    """Tensors pass through; array-likes become a (constant) Tensor."""
    return x if isinstance(x, Tensor) else Tensor(x)



#: What a zero starting state is called in pictures, by the state's name.
_ZERO_STATE_LABELS = {"hidden state": "h₀ = 0", "h": "h₀ = 0", "c": "c₀ = 0"}

class RecurrentCell(Module):
    """Shared parts: parameters weight_ih (G*H, I), weight_hh (G*H, H), bias_ih, bias_hh (G*H,)
    for G gates, all drawn from U(-1/sqrt(H), 1/sqrt(H)) in that order (PyTorch's default)."""

    gates = 1

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, *,
                 seed: Any = None, dtype: Any = None) -> None:
        super().__init__()
        rng = get_rng(seed)
        k = linear_bound(hidden_size)
        rows = self.gates * hidden_size
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.bias = bool(bias)
        self.weight_ih = Parameter(uniform_array((rows, input_size), k, rng, dtype))
        self.weight_hh = Parameter(uniform_array((rows, hidden_size), k, rng, dtype))
        self.bias_ih = Parameter(uniform_array((rows,), k, rng, dtype)) if bias else None
        self.bias_hh = Parameter(uniform_array((rows,), k, rng, dtype)) if bias else None
        h = self.hidden_size
        self._chunks = tuple((Ellipsis, slice(j * h, (j + 1) * h)) for j in range(self.gates))

    # ---- pieces used by the sequence modules ---------------------------------------------------

    def project_input(self, x: Any) -> Tensor:
        """x W_ih^T + b_ih + b_hh for all leading dims at once (GRU keeps b_hh for the step)."""
        return linear(x, self.weight_ih, None if self.bias_ih is None else self.bias_ih + self.bias_hh)

    def check_input(self, x: Tensor, dims: tuple[int, ...]) -> None:
        """Raise unless x has one of the allowed numbers of dims and input_size features."""
        if x.ndim not in dims or x.shape[-1] != self.input_size:
            raise ValueError(f"{type(self).__name__}: expected input with {' or '.join(map(str, dims))} dims "
                             f"and {self.input_size} features in the last one, got shape {x.shape}")

    def hidden_tensor(self, h: Any, shape: tuple[int, ...], name: str = "hidden state") -> Tensor:
        """A hidden-state Tensor of `shape` (zeros for None, labelled "h₀ = 0" or "c₀ = 0" so pictures
        name it); one leading size-1 layer dim is dropped."""
        if h is None:
            return Tensor(np.zeros(shape, dtype=self.weight_hh.dtype), label=_ZERO_STATE_LABELS.get(name, f"{name} = 0"))
        h = as_tensor(h)
        if h.shape != shape and h.shape == (1,) + shape:
            h = h.reshape(shape)
        if h.shape != shape:
            raise ValueError(f"{type(self).__name__}: expected {name} of shape {shape}, got {h.shape}")
        return h

    def initial_state(self, hx: Any, shape: tuple[int, ...]) -> Any:
        """The state to start from (h, or (h, c) for LSTM), zeros when hx is None."""
        return self.hidden_tensor(hx, shape)

    def recurrent_weight(self) -> Tensor | None:
        """W_hh^T, made once per sequence and handed to every step."""
        return self.weight_hh.T

    def step(self, xp: Tensor, state: Any, whh_t: Tensor | None) -> tuple[Tensor, Any]:
        """One step from the projected input: returns (output h_t, new state).

        whh_t is recurrent_weight()'s W_hh^T, or None when the step computes its own (see whh).
        """
        raise NotImplementedError

    def whh(self, whh_t: Tensor | None) -> Tensor:
        """W_hh^T: the one handed to step, or made here when the caller passed None."""
        return self.weight_hh.T if whh_t is None else whh_t

    def forward(self, x: Any, hx: Any = None) -> Any:
        """One step on x of shape (batch, input_size) or (input_size,); returns the new state."""
        x = as_tensor(x)
        self.check_input(x, (1, 2))
        state = self.initial_state(hx, x.shape[:-1] + (self.hidden_size,))
        return self.step(self.project_input(x), state, self.recurrent_weight())[1]

    def extra_repr(self) -> str:
        extra = "" if self.bias else ", bias=False"
        return f"{self.input_size}, {self.hidden_size}{extra}"


class RNNCell(RecurrentCell):
    """Elman cell: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh), act = tanh (default) or relu."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh", *,
                 seed: Any = None, dtype: Any = None) -> None:
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, bias, seed=seed, dtype=dtype)
        self.nonlinearity = nonlinearity
        self._act = Tensor.tanh if nonlinearity == "tanh" else Tensor.relu

    def step(self, xp: Tensor, state: Tensor, whh_t: Tensor | None) -> tuple[Tensor, Tensor]:
        w = self.whh(whh_t)
        if self.nonlinearity == "tanh":  # one fused node per step instead of matmul, add, tanh
            h = apply(RNN_TANH_STEP, xp, state, w)
        else:
            h = self._act(xp + state @ w)
        return h, h

    def extra_repr(self) -> str:
        return super().extra_repr() + ("" if self.nonlinearity == "tanh" else ", nonlinearity='relu'")


class LSTMCell(RecurrentCell):
    """LSTM with gates stacked i, f, g, o (PyTorch's order) in weight_ih (4H, I), weight_hh (4H, H):

    i = s(a_i), f = s(a_f), g = tanh(a_g), o = s(a_o) with a = x W_ih^T + b_ih + h W_hh^T + b_hh;
    c' = f * c + i * g;  h' = o * tanh(c').  The state is the pair (h, c).
    """

    gates = 4

    def initial_state(self, hx: Any, shape: tuple[int, ...]) -> tuple[Tensor, Tensor]:
        if hx is None:
            return self.hidden_tensor(None, shape, "h"), self.hidden_tensor(None, shape, "c")
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"LSTMCell: expected the state as a pair (h, c), got {type(hx).__name__}")
        return self.hidden_tensor(hx[0], shape, "h"), self.hidden_tensor(hx[1], shape, "c")

    def step(self, xp: Tensor, state: tuple[Tensor, Tensor],
             whh_t: Tensor | None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        h, c = state
        a = xp + h @ self.whh(whh_t)
        ci, cf, cg, co = self._chunks
        c = a[cf].sigmoid() * c + a[ci].sigmoid() * a[cg].tanh()
        h = a[co].sigmoid() * c.tanh()
        return h, (h, c)


class GRUCell(RecurrentCell):
    """GRU with gates stacked r, z, n (PyTorch's order) in weight_ih (3H, I), weight_hh (3H, H):

    r = s(x W_ir^T + b_ir + h W_hr^T + b_hr),  z = s(x W_iz^T + b_iz + h W_hz^T + b_hz),
    n = tanh(x W_in^T + b_in + r * (h W_hn^T + b_hn)),  h' = (1 - z) * n + z * h = n + z * (h - n).
    """

    gates = 3

    def project_input(self, x: Any) -> Tensor:
        """x W_ih^T + b_ih (b_hh stays inside the step: r multiplies its n part)."""
        return linear(x, self.weight_ih, self.bias_ih)

    def recurrent_weight(self) -> Tensor | None:
        """None with biases: the step uses the fused linear(h, W_hh, b_hh) instead of W_hh^T."""
        return None if self.bias_hh is not None else self.weight_hh.T

    def step(self, xp: Tensor, state: Tensor, whh_t: Tensor | None) -> tuple[Tensor, Tensor]:
        h = state
        hp = linear(h, self.weight_hh, self.bias_hh) if self.bias_hh is not None else h @ self.whh(whh_t)
        cr, cz, cn = self._chunks
        r = (xp[cr] + hp[cr]).sigmoid()
        z = (xp[cz] + hp[cz]).sigmoid()
        n = (xp[cn] + r * hp[cn]).tanh()
        h = n + z * (h - n)
        return h, h

