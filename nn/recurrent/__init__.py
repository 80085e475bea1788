"""Recurrent networks: cells for one step and sequence modules that unroll them (PyTorch-compatible)."""
from .cells import GRUCell, LSTMCell, RecurrentCell, RNNCell
from .sequence import GRU, LSTM, RNN, Recurrent, from_torch_keys, to_torch_keys

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNCell", "Recurrent", "RecurrentCell",
           "from_torch_keys", "to_torch_keys"]
