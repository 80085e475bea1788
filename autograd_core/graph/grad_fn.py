"""`tensor.grad_fn`: PyTorch's view of the recorded graph, one object per node made by an op.

`y.grad_fn.name()` is "MulBackward0" for y = a * b (the op's table name in CamelCase, or a custom
Function's class name + "Backward"), and `next_functions` pairs each input with its own grad_fn,
an AccumulateGrad for a leaf that requires grad, or None for a constant, as in PyTorch.
"""
from __future__ import annotations

from typing import Any


class _OfNode:
    """A backward-graph object standing for one node: equal, and hashing alike, for the same node."""

    __slots__ = ("node",)

    def __init__(self, node: Any) -> None:
        self.node = node

    def name(self) -> str:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.node is self.node

    def __hash__(self) -> int:
        return id(self.node)

    def __repr__(self) -> str:
        return f"<{self.name().rsplit('::', 1)[-1]} object at {id(self.node):#x}>"


class AccumulateGrad(_OfNode):
    """The end of a path: adds the gradient into a leaf's `.grad` (`variable` is that leaf)."""

    __slots__ = ()

    @property
    def variable(self) -> Any:
        return self.node

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()


class GradFn(_OfNode):
    """The backward function of one recorded node (compares equal for the same node)."""

    __slots__ = ()

    def name(self) -> str:
        """'MulBackward0' for mul, 'MyFunctionBackward' for a custom autograd.Function."""
        op = self.node.op
        function = getattr(op, "function", None)
        if function is not None:
            return f"{function.__name__}Backward"
        return "".join(part.capitalize() for part in op.name.split("_")) + "Backward0"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """(grad_fn of each input, 0), in argument order: AccumulateGrad for a leaf that requires grad,
        None for an input that does not."""
        return tuple((grad_fn_of(p) if p._a is not None else (AccumulateGrad(p) if p.requires_grad else None), 0)
                     for p in self.node.parents)


def grad_fn_of(node: Any) -> GradFn | None:
    """The node's GradFn, or None for a leaf."""
    return None if node._a is None else GradFn(node)
