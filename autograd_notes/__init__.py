"""The lecture notes, runnable: one experiment per derivation or claim (`autograd-core notes`)."""
from .core import Context, Result
from .registry import EXPERIMENTS, Experiment, get, run

__all__ = ["Context", "EXPERIMENTS", "Experiment", "Result", "get", "run"]
