"""skip-gram: word2vec's gradients checked, then trained (full softmax and negative sampling) on a toy grammar."""
from __future__ import annotations

import numpy as np

from autograd_core import Tensor, log_softmax, softmax

from .core import Context, Result

CLASSES = {"animal": "cat dog horse cow sheep goat", "food": "apple bread rice cheese soup grapes",
           "verb": "eats likes wants finds", "place": "house farm garden field barn"}


def corpus(sentences: int, seed: int) -> tuple[list[str], list[list[int]]]:
    """Sentences 'the ANIMAL VERB the FOOD in the PLACE' or 'a ANIMAL sleeps in the PLACE', as word ids."""
    rng = np.random.default_rng(seed)
    words = {k: v.split() for k, v in CLASSES.items()}
    vocab = ["the", "a", "in", "sleeps"] + [w for ws in words.values() for w in ws]
    pick = lambda k: str(rng.choice(words[k]))  # noqa: E731
    text = []
    for _ in range(sentences):
        if rng.random() < 0.7:
            s = ["the", pick("animal"), pick("verb"), "the", pick("food"), "in", "the", pick("place")]
        else:
            s = ["a", pick("animal"), "sleeps", "in", "the", pick("place")]
        text.append([vocab.index(w) for w in s])
    return vocab, text


def pairs(text: list[list[int]], window: int = 2) -> np.ndarray:
    """(centre, context) id pairs within `window` words."""
    return np.array([(s[i], s[j]) for s in text for i in range(len(s))
                     for j in range(max(0, i - window), min(len(s), i + window + 1)) if j != i])


def full_softmax_loss(Vw: Tensor, Uw: Tensor, c: np.ndarray, o: np.ndarray) -> Tensor:
    """mean over pairs of -log softmax(U v_c)_o = -u_o.v_c + log sum_w exp(u_w.v_c)."""
    return -log_softmax(Vw[c] @ Uw.T, axis=1)[np.arange(len(c)), o].mean()


def negative_sampling_loss(Vw: Tensor, Uw: Tensor, c: np.ndarray, o: np.ndarray, neg: np.ndarray) -> Tensor:
    """mean of -log sigma(u_o.v_c) - sum_k log sigma(-u_k.v_c) over K sampled words k."""
    v = Vw[c]
    pos = (Uw[o] * v).sum(axis=1).sigmoid().log()
    negs = (-(Uw[neg] * v.reshape(len(c), 1, -1)).sum(axis=2)).sigmoid().log().sum(axis=1)
    return -(pos + negs).mean()


def check_gradients(rng: np.random.Generator) -> dict[str, float]:
    """The notes' dJ/dv_c = -u_o + sum_w y_hat_w u_w and dJ/du_w = (y_hat_w - y_w) v_c for one pair."""
    V, U = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    Vt, Ut = Tensor(V, requires_grad=True), Tensor(U, requires_grad=True)
    full_softmax_loss(Vt, Ut, np.array([2]), np.array([4])).backward()
    y_hat = softmax(Tensor(U @ V[2])).data
    return {"max_error_grad_vc": float(np.abs(Vt.grad[2] - (-U[4] + y_hat @ U)).max()),
            "max_error_grad_u": float(np.abs(Ut.grad - np.outer(y_hat - np.eye(6)[4], V[2])).max())}


