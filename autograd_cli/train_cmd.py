"""`autograd-core train`: train an nn model on a built-in task; checkpoints, curves and the model's graph."""
from __future__ import annotations

import argparse
from typing import Any

from . import limits
from .render import GRAPH_SUFFIXES
from .errors import CLIError

TASK_NAMES = ("moons", "circles", "spirals", "xor", "digits", "parity")
MODEL_NAMES = ("mlp", "rnn", "lstm", "gru")
EPOCHS = {"moons": 100, "circles": 100, "spirals": 200, "xor": 100, "digits": 30, "parity": 40}


def default_lr(optimizer: str, model: str) -> float:
    """0.1 for SGD; for Adam 0.01 (MLP) or 0.03 (recurrent models, which sit on a plateau longer)."""
    if optimizer == "sgd":
        return 0.1
    return 0.01 if model == "mlp" else 0.03


def load_checkpoint(model: Any, path: str) -> None:
    """model.load(path), with a missing, damaged or mismatched file reported in one line."""
    import nn

    try:
        model.load(path)
    except FileNotFoundError:
        raise CLIError(f"cannot load checkpoint {path!r}: no such file") from None
    except (nn.CheckpointError, nn.StateDictError, OSError, ValueError) as e:
        raise CLIError(f"cannot load checkpoint {path!r}: {e}") from None


def save_model_graph(model: Any, kind: str, task: Any, path: str) -> None:
    """Draw the loss graph of a 4-sample batch (forward and backward) with the model's parameter names;
    a graph too big to read (a long sequence) is drawn with each module call collapsed into one box."""
    import nn
    from autograd_core import Tensor

    from .models import inputs_for
    from .render import save_graph

    X = inputs_for(kind, task, task.X_test[:4])
    loss = nn.cross_entropy(model(Tensor(X)), task.y_test[:4])
    loss.backward()
    save_graph(loss, path, view="both", params=model, collapse_if_large=True)
    model.zero_grad()


_OUTPUTS = (("save", "--save", (".npz",)), ("plot", "--plot", (".png", ".svg")),
            ("boundary", "--boundary", (".png", ".svg")), ("svg", "--svg", GRAPH_SUFFIXES),
            ("export", "--export", (".onnx",)))
TWO_D = ("moons", "circles", "spirals", "xor")


def _check_size(args: argparse.Namespace) -> None:
    """Refuse a model too big to train here (parameters, or activations recorded per batch)."""
    from .models import activation_count, parameter_count
    from .tasks import shape_of

    shape = shape_of(args.task, args.length)
    params = parameter_count(args.model, shape, args.hidden)
    if params > limits.MAX_PARAMETERS:
        raise CLIError(f"--hidden {','.join(map(str, args.hidden))}: a {args.model} of that size on {args.task} has "
                       f"{params} parameters, over the limit of {limits.MAX_PARAMETERS}", code=2)
    cells = activation_count(args.model, shape, args.hidden, args.batch_size)
    if cells > limits.MAX_ACTIVATIONS:
        raise CLIError(f"--hidden/--batch-size/--length: one batch would record {cells} activations, over the "
                       f"limit of {limits.MAX_ACTIVATIONS}; use a smaller --batch-size, --hidden or --length", code=2)


def _validate(args: argparse.Namespace) -> None:
    """Check names, sizes and paths before any data is made or any weight trained (numbers were range-checked
    by argparse); fills in the defaults of --hidden, --epochs and --lr."""
    from .paths import check_readable, check_writable

    if args.task not in TASK_NAMES:
        raise CLIError(f"unknown task {args.task!r}; choose one of {', '.join(TASK_NAMES)}", code=2)
    if args.model not in MODEL_NAMES:
        raise CLIError(f"unknown model {args.model!r}; choose one of {', '.join(MODEL_NAMES)}", code=2)
    args.hidden = args.hidden or ([16, 16] if args.model == "mlp" else [32])
    if args.model != "mlp" and len(args.hidden) != 1:
        raise CLIError(f"--model {args.model} has one hidden layer: give one width, as in --hidden 32", code=2)
    args.epochs = EPOCHS[args.task] if args.epochs is None else args.epochs
    args.lr = args.lr if args.lr is not None else default_lr(args.optimizer, args.model)
    if args.plot and args.epochs == 0:
        raise CLIError("--plot needs at least one epoch of training", code=2)
    if args.boundary and args.task not in TWO_D:
        raise CLIError(f"--boundary needs a 2-D task ({', '.join(TWO_D)}), not {args.task}", code=2)
    _check_size(args)
    for name, option, suffixes in _OUTPUTS:
        if getattr(args, name) is not None:
            check_writable(getattr(args, name), option, suffixes)
    if args.load is not None:
        check_readable(args.load, "--load", "cannot load checkpoint")
    if args.export is not None:
        import importlib.util

        if importlib.util.find_spec("onnx") is None:
            raise CLIError("--export needs the onnx package, an optional extra: pip install 'autograd-core[onnx]' "
                           "(which brings onnxruntime too, to run the file)")


