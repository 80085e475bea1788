"""The graph node shared by Value and Tensor: data, grad, ordered parents, the op that made it,
and the hooks each node kind gives the engine."""
from __future__ import annotations

import copy
from abc import abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Sequence

if TYPE_CHECKING:
    from .grad_mode import RecordingState, Scope
    from ..ops.table import Op

MANY: Any = object()   # in `_b`: `_a` holds a tuple of three or more parents
FREED: Any = object()  # in `_g`: the graph behind this node was freed by a backward pass
PENDING: Any = object()  # in `_g` during a backward pass: reached, no gradient summed yet


class NodeExtras:
    """A node's rarely set facts, together in its `_meta` slot once it has settings or a label
    (until then `_meta` holds just the recording state it was made in: most nodes have neither,
    so they cost no object)."""

    __slots__ = ("state", "kwargs", "label", "versions", "inplace")

    def __init__(self, state: "RecordingState | None", kwargs: dict[str, Any] | None, label: str | None) -> None:
        self.state = state
        self.kwargs = kwargs
        self.label = label
        self.versions: tuple[int, ...] | None = None  # see versions.remember: set only when one is not 0
        self.inplace: str | None = None  # the in-place op that made the node ("mul_"), see tensor/inplace.py


class Node:
    """One recorded result. Parents are an ordered tuple (x*x has two edges).

    `op` is the table entry that produced the node (None for a leaf) and `kwargs` its static
    settings (axis, shape, ...). `scope` is the module scope the node was recorded in (a
    per-thread context, see grad_mode.recording_scope). `_g` is engine-private: the gradient
    being summed during a backward pass, None between passes, or FREED once a pass without
    retain_graph has consumed the graph; `_n` too: during a pass, the number of its children
    that have not yet passed their gradient on (unset until the first pass reaches the node).
    """

    __slots__ = ("data", "grad", "_a", "_b", "op", "requires_grad", "_meta", "_g", "_n", "__weakref__")

    data: Any
    grad: Any
    _a: Any
    _b: Any
    op: "Op | None"
    requires_grad: bool
    _meta: "RecordingState | NodeExtras | None"
    _g: Any
    _n: int

    #: Tensor tracks shapes (gradients are summed back over broadcast axes); Value does not.
    shape_tracked: ClassVar[bool]
    #: The class an op on this kind of node returns (Tensor for a Parameter, Value for a ScalarParameter).
    _result_type: ClassVar[type["Node"]]

    def __init_subclass__(cls, *, node_kind: bool = False, **kwargs: Any) -> None:
        """`class Tensor(Node, node_kind=True)`: ops on Tensor (and on its subclasses) make Tensors."""
        super().__init_subclass__(**kwargs)
        if node_kind:
            cls._result_type = cls

    # ---- the hooks a node kind gives the engine and the op dispatcher -----------------------------

    @classmethod
    @abstractmethod
    def _make(cls, data: Any, parents: tuple["Node", ...], op: "Op | None", kwargs: dict | None,
              requires_grad: bool) -> "Node":
        """A new node holding `data`, recorded as op(*parents) (a leaf when op is None)."""

    @classmethod
    @abstractmethod
    def _constant(cls, x: Any, like: "Node", op_name: str) -> "Node":
        """x (a number or array) as a constant leaf of this kind, shaped and typed like `like`."""

    @classmethod
    def _leaf(cls, data: Any) -> "Node":
        """`data` as it is (any dtype, not copied) in a new leaf of this kind that records nothing: how the
        shared methods make results that carry no gradient (indices, masks, integer casts, comparisons)."""
        return cls._make(data, (), None, None, False)

    @classmethod
    def _promote(cls, nodes: list["Node"]) -> list["Node"]:
        """The inputs of a many-input op brought to one dtype (a node kind with dtypes overrides this)."""
        return nodes

    @staticmethod
    @abstractmethod
    def _run_forward(op: "Op", raws: list[Any], kwargs: dict[str, Any]) -> Any:
        """op's forward on raw data (float for Value, ndarray for Tensor), errors naming the op."""

    @staticmethod
    @abstractmethod
    def _op1(op: "Op", a: Any) -> Any:
        """Record the one-input op(a)."""

    @staticmethod
    @abstractmethod
    def _op2(op: "Op", a: Any, b: Any) -> Any:
        """Record the two-input op(a, b); either side may be a number."""

    @abstractmethod
    def _ones_like(self) -> Any:
        """d(self)/d(self) as raw data: the seed of backward."""

    @abstractmethod
    def _coerce_grad(self, grad: Any) -> Any:
        """A caller's grad= for backward, as raw data of this node's shape and dtype (or a node)."""

    @abstractmethod
    def _zeros_like(self, as_node: bool) -> Any:
        """A zero gradient for this node: raw data, or a constant node when as_node."""

    @abstractmethod
    def _zero_grad_value(self) -> Any:
        """What `.grad` holds before any backward (0.0 for a Value, None for a Tensor)."""

    @abstractmethod
    def _accumulate_grad(self, g: Any) -> None:
        """`.grad += g`, in the leaf's own dtype, never aliasing an array someone else holds."""

    # ---- structure -------------------------------------------------------------------------------

    @property
    def parents(self) -> tuple["Node", ...]:
        """The inputs of the op that made this node, in argument order (() for a leaf).

        Stored unpacked (one or two slots, a tuple only for three or more) so that recording
        an op allocates one garbage-collected object, not two.
        """
        a = self._a
        if a is None:
            return ()
        b = self._b
        if b is None:
            return (a,)
        if b is MANY:
            return tuple(a)
        return (a, b)

    def _link(self, parents: Sequence["Node"]) -> None:
        """Record the parents of a node being made (only then: a parent always exists before its
        child, so the graph has no cycles)."""
        n = len(parents)
        if n == 0:
            self._a, self._b = None, None
        elif n == 1:
            self._a, self._b = parents[0], None
        elif n == 2:
            self._a, self._b = parents[0], parents[1]
        else:
            self._a, self._b = tuple(parents), MANY

    def _init_leaf(self, data: Any, grad: Any, requires_grad: bool, label: str | None) -> None:
        """Fill every slot of a new leaf (no parents, no op), stamped with the current scope."""
        from .grad_mode import current_state

        self.data = data
        self.grad = grad
        self._a = None
        self._b = None
        self.op = None
        self.requires_grad = bool(requires_grad)
        state = current_state()
        self._meta = state if label is None else NodeExtras(state, None, label)
        self._g = None

    # ---- the rarely set facts, kept in one slot (`_meta`: the state, or a NodeExtras) ------------

    def _state(self) -> "RecordingState | None":
        """The recording state the node was made in (None for a constant made by an operator)."""
        m = self._meta
        return m.state if m.__class__ is NodeExtras else m  # type: ignore[return-value]

    @property
    def scope(self) -> "Scope | None":
        """The module scope the node was recorded in (None outside any module call)."""
        state = self._state()
        return None if state is None else state.scope

    @property
    def epoch(self) -> int:
        """When the node was made, coarsely: the epoch of its recording state (0 if it has none).
        A node of a larger epoch was made later; see grad_mode.RecordingState."""
        state = self._state()
        return 0 if state is None else state.epoch

    @property
    def kwargs(self) -> dict[str, Any] | None:
        """The op's static settings (axis, shape, ...), or None."""
        m = self._meta
        return m.kwargs if m.__class__ is NodeExtras else None

    @kwargs.setter
    def kwargs(self, value: dict[str, Any] | None) -> None:
        if value is not None or self._meta.__class__ is NodeExtras:
            self._extras().kwargs = value

    @property
    def label(self) -> str | None:
        """A name to show for the node (pictures, repr), or None."""
        m = self._meta
        return m.label if m.__class__ is NodeExtras else None

    @label.setter
    def label(self, value: str | None) -> None:
        if value is not None or self._meta.__class__ is NodeExtras:
            self._extras().label = value

    def _extras(self) -> "NodeExtras":
        m = self._meta
        if m.__class__ is not NodeExtras:
            m = self._meta = NodeExtras(m, None, None)  # type: ignore[arg-type]
        return m

    @property
    def id(self) -> int:
        """A key for this node, unique among the nodes alive (Python's id of the object)."""
        return id(self)

    @property
    def op_name(self) -> str | None:
        """Name of the op that produced this node, or None for a leaf."""
        return None if self.op is None else self.op.name

    @property
    def grad_fn(self) -> Any:
        """PyTorch's grad_fn: None for a leaf, else the node's backward function (grad_fn.py)."""
        from .grad_fn import grad_fn_of

        return grad_fn_of(self)

    @property
    def inplace_name(self) -> str | None:
        """The in-place op that made this node ("mul_" for x.mul_(y), "index_put_" for x[i] = v), else None."""
        m = self._meta
        return m.inplace if m.__class__ is NodeExtras else None

    @property
    def is_leaf(self) -> bool:
        """A leaf has no recorded parents (an input, a parameter or a constant)."""
        return self._a is None

    # ---- backward, gradients -----------------------------------------------------------------------

    def backward(self, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False) -> None:
        """Accumulate d(self)/d(node) into `.grad` of every node that requires grad.

        A non-scalar node needs `grad` (the vector in the vector-Jacobian product).
        """
        from ..engine.backward import backward

        backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def zero_grad(self) -> None:
        """Reset this node's gradient (0.0 for a Value, None for a Tensor)."""
        self.grad = self._zero_grad_value()

    def detach(self) -> "Node":
        """A new leaf sharing this node's data, cut from the graph (requires_grad=False)."""
        return type(self)._result_type._make(self.data, (), None, None, False)

    # ---- copies: data, requires_grad and label travel; the graph never does ------------------------

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle (and copy.copy) a node as a fresh leaf with its data, requires_grad and label;
        its graph is dropped (a graph holds code, and a copy must not alias the original's)."""
        return _rebuild_leaf, (type(self), self.data, self.requires_grad, self.label)

    def __deepcopy__(self, memo: dict[int, Any]) -> "Node":
        """A leaf deep-copies to a new leaf (data, grad, requires_grad, label; a fresh id). A node
        made by an op raises, as in PyTorch: its graph cannot be copied meaningfully."""
        if self._a is not None:
            raise RuntimeError(f"deepcopy: only leaf {type(self).__name__}s (made by the user, not by "
                               f"an op) can be deep-copied; this one was made by "
                               f"{self.op_name!r}. Deep-copy node.detach() to copy its data.")
        new = _rebuild_leaf(type(self), copy.deepcopy(self.data, memo), self.requires_grad, self.label)
        new.grad = copy.deepcopy(self.grad, memo)
        memo[id(self)] = new
        return new


def _rebuild_leaf(cls: type[Node], data: Any, requires_grad: bool, label: str | None) -> Node:
    """A leaf of class `cls` (Value, Tensor, Parameter, ...) under a fresh id."""
    node = object.__new__(cls)
    node._init_leaf(data, None, requires_grad, label)
    node.grad = node._zero_grad_value()
    return node
