"""Optimizer base class: parameter groups, per-parameter state, zero_grad, step loop, state_dict.

Subclasses write one method, `_update(data, grad, state, group)`, that changes the ndarray `data`
in place (numpy in-place ops, never rebinding, so views of a parameter stay valid). The base
class feeds it:
- each Tensor parameter whose `.grad` is not None: `data` is `p.data` itself;
- all Value parameters of a group at once (the scalar path): their floats are packed into one
  array, updated by the same rule, and written back to each `Value.data`. Their state is kept in
  packed arrays under the index of the group's first Value.
State is keyed by the parameter's index over all groups, as in torch's state_dict.
"""
from __future__ import annotations

import copy
from typing import Any, Callable, Iterable

import numpy as np

from autograd_core import Tensor, Value, enable_grad
from autograd_core.arrays import is_array
from autograd_core.tensor.grad_array import plain
from autograd_core.jit import TraceError, active_recorder, replayed, traced_array
from autograd_core.graph.node import Node
from autograd_core.graph.versions import bump

def state_buffer(state: dict[str, Any], key: str, like: np.ndarray, *, scratch: bool = False) -> np.ndarray:
    """state[key], made on first use as zeros shaped like `like` (uninitialised when `scratch`)."""
    buf = state.get(key)
    if buf is None:
        buf = state[key] = np.empty_like(like) if scratch else np.zeros_like(like)
    return buf


def average_square_(avg: np.ndarray, g: np.ndarray, decay: float, scratch: np.ndarray) -> None:
    """avg <- decay * avg + (1 - decay) * g**2, in place (`scratch` receives the scaled g**2)."""
    avg *= decay
    np.multiply(g, g, out=scratch)
    scratch *= 1.0 - decay
    avg += scratch


_Layout = tuple[list[tuple[int, Tensor]], int, list[Value]]  # (indexed tensors, first value index, values)


