"""The four training steps of bench_compile, written five ways: ours eager, ours compiled, hand numpy, torch, JAX."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np

import autograd_core as ac
import nn
from benchmarks.common import sgd_step
from nn.data import make_moons
from nn.optim import SGD

try:
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
except ImportError:
    torch = None
try:
    import jax
    import jax.numpy as jnp
    jax.config.update("jax_enable_x64", True)
    # Dispatch on the calling thread: with async dispatch a step's work is handed to a worker thread
    # and waited for, and that handoff (not the compiled program) is what a step would then measure.
    jax.config.update("jax_cpu_enable_async_dispatch", False)
except ImportError:
    jax = None

LR = 0.01
Step = Callable[[], Any]


def versions_line() -> str:
    t = f"torch {torch.__version__} (1 thread)" if torch is not None else "torch not installed"
    j = (f"jax {jax.__version__} (jit, 1 thread, synchronous dispatch)" if jax is not None
         else "jax not installed (pip install jax jaxlib)")
    return f"numpy {np.__version__}; {t}; {j}"


def loss_value(x: Any) -> float:
    if isinstance(x, ac.Tensor):
        return float(x.data)
    if torch is not None and isinstance(x, torch.Tensor):
        return float(x.item())
    return float(x)


def data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "moons":
        X, y = make_moons(100, noise=0.1, seed=0)
        return X, 2.0 * y - 1.0
    if name == "rnn":
        return np.random.default_rng(0).standard_normal((20, 8, 16)), np.zeros(0)
    n, d = (64, 64) if name == "mlp64" else (128, 784)
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, d)).astype(np.float32), rng.integers(0, 10, size=n)


def model(name: str, X: np.ndarray) -> nn.Module:
    if name == "rnn":
        return nn.RNN(16, 32, seed=0)
    sizes = {"moons": [16, 16, 1], "mlp64": [128, 10], "mlp784": [256, 10]}[name]
    return nn.MLP(X.shape[1], sizes, seed=0, dtype=X.dtype)


def ours(name: str, X: np.ndarray) -> tuple[nn.Module, Callable[[Any, Any], Any]]:
    """Our model and a step(x, y) doing zero_grad, forward, loss, backward, SGD."""
    m = model(name, X)

    def loss_of(x: Any, y: Any) -> Any:
        if name == "rnn":
            _, h = m(x)
            return (h * h).mean()
        out = m(x)
        return nn.hinge_loss(out.reshape(-1), y) if name == "moons" else nn.cross_entropy(out, y)

    return m, sgd_step(SGD(m.parameters(), lr=LR), loss_of)


def weights(m: nn.Module) -> list[np.ndarray]:
    return [p.data.copy() for p in m.parameters()]


# ---- hand-written numpy: forward and backward derived by hand -------------------------------------


def numpy_mlp(ws: list[np.ndarray], X: np.ndarray, y: np.ndarray, hinge: bool) -> Step:
    Ws, bs = ws[0::2], ws[1::2]
    n = X.shape[0]
    rows = np.arange(n)

    def step() -> float:
        acts = [X]
        h = X
        for i, (W, b) in enumerate(zip(Ws, bs)):
            z = h @ W.T
            z += b
            h = np.maximum(z, 0.0) if i < len(Ws) - 1 else z
            acts.append(h)
        if hinge:
            m = 1.0 - h[:, 0] * y
            loss = np.maximum(m, 0.0).sum() / n
            dz = ((m > 0) * (-y / n))[:, None]
        else:
            s = h - h.max(axis=1, keepdims=True)
            e = np.exp(s)
            se = e.sum(axis=1, keepdims=True)
            loss = (np.log(se[:, 0]) - s[rows, y]).mean()
            dz = e / se
            dz[rows, y] -= 1.0
            dz /= n
        for i in range(len(Ws) - 1, -1, -1):
            a = acts[i]
            dW = dz.T @ a
            db = dz.sum(axis=0)
            if i > 0:
                dz = (dz @ Ws[i]) * (a > 0)
            Ws[i] -= LR * dW
            bs[i] -= LR * db
        return float(loss)
    return step


def numpy_rnn(ws: list[np.ndarray], X: np.ndarray) -> Step:
    T, B, _ = X.shape
    X2 = X.reshape(T * B, -1)

    def step() -> float:
        Wih, Whh, bih, bhh = ws
        xp = (X2 @ Wih.T + (bih + bhh)).reshape(T, B, -1)
        hs = [np.zeros((B, Whh.shape[0]))]
        for t in range(T):
            hs.append(np.tanh(xp[t] + hs[-1] @ Whh.T))
        h = hs[-1]
        loss = (h * h).mean()
        dh = h * (2.0 / h.size)
        dzs = np.empty_like(xp)
        dWhh = np.zeros_like(Whh)
        for t in range(T - 1, -1, -1):
            dz = dh * (1.0 - hs[t + 1] ** 2)
            dzs[t] = dz
            dWhh += dz.T @ hs[t]
            dh = dz @ Whh
        dZ = dzs.reshape(T * B, -1)
        dWih = dZ.T @ X2
        db = dZ.sum(axis=0)
        ws[0] -= LR * dWih
        ws[1] -= LR * dWhh
        ws[2] -= LR * db
        ws[3] -= LR * db
        return float(loss)
    return step


# ---- torch and JAX: one forward, each library's ops ------------------------------------------------


class PeerOps(NamedTuple):
    """The few ops peer_loss needs, as one library spells them."""

    linear: Callable[[Any, Any, Any], Any]  # (h, W, b) -> h W^T + b
    relu: Callable[[Any], Any]
    tanh: Callable[[Any], Any]
    zeros: Callable[..., Any]  # (shape, dtype=...)
    cross_entropy: Callable[[Any, Any], Any]  # (logits, class indices) -> mean -log softmax[target]


def peer_loss(name: str, params: list, x: Any, t: Any, ops: PeerOps) -> Any:
    """The row's loss as ours computes it: the RNN's mean h_T^2 (inputs multiplied once, as numpy does),
    or the MLP's hinge (moons) or cross-entropy loss, in torch or JAX through `ops`."""
    if name == "rnn":
        Wih, Whh, bih, bhh = params
        T, B, _ = x.shape
        xp = ops.linear(x.reshape(T * B, -1), Wih, bih + bhh).reshape(T, B, -1)
        h = ops.zeros((B, Whh.shape[0]), dtype=x.dtype)
        for k in range(T):
            h = ops.tanh(xp[k] + h @ Whh.T)
        return (h * h).mean()
    h = x
    L = len(params) // 2
    for i in range(L):
        h = ops.linear(h, params[2 * i], params[2 * i + 1])
        if i < L - 1:
            h = ops.relu(h)
    return ops.relu(1.0 - h.reshape(-1) * t).mean() if name == "moons" else ops.cross_entropy(h, t)


