"""The op table and the generic helpers its gradient rules are written with."""
from . import elementwise, fused, linalg, reductions, shape
from .apply import apply, call, raw
from .table import OPS, Op, defop

__all__ = ["OPS", "Op", "apply", "call", "defop", "elementwise", "fused", "linalg", "raw", "reductions", "shape"]
