"""torch.utils under `import autograd_core as torch`: `torch.utils.data` (loaded when first used)."""
from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    if name == "data":
        return importlib.import_module(__name__ + ".data")
    raise AttributeError(f"module 'autograd_core.utils' has no attribute {name!r} (only utils.data exists here)")
