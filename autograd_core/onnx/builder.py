"""The builder an op's ONNX form writes into: ONNX nodes and constants as plain Python data (no onnx import)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

Shape = tuple[int, ...]
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min


class ExportError(ValueError):
    """A graph, op or module that cannot be written as ONNX; the message names it and says why."""


class Graph:
    """ONNX nodes as tuples (op_type, inputs, outputs, attributes) and constants as arrays, with the
    graph node that wrote each (`origin`), so two builds can be compared and a difference named."""

    def __init__(self) -> None:
        self.nodes: list[tuple[str, tuple[str, ...], tuple[str, ...], dict[str, Any]]] = []
        self.node_origin: list[str] = []
        self.constants: dict[str, np.ndarray] = {}
        self.constant_origin: dict[str, str] = {}
        # a subgraph's (Scan's body) typed inputs and outputs: (name, dtype, dims or None)
        self.inputs: list[tuple[str, Any, Any]] = []
        self.outputs: list[tuple[str, Any, Any]] = []


class Builder:
    """Writes ONNX for one recorded graph. The exporter builds the same graph twice (the example
    inputs, and inputs of other values and dynamic sizes); `shape` is a value's shape in this build,
    `other_shape` in the other one, so a form can tell the dynamic dims (`varies`) from the fixed ones.

    A form sees: `op`, `const`, `ints`, `index`, `shape`, `varies`, `dtype`, `out_shape`, `out_varies`,
    `dim` and `shape_tensor` (see each)."""

    def __init__(self, int_inputs: dict[int, str], prefix: str = "") -> None:
        self.graph = Graph()
        self.prefix = prefix  # a subgraph's builder names its values apart from the outer graph's
        self._int_inputs = int_inputs  # id(array) -> input name, for integer arrays given as inputs
        self._count = 0
        self._shapes: dict[str, tuple[Shape, Shape]] = {}
        self._dtypes: dict[str, np.dtype] = {}
        self._shape_of: dict[str, str] = {}  # value -> the name of its Shape node (made once)
        self.origin = ""
        self.dtype: np.dtype = np.dtype(np.float64)
        self.out_shape: Shape = ()
        self._out_other: Shape = ()
        self._current_inputs: Sequence[str] = ()
        self.module_name = ""  # a module form's parameter-name prefix (its name in the model)

    # ---- what the exporter sets ------------------------------------------------------------------

    def fresh(self, stem: str = "v") -> str:
        """A new value name."""
        self._count += 1
        return f"{self.prefix}{stem}{self._count}"

    def declare(self, name: str, shape: Shape, other: Shape, dtype: Any) -> None:
        """Record a graph value's shapes in both builds and its dtype."""
        self._shapes[name] = (tuple(shape), tuple(other))
        self._dtypes[name] = np.dtype(dtype)

    def begin(self, origin: str, inputs: Sequence[str], shape: Shape, other: Shape, dtype: Any) -> None:
        """Start writing one recorded node: its description for errors, input names, result facts."""
        self.origin, self._current_inputs = origin, tuple(inputs)
        self.out_shape, self._out_other, self.dtype = tuple(shape), tuple(other), np.dtype(dtype)

    # ---- what a form uses ------------------------------------------------------------------------

    def op(self, op_type: str, *inputs: str, outputs: int = 1, **attrs: Any) -> Any:
        """Add the node op_type(*inputs) with attributes; its output name (a tuple when outputs > 1).
        An input given as "" is an omitted optional input."""
        outs = tuple(self.fresh() for _ in range(outputs))
        clean = {k: (list(v) if isinstance(v, tuple) else v) for k, v in attrs.items() if v is not None}
        self.graph.nodes.append((op_type, tuple(inputs), outs, clean))
        self.graph.node_origin.append(self.origin)
        return outs[0] if outputs == 1 else outs

    def const(self, value: Any, dtype: Any = None) -> str:
        """A constant (number or array), in `dtype` (the result's dtype when None)."""
        arr = np.array(value, dtype=self.dtype if dtype is None else dtype)
        return self.constant(arr)

    def constant(self, arr: np.ndarray, name: str | None = None) -> str:
        """An initializer holding `arr` as given (a parameter passes its name)."""
        name = name if name is not None and name not in self.graph.constants else self.fresh("c")
        self.graph.constants[name] = np.array(arr, order="C")  # (ascontiguousarray would make a 0-d array 1-d)
        self.graph.constant_origin[name] = self.origin
        return name

    def ints(self, values: Sequence[int]) -> str:
        """An int64 vector constant (axes, shapes, starts)."""
        return self.const(np.asarray([int(v) for v in values], dtype=np.int64), np.int64)

    def index(self, arr: Any) -> str:
        """An integer index array: the graph input it is (an integer example input), else a constant."""
        name = self._int_inputs.get(id(arr))
        if name is not None:
            return name if np.asarray(arr).dtype == np.int64 else self.op("Cast", name, to=np.dtype(np.int64))
        a = np.asarray(arr)
        if a.dtype.kind == "b":
            raise ExportError(f"{self.origin}: a boolean mask index selects a data-dependent number of entries, "
                              f"which has no fixed ONNX shape; index with integer positions instead")
        return self.const(a.astype(np.int64), np.int64)

    def subgraph(self, tag: str) -> "Builder":
        """A builder for a subgraph (Scan's body), with value names of its own, writing as this one does."""
        sub = Builder(self._int_inputs, prefix=f"{self.prefix}{tag}_")
        sub.origin, sub.dtype, sub.module_name = self.origin, self.dtype, self.module_name
        return sub

    def shape(self, name: str) -> Shape:
        """The shape of a value (an input of the node being written) in this build."""
        return self._shapes[name][0]

    def varies(self, name: str) -> tuple[bool, ...]:
        """For each dim of a value: True when it changes with the dynamic axes."""
        this, other = self._shapes[name]
        return tuple(a != b for a, b in zip(this, other))

    def sizes(self, name: str) -> list[tuple[int, int]]:
        """For each dim of a value: its size in this build and in the other one."""
        this, other = self._shapes[name]
        return list(zip(this, other))

    @property
    def out_sizes(self) -> list[tuple[int, int]]:
        """For each dim of the result: its size in this build and in the other one."""
        return list(zip(self.out_shape, self._out_other))

    def dtype_of(self, name: str) -> np.dtype:
        """The dtype of a value."""
        return self._dtypes[name]

    @property
    def out_varies(self) -> tuple[bool, ...]:
        """For each dim of the result: True when it changes with the dynamic axes."""
        return tuple(a != b for a, b in zip(self.out_shape, self._out_other))

    def dim(self, name: str, axis: int) -> str:
        """Dim `axis` of value `name`, as a 1-element int64 tensor read at run time (Shape, Gather)."""
        if name not in self._shape_of:
            self._shape_of[name] = self.op("Shape", name)
        return self.op("Gather", self._shape_of[name], self.ints([axis]), axis=0)

    def _find_dim(self, pair: tuple[int, int]) -> str | None:
        """A run-time dim equal to `pair` (its sizes in both builds): first among the node's inputs,
        then among every value declared so far (graph inputs first)."""
        for pool in (self._current_inputs, list(self._shapes)):
            for name in pool:
                if name not in self._shapes:
                    continue
                this, other = self._shapes[name]
                for ax, p in enumerate(zip(this, other)):
                    if p == pair and p[0] != p[1]:
                        return self.dim(name, ax)
        return None

    def shape_tensor(self, *, infer: bool = False, ones_where: Sequence[bool] = ()) -> str:
        """The result's shape as an int64 tensor: fixed dims as constants, dynamic ones read at run
        time from a value with the same dim; with `infer` one unmatched dynamic dim becomes -1
        (Reshape). `ones_where[i]` puts 1 at dim i (Expand: the input already has that dim)."""
        parts: list[str] = []
        fixed: list[int] = []
        inferred = False
        for i, (this, other) in enumerate(zip(self.out_shape, self._out_other)):
            if (i < len(ones_where) and ones_where[i]) or this == other:
                fixed.append(1 if i < len(ones_where) and ones_where[i] else this)
                continue
            found = self._find_dim((this, other))
            if found is None and infer and not inferred:
                inferred = True
                fixed.append(-1)
                continue
            if found is None:
                raise ExportError(f"{self.origin}: result dim {i} (size {this}) changes with the dynamic axes, and "
                                  f"no input has a dim of the same sizes to read it from")
            if fixed:
                parts.append(self.ints(fixed))
                fixed = []
            parts.append(found)
        if fixed:
            parts.append(self.ints(fixed))
        if not parts:
            return self.ints([])
        return parts[0] if len(parts) == 1 else self.op("Concat", *parts, axis=0)
