"""The accepted range of every numeric command-line option, as argparse types that refuse anything outside it.

One table holds each limit; the same entry checks the value (argparse exits 2 naming the option)
and writes the range into --help, so the documented limit is the enforced one.
"""
from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from typing import Callable, TypeVar

N = TypeVar("N", int, float)

MAX_EPOCHS = 100_000
MAX_SEED = 2**32 - 1
MAX_WIDTH = 4096
MAX_LAYERS = 16
MAX_LENGTH = 64
MAX_BATCH = 100_000
MAX_LR = 10.0
MAX_PARAMETERS = 2_000_000
"""The most trainable numbers a `train` model may have (16 MB of float64; Adam keeps two more copies)."""
MAX_ACTIVATIONS = 5_000_000
"""The most hidden activations one training batch may record: batch x steps x (gates x width), summed
over layers (about 0.7 GB of graph and gradients at the bound)."""
MAX_GRAPH_NODES = 100_000
MAX_HESSIAN_ENTRIES = 250_000
"""The most entries `grad --order 2` may compute: variables² (500 variables take about a second and 80 MB;
the work grows with the square of the variables, 2,500 took 29 s and 1.3 GB)."""


@dataclass(frozen=True)
class _Limit:
    """What every numeric option's type shares: the option's name, the range in words (`text`) and
    --help that states it, and reading the raw text as a number."""

    option: str

    @property
    def text(self) -> str:
        """The accepted range in words; each kind of limit writes its own."""
        raise NotImplementedError

    def help(self, text: str) -> str:
        """`text` with the accepted range appended."""
        return f"{text}; {self.text}"

    def _read(self, raw: str, convert: Callable[[str], N], expected: str) -> N:
        """convert(raw) or, when it is no number at all, "expected <expected> <range>, got <raw>"."""
        try:
            return convert(raw.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {expected} {self.text}, got {raw!r}") from None


@dataclass(frozen=True)
class IntRange(_Limit):
    """An integer option accepting lo..hi inclusive."""

    lo: int
    hi: int

    def __call__(self, raw: str) -> int:
        value = self._read(raw, int, "a whole number from")
        if not self.lo <= value <= self.hi:
            raise argparse.ArgumentTypeError(f"must be from {self.text}, got {value}")
        return value

    @property
    def text(self) -> str:
        """'0 to 100000', as written in --help and in error messages."""
        return f"{self.lo} to {self.hi}"


@dataclass(frozen=True)
class PositiveFloat(_Limit):
    """A float option accepting 0 < value <= hi (finite)."""

    hi: float

    def __call__(self, raw: str) -> float:
        value = self._read(raw, float, "a number with")
        if not math.isfinite(value) or not 0.0 < value <= self.hi:
            raise argparse.ArgumentTypeError(f"must be a number with {self.text}, got {raw.strip()!r}")
        return value

    @property
    def text(self) -> str:
        """'0 < LR <= 10'."""
        return f"0 < {self.option.lstrip('-').upper()} <= {self.hi:g}"


def widths(raw: str) -> list[int]:
    """'16,16' -> [16, 16]: 1 to MAX_LAYERS widths, each from 1 to MAX_WIDTH."""
    parts = raw.split(",")
    try:
        sizes = [int(p.strip()) for p in parts]
    except ValueError:
        sizes = []
    if not sizes or len(sizes) > MAX_LAYERS or any(not 1 <= s <= MAX_WIDTH for s in sizes):
        raise argparse.ArgumentTypeError(
            f"bad --hidden {raw!r}: expected 1 to {MAX_LAYERS} widths from 1 to {MAX_WIDTH} separated by "
            f"commas, as in 16,16")
    return sizes


EPOCHS = IntRange("--epochs", 0, MAX_EPOCHS)
DEMO_EPOCHS = IntRange("--epochs", 1, MAX_EPOCHS)
SEED = IntRange("--seed", 0, MAX_SEED)
BATCH = IntRange("--batch-size", 1, MAX_BATCH)
LENGTH = IntRange("--length", 1, MAX_LENGTH)
LOG_EVERY = IntRange("--log-every", 1, MAX_EPOCHS)
MAX_NODES = IntRange("--max-nodes", 1, MAX_GRAPH_NODES)
LR = PositiveFloat("--lr", MAX_LR)
