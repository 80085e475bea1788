"""Find the parameters a step function touches: Tensors that require grad, reached through its closure,
the globals it names, or the object it is bound to (Modules via .parameters(), optimizers via param_groups)."""
from __future__ import annotations

import types
from typing import Any, Callable, Iterable

from ..tensor import Tensor


def _names(code: types.CodeType) -> Iterable[str]:
    yield from code.co_names
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _names(const)


def _roots(fn: Callable[..., Any]) -> list[Any]:
    """Objects the function can reach directly."""
    out: list[Any] = []
    bound = getattr(fn, "__self__", None)
    if bound is not None:
        out.append(bound)
        out.extend(getattr(bound, "__dict__", {}).values())
        fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is None:  # a callable object (e.g. a Module): its attributes
        out.append(fn)
        out.extend(getattr(fn, "__dict__", {}).values())
        return out
    for cell in fn.__closure__ or ():
        try:
            out.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    glb = fn.__globals__
    out.extend(glb[n] for n in _names(code) if n in glb)
    return out


def _params_of(obj: Any, depth: int) -> Iterable[Tensor]:
    if isinstance(obj, types.FunctionType) and depth > 0:  # a helper the step calls: what it reaches
        for root in _roots(obj):
            if not isinstance(root, types.ModuleType):
                yield from _params_of(root, depth - 1)
        return
    if isinstance(obj, Tensor):
        if obj.requires_grad and obj.is_leaf:
            yield obj
        return
    groups = getattr(obj, "param_groups", None)
    if isinstance(groups, list):
        for g in groups:
            yield from (p for p in g.get("params", ()) if isinstance(p, Tensor))
        return
    params = getattr(obj, "parameters", None)
    if callable(params) and not isinstance(obj, type) and hasattr(obj, "named_parameters"):
        yield from (p for p in params() if isinstance(p, Tensor))
        return
    if depth > 0 and isinstance(obj, (list, tuple)):
        for v in obj:
            yield from _params_of(v, depth - 1)
    elif depth > 0 and isinstance(obj, dict):
        for v in obj.values():
            yield from _params_of(v, depth - 1)


def discover_params(fn: Callable[..., Any], extra: Iterable[Any] = ()) -> list[Tensor]:
    """Parameters reachable from fn (and from `extra` objects), each once, in discovery order."""
    seen: set[int] = set()
    out: list[Tensor] = []
    for root in list(extra) + _roots(fn):
        for p in _params_of(root, 2):
            if id(p) not in seen:
                seen.add(id(p))
                out.append(p)
    return out
