"""`autograd-core notes`: list the lecture notes' experiments, or run one and print (or JSON) its numbers."""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

from .errors import CLIError

DEFAULT_OUT = "autograd-core-notes"


def jsonable(x: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays to Python, NaN and infinities to null."""
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if hasattr(x, "tolist"):
        return jsonable(x.tolist())
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def list_experiments() -> int:
    """Print every experiment: name, the notes it comes from, the claim it shows."""
    from autograd_notes import EXPERIMENTS

    width = max(len(n) for n in EXPERIMENTS)
    print(f"{len(EXPERIMENTS)} experiments from the lecture notes (run one: autograd-core notes run NAME --quick):")
    for e in EXPERIMENTS.values():
        notes = "[" + " ".join(e.notes) + "]"
        print(f"  {e.name:{width}s}  {notes:17s}  {e.claim}")
    return 0


def _folder(path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CLIError(f"notes run: cannot create the output folder {path!r}: {e.strerror or e}") from None
    return out


def report(name: str, result: Any, *, quick: bool = False) -> list[str]:
    """What `notes run NAME` prints: the claim, the result in words and numbers, the pictures written."""
    from autograd_notes import EXPERIMENTS

    return ([f"{name}{' (quick)' if quick else ''}: {EXPERIMENTS[name].claim}", *result.lines]
            + [f"  wrote {path}" for path in result.pictures])


def run_one(args: argparse.Namespace) -> int:
    """Run one experiment; words (or one JSON object with --json) on stdout, pictures in --out."""
    from autograd_notes import EXPERIMENTS, run

    if args.name not in EXPERIMENTS:
        raise CLIError(f"notes run: no experiment named {args.name!r}; run `autograd-core notes` for the list", code=2)
    if args.seed < 0:
        raise CLIError(f"notes run: --seed must be a non-negative integer, got {args.seed}", code=2)
    if args.mnist is not None:
        if args.name != "nielsen-sgd":
            raise CLIError(f"notes run: --mnist applies only to nielsen-sgd, not {args.name}", code=2)
        if not Path(args.mnist).is_dir():
            raise CLIError(f"notes run: --mnist {args.mnist!r} is not a folder (it should hold MNIST's IDX files)")
    out = _folder(args.out)
    start = time.perf_counter()
    result = run(args.name, out=str(out), quick=args.quick, seed=args.seed, mnist=args.mnist)
    seconds = time.perf_counter() - start
    if args.json:
        print(json.dumps(jsonable(result.numbers)))
        return 0
    for line in report(args.name, result, quick=args.quick):
        print(line)
    print(f"  ({seconds:.1f} s)")
    return 0


def run(args: argparse.Namespace) -> int:
    """Entry of the `notes` subcommand."""
    if getattr(args, "action", None) == "run":
        return run_one(args)
    return list_experiments()


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `notes`, `notes list` and `notes run NAME`."""
    p = sub.add_parser("notes", help="the lecture notes' derivations and claims, as experiments to run",
                       description="List the experiments (`notes` or `notes list`), or run one: it prints its "
                                   "result in words and numbers and writes its pictures.")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("list", help="list the experiments")
    r = actions.add_parser("run", help="run one experiment", description="Run one experiment of the notes.")
    r.add_argument("name", metavar="NAME", help="an experiment name from `autograd-core notes`")
    r.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"picture folder (default: ./{DEFAULT_OUT})")
    r.add_argument("--quick", action="store_true", help="a smaller run, at most ~10 s")
    r.add_argument("--json", action="store_true", help="print one JSON object of the key numbers instead")
    r.add_argument("--seed", type=int, default=0, help="seeds data and weights (default: 0)")
    r.add_argument("--mnist", metavar="DIR", help="nielsen-sgd only: a folder with MNIST's IDX files")
    p.set_defaults(run=run)
    return p
