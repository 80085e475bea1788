"""PyTorch's device names: `device("cpu")` and `device=` arguments accept the CPU, anything else is refused.

Tensors here are numpy arrays in host memory, so "cpu" (also "cpu:0" and device objects) is the
one device; CUDA, MPS and the rest raise an error saying so instead of being silently ignored.
"""
from __future__ import annotations

from typing import Any


def _cpu_only(spec: Any, where: str) -> RuntimeError:
    return RuntimeError(f"{where}: device {spec!r} is not available: this library runs on the CPU only (tensors "
                        f"are numpy arrays); use 'cpu' or drop the device argument")


class device:  # noqa: N801 - torch.device
    """torch.device for the one device there is: device("cpu"), device("cpu", 0), device(device("cpu"))."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any = "cpu", index: int | None = None) -> None:  # noqa: A002 - torch's name
        spec: Any = type
        if isinstance(spec, device):
            spec, index = spec.type, spec.index if index is None else index
        if not isinstance(spec, str):
            raise TypeError(f"device: expected a string like 'cpu', got {spec!r}")
        kind, _, number = spec.partition(":")
        if kind != "cpu" or (number and number != "0") or index not in (None, 0):
            raise _cpu_only(spec if index is None else f"{spec}:{index}", "device")
        self.type: str = "cpu"
        self.index: int | None = 0 if number or index == 0 else None

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
        return isinstance(other, device) and other.type == self.type and other.index == self.index

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __repr__(self) -> str:
        return "device(type='cpu')" if self.index is None else "device(type='cpu', index=0)"

    def __str__(self) -> str:
        return "cpu" if self.index is None else "cpu:0"


CPU = device("cpu")


def check_device(dev: Any, where: str) -> None:
    """Accept None, "cpu" and device objects for a `device=` argument; raise naming `where` otherwise."""
    if dev is None or isinstance(dev, device):
        return
    if isinstance(dev, int) and not isinstance(dev, bool):
        raise _cpu_only(f"cuda:{dev}", where)  # torch reads a bare int as a CUDA index
    try:
        device(dev)
    except (RuntimeError, TypeError):
        raise _cpu_only(dev, where) from None


def set_default_device(dev: Any) -> None:
    """torch.set_default_device: "cpu" (or None) is accepted and changes nothing; other devices raise."""
    check_device(dev, "set_default_device")


def get_default_device() -> device:
    """The CPU."""
    return CPU
