"""torch.autograd for `import autograd_core as torch`: grad, backward, Function, Variable, gradcheck.

`grad` and `backward` take PyTorch's arguments (outputs and inputs as tensors or sequences of them)
and return Tensors; `gradcheck` and `gradgradcheck` take PyTorch's (func, inputs) and check, in
float64, the inputs that require grad (the others are held constant).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .engine.backward import backward as _backward, run_backward
from .function import Function, FunctionCtx, Variable
from .engine.gradcheck import GradcheckError, gradcheck as _gradcheck, gradgradcheck as _gradgradcheck
from .graph.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .graph.node import Node
from .tensor.tensor import Tensor


def _as_list(x: Any) -> tuple[list[Any], bool]:
    """(items, whether x was one item)."""
    if isinstance(x, (list, tuple)):
        return list(x), False
    return [x], True


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, allow_unused: bool = False, materialize_grads: bool = False) -> tuple[Any, ...]:
    """d(sum of outputs weighted by grad_outputs)/d(input) for each input, as a tuple of Tensors
    (nodes of the graph with create_graph=True); `.grad` is left alone (torch.autograd.grad)."""
    outs, _ = _as_list(outputs)
    ins, _ = _as_list(inputs)
    gos = _as_list(grad_outputs)[0] if grad_outputs is not None else [None] * len(outs)
    if len(gos) != len(outs):
        raise RuntimeError(f"grad: got {len(gos)} grad_outputs for {len(outs)} outputs")
    for k, x in enumerate(ins):
        if not isinstance(x, Node) or not x.requires_grad:
            raise RuntimeError(f"grad: input {k} does not require grad (One of the differentiated Tensors does "
                               f"not require grad)")
    totals: list[Any] = [None] * len(ins)
    keep_graph = create_graph if retain_graph is None else retain_graph
    for k, (out, go) in enumerate(zip(outs, gos)):
        if not isinstance(out, Node) or not out.requires_grad:
            raise RuntimeError(f"grad: element {k} of outputs does not require grad and does not have a grad_fn")
        keep: dict[int, Any] = {id(x): None for x in ins}
        run_backward(out, go, retain_graph=keep_graph or create_graph or k < len(outs) - 1,
                     create_graph=create_graph, keep=keep)
        for i, x in enumerate(ins):
            g = keep[id(x)]
            if g is not None:
                totals[i] = g if totals[i] is None else totals[i] + g
    result = []
    for i, (x, g) in enumerate(zip(ins, totals)):
        if g is None:
            if materialize_grads:
                g = np.zeros_like(x.data)
            elif not allow_unused:
                raise RuntimeError(f"grad: input {i}: One of the differentiated Tensors appears to not have been "
                                   f"used in the graph. Set allow_unused=True if this is the desired behavior.")
        result.append(g if g is None or isinstance(g, Node) else Tensor._leaf(np.asarray(g)))
    return tuple(result)


def backward(tensors: Any, grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False) -> None:
    """Accumulate into `.grad` the gradients of every tensor given (torch.autograd.backward)."""
    outs, _ = _as_list(tensors)
    gos = _as_list(grad_tensors)[0] if grad_tensors is not None else [None] * len(outs)
    for k, (out, go) in enumerate(zip(outs, gos)):
        _backward(out, go, retain_graph=bool(retain_graph) or k < len(outs) - 1, create_graph=create_graph)


def _checked(func: Callable[..., Any], inputs: Any) -> tuple[Callable[..., Any], list[np.ndarray]]:
    """func over the inputs that require grad (given as new nodes), the others held fixed; their data."""
    items, _ = _as_list(inputs)
    varying = [k for k, x in enumerate(items) if isinstance(x, Node) and x.requires_grad]
    if not varying:
        raise ValueError("gradcheck: no input requires grad (pass tensors made with requires_grad=True)")

    def f(*nodes: Any) -> Any:
        args = list(items)
        for k, node in zip(varying, nodes):
            args[k] = node
        out = func(*args)
        return out[0] if isinstance(out, tuple) and len(out) == 1 else out

    return f, [np.asarray(items[k].data, dtype=np.float64) for k in varying]


def gradcheck(func: Callable[..., Any], inputs: Any, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
              raise_exception: bool = True, **ignored: Any) -> bool:
    """torch.autograd.gradcheck: analytic against central-difference gradients, in float64."""
    return _check(_gradcheck, func, inputs, raise_exception, eps=eps, atol=atol, rtol=rtol)


def gradgradcheck(func: Callable[..., Any], inputs: Any, grad_outputs: Sequence[Any] | None = None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
                  **ignored: Any) -> bool:
    """torch.autograd.gradgradcheck: second derivatives (a random direction), in float64."""
    return _check(_gradgradcheck, func, inputs, raise_exception, eps=eps, atol=atol, rtol=rtol)


def _check(check: Callable[..., bool], func: Callable[..., Any], inputs: Any, raise_exception: bool,
           **tolerances: float) -> bool:
    """check (gradcheck or gradgradcheck on arrays) of func over its inputs that require grad; False instead
    of the GradcheckError when not raise_exception."""
    f, arrays = _checked(func, inputs)
    try:
        return check(f, *arrays, **tolerances)
    except GradcheckError:
        if raise_exception:
            raise
        return False


__all__ = ["Function", "FunctionCtx", "Variable", "backward", "enable_grad", "grad", "gradcheck", "gradgradcheck",
           "is_grad_enabled", "no_grad", "set_grad_enabled"]
