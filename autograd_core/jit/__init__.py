"""compile: trace a training step once, replay it as a flat program of numpy calls (see docs/compile.md)."""
from ..graph.trace_hooks import TraceError, active_recorder, replayed, validated
from .compiled import Compiled, compile, traced_array

__all__ = ["Compiled", "TraceError", "active_recorder", "compile", "replayed", "traced_array", "validated"]
