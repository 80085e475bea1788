"""ONNX export of models and functions (needs the optional `onnx` extra only when exporting)."""
from .builder import ExportError
from .export import export

__all__ = ["ExportError", "export"]