def train(kind: str, vocab_size: int, data: np.ndarray, epochs: int, seed: int, noise: np.ndarray):
    """Adam on mini-batches of 128 pairs; returns the centre vectors and the full-softmax loss before/after."""
    import nn

    rng = np.random.default_rng(seed)
    Vw = nn.Parameter(0.1 * rng.normal(size=(vocab_size, 10)))
    Uw = nn.Parameter(0.1 * rng.normal(size=(vocab_size, 10)))
    opt = nn.optim.Adam([Vw, Uw], lr=0.02)
    before = full_softmax_loss(Vw, Uw, data[:, 0], data[:, 1]).item()
    for _ in range(epochs):
        for idx in np.array_split(rng.permutation(len(data)), max(1, len(data) // 128)):
            c, o = data[idx, 0], data[idx, 1]
            loss = (full_softmax_loss(Vw, Uw, c, o) if kind == "full_softmax" else
                    negative_sampling_loss(Vw, Uw, c, o, rng.choice(vocab_size, size=(len(idx), 5), p=noise)))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return Vw.data, before, full_softmax_loss(Vw, Uw, data[:, 0], data[:, 1]).item()


def same_class_neighbours(vectors: np.ndarray, vocab: list[str]) -> float:
    """Fraction of content words whose nearest other content word (by cosine) is of their class."""
    cls = {w: k for k, ws in CLASSES.items() for w in ws.split()}
    ids = [vocab.index(w) for w in cls]
    E = vectors[ids] / np.linalg.norm(vectors[ids], axis=1, keepdims=True)
    S = E @ E.T
    np.fill_diagonal(S, -np.inf)
    words = list(cls)
    return float(np.mean([cls[words[int(S[i].argmax())]] == cls[w] for i, w in enumerate(words)]))


def run(ctx: Context) -> Result:
    vocab, text = corpus(ctx.pick(400, 2000), ctx.seed)
    data = pairs(text)
    counts = np.bincount(data[:, 1], minlength=len(vocab)) ** 0.75
    result = {kind: train(kind, len(vocab), data, ctx.pick(3, 10), ctx.seed, counts / counts.sum())
              for kind in ("full_softmax", "negative_sampling")}
    score = {k: same_class_neighbours(v, vocab) for k, (v, _, _) in result.items()}
    with ctx.figure("skip_gram", 2, width=4.2, height=4.0) as axes:
        cls = {w: k for k, ws in CLASSES.items() for w in ws.split()}
        for ax, (kind, (vecs, _, _)) in zip(axes, result.items()):
            E = vecs[[vocab.index(w) for w in cls]]
            E = E - E.mean(axis=0)
            P = E @ np.linalg.svd(E, full_matrices=False)[2][:2].T          # the top two principal axes
            for k, colour in zip(CLASSES, ["tab:red", "tab:green", "tab:blue", "tab:purple"]):
                m = np.array([cls[w] == k for w in cls])
                ax.scatter(*P[m].T, c=colour, label=k, s=14)
                for w, (a, b) in zip(np.array(list(cls))[m], P[m]):
                    ax.annotate(w, (a, b), fontsize=7)
            ax.set(title=f"{kind}: {score[kind]:.0%} same-class neighbours", xticks=[], yticks=[])
        axes[0].legend(fontsize=7)
    numbers = {"neighbour_same_class": score["full_softmax"],
               "neighbour_same_class_negative_sampling": score["negative_sampling"],
               "loss_first": round(result["full_softmax"][1], 6), "loss_last": round(result["full_softmax"][2], 6),
               "loss_first_negative_sampling": round(result["negative_sampling"][1], 6),
               "loss_last_negative_sampling": round(result["negative_sampling"][2], 6),
               "pairs": len(data), "vocabulary": len(vocab), **check_gradients(np.random.default_rng(ctx.seed))}
    lines = [f"skip-gram on {len(text)} generated sentences ({len(vocab)} words, {len(data)} centre/context pairs, "
             "window 2):",
             f"  dJ/dv_c = -u_o + sum_w y_hat_w u_w: max difference {numbers['max_error_grad_vc']:.0e}; "
             f"dJ/du_w = (y_hat_w - y_w) v_c: {numbers['max_error_grad_u']:.0e}"]
    lines += [f"  {kind:17s}: softmax loss {b:.4f} -> {a:.4f}; nearest neighbour of the same class for "
              f"{score[kind]:.0%} of the {sum(len(v.split()) for v in CLASSES.values())} content words"
              for kind, (_, b, a) in result.items()]
    return Result(numbers, lines)