def torch_step(name: str, ws: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> Step:
    params = [torch.tensor(w, requires_grad=True) for w in ws]
    x = torch.from_numpy(X)
    t = torch.from_numpy(y)
    ops = PeerOps(F.linear, torch.relu, torch.tanh, torch.zeros, F.cross_entropy)
    return sgd_step(torch.optim.SGD(params, lr=LR), lambda: peer_loss(name, params, x, t, ops))


def jax_step(name: str, ws: list[np.ndarray], X: np.ndarray, y: np.ndarray) -> Step:
    x, t = jnp.asarray(X), jnp.asarray(y)
    ops = PeerOps(lambda h, W, b: h @ W.T + b, jax.nn.relu, jnp.tanh, jnp.zeros,
                  lambda h, t: -jnp.take_along_axis(jax.nn.log_softmax(h, axis=1), t[:, None], axis=1).mean())

    def loss_of(params: list, x: Any, t: Any) -> Any:
        return peer_loss(name, params, x, t, ops)

    @jax.jit
    def update(params: list, x: Any, t: Any) -> Any:
        loss, grads = jax.value_and_grad(loss_of)(params, x, t)
        return [p - LR * g for p, g in zip(params, grads)], loss

    state = {"params": [jnp.asarray(w) for w in ws]}

    def step() -> Any:
        state["params"], loss = update(state["params"], x, t)
        return jax.block_until_ready(loss)
    return step


# ---- one row, all sides ---------------------------------------------------------------------------


def build(name: str) -> dict[str, Step]:
    X, y = data(name)
    m_eager, eager = ours(name, X)
    m_comp, comp_fn = ours(name, X)
    compiled = ac.compile(comp_fn)
    ws = weights(m_eager)
    x_in, y_in = (ac.Tensor(X), y)
    sides: dict[str, Step] = {
        "eager": lambda: eager(x_in, y_in),
        "compiled": lambda: compiled(x_in, y_in),
        "numpy": numpy_rnn([w.copy() for w in ws], X) if name == "rnn"
        else numpy_mlp([w.copy() for w in ws], X, y, name == "moons"),
    }
    if torch is not None:
        sides["torch"] = torch_step(name, [w.copy() for w in ws], X, y)
    if jax is not None:
        sides["jax"] = jax_step(name, [w.copy() for w in ws], X, y)
    return sides
