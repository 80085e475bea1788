"""The recorded graph as a list of items in dependency order: inputs, parameters, constants, ops and whole module calls."""
from __future__ import annotations

from typing import Any

from ..graph.node import Node


def flatten(value: Any) -> list[Any]:
    """The leaves of nested tuples, lists and dicts (dict values in key order of insertion)."""
    out: list[Any] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (tuple, list)):
            stack.extend(reversed(v))
        elif isinstance(v, dict):
            stack.extend(reversed(list(v.values())))
        else:
            out.append(v)
    return out


def rebuild(value: Any, leaves: Any) -> Any:
    """`value`'s nesting with its leaves replaced, in order, from the iterator `leaves`."""
    if isinstance(value, (tuple, list)):
        return type(value)(rebuild(v, leaves) for v in value)
    if isinstance(value, dict):
        return {k: rebuild(v, leaves) for k, v in value.items()}
    return next(leaves)


class Item:
    """One entry of the export: kind is "input" (index k), "param", "const", "op" or "call" (a module
    call written whole: `call` = (module, args, kwargs, result)); `deps` the nodes it reads, `outs`
    the nodes it makes."""

    __slots__ = ("kind", "node", "k", "call", "deps", "outs")

    def __init__(self, kind: str, node: Any, deps: list[Any], outs: list[Any], k: int = -1, call: Any = None) -> None:
        self.kind, self.node, self.deps, self.outs, self.k, self.call = kind, node, deps, outs, k, call

    def same_kind(self, other: "Item") -> bool:
        """Whether the other build recorded the same thing here (the same op, the same module, input)."""
        if self.kind != other.kind or len(self.deps) != len(other.deps) or len(self.outs) != len(other.outs):
            return False
        if self.kind == "op":
            return self.node.op is other.node.op
        if self.kind == "call":
            return self.call[0] is other.call[0]
        if self.kind == "param":
            return self.node is other.node
        return self.k == other.k


def _call_outputs(calls: list[Any]) -> dict[int, int]:
    """id(node) -> index of the (outermost, so latest) call that returned it, inputs excluded."""
    out: dict[int, int] = {}
    for i, (_module, args, kwargs, result) in enumerate(calls):
        ins = {id(n) for n in flatten((args, kwargs)) if isinstance(n, Node)}
        for n in flatten(result):
            if isinstance(n, Node) and id(n) not in ins:
                out[id(n)] = i
    return out


def items_of(outputs: list[Any], inputs: list[Any], calls: list[Any]) -> list[Item]:
    """Every item the outputs depend on, each after the items it reads (an iterative depth-first
    walk over parents in argument order, so two graphs of one structure give the same list)."""
    input_k = {id(n): k for k, n in enumerate(inputs) if isinstance(n, Node)}
    call_of = _call_outputs(calls)
    done: dict[int, Item] = {}
    items: list[Item] = []
    stack: list[tuple[Any, bool]] = [(o, False) for o in reversed(outputs)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        item = _item_for(node, input_k, call_of, calls)
        if not expanded:
            stack.append((node, True))
            stack.extend((d, False) for d in reversed(item.deps) if id(d) not in done)
            continue
        for n in item.outs:
            done[id(n)] = item
        items.append(item)
    return items


def _item_for(node: Node, input_k: dict[int, int], call_of: dict[int, int], calls: list[Any]) -> Item:
    if id(node) in input_k:
        return Item("input", node, [], [node], k=input_k[id(node)])
    if id(node) in call_of:
        call = calls[call_of[id(node)]]
        deps = [n for n in flatten((call[1], call[2])) if isinstance(n, Node)]
        ins = {id(n) for n in deps}
        outs = [n for n in flatten(call[3]) if isinstance(n, Node) and id(n) not in ins]
        return Item("call", node, deps, outs, call=call)
    if node.op is None:
        return Item("param" if node.requires_grad else "const", node, [], [node])
    return Item("op", node, list(node.parents), [node])
