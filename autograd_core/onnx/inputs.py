"""Export inputs: the example arrays, their names and dynamic axes, and the second set of inputs a check runs on."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..graph.node import Node
from .builder import ExportError


class Inputs:
    """The example inputs as arrays, with names and dynamic axes ({input index: {axis: label}})."""

    def __init__(self, arrays: list[np.ndarray], names: list[str], dynamic: dict[int, dict[int, str]]) -> None:
        self.arrays, self.names, self.dynamic = arrays, names, dynamic

    def sizes_of_labels(self) -> dict[str, int]:
        """Each dynamic-axis label and the size the examples give it (one size per label)."""
        sizes: dict[str, int] = {}
        for k, axes in self.dynamic.items():
            for axis, label in axes.items():
                n = self.arrays[k].shape[axis]
                if n == 0:
                    raise ExportError(f"onnx.export: dynamic axis {label!r} is empty in the example input {self.names[k]!r}; "
                                      f"give an example with at least one entry along it")
                if sizes.setdefault(label, n) != n:
                    raise ExportError(f"onnx.export: dynamic axis {label!r} has size {sizes[label]} in one input and {n} "
                                      f"in input {self.names[k]!r} (axis {axis}); one label is one size")
        return sizes


def as_arrays(example_inputs: Any) -> list[np.ndarray]:
    """A tuple is several inputs, anything else one; each a float or integer array."""
    items = list(example_inputs) if isinstance(example_inputs, tuple) else [example_inputs]
    if not items:
        raise ExportError("onnx.export: give at least one example input")
    out = []
    for k, item in enumerate(items):
        arr = np.array(item.data if isinstance(item, Node) else item)
        if arr.dtype.kind not in "fiu":
            raise ExportError(f"onnx.export: example input {k} has dtype {arr.dtype}; inputs are float arrays (data) "
                              f"or integer arrays (indices, as for nn.Embedding)")
        out.append(arr)
    return out


def names_for(given: Sequence[str] | None, count: int, stem: str) -> list[str]:
    """The given names (checked: count, distinct, non-empty strings), else stem or stem_0, stem_1, ..."""
    if given is None:
        return [stem] if count == 1 else [f"{stem}_{k}" for k in range(count)]
    names = list(given)
    if len(names) != count or not all(isinstance(n, str) and n for n in names) or len(set(names)) != len(names):
        raise ExportError(f"onnx.export: {stem}_names must be {count} distinct non-empty strings, got {given!r}")
    return names


def dynamic_axes_for(dynamic_axes: Any, names: list[str], ranks: list[int], other_names: list[str]) -> dict[int, dict[int, str]]:
    """{name: {axis: label}} or {name: [axes]} -> {position in names: {axis: label}}; names from
    `other_names` are skipped here (the outputs' labels are read separately)."""
    out: dict[int, dict[int, str]] = {}
    for name, axes in (dynamic_axes or {}).items():
        if name in other_names:
            continue
        if name not in names:
            raise ExportError(f"onnx.export: dynamic_axes names {name!r}, which is neither an input ({names}) nor an "
                              f"output ({other_names})")
        k = names.index(name)
        pairs = axes.items() if isinstance(axes, dict) else ((a, f"{name}_dim{int(a) % max(ranks[k], 1)}") for a in axes)
        for axis, label in pairs:
            if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not -ranks[k] <= axis < ranks[k]:
                raise ExportError(f"onnx.export: dynamic axis {axis!r} of {name!r} is not a dim of its "
                                  f"{ranks[k]}-dimensional example")
            if not isinstance(label, str) or not label:
                raise ExportError(f"onnx.export: the label of dynamic axis {axis} of {name!r} must be a non-empty string")
            out.setdefault(k, {})[int(axis) % ranks[k]] = label
    return out


def other_inputs(inputs: Inputs, seed: int, multiplicative: bool) -> list[np.ndarray]:
    """Inputs of other values, and other sizes along the dynamic axes (label j grows by j + 1), for the
    check that the exported graph does not depend on the example's values or sizes. Floats are
    perturbed (multiplicatively only when `multiplicative`, which keeps signs and so domains);
    integers are redrawn between the example's smallest and largest value."""
    rng = np.random.default_rng(seed)
    labels = sorted(inputs.sizes_of_labels())
    out = []
    for k, arr in enumerate(inputs.arrays):
        new = arr
        for axis, label in inputs.dynamic.get(k, {}).items():
            grow = arr.shape[axis] + labels.index(label) + 1
            new = np.take(new, np.arange(grow) % arr.shape[axis], axis=axis)
        if new.dtype.kind == "f":
            scale = float(np.std(new)) if new.size and np.all(np.isfinite(new)) and np.std(new) > 0 else 1.0
            noise = 1.0 + 0.25 * rng.uniform(-1.0, 1.0, new.shape)
            new = new * noise if multiplicative else new * noise + 0.25 * scale * rng.standard_normal(new.shape)
        elif new.size:
            new = rng.integers(new.min(), new.max() + 1, size=new.shape).astype(new.dtype)
        out.append(np.ascontiguousarray(new.astype(arr.dtype)))
    return out
