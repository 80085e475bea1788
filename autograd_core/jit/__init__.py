"""compile: trace a training step once, replay it as a flat program of numpy calls (see docs/compile.md)."""
from .compiled import Compiled, compile, replayed, traced_array
from .traced import TraceError, active_recorder

__all__ = ["Compiled", "TraceError", "active_recorder", "compile", "replayed", "traced_array"]
