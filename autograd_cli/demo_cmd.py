"""`autograd-core demo`: the main job: one neuron's graphs, then a two-moons MLP trained and pictured.

On a plain install it degrades instead of failing: without Graphviz's `dot` the graphs are written
as .dot source (with a line on installing Graphviz), without matplotlib the PNG plots are skipped
(with a line naming the `plot` extra); the explorer page needs neither.
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
from pathlib import Path

from . import limits
from .errors import CLIError

DEFAULT_OUT = "autograd-core-demo"


def graph_file(out: Path, stem: str) -> Path:
    """Where a graph goes: an SVG when Graphviz's `dot` is installed, else its DOT source."""
    return out / (stem + (".svg" if shutil.which("dot") else ".dot"))


def neuron(out: Path) -> list[Path]:
    """tanh(x1*w1 + x2*w2 + b) with micrograd's numbers: draw it forward, run backward, draw it backward,
    and write the explorer page that steps through the backward pass."""
    import viz
    from autograd_core import Value

    from .render import save_graph

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.8813735870195432, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    params = {"w1": w1, "w2": w2, "b": b}
    files = [save_graph(o, str(graph_file(out, "neuron_forward")), view="forward", params=params,
                        title="forward: o = tanh(x1*w1 + x2*w2 + b), data flowing to the output")]
    o.backward()
    files.append(save_graph(o, str(graph_file(out, "neuron_backward")), view="backward", params=params,
                            title="backward: each edge shows its local derivative and upstream × local"))
    files.append(viz.save(o, out / "neuron_explorer.html", params=params,
                          title="o = tanh(x1*w1 + x2*w2 + b): press Step to watch backward"))
    print(f"1. one neuron  o = tanh(x1*w1 + x2*w2 + b) = {o.data:.4f}")
    print("   " + "  ".join(f"do/d{v.label} = {v.grad:.4f}" for v in (x1, x2, w1, w2, b)))
    return files


def moons(out: Path, epochs: int, seed: int) -> list[Path]:
    """Train MLP(2, [16, 16, 2]) on two-moons; write the curve, the boundary and the Tensor graph."""
    from nn.plot import plot_decision_boundary

    from . import models, tasks, training
    from .train_cmd import save_model_graph

    task = tasks.load_task("moons", seed)
    model = models.build_model("mlp", task, [16, 16], seed)
    print(f"2. an MLP 2-16-16-2 ({model.num_parameters()} parameters) learns two-moons "
          f"({len(task.y_train)} training points), Adam lr=0.01, {epochs} epochs")
    history, seconds = training.timed(lambda: training.train(model, "mlp", task, epochs=epochs, lr=0.01,
                                                              optimizer="adam", seed=seed, indent="   "))
    _, test, line = training.final_report(model, "mlp", task, seconds)
    print("   " + line)
    print(f"   test accuracy: {test.accuracy:.1%}")
    files = [graph_file(out, "mlp_graph")]
    save_model_graph(model, "mlp", task, str(files[0]))
    if importlib.util.find_spec("matplotlib") is None:
        print("   skipped loss_curve.png and decision_boundary.png: they need matplotlib "
              "(pip install 'autograd-core[plot]')")
        return files
    files += [out / "loss_curve.png", out / "decision_boundary.png"]
    history.plot(files[1])
    plot_decision_boundary(model, task.X_train, task.y_train, files[2])
    return files


def run(args: argparse.Namespace) -> int:
    """Entry of the `demo` subcommand."""
    from .paths import probe

    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise CLIError(f"--out: cannot create the output folder {str(out)!r}: {e.strerror or e}") from None
    reason = probe(str(out))
    if reason is not None:
        raise CLIError(f"--out {str(out)!r}: cannot create files in that folder ({reason})")
    print(f"autograd-core demo: pictures go to {out}/")
    if not shutil.which("dot"):
        from viz.render import INSTALL_HINT

        print(f"Graphviz's `dot` program was not found: graphs are written as .dot source instead of SVG. "
              f"{INSTALL_HINT}")
    files = neuron(out) + moons(out, args.epochs, args.seed)
    print(f"3. wrote {len(files)} files:")
    for f in files:
        print(f"   {f}")
    print(f"open {out / 'neuron_explorer.html'} in a browser and press Step to watch the chain rule fill in "
          f"each gradient, one node at a time")
    print('next: autograd-core grad "tanh(x*w + b)" x=1 w=-2 b=0.5 --order 2 --svg graph.svg')
    print("      autograd-core train --task spirals --plot curve.png --boundary spirals.png")
    print("      autograd-core train --task parity --model lstm --export parity.onnx   (ONNX for onnxruntime and "
          "Netron; needs pip install 'autograd-core[onnx]')")
    return 0


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `demo` and its options."""
    p = sub.add_parser("demo", help="the tour: a neuron's graphs and a two-moons MLP, pictures in a folder",
                       description="Differentiate one neuron and draw its forward and backward graphs, then "
                                   "train an MLP on two-moons and write its loss curve, decision boundary "
                                   "and computation graph.")
    p.add_argument("--out", default=DEFAULT_OUT, metavar="DIR", help=f"output folder (default: ./{DEFAULT_OUT})")
    p.add_argument("--epochs", type=limits.DEMO_EPOCHS, default=100,
                   help=limits.DEMO_EPOCHS.help("training epochs (default: 100)"))
    p.add_argument("--seed", type=limits.SEED, default=0,
                   help=limits.SEED.help("seeds the data and the weights (default: 0)"))
    p.set_defaults(run=run)
    return p
