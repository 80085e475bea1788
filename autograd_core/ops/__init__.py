"""The op table and the generic helpers its gradient rules are written with."""
from . import (activations, assign, dtype, einsum, elementary, elementwise, fused, linalg, reductions, rounding,
               shape, statistics, trig)
from .apply import apply, call, raw
from .formula import check_calls
from .table import OPS, Op, defop

check_calls(OPS)  # every formula's calls name a one-input op, now that all are defined

__all__ = ["OPS", "Op", "activations", "apply", "assign", "call", "defop", "dtype", "einsum", "elementary", "elementwise",
           "fused", "linalg", "raw", "reductions", "rounding", "shape", "statistics", "trig"]
