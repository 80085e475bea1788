"""What each node is (input, parameter, constant, intermediate, output), whether backward has run,
and what looks wrong (NaN/inf, dead ReLU, saturated sigmoid/tanh, zero or vanishing gradients).
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from autograd_core import Node, Tensor

from .edges import as_data

OUTPUT, PARAMETER, INPUT, CONSTANT, INTERMEDIATE = "output", "parameter", "input", "constant", "intermediate"
ROLES = (INPUT, PARAMETER, CONSTANT, INTERMEDIATE, OUTPUT)

SATURATION = 1e-3   # |sigmoid'| or |tanh'| below this everywhere: the unit passes almost no gradient
VANISHING = 1e-6    # |grad| below this (relative to the output's gradient): vanishing gradient


def role(node: Node, root: Node, param_ids: set[int]) -> str:
    """output for the root; a leaf is a parameter (named by `params`), a constant (an unnamed
    single number that does not require grad, like the 2 in x*2) or an input; else intermediate."""
    if node is root:
        return OUTPUT
    if node.parents:
        return INTERMEDIATE
    if node.id in param_ids:
        return PARAMETER
    if not node.requires_grad and node.label is None and np.size(node.data) == 1:
        return CONSTANT
    return INPUT


def has_grad(node: Node) -> bool:
    """Whether this node holds a gradient from a backward pass.

    A Tensor's grad is None until backward; a Value's is 0.0, so a Value counts once its grad is
    non-zero (a gradient that is exactly zero is indistinguishable from "never computed").
    """
    g = as_data(node.grad)
    if isinstance(node, Tensor):
        return g is not None
    return g != 0.0


def grads_computed(nodes: Iterable[Node]) -> bool:
    """The graph-level rule: backward has run if any node that requires grad holds a gradient.

    After `root.backward()` the root's own gradient is 1 (or the given seed), so this is robust
    for the usual case; a graph where every gradient is still 0.0 / None says "not computed".
    """
    return any(n.requires_grad and has_grad(n) for n in nodes)


def _units_all(mask: np.ndarray) -> tuple[int, int]:
    """(units where mask holds for the whole batch, units): units are the last axis of a 2-D+
    array (columns = neurons over a batch of rows), or every entry of a 0-D/1-D array."""
    mask = np.asarray(mask)
    if mask.ndim < 2:
        return int(mask.sum()), int(mask.size)
    per_unit = mask.reshape(-1, mask.shape[-1]).all(axis=0)
    return int(per_unit.sum()), int(per_unit.size)


def _count_text(what: str, k: int, n: int) -> str:
    return what if n == 1 else f"{what}: {k}/{n} units"


def _activation_trouble(node: Node) -> list[str]:
    name = node.op_name
    if name not in ("relu", "sigmoid", "tanh", "step") or not node.parents:
        return []
    x = np.asarray(node.parents[0].data, dtype=float)
    y = np.asarray(node.data, dtype=float)
    if name == "step":
        return ["step: gradient 0 everywhere"]
    if name == "relu":
        k, n = _units_all(x <= 0)
        return [_count_text("dead ReLU (gradient 0)", k, n)] if k else []
    deriv = y * (1.0 - y) if name == "sigmoid" else 1.0 - y * y
    k, n = _units_all(np.abs(deriv) < SATURATION)
    return [_count_text(f"saturated {name}", k, n)] if k else []


def _nonfinite(arr: Any, what: str) -> list[str]:
    a = np.asarray(arr, dtype=float)
    out = []
    if np.isnan(a).any():
        out.append(f"NaN in {what}")
    if np.isinf(a).any():
        out.append(f"inf in {what}")
    return out


def _gradient_trouble(node: Node, computed: bool, scale: float, is_param: bool) -> list[str]:
    """NaN/inf gradient; an all-zero gradient at a parameter (it will not learn); a vanishing
    gradient anywhere. A zero gradient elsewhere is often plain arithmetic (w * 0), not trouble."""
    if not computed or not node.requires_grad:
        return []
    g = as_data(node.grad)
    if g is None:
        return ["no gradient reached"] if is_param else []
    g = np.asarray(g, dtype=float)
    out = _nonfinite(g, "grad")
    if out:
        return out
    biggest = float(np.abs(g).max()) if g.size else 0.0
    if biggest == 0.0:
        return ["zero gradient"] if is_param else []
    if biggest < VANISHING * scale:
        return [f"vanishing gradient (|g| < {VANISHING:g})"]
    return []


def gradient_scale(root: Node) -> float:
    """The size of the output's gradient (1 after a plain backward), the yardstick for "vanishing"."""
    if not has_grad(root):
        return 1.0
    g = np.abs(np.asarray(as_data(root.grad), dtype=float))
    return float(g.max()) if g.size and np.isfinite(g).all() and g.max() > 0 else 1.0


def troubles(node: Node, computed: bool, scale: float = 1.0, is_param: bool = False) -> list[str]:
    """Short warnings for a node; empty when nothing looks wrong."""
    return (_nonfinite(node.data, "data") + _activation_trouble(node)
            + _gradient_trouble(node, computed, scale, is_param))