class Optimizer:
    """Base class: `param_groups` (list of dicts with "params" and hyperparameters) and `state`."""

    def __init__(self, params: Any, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[int, dict[str, Any]] = {}
        self._layouts: list[_Layout] = []
        self._count = 0
        groups = _as_groups(type(self).__name__, params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        for group in groups:
            self.add_param_group(group)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"  group {i}: " + ", ".join(f"{k}={v!r}" for k, v in g.items() if k != "params"))
        return "\n".join(lines + [")"])

    # ---- construction --------------------------------------------------------------------------

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (missing ones take the defaults)."""
        name = type(self).__name__
        params = _param_list(name, group["params"])
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params) or len({id(p) for p in params}) != len(params):
            raise ValueError(f"{name}: a parameter appears in more than one group (or twice in one)")
        full = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}, "params": params}
        self._check_group(full)
        tensors = [(self._count + i, p) for i, p in enumerate(params) if isinstance(p, Tensor)]
        values = [p for p in params if isinstance(p, Value)]
        first_value = next((self._count + i for i, p in enumerate(params) if isinstance(p, Value)), -1)
        self._count += len(params)
        self.param_groups.append(full)
        self._layouts.append((tensors, first_value, values))

    def _check_group(self, group: dict[str, Any]) -> None:
        """Raise ValueError naming the optimizer and the bad hyperparameter (subclasses extend)."""
        check_at_least(type(self).__name__, "learning rate lr", group["lr"], 0.0)

    # ---- the training-loop API -----------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: None for Tensors (or zeros), 0.0 for Values."""
        for group in self.param_groups:
            for p in group["params"]:
                if isinstance(p, Value):
                    p.grad = 0.0
                elif set_to_none or p.grad is None:
                    p.grad = None
                else:
                    p.grad = np.zeros_like(p.data)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; returns closure() if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        state = self.state
        update = self._update
        tracing = active_recorder() is not None
        for group, (tensors, first_value, values) in zip(self.param_groups, self._layouts):
            for index, p in tensors:
                g = p.grad
                if g is None:
                    continue
                if not is_array(g):
                    g = g.data if isinstance(g, Node) else np.asarray(g)
                g = plain(g)  # numpy computes faster on the plain array behind a GradArray
                if tracing:  # a compiled step: run this update again on every replay, live hyperparameters
                    replayed(self._update_one, index, traced_array(p.data, "an optimized parameter"), g, group)
                    continue
                s = state.get(index)
                if s is None:
                    s = state[index] = {}
                update(p.data, g, s, group)
                # An update is an in-place change (torch's optimizers bump the version too): a graph
                # recorded before this step now refuses a backward instead of using the new weights.
                bump(p.data, f"{type(self).__name__}.step")
            if values:
                if tracing:
                    raise TraceError(f"compile: {type(self).__name__} updates Value parameters, which a compiled "
                                     f"step cannot trace; compile the per-sample loss with "
                                     f"compile(loss_fn, batched=True) and call step() outside it")
                self._step_values(first_value, values, group)
        return loss

    def _update_one(self, index: int, data: np.ndarray, grad: np.ndarray, group: dict[str, Any]) -> None:
        """One parameter's update with its state (made on first use), as step() does it."""
        s = self.state.get(index)
        if s is None:
            s = self.state[index] = {}
        self._update(data, grad, s, group)

    def _step_values(self, index: int, values: list[Value], group: dict[str, Any]) -> None:
        """The scalar path: pack the group's Values, update them as one array, write them back."""
        n = len(values)
        data = np.fromiter((v.data for v in values), dtype=np.float64, count=n)
        grad = np.fromiter((float(getattr(v.grad, "data", v.grad)) for v in values), dtype=np.float64, count=n)
        s = self.state.get(index)
        if s is None:
            s = self.state[index] = {}
        self._update(data, grad, s, group)
        for v, x in zip(values, data.tolist()):
            v.data = x

    def _update(self, data: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: dict[str, Any]) -> None:
        raise NotImplementedError(f"{type(self).__name__}: subclasses implement _update")

    # ---- checkpoints ---------------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """{"state": {index: {name: array copy or number}}, "param_groups": [{hyper..., "params": [index]}]}."""
        groups, start = [], 0
        for g in self.param_groups:
            n = len(g["params"])
            groups.append({**{k: v for k, v in g.items() if k != "params"}, "params": list(range(start, start + n))})
            start += n
        state = {i: {k: copy.deepcopy(v) for k, v in entry.items() if not k.startswith("_")}
                 for i, entry in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and state saved by state_dict() from an optimizer over the same shapes.

        The keys match torch's (step, exp_avg, exp_avg_sq, max_exp_avg_sq, momentum_buffer, square_avg,
        grad_avg), and torch tensors are converted, so a torch optimizer's state_dict loads too.
        """
        name = type(self).__name__
        groups = state_dict["param_groups"]
        sizes = [len(g["params"]) for g in self.param_groups]
        saved = [len(g["params"]) for g in groups]
        if sizes != saved:
            raise ValueError(f"{name}: load_state_dict: saved groups hold {saved} parameters, "
                             f"this optimizer's hold {sizes}")
        state = {int(i): {k: _from_saved(k, v) for k, v in entry.items()} for i, entry in state_dict["state"].items()}
        self._check_state_shapes(name, state)
        for mine, theirs in zip(self.param_groups, groups):
            mine.update({k: v for k, v in theirs.items() if k != "params"})
        self.state = state

    def _check_state_shapes(self, name: str, state: dict[int, dict[str, Any]]) -> None:
        shapes = {i: p.shape for tensors, _, _ in self._layouts for i, p in tensors}
        shapes.update({first: (len(vals),) for _, first, vals in self._layouts if vals})
        for index, entry in state.items():
            if index not in shapes:
                raise ValueError(f"{name}: load_state_dict: state for parameter {index}, which this optimizer lacks")
            for key, value in entry.items():
                if isinstance(value, np.ndarray) and value.shape != shapes[index]:
                    raise ValueError(f"{name}: load_state_dict: state[{index}][{key!r}] has shape {value.shape}, "
                                     f"parameter {index} has shape {shapes[index]}")


def _from_saved(key: str, value: Any) -> Any:
    """A copy of one saved state entry as numpy data (torch tensors converted; step as an int)."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        value = value.detach().cpu().numpy()
    if key == "step":
        return int(np.asarray(value).item())
    return np.array(value) if isinstance(value, np.ndarray) else copy.deepcopy(value)


# ---- helpers shared by the optimizers --------------------------------------------------------------


def check_at_least(name: str, what: str, value: float, low: float) -> None:
    """ValueError 'SGD: invalid momentum -0.5 (expected >= 0)' unless value >= low."""
    if not isinstance(value, (int, float, np.floating)) or not value >= low:
        raise ValueError(f"{name}: invalid {what} {value!r} (expected a number >= {low})")


def check_beta(name: str, what: str, value: float) -> None:
    """ValueError unless 0 <= value < 1."""
    if not isinstance(value, (int, float, np.floating)) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name}: invalid {what} {value!r} (expected 0 <= {what} < 1)")


def _as_groups(name: str, params: Any) -> list[dict[str, Any]]:
    """params -> list of group dicts. Accepts nodes, a Module (has .parameters()), or group dicts."""
    if hasattr(params, "parameters") and callable(params.parameters) and not isinstance(params, Node):
        params = params.parameters()
    if isinstance(params, Node):
        raise TypeError(f"{name}: params must be an iterable of Tensors/Values or of dicts, got one "
                        f"{type(params).__name__}; wrap it in a list")
    items = list(params)
    if items and all(isinstance(g, dict) for g in items):
        for i, g in enumerate(items):
            if "params" not in g:
                raise ValueError(f"{name}: parameter group {i} has no 'params' key")
        return items
    return [{"params": items}] if items else []


def _param_list(name: str, params: Iterable[Any]) -> list[Node]:
    if isinstance(params, Node):
        return [params]
    out = list(params)
    for i, p in enumerate(out):
        if not isinstance(p, (Tensor, Value)):
            raise TypeError(f"{name}: parameters must be Tensors or Values, item {i} is a {type(p).__name__}")
        if isinstance(p, Tensor) and p.data.dtype.kind != "f":
            raise TypeError(f"{name}: parameter {i} has dtype {p.data.dtype}; only float tensors can be optimized")
    return out
