"""The graph node shared by Value and Tensor: data, grad, ordered parents and the op that made it."""
from __future__ import annotations

import itertools
from typing import Any

_ids = itertools.count()


class Node:
    """One recorded result. Parents are an ordered tuple (x*x has two edges); ids are counters.

    `op` is the table entry that produced the node (None for a leaf) and `kwargs` its static
    settings (axis, shape, ...). `_freed` marks a graph whose backward already ran without
    retain_graph.
    """

    __slots__ = ("data", "grad", "parents", "op", "kwargs", "requires_grad", "label", "id", "_freed")

    data: Any
    grad: Any
    parents: tuple["Node", ...]
    label: str | None

    @property
    def op_name(self) -> str | None:
        """Name of the op that produced this node, or None for a leaf."""
        return None if self.op is None else self.op.name

    @property
    def is_leaf(self) -> bool:
        """A leaf has no recorded parents (an input, a parameter or a constant)."""
        return not self.parents

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
