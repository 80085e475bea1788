"""The libraries a comparison test runs its snippet on: autograd_core, and torch (float64) when installed."""
from __future__ import annotations

from typing import Any

import autograd_core as ac


def libraries() -> list[Any]:
    """[autograd_core] or [autograd_core, torch] (torch with float64 as its default dtype)."""
    try:
        import torch
    except ImportError:
        return [ac]
    torch.set_default_dtype(torch.float64)
    return [ac, torch]
