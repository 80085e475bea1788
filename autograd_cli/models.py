"""The models `train` can build: nn.MLP, or an nn.RNN/LSTM/GRU read through a Linear head on its last output."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

import nn
from autograd_core import Tensor

from .errors import CLIError
from .tasks import Shape, Task

MODELS = ("mlp", "rnn", "lstm", "gru")
_RECURRENT = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


class SequenceClassifier(nn.Module):
    """logits = head(h_T): run a recurrent layer over the sequence (batch first) and classify its
    last output with a Linear layer. Parameters: rnn.weight_ih_l0, ..., head.weight, head.bias (torch's names)."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, classes: int, seed: Any = None) -> None:
        super().__init__()
        rng = np.random.default_rng(seed)
        self.rnn = _RECURRENT[kind](input_size, hidden_size, batch_first=True, seed=rng)
        self.head = nn.Linear(hidden_size, classes, seed=rng)

    def forward(self, x: Any) -> Tensor:
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1, :])


GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def parameter_count(kind: str, shape: Shape, hidden: Sequence[int]) -> int:
    """Trainable numbers of the model build_model makes: sum (a + 1) * b over an MLP's layers a -> b;
    gates * h * (inputs + h + 2) for a recurrent layer plus (h + 1) * classes for its head."""
    if kind == "mlp":
        sizes = [shape.steps * shape.step_features, *hidden, shape.classes]
        return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    h = hidden[0]
    return GATES[kind] * h * (shape.step_features + h + 2) + (h + 1) * shape.classes


def activation_count(kind: str, shape: Shape, hidden: Sequence[int], batch_size: int) -> int:
    """Hidden activations one training batch records: batch x sum(widths) for an MLP, batch x steps x
    gates x width for a recurrent model (a batch is at most the whole training set)."""
    batch = min(batch_size, shape.n_train)
    if kind == "mlp":
        return batch * sum(hidden)
    return batch * shape.steps * GATES[kind] * hidden[0]


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
