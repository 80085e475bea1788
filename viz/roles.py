"""What each node is (input, parameter, constant, intermediate, output), whether backward has run,
and what looks wrong, each warning with its rule: NaN/inf, flat activations (an op whose table entry
has a flat_warning, e.g. dead ReLU units across a batch), zero or vanishing gradients.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from autograd_core import Node, Tensor
from autograd_core.graph.released import Released

from .edges import as_data, released

OUTPUT, PARAMETER, INPUT, CONSTANT, INTERMEDIATE = "output", "parameter", "input", "constant", "intermediate"
ROLES = (INPUT, PARAMETER, CONSTANT, INTERMEDIATE, OUTPUT)

SATURATION = 1e-3   # |sigmoid'| or |tanh'| below this everywhere: the unit passes almost no gradient
VANISHING = 1e-6    # |grad| below this (relative to the output's gradient): vanishing gradient
FLAT_SHARE = 0.25   # an activation is trouble when at least this share of its units is flat for a batch


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


@dataclass(frozen=True)
class Trouble:
    """A warning on a box: short `text` shown in red, and the `rule` that fired (in the tooltip)."""

    text: str
    rule: str


def _flat_units(node: Node) -> tuple[int, int, int]:
    """(units flat for every sample, units, samples) for an activation node: a unit is an entry of
    the last axis, the samples are the leading axes; flat means |local derivative| < SATURATION."""
    if not isinstance(node, Tensor) or np.ndim(node.data) < 2 or released(node):
        return 0, int(np.size(node.data)), 1
    from .edges import local_derivative

    d = np.abs(np.asarray(local_derivative(node, 0), dtype=float))
    flat = (d < SATURATION).reshape(-1, d.shape[-1])
    return int(flat.all(axis=0).sum()), int(flat.shape[1]), int(flat.shape[0])


def _activation_trouble(node: Node) -> list[Trouble]:
    """An activation (its op has a flat_warning) whose units pass ~no gradient for a whole batch."""
    op = node.op
    if op is None or op.flat_warning is None or len(node.parents) != 1:
        return []
    k, n, samples = _flat_units(node)
    if samples < 2 or k == 0 or k < FLAT_SHARE * n:
        return []
    rule = (f"{op.flat_warning}: in {k} of {n} units |∂out/∂in| < {SATURATION:g} for every one of the "
            f"{samples} samples (∂ = {op.derivative_text(0)}), so they pass no gradient back; flagged when "
            f"at least {FLAT_SHARE:.0%} of a layer's units are flat across a batch of 2 or more")
    return [Trouble(f"{op.flat_warning}: {k}/{n} units", rule)]


def group_troubles(members: list[Node]) -> list[Trouble]:
    """A collapsed scalar module (a neuron called once per sample) whose activation is flat in
    every one of at least two calls: the unit is dead (or saturated) for the whole batch."""
    from .edges import local_derivative

    acts = [m for m in members if m.op is not None and m.op.flat_warning and len(m.parents) == 1
            and not isinstance(m, Tensor)]
    if len(acts) < 2 or len({m.op for m in acts}) != 1:
        return []
    if any(abs(local_derivative(m, 0)) >= SATURATION for m in acts):
        return []
    op = acts[0].op
    assert op is not None and op.flat_warning is not None
    rule = (f"{op.flat_warning}: |∂out/∂in| < {SATURATION:g} in all {len(acts)} calls (∂ = {op.derivative_text(0)}), "
            f"so no sample sends a gradient back through this unit")
    return [Trouble(f"{op.flat_warning}: all {len(acts)} calls", rule)]


def _nonfinite(arr: Any, what: str) -> list[Trouble]:
    if isinstance(arr, Released):   # released by backward: nothing left to check
        return []
    a = np.asarray(arr, dtype=float)
    out = []
    for bad, test in (("NaN", np.isnan), ("inf", np.isinf)):
        if test(a).any():
            out.append(Trouble(f"{bad} in {what}", f"{bad} in {what}: at least one entry is {bad}, so "
                               f"everything computed from it is {bad} too"))
    return out


def _gradient_trouble(node: Node, computed: bool, scale: float, is_param: bool) -> list[Trouble]:
    """NaN/inf gradient; an all-zero gradient at a Tensor parameter (it will not learn); a vanishing
    gradient anywhere. A zero gradient elsewhere is often plain arithmetic (w * 0), not trouble."""
    if not computed or not node.requires_grad:
        return []
    g = as_data(node.grad)
    if g is None:
        return [Trouble("no gradient reached", "no gradient reached: this parameter is not on any path "
                        "from the output, so a step will not change it")] if is_param else []
    if isinstance(g, Released):
        return []
    g = np.asarray(g, dtype=float)
    out = _nonfinite(g, "grad")
    if out:
        return out
    biggest = float(np.abs(g).max()) if g.size else 0.0
    if biggest == 0.0:   # a scalar weight often gets 0 from one sample (its ReLU is off): not trouble
        return [Trouble("zero gradient", "zero gradient: every entry of this parameter's gradient is "
                        "exactly 0 for this output, so a step will not change it")] \
            if is_param and isinstance(node, Tensor) else []
    if biggest < VANISHING * scale:
        return [Trouble(f"vanishing gradient (|g| < {VANISHING:g})",
                        f"vanishing gradient: the largest |grad| here is {biggest:.3g}, below {VANISHING:g} "
                        f"times the output's gradient ({scale:.3g})")]
    return []


def gradient_scale(root: Node) -> float:
    """The size of the output's gradient (1 after a plain backward), the yardstick for "vanishing"."""
    if not has_grad(root):
        return 1.0
    g = np.abs(np.asarray(as_data(root.grad), dtype=float))
    return float(g.max()) if g.size and np.isfinite(g).all() and g.max() > 0 else 1.0


def troubles(node: Node, computed: bool, scale: float = 1.0, is_param: bool = False) -> list[Trouble]:
    """Warnings for a node, each with the rule that fired; empty when nothing looks wrong."""
    return (_nonfinite(node.data, "data") + _activation_trouble(node)
            + _gradient_trouble(node, computed, scale, is_param))
