"""The op table and the generic helpers its gradient rules are written with."""
from . import activations, assign, dtype, elementwise, fused, linalg, reductions, shape, statistics, trig
from .apply import apply, call, raw
from .table import OPS, Op, defop

__all__ = ["OPS", "Op", "activations", "apply", "assign", "call", "defop", "dtype", "elementwise", "fused", "linalg", "raw",
           "reductions", "shape", "statistics", "trig"]
