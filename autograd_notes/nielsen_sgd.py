"""nielsen-sgd: a sigmoid net trained by plain mini-batch SGD (batch 10), quadratic vs cross-entropy cost."""
from __future__ import annotations

from .core import Context, Result
from .data import accuracy, cross_entropy_cost, digits, mnist, quadratic_cost, sgd

RATES = {"quadratic": 3.0, "cross_entropy": 0.5}    # Nielsen's rates for the two costs (per-batch mean)


def run(ctx: Context) -> Result:
    import nn

    if ctx.mnist is not None:
        dataset, (X_tr, X_te, y_tr, y_te) = "mnist", mnist(ctx.mnist)
        if ctx.quick:                                   # one epoch over the first 10,000 images
            X_tr, y_tr = X_tr[:10000], y_tr[:10000]
        epochs = ctx.pick(1, 10)
    else:
        dataset, (X_tr, X_te, y_tr, y_te) = "digits", digits(ctx.seed)
        epochs = ctx.pick(4, 30)
    sizes = [X_tr.shape[1], 30, 10]
    curves: dict[str, list[float]] = {}
    for kind, cost in (("quadratic", quadratic_cost(10)), ("cross_entropy", cross_entropy_cost(10))):
        model = nn.MLP(sizes[0], sizes[1:], activation="sigmoid", seed=ctx.seed)
        curve: list[float] = []
        curves[kind] = curve

        def record(_epoch: int, model: nn.MLP = model, curve: list[float] = curve) -> None:
            curve.append(accuracy(model, X_te, y_te))
        sgd(model, cost, X_tr, y_tr, epochs=epochs, lr=RATES[kind], batch_size=10, seed=ctx.seed, after_epoch=record)
    with ctx.figure("nielsen_sgd") as ax:
        for kind, curve in curves.items():
            ax.plot(range(1, epochs + 1), curve, marker="o", label=f"{kind} (eta={RATES[kind]})")
        ax.set(xlabel="epoch", ylabel="test accuracy",
               title=f"sigmoid {'-'.join(map(str, sizes))} on {dataset}, plain SGD, batch 10")
        ax.legend()
    numbers = {"dataset": dataset, "epochs": epochs, "train_size": len(X_tr), "test_size": len(X_te),
               "test_accuracy_quadratic": curves["quadratic"][-1],
               "test_accuracy_cross_entropy": curves["cross_entropy"][-1],
               "accuracy_per_epoch": {k: [round(a, 4) for a in c] for k, c in curves.items()}}
    shown = sorted({1, 2, 5, 10, 20, epochs} & set(range(1, epochs + 1)))
    lines = [f"sigmoid net {'-'.join(map(str, sizes))} on {dataset} ({len(X_tr)} train, {len(X_te)} test), "
             f"plain SGD, batch 10, {epochs} epochs; test accuracy after epoch " + ", ".join(map(str, shown)) + ":"]
    lines += [f"  {kind.replace('_', '-') + ' (eta ' + str(RATES[kind]) + ')':26s}"
              + "  ".join(f"{curves[kind][e - 1]:.1%}" for e in shown) for kind in curves]
    return Result(numbers, lines)
