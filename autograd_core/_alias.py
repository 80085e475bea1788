"""Give a package a second name: torch.nn is the nn package, torch.optim is nn.optim, and so on.

`autograd_core.nn` and its kin are not copies: they are the very modules (one Linear class, one
SGD), entered in sys.modules under the extra name together with their loaded submodules, so that
`import autograd_core.nn.functional as F` finds nn.functional rather than loading it twice.
"""
from __future__ import annotations

import importlib
import sys
from types import ModuleType


def alias(name: str, target: str) -> ModuleType:
    """Import the package `target` and enter it (and its loaded submodules) under `name` too."""
    module = importlib.import_module(target)
    prefix = target + "."
    for full, sub in list(sys.modules.items()):
        if full.startswith(prefix):
            sys.modules.setdefault(name + full[len(target):], sub)
    sys.modules[name] = module
    return module
