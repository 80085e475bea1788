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
    term). Chains with fewer than MIN_TERMS terms are left alone. Chains are read from the last
    node down, so a chain is found from its top and its inner nodes are not read again.
    """
    chains = _Chains(nodes, is_weight)
    claimed: set[int] = set()
    groups: dict[tuple[int, ...], DotGroup] = {}
    for top in range(len(nodes) - 1, -1, -1):
        chain = None if top in claimed else chains.from_top(top)
        if chain is None:
            continue
        claimed |= chain.inner
        groups.setdefault(chain.xs, DotGroup(chain.xs, [])).chains.append(chain)
    for group in groups.values():
        group.chains.sort(key=lambda c: c.top)
    return sorted(groups.values(), key=lambda g: g.chains[0].top)


class _Chains:
    """Terms, links and whole chains of a topological order (with how often each node is used)."""

    def __init__(self, nodes: Sequence[Any], is_weight: Callable[[int], bool]) -> None:
        self.nodes, self.is_weight = nodes, is_weight
        self.index = {id(n): i for i, n in enumerate(nodes)}
        self.uses = [0] * len(nodes)
        for node in nodes:
            for p in node.parents:
                self.uses[self.index[id(p)]] += 1

    def _operands(self, i: int) -> tuple[int, int]:
        a, b = (self.index[id(p)] for p in self.nodes[i].parents)
        return a, b

    def term(self, i: int) -> tuple[int, int] | None:
        """(weight, value) when node i is a once-used product of a weight and a value."""
        if self.nodes[i].op is not E.MUL or self.uses[i] != 1:
            return None
        a, b = self._operands(i)
        if self.is_weight(a):
            return a, b
        if self.is_weight(b):
            return b, a
        return None

    def link(self, i: int) -> tuple[int, int, tuple[int, int]] | None:
        """(rest, term node, (weight, value)) when node i adds a term to the rest of a chain."""
        if self.nodes[i].op is not E.ADD:
            return None
        a, b = self._operands(i)
        for rest, t in ((a, b), (b, a)):
            found = self.term(t)
            if found is not None:
                return rest, t, found
        return None

    def from_top(self, top: int) -> DotChain | None:
        """The chain whose top add is `top`: links followed down while the rest below is used only
        by its add; None when it has fewer than MIN_TERMS terms."""
        found = self.link(top)
        if found is None:
            return None
        chain = DotChain(top=top, base=-1, weights=[], xs=())
        xs: list[int] = []
        cur = top
        while found is not None:
            rest, t, (w, x) = found
            chain.inner.add(t)
            if cur != top:
                chain.inner.add(cur)
            chain.weights.append(w)
            xs.append(x)
            cur = rest
            found = self.link(cur) if self.uses[cur] == 1 else None
        first = self.term(cur)
        if first is not None:  # w_1 x_1 + w_2 x_2 + ...: the chain starts with a term, no base
            chain.inner.add(cur)
            chain.weights.append(first[0])
            xs.append(first[1])
            cur = -1
        if len(xs) < MIN_TERMS:
            return None
        chain.base = cur
        chain.weights.reverse()
        chain.xs = tuple(reversed(xs))
        return chain
