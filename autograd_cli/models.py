"""The models `train` can build: nn.MLP, or an nn.RNN/LSTM/GRU read through a Linear head on its last output."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

import nn
from autograd_core import Tensor

from .errors import CLIError
from .tasks import Task

MODELS = ("mlp", "rnn", "lstm", "gru")
_RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceClassifier(nn.Module):
    """logits = head(h_T): run a recurrent layer over the sequence (batch first) and classify its
    last output with a Linear layer. Parameters: rnn.cell.weight_ih, ..., head.weight, head.bias."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, classes: int, seed: Any = None) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.rnn = _RECURRENT[kind](input_size, hidden_size, batch_first=True, seed=rng)
        self.head = nn.Linear(hidden_size, classes, seed=rng)

    def forward(self, x: Any) -> Tensor:
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1, :])


def parse_hidden(text: str) -> list[int]:
    """'16,16' -> [16, 16]; every width a positive integer."""
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(s < 1 for s in sizes):
        raise CLIError(f"bad --hidden {text!r}: expected positive widths separated by commas, as in 16,16",
                       code=2)
    return sizes


def build_model(kind: str, task: Task, hidden: Sequence[int], seed: int) -> nn.Module:
    """An untrained model for `task`: MLP(features, hidden + [classes]) or a SequenceClassifier."""
    if kind == "mlp":
        return nn.MLP(task.as_flat(task.X_train).shape[1], list(hidden) + [task.classes], activation="relu",
                      seed=seed)
    if kind not in _RECURRENT:
        raise CLIError(f"unknown model {kind!r}; choose one of {', '.join(MODELS)}", code=2)
    if len(hidden) != 1:
        raise CLIError(f"--model {kind} has one hidden layer: give one width, as in --hidden 32", code=2)
    return SequenceClassifier(kind, task.step_features, hidden[0], task.classes, seed=seed)


def inputs_for(kind: str, task: Task, X: np.ndarray) -> np.ndarray:
    """The task's samples shaped for the model: flat rows for an MLP, sequences for recurrent models."""
    return task.as_flat(X) if kind == "mlp" else task.as_sequence(X)
