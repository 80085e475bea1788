"""A training timeline: each layer's gradients recorded over SGD steps, replayed on a page with a slider.

    history = viz.TrainingHistory(model)
    for step in range(200):
        model.zero_grad(); loss = ...; loss.backward()
        history.record(loss)                  # after backward, before the update
        for p in model.parameters(): p.data -= lr * p.grad
    viz.explore_training(history).save("training.html")

Parameters are grouped into layers by name: a layer is the name up to its first numeric part
("layers.0.weight" -> "layers.0", "layers.1.neurons.2.w.0" -> "layers.1"). A layer's units are the
rows of a Tensor weight (a unit's incoming weights) with the matching bias entries, or, for scalar
(micrograd) nets, its neurons ("neurons.2"). For each recorded step the page shows each unit's
gradient norm ‖∂loss/∂θ_unit‖₂, each layer's norm, and which units are dead: a unit whose every
parameter has gradient exactly 0 passed no gradient for the whole batch (a dead ReLU). Early layers
whose norm shrinks relative to later ones show the vanishing gradient of the notes.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core import Node

from . import Explorer

__all__ = ["TrainingHistory", "TrainingPage", "explore_training"]


def _layer_and_unit(name: str) -> tuple[str, str | None]:
    """("layers.0", None) for "layers.0.weight"; ("layers.1", "2") for "layers.1.neurons.2.w.0"."""
    parts = name.split(".")
    for i, part in enumerate(parts):
        if part.isdigit():
            rest = parts[i + 1:]
            unit = next((rest[j + 1] for j in range(len(rest) - 2) if rest[j + 1].isdigit()), None)
            return ".".join(parts[:i + 1]), unit
    return (".".join(parts[:-1]) or parts[0]), None


def _grad(p: Node) -> np.ndarray:
    g = p.grad.data if isinstance(p.grad, Node) else p.grad
    return np.zeros(np.shape(p.data)) if g is None else np.asarray(g, dtype=float)


class TrainingHistory:
    """Per recorded step: each layer's unit gradient norms (see the module docstring) and the loss."""

    def __init__(self, model: Any) -> None:
        named = list(model.named_parameters()) if hasattr(model, "named_parameters") else list(dict(model).items())
        if not named:
            raise ValueError("TrainingHistory: the model has no parameters to record")
        self.params = named
        self.layers: list[str] = []
        for name, _ in named:
            layer = _layer_and_unit(name)[0]
            if layer not in self.layers:
                self.layers.append(layer)
        self.steps: list[dict[str, Any]] = []

    def _units(self) -> dict[str, dict[str, float]]:
        """layer -> unit -> sum of squared gradients of the unit's parameters."""
        out: dict[str, dict[str, float]] = {layer: {} for layer in self.layers}
        for name, p in self.params:
            layer, unit = _layer_and_unit(name)
            g = _grad(p)
            units = out[layer]
            if unit is not None:
                units[unit] = units.get(unit, 0.0) + float(np.sum(g * g))
            elif g.ndim >= 1:   # a Tensor weight (out, in) or bias (out,): entry/row k belongs to unit k
                rows = np.sum((g * g).reshape(g.shape[0], -1), axis=1)
                for k, v in enumerate(rows):
                    units[str(k)] = units.get(str(k), 0.0) + float(v)
            else:
                units["0"] = units.get("0", 0.0) + float(g * g)
        return out

    def record(self, loss: Any = None) -> None:
        """Take the gradients now in the parameters (call after backward(), before the update)."""
        units = self._units()
        layers = []
        for layer in self.layers:
            norms = [math.sqrt(v) for _, v in sorted(units[layer].items(), key=lambda kv: int(kv[0]))]
            layers.append({"name": layer, "units": norms, "gradNorm": math.sqrt(sum(v * v for v in norms)),
                           "dead": sum(1 for v in norms if v == 0.0)})
        value = None if loss is None else float(loss.data if isinstance(loss, Node) else loss)
        self.steps.append({"loss": value, "layers": layers})

    def __len__(self) -> int:
        return len(self.steps)


class TrainingPage(Explorer):
    """The replay page (`.save(path)`, inline in Jupyter): a slider over the recorded steps."""

    assets = ("training.html", ("explorer.css", "training.css"), "training.js")

    def __repr__(self) -> str:
        return f"<viz.TrainingPage: {len(self.data['steps'])} steps, {len(self.data['layers'])} layers>"


def explore_training(history: TrainingHistory, *, title: str | None = None, height: int = 620) -> TrainingPage:
    """The page replaying `history`: per step, each layer's unit gradient norms as a strip of cells
    (dead units marked), the layers' norms and the loss over time, a slider and Play."""
    if not isinstance(history, TrainingHistory):
        raise TypeError(f"explore_training: expected a viz.TrainingHistory, got {type(history).__name__}")
    if not history.steps:
        raise ValueError("explore_training: the history is empty; call history.record(loss) after each backward()")
    data = {"title": title or f"gradients over {len(history.steps)} training steps",
            "layers": history.layers, "steps": history.steps}
    return TrainingPage(data, height)
