"""Seeded random numbers: a Generator (numpy PCG64 inside) and one default Generator per thread.

`manual_seed(s)` reseeds the calling thread's default Generator, which every random draw in the
project takes when no seed or generator is given: initialization, Dropout masks, DataLoader
shuffling, rand/randn/randint and the data generators' defaults. Two runs that call
manual_seed(s) first draw the same numbers.

Per thread, not per process (the house rule): numpy Generators are not safe to share between
threads, and a stream shared by threads hands out numbers in scheduling order, so it could not
make threaded runs repeatable anyway. A thread that wants repeatable numbers seeds itself (or
passes an explicit Generator); a new thread starts from fresh OS entropy, like an unseeded run.
"""
from __future__ import annotations

import threading
from typing import Any

import numpy as np

from .graph.trace_hooks import active_recorder, replayed


class Generator:
    """A seedable source of random numbers (torch.Generator's methods over numpy's PCG64)."""

    __slots__ = ("rng", "_seed")

    def __init__(self, seed: int | None = None) -> None:
        self._seed = 0
        self.rng = np.random.default_rng()
        if seed is None:
            self.seed()
        else:
            self.manual_seed(seed)

    def manual_seed(self, seed: int) -> "Generator":
        """Restart the stream from `seed` (a non-negative int)."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"manual_seed: expected a non-negative int, got {seed!r}")
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Reseed from OS entropy and return the new seed."""
        self.manual_seed(int(np.random.SeedSequence().generate_state(1, np.uint64)[0] >> np.uint64(1)))
        return self._seed

    def initial_seed(self) -> int:
        """The seed this stream started from."""
        return self._seed

    def get_state(self) -> dict:
        """The stream's state (restore it with set_state)."""
        return dict(self.rng.bit_generator.state)

    def set_state(self, state: dict) -> "Generator":
        """Continue from a state saved by get_state."""
        self.rng.bit_generator.state = state
        return self

    def __repr__(self) -> str:
        return f"Generator(initial_seed={self._seed})"


_local = threading.local()


def default_generator() -> Generator:
    """The calling thread's default Generator (created on first use from OS entropy)."""
    gen = getattr(_local, "generator", None)
    if gen is None:
        gen = _local.generator = Generator()
    return gen


def manual_seed(seed: int) -> Generator:
    """Seed everything random in the project (in this thread); returns the default Generator."""
    return default_generator().manual_seed(seed)


def initial_seed() -> int:
    """The seed of this thread's default Generator."""
    return default_generator().initial_seed()


def numpy_rng(source: Any = None) -> np.random.Generator:
    """The numpy Generator behind `source`: None -> this thread's default, an int -> a fresh stream
    seeded with it, a Generator (ours or numpy's) -> itself. While a compiled step is traced, a
    stand-in whose draws are replayed: each replay draws afresh from the generator `source` names
    then (so manual_seed between calls takes effect), as the eager step would."""
    if active_recorder() is not None:
        _resolve(source)  # a bad source raises now
        return _ReplayedDraws(source)  # type: ignore[return-value]
    return _resolve(source)


class _ReplayedDraws:
    """generator.method(...) recorded as a call made again on every replay of a compiled step."""

    __slots__ = ("_source",)

    def __init__(self, source: Any) -> None:
        self._source = source

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: replayed(_draw, self._source, name, args, kwargs)


def _draw(source: Any, name: str, args: tuple, kwargs: dict) -> Any:
    return getattr(_resolve(source), name)(*args, **kwargs)


def _resolve(source: Any) -> np.random.Generator:
    if source is None:
        return default_generator().rng
    if isinstance(source, Generator):
        return source.rng
    if isinstance(source, np.random.Generator):
        return source
    if isinstance(source, (int, np.integer)) and not isinstance(source, bool):
        return np.random.default_rng(int(source))
    raise TypeError(f"seed: expected None, an int or a Generator, got {type(source).__name__} {source!r}")
