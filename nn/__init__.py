"""nn: modules, recurrent cells, losses, optimizers, data and training built on autograd_core."""
from . import init
from .activations import (ELU, GELU, Flatten, Identity, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Step,
                          Tanh)
from .checkpoint import CheckpointError, LoadResult, StateDictError
from .containers import ModuleDict, ModuleList, Sequential
from .dropout import Dropout
from .embedding import Embedding
from .linear import Linear
from .mlp import MLP
from .module import Module
from .parameter import Parameter, ScalarParameter
from .recurrent import GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell
from .scope import time_step
from . import scalar

from .losses import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HingeLoss, MSELoss, NLLLoss,
                     binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, hinge_loss,
                     mse_loss, nll_loss)
from .l1 import L1Loss, l1_loss
from .regularization import l1_penalty, l2_penalty
from . import data, functional, optim, plot, train, utils

__all__ = [
    "ELU", "GELU", "L1Loss", "LeakyReLU", "LogSoftmax", "ModuleDict", "ModuleList", "Softplus", "functional",
    "l1_loss", "utils", "CheckpointError", "Dropout", "Embedding", "Flatten", "GRU", "GRUCell", "Identity", "LSTM", "LSTMCell",
    "Linear", "LoadResult", "MLP", "Module", "Parameter", "RNN", "RNNCell", "ReLU", "ScalarParameter",
    "Sequential", "Sigmoid", "Softmax", "StateDictError", "Step", "Tanh", "init", "scalar", "time_step",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "hinge_loss", "mse_loss",
    "nll_loss", "l1_penalty", "l2_penalty", "optim", "data", "plot", "train", "BCELoss", "BCEWithLogitsLoss",
    "CrossEntropyLoss", "HingeLoss", "MSELoss", "NLLLoss",
]
