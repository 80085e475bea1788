"""How long viz takes to draw scalar graphs of about 100, 1,000 and 5,000 nodes, split into the time in
viz (walking the graph, labels, building the graphviz.Digraph and its DOT source) and the time in
Graphviz's `dot` (layout and SVG). Prints a table; timing only, no assertions.

Run:  python benchmarks/bench_viz.py [--sizes 100 1000 5000] [--repeat 3] [--view both]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout too

import viz  # noqa: E402
from autograd_core import Value, topological_order  # noqa: E402
from viz.render import pipe  # noqa: E402


def scalar_net(target: int, seed: int = 0) -> Value:
    """A micrograd-style scalar network (inputs -> tanh hidden units -> summed output), grown one
    hidden unit at a time until its graph has about `target` nodes; backward already run."""
    rng = random.Random(seed)
    xs = [Value(rng.uniform(-1, 1), label=f"x{i}", requires_grad=False) for i in range(4)]
    units: list[Value] = []
    count = len(xs)
    while count < target - 3:
        act = Value(0.0, label="b")
        for x in xs:
            act = act + Value(rng.uniform(-1, 1), label="w") * x
        units.append(act.tanh())
        count += 1 + 3 * len(xs) + 1 + 2   # bias, (w, mul, add) per input, tanh, out weight + mul
        units[-1] = units[-1] * Value(rng.uniform(-1, 1), label="v")
    out = units[0]
    for u in units[1:]:
        out = out + u
    out.backward()
    return out


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def _build(root: Value, view: str):
    graph = viz.draw_graph(root, view=view, max_nodes=None)
    graph.source  # noqa: B018 - the DOT text is part of viz's cost
    return graph


def run(size: int, repeat: int, view: str) -> tuple[int, float, float | None, str]:
    """(nodes, seconds in viz, seconds in dot or None if dot failed, note)."""
    root = scalar_net(size)
    n = len(topological_order(root))
    t_viz, graph = timed(lambda: _build(root, view), repeat)
    try:
        t_dot, _ = timed(lambda: pipe(graph, "svg"), 1 if n > 2000 else repeat)
    except viz.GraphvizFailedError as err:
        return n, t_viz, None, str(err).split(" while")[0].replace("viz: Graphviz `dot` ", "dot ")
    return n, t_viz, t_dot, ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--view", default="both", choices=viz.VIEWS)
    args = parser.parse_args(argv)
    print(f"view={args.view}; median of {args.repeat} runs (one `dot` run above 2,000 nodes)")
    print(f"{'nodes':>7} {'viz (s)':>9} {'dot (s)':>9} {'total (s)':>10} {'viz share':>10} {'viz us/node':>12}")
    for size in args.sizes:
        n, t_viz, t_dot, note = run(size, args.repeat, args.view)
        if t_dot is None:
            print(f"{n:>7} {t_viz:>9.3f} {'-':>9} {'-':>10} {'-':>10} {1e6 * t_viz / n:>12.1f}   {note}", flush=True)
            continue
        total = t_viz + t_dot
        print(f"{n:>7} {t_viz:>9.3f} {t_dot:>9.3f} {total:>10.3f} {t_viz / total:>9.1%} {1e6 * t_viz / n:>12.1f}",
              flush=True)


if __name__ == "__main__":
    main()
