"""The graph node shared by Value and Tensor: data, grad, ordered parents and the op that made it."""
from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count()


_MANY = object()  # marks `_a` as holding a tuple of three or more parents


def new_id() -> int:
    """Draw the next node id. Ids only grow, so every node made after this call has a larger id
    (nn uses this to know which nodes a module's forward created)."""
    return next(_ids)


class Node:
    """One recorded result. Parents are an ordered tuple (x*x has two edges); ids are counters.

    `op` is the table entry that produced the node (None for a leaf) and `kwargs` its static
    settings (axis, shape, ...). `_freed` marks a graph whose backward already ran without
    retain_graph.
    """

    __slots__ = ("data", "grad", "_a", "_b", "op", "kwargs", "requires_grad", "label", "id", "_freed")

    data: Any
    grad: Any
    label: str | None

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
        if b is _MANY:
            return a
        return (a, b)

    def _link(self, parents: tuple["Node", ...]) -> None:
        """Record the parents of a node being made (only then: a parent must be older than its
        child, which is what lets the engine sort by id)."""
        n = len(parents)
        if n == 0:
            self._a, self._b = None, None
        elif n == 1:
            self._a, self._b = parents[0], None
        elif n == 2:
            self._a, self._b = parents
        else:
            self._a, self._b = tuple(parents), _MANY

    def __setstate__(self, state: Any) -> None:
        """Restore a copied or unpickled node under a fresh id: two live nodes never share one,
        and a copy's parents (restored first) stay older than it."""
        slots = state[1] if isinstance(state, tuple) else state
        for name, value in slots.items():
            object.__setattr__(self, name, value)
        self.id = next(_ids)

    def _init_leaf(self, data: Any, grad: Any, requires_grad: bool, label: str | None) -> None:
        """Fill every slot of a new leaf (no parents, no op)."""
        self.data = data
        self.grad = grad
        self._a = None
        self._b = None
        self.op = None
        self.kwargs = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self.id = next(_ids)
        self._freed = False

    @property
    def op_name(self) -> str | None:
        """Name of the op that produced this node, or None for a leaf."""
        return None if self.op is None else self.op.name

    @property
    def is_leaf(self) -> bool:
        """A leaf has no recorded parents (an input, a parameter or a constant)."""
        return self._a is None

    def backward(self, grad: Any = None, *, retain_graph: bool = False, create_graph: bool = False) -> None:
        """Accumulate d(self)/d(node) into `.grad` of every node that requires grad.

        A non-scalar node needs `grad` (the vector in the vector-Jacobian product).
        """
        from .engine import backward

        backward(self, grad, retain_graph=retain_graph, create_graph=create_graph)

    def zero_grad(self) -> None:
        """Reset this node's gradient (0.0 for a Value, None for a Tensor)."""
        self.grad = self._zero_grad_value()

    def _zero_grad_value(self) -> Any:
        raise NotImplementedError

    def detach(self) -> "Node":
        """A new leaf sharing this node's data, cut from the graph (requires_grad=False)."""
        raise NotImplementedError
