"""Shared timing and reporting helpers for the side-by-side benchmarks (warm-up, repeats, median, tables)."""
from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
_clock = {"name": "wall"}


def add_clock_arg(parser: argparse.ArgumentParser) -> None:
    """Add --clock wall|cpu to a benchmark's command line (cpu: this process's CPU time, steadier
    than wall time when other programs share the cores; wall is the default)."""
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="wall",
                        help="wall-clock time (default) or this process's CPU time")


def parse_args_with_clock(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Add --clock to a benchmark's parser (after its own options), parse argv, and use the chosen
    clock from now on: the shared tail of every benchmark's main()."""
    add_clock_arg(parser)
    args = parser.parse_args(argv)
    set_clock(args.clock)
    return args


def set_clock(name: str) -> None:
    """Choose the clock every PhaseClock reads from now on."""
    _clock["name"] = name


def clock_name() -> str:
    """The clock in use, for table titles."""
    return _clock["name"]


def use_repo_checkout() -> None:
    """Make `import autograd_core` (and nn, viz) pick the checkout this file lives in."""
    if REPO_ROOT not in sys.path:
        sys.path.insert(0, REPO_ROOT)


def require_micrograd() -> None:
    """Exit with a clear message when Karpathy's micrograd (the peer we compare with) is missing."""
    try:
        import micrograd.engine  # noqa: F401
    except ImportError:
        sys.exit("benchmarks: micrograd is not installed; run `pip install micrograd==0.1.0` "
                 "(or `pip install -e '.[bench]'`)")


@dataclass
class Timing:
    """Per-phase wall-clock times (seconds) of several runs; `median(phase)` is what we report."""

    runs: list[dict[str, float]] = field(default_factory=list)

    def median(self, phase: str = "total") -> float:
        """Median over runs of one phase ("total" is the sum of all phases of a run)."""
        return statistics.median(_with_total(r)[phase] for r in self.runs)

    def best(self, phase: str = "total") -> float:
        """Fastest run of one phase."""
        return min(_with_total(r)[phase] for r in self.runs)


def _with_total(run: dict[str, float]) -> dict[str, float]:
    return {**run, "total": sum(run.values())}


def measure(run: Callable[[], dict[str, float]], *, repeats: int, warmup: int = 1,
            gc_enabled: bool = True) -> Timing:
    """Call `run` warmup + repeats times; keep the phase times of the last `repeats` calls.

    `run` times its own phases with a PhaseClock and returns {phase: seconds}, so the cost of
    freeing a graph (after the phases) is never counted. Before every call the previous call's
    garbage is collected untimed; with gc_enabled=False the collector is off during the call.
    """
    timing = Timing()
    was_enabled = gc.isenabled()
    try:
        for i in range(warmup + repeats):
            gc.collect()
            if not gc_enabled:
                gc.disable()
            phases = run()
            if was_enabled:
                gc.enable()
            if i >= warmup:
                timing.runs.append(phases)
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()
    return timing


class PhaseClock:
    """Stopwatch for one run: `clock.lap("forward")` records the time since the previous lap."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self._now = CLOCKS[_clock["name"]]
        self._last = self._now()

    def lap(self, phase: str) -> None:
        now = self._now()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._last
        self._last = now


def seconds_per_call(step: Callable[[], Any], k: int) -> float:
    """Mean seconds per call of k back-to-back calls of `step`, on the chosen clock."""
    now = CLOCKS[_clock["name"]]
    start = now()
    for _ in range(k):
        step()
    return (now() - start) / k


def traced_bytes(build: Callable[[], Any]) -> tuple[int, int, Any]:
    """(bytes still allocated after `build()`, peak bytes during it, its result) via tracemalloc.

    The result is returned so that it stays alive while the allocation is measured.
    """
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        result = build()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return after - before, peak - before, result


def max_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def fmt_seconds(s: float) -> str:
    """Seconds as a short human string (ms below one second)."""
    return f"{s * 1e3:8.1f} ms" if s < 1.0 else f"{s:8.2f} s "


def sgd_step(opt: Any, loss_of: Callable[..., Any]) -> Callable[..., Any]:
    """A training step for any PyTorch-shaped optimizer (ours or torch's): zero_grad, loss =
    loss_of(*args), backward, step; it returns the loss."""
    def step(*args: Any) -> Any:
        opt.zero_grad()
        loss = loss_of(*args)
        loss.backward()
        opt.step()
        return loss
    return step


def verdict(ok: bool) -> str:
    """The word printed in the last column of a ratio table."""
    return "met" if ok else "MISSED"


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a plain-text table: a title line, a header row, a rule, then one line per row."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    print(f"\n{title}")
    line = "  ".join(h.ljust(w) for h, w in zip(cells[0], widths))
    print(line)
    print("-" * len(line))
    for row in cells[1:]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))


def pin_to_one_core() -> int:
    """Pin this process to one core (the last it may use) and return it. Call before numpy, torch or
    jax is imported: threads inherit the affinity of the thread that starts them, so every worker
    a library starts later (BLAS, XLA's pools, torch's intra-op threads) shares that one core, and a
    "one thread" row cannot borrow a second core behind the library flags."""
    if not hasattr(os, "sched_setaffinity"):
        return -1
    core = max(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return core


def thread_line() -> str:
    """The process's cores and live threads (Linux), printed so a reader sees what "one thread" meant."""
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        threads = -1
    return f"pinned to cores {cores}; {threads} threads live in this process (workers share those cores)"


def environment_line() -> str:
    """One line naming the interpreter and gc thresholds, printed at the top of each benchmark."""
    impl = sys.implementation.name
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"python {sys.version.split()[0]} ({impl}), gc enabled={gc.isenabled()} "
            f"thresholds={gc.get_threshold()}, recursion limit={sys.getrecursionlimit()}; "
            f"clock={_clock['name']}, {os.cpu_count()} cpus, load average {load:.2f}")
