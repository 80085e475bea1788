"""Dot products in a traced Value program, found so that a batched replay computes them as matrix
products: a chain  top = base + w_1 x_1 + ... + w_K x_K  (adds of parameter-times-value terms, as
a scalar neuron sums its inputs), and groups of chains over the same x_1..x_K (a layer's neurons).

For a group of J chains over K values, with W the J x K weights and X the K x n batch of values:
forward  D = W X  (top_j = base_j + D_j);  backward, with G the J x n gradients of the tops,
dW = G Xᵀ (already summed over the batch), dX = Wᵀ G, and each base gets its top's gradient.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..ops import elementwise as E

#: The fewest terms a chain needs to be replayed as part of a matrix product.
MIN_TERMS = 2


@dataclass
class DotChain:
    """top = base + sum_k weights[k] * xs[k] (node indices; base -1 when the chain starts with a
    term, w_1 x_1 + ...); `inner` holds the adds below top and the products: nothing else uses
    them, so a fused replay never computes them."""

    top: int
    base: int
    weights: list[int]
    xs: tuple[int, ...]
    inner: set[int] = field(default_factory=set)


@dataclass
class DotGroup:
    """Chains over the same values xs, in the order the program made them."""

    xs: tuple[int, ...]
    chains: list[DotChain]


def find_dot_groups(nodes: Sequence[Any], is_weight: Callable[[int], bool]) -> list[DotGroup]:
    """The dot-product chains among `nodes` (a topological order), grouped by their values.

    A term is a product of a weight (is_weight(i): a parameter leaf) and any node, used once. A
    chain link is an add of the chain below it and a term; the chain below must itself be used
    only by that add. The chain's base is where the links stop (or none, when they stop at a
    term). Chains with fewer than MIN_TERMS terms are left alone.
    """
    index = {id(n): i for i, n in enumerate(nodes)}
    uses = [0] * len(nodes)
    for node in nodes:
        for p in node.parents:
            uses[index[id(p)]] += 1

    def term(i: int) -> tuple[int, int] | None:
        """(weight, value) when node i is a once-used product of a weight and a value."""
        node = nodes[i]
        if node.op is not E.MUL or uses[i] != 1:
            return None
        a, b = (index[id(p)] for p in node.parents)
        if is_weight(a):
            return a, b
        if is_weight(b):
            return b, a
        return None

    def link(i: int) -> tuple[int, int, tuple[int, int]] | None:
        """(rest, term node, (weight, value)) when node i adds a term to the rest of a chain."""
        node = nodes[i]
        if node.op is not E.ADD:
            return None
        a, b = (index[id(p)] for p in node.parents)
        for rest, t in ((a, b), (b, a)):
            found = term(t)
            if found is not None:
                return rest, t, found
        return None

    claimed: set[int] = set()
    groups: dict[tuple[int, ...], DotGroup] = {}
    for top in range(len(nodes) - 1, -1, -1):
        if top in claimed:
            continue
        found = link(top)
        if found is None:
            continue
        chain = DotChain(top=top, base=-1, weights=[], xs=())
        xs: list[int] = []
        cur: int = top
        while found is not None:
            rest, t, (w, x) = found
            chain.inner.add(t)
            if cur != top:
                chain.inner.add(cur)
            chain.weights.append(w)
            xs.append(x)
            cur = rest
            found = link(cur) if uses[cur] == 1 else None
        first = term(cur)
        if first is not None:  # w_1 x_1 + w_2 x_2 + ...: the chain starts with a term, no base
            chain.inner.add(cur)
            chain.weights.append(first[0])
            xs.append(first[1])
            cur = -1
        if len(xs) < MIN_TERMS:
            continue
        chain.base = cur
        chain.weights.reverse()
        chain.xs = tuple(reversed(xs))
        claimed |= chain.inner
        groups.setdefault(chain.xs, DotGroup(chain.xs, [])).chains.append(chain)
    for group in groups.values():
        group.chains.sort(key=lambda c: c.top)
    return sorted(groups.values(), key=lambda g: g.chains[0].top)
