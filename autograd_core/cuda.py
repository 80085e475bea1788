"""torch.cuda for a CPU-only library: `is_available()` is False, so scripts take their CPU branch."""
from __future__ import annotations

from typing import Any


def is_available() -> bool:
    """False: this library runs on the CPU only."""
    return False


def device_count() -> int:
    """0: there are no CUDA devices here."""
    return 0


def manual_seed(seed: int) -> None:
    """Accepted and ignored (there is no CUDA generator; autograd_core.manual_seed seeds the CPU one)."""


def manual_seed_all(seed: int) -> None:
    """Accepted and ignored, as manual_seed."""


def synchronize(device: Any = None) -> None:
    """Nothing to wait for."""