def run(args: argparse.Namespace) -> int:
    """Entry of the `train` subcommand."""
    _validate(args)
    from . import models, tasks, training

    task = tasks.load_task(args.task, args.seed, args.length)
    model = models.build_model(args.model, task, args.hidden, args.seed)
    if args.load:
        load_checkpoint(model, args.load)
    epochs, lr = args.epochs, args.lr
    print(f"task {task.name}: {task.description}; {len(task.y_train)} training and {len(task.y_test)} test samples")
    print(f"model {args.model}: {model.num_parameters()} parameters; {args.optimizer} lr={lr:g}, "
          f"{epochs} epoch{'' if epochs == 1 else 's'}")
    history, seconds = None, 0.0
    if epochs > 0:
        history, seconds = training.timed(lambda: training.train(
            model, args.model, task, epochs=epochs, lr=lr, optimizer=args.optimizer, seed=args.seed,
            batch_size=args.batch_size, log_every=args.log_every))
    print(training.final_report(model, args.model, task, seconds)[2])
    _write_outputs(args, model, task, history)
    return 0


def _write_outputs(args: argparse.Namespace, model: Any, task: Any, history: Any) -> None:
    if args.save:
        model.save(args.save)
        print(f"checkpoint written to {args.save}")
    if args.plot:
        history.plot(args.plot)
        print(f"loss curve written to {args.plot}")
    if args.boundary:
        _save_boundary(args, model, task)
    if args.svg:
        save_model_graph(model, args.model, task, args.svg)
        print(f"graph written to {args.svg}")
    if args.export:
        export_onnx(model, args.model, task, args.export)


def export_onnx(model: Any, kind: str, task: Any, path: str) -> None:
    """Write the trained model as ONNX, traced on 4 test samples, with a dynamic batch (and, for the
    recurrent models, a dynamic sequence length)."""
    from autograd_core.onnx import ExportError, export

    from .models import inputs_for

    axes = {0: "batch"} if kind == "mlp" else {0: "batch", 1: "steps"}
    try:
        export(model, inputs_for(kind, task, task.X_test[:4]), path, input_names=["input"], output_names=["logits"],
               dynamic_axes={"input": axes, "logits": {0: "batch"}})
    except (ExportError, OSError) as e:
        raise CLIError(f"--export {path!r}: {e}") from None
    shape = ", ".join(["batch"] + (["steps", str(task.step_features)] if kind != "mlp" else
                                   [str(task.as_flat(task.X_test[:1]).shape[1])]))
    print(f"ONNX model written to {path}: input 'input' ({shape}) -> 'logits' (batch, {task.classes}); "
          f"run it with onnxruntime or open it in Netron (docs/onnx.md)")


def _save_boundary(args: argparse.Namespace, model: Any, task: Any) -> None:
    from nn.plot import plot_decision_boundary

    from .models import inputs_for
    from autograd_core import Tensor, no_grad

    def predict(points: Any) -> Any:
        with no_grad():
            return model(Tensor(inputs_for(args.model, task, points))).data

    plot_decision_boundary(model, task.X_train, task.y_train, args.boundary, predict=predict)
    print(f"decision boundary written to {args.boundary}")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `train` and its options."""
    p = sub.add_parser("train", help="train a model on a built-in task",
                       description="Train an MLP or a recurrent model (RNN, LSTM, GRU read through a Linear "
                                   "head on its last output) with cross-entropy on a built-in task, holding "
                                   "out a quarter of the data as a test set.")
    p.add_argument("--task", default="moons", metavar="|".join(TASK_NAMES), help="the data (default: moons)")
    p.add_argument("--model", default="mlp", metavar="|".join(MODEL_NAMES), help="the network (default: mlp)")
    p.add_argument("--hidden", type=limits.widths, help=f"hidden widths, e.g. 16,16 (default: 16,16 for mlp, 32 "
                   f"for recurrent models); 1 to {limits.MAX_LAYERS} widths of 1 to {limits.MAX_WIDTH}, at most "
                   f"{limits.MAX_PARAMETERS:,} parameters and {limits.MAX_ACTIVATIONS:,} activations per batch")
    p.add_argument("--epochs", type=limits.EPOCHS, help=limits.EPOCHS.help(f"passes over the data (default per "
                                                                            f"task: {EPOCHS})"))
    p.add_argument("--lr", type=limits.LR, help=limits.LR.help("learning rate (default: adam 0.01 for mlp, 0.03 "
                                                               "for recurrent models; sgd 0.1)"))
    p.add_argument("--optimizer", choices=("sgd", "adam"), default="adam", help="sgd uses momentum 0.9")
    p.add_argument("--batch-size", type=limits.BATCH, default=32, help=limits.BATCH.help("mini-batch size "
                                                                                        "(default: 32)"))
    p.add_argument("--length", type=limits.LENGTH, default=5,
                   help=limits.LENGTH.help("bits per sequence for --task parity (default: 5)"))
    p.add_argument("--seed", type=limits.SEED, default=0,
                   help=limits.SEED.help("seeds the data, the weights and the shuffling (default: 0)"))
    p.add_argument("--log-every", type=limits.LOG_EVERY, metavar="N",
                   help=limits.LOG_EVERY.help("print a line every N epochs (default: 10 lines)"))
    p.add_argument("--save", metavar="CKPT.npz", help="write the trained weights (folder checked writable first)")
    p.add_argument("--load", metavar="CKPT.npz", help="start from saved weights (--epochs 0 only evaluates)")
    p.add_argument("--plot", metavar="CURVE.png", help="write the loss and accuracy curves (.png or .svg)")
    p.add_argument("--boundary", metavar="BOUNDARY.png", help="write the decision boundary (2-D tasks)")
    p.add_argument("--svg", metavar="GRAPH.svg", help="write the model's computation graph on a 4-sample batch")
    p.add_argument("--export", metavar="MODEL.onnx", help="write the trained model as ONNX (any batch size; runs in "
                                                         "onnxruntime; needs the onnx extra: pip install "
                                                         "'autograd-core[onnx]')")
    p.set_defaults(run=run)
    return p
