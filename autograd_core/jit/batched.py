"""Batched replay of a Value program: a per-sample loss written with scalar Values, traced once on one
sample, then evaluated over arrays with a leading batch axis, parameter gradients summed over the batch."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..graph.order import topological_order
from ..generated import run_source
from ..graph.grad_mode import no_grad
from ..graph.trace_hooks import TraceError
from ..ops.formula import RULE_NAMESPACE
from ..ops.table import pass_through
from ..value.value import Value
from .codegen import Namespace
from .names import LABEL, PATH, WEAK, argument_names
from .discover import find_paths
from .dots import DotChain, DotGroup, find_dot_groups

_REDUCTIONS = ("sum", "mean")


def _batch_total(g: Any, n: int) -> float:
    """sum over the batch of a per-sample quantity (a 0-d one is the same for every sample)."""
    return float(g.sum()) if np.ndim(g) else float(g) * n


def _rows(values: list[Any], n: int) -> np.ndarray:
    """Per-sample quantities as the rows of a len(values) x n array (a 0-d one fills its row)."""
    rows = np.empty((len(values), n))
    for k, v in enumerate(values):
        rows[k] = v
    return rows


def _batch_totals(gs: list[Any], n: int) -> list[float]:
    """Batch sums of many per-sample gradients at once (one reduction, not one per parameter)."""
    return _rows(gs, n).sum(axis=1).tolist()


def _weights(params: tuple[Any, ...], n_rows: int, n_cols: int) -> np.ndarray:
    """The parameters' current values as an n_rows x n_cols matrix (row-major order)."""
    return np.fromiter([p.data for p in params], float, len(params)).reshape(n_rows, n_cols)


class BatchedValueStep:
    """`f(X, *others)`: sum (or mean) over samples b of fn(X[b], *others[b]), a Value; its gradient
    is added to every parameter's `.grad`, as `total.backward()` on the eager sum would.
    Returns the total as a float. Arrays have the batch on axis 0; a row of shape (d,) reaches fn
    as a list of d Values, a scalar row as one Value."""

    def __init__(self, fn: Callable[..., Any], reduction: str = "sum") -> None:
        if reduction not in _REDUCTIONS:
            raise ValueError(f"compile(batched=True): reduction must be 'sum' or 'mean', got {reduction!r}")
        self.fn, self.reduction = fn, reduction
        self._key: Any = None
        self._run: Callable[..., float] | None = None
        self.source = ""
        self.traces = 0

    def __call__(self, *arrays: Any) -> float:
        if not arrays:
            raise TypeError("compile(batched=True): call it with the batch arrays, e.g. step(X, y)")
        arrs = [np.asarray(getattr(a, "data", a), dtype=np.float64) for a in arrays]
        n = arrs[0].shape[0] if arrs[0].ndim else 0
        for i, a in enumerate(arrs):
            if a.ndim not in (1, 2) or a.shape[0] != n or n == 0:
                raise ValueError(f"compile(batched=True): argument {i} has shape {a.shape}; expected a "
                                 f"batch of {n or 'at least 1'} samples on axis 0, each a number or a 1-D row")
        key = tuple(a.shape[1:] for a in arrs)
        if key != self._key or self._run is None:
            self._run, self.source = _trace(self.fn, arrs)
            self._key = key
            self.traces += 1
            return self._checked(arrs, n)
        return self._run(n, self.reduction == "mean", *[a.T if a.ndim == 2 else a for a in arrs])

    def _checked(self, arrs: list[np.ndarray], n: int) -> float:
        """The first call after a trace: the replay's total must equal the eager per-sample function
        summed over this batch, else the function read a value into Python (a comparison, float(),
        an `if` on a Value) and its trace on sample 0 is not every sample's program."""
        with no_grad():
            expected = sum(float(self.fn(*_sample_values(arrs, b)[0]).data) for b in range(n))
        if self.reduction == "mean":
            expected /= n
        args, inputs = _sample_values(arrs, 0)
        given = {id(v) for v, _, _ in inputs}
        params = [v for v in topological_order(self.fn(*args)) if v.requires_grad and not v.parents and id(v) not in given]
        saved = [(p, p.grad) for p in params]
        run = self._run
        assert run is not None
        total = run(n, self.reduction == "mean", *[a.T if a.ndim == 2 else a for a in arrs])
        if not np.isclose(total, expected, rtol=1e-9, atol=1e-12, equal_nan=True):
            for p, g in saved:
                p.grad = g
            self._run = None
            raise TraceError(f"compile(batched=True): the per-sample function is not the same program for every "
                             f"sample (replayed total {total!r}, eager total {expected!r}): it reads a Value into "
                             f"Python (a comparison, float(), an `if` on a Value, a target taken as a float), so "
                             f"sample 0's decisions were frozen; write it with Value operations only")
        return total


def _sample_values(arrs: list[np.ndarray], b: int = 0) -> tuple[list[Any], list[tuple[Value, int, int]]]:
    """Values for sample b of each array, and (value, array index, column) for each of them."""
    args: list[Any] = []
    inputs: list[tuple[Value, int, int]] = []
    for k, a in enumerate(arrs):
        if a.ndim == 1:
            v = Value(float(a[b]), requires_grad=True)
            args.append(v)
            inputs.append((v, k, -1))
        else:
            row = [Value(float(x), requires_grad=True) for x in a[b]]
            args.append(row)
            inputs.extend((v, k, j) for j, v in enumerate(row))
    return args, inputs


def _trace(fn: Callable[..., Any], arrs: list[np.ndarray]) -> tuple[Callable[..., float], str]:
    args, inputs = _sample_values(arrs)
    out = fn(*args)
    if not isinstance(out, Value):
        raise TypeError(f"compile(batched=True): the per-sample function must return a Value, got "
                        f"{type(out).__name__}")
    nodes = topological_order(out)
    index = {id(n): i for i, n in enumerate(nodes)}
    if not _needs_grad(nodes, {id(v): (k, j) for v, k, j in inputs}, index)[-1]:
        raise ValueError("compile(batched=True): the per-sample loss depends on no parameter (no Value "
                         "with requires_grad=True)")
    names = argument_names(fn, len(arrs), ())
    given = {id(v) for v, _, _ in inputs}
    paths = find_paths(fn, {id(n) for n in nodes if not n.parents and n.requires_grad and id(n) not in given})
    return _Program(nodes, {id(v): (k, j) for v, k, j in inputs}, names, paths).build()  # type: ignore[arg-type]


def _needs_grad(nodes: list[Any], inputs: dict[int, Any], index: dict[int, int]) -> list[bool]:
    """Per node: whether it depends on a parameter. The sample's inputs are traced with
    requires_grad (so operations on them alone are recorded, not folded into constants of sample
    0), but they need no gradient."""
    out: list[bool] = []
    for n in nodes:
        if not n.parents:
            out.append(n.requires_grad and id(n) not in inputs)
        else:
            out.append(any(out[index[id(p)]] for p in n.parents))
    return out


class _Program:
    """Generated source: forward over the batch, backward by the op table's rules, sums into .grad."""

    def __init__(self, nodes: list[Value], inputs: dict[int, tuple[int, int]], arg_names: list[str],
                 paths: dict[int, str]) -> None:
        self.nodes, self.inputs, self.paths = nodes, inputs, paths
        self.index = {id(n): i for i, n in enumerate(nodes)}
        self.rg = _needs_grad(nodes, inputs, self.index)
        self.ns = Namespace()
        self.ns.ns.update(_total=_batch_total, _totals=_batch_totals, _rows=_rows, _weights=_weights)
        self.args = [self.ns.argument(n) for n in arg_names]  # the per-sample function's parameter names
        self.n, self.mean = self.ns.local("n"), self.ns.local("mean")
        self.total, self.sums, self.rule_out = self.ns.local("total"), self.ns.local("sums"), self.ns.local("grads")
        self._vars: dict[tuple[str, int], str] = {}
        self.lines: list[str] = []
        # Dot products (a neuron's sum of weights times inputs) replay as one matrix product per
        # group of chains over the same inputs; the adds and products inside a chain are skipped.
        self.groups = find_dot_groups(nodes, self._is_weight)
        self.skip: set[int] = set().union(*(c.inner for g in self.groups for c in g.chains))
        self.chain_at: dict[int, tuple[int, int, DotChain]] = {
            c.top: (k, j, c) for k, g in enumerate(self.groups) for j, c in enumerate(g.chains)}
        self.weight_grads: dict[int, list[str]] = {}  # parameter -> its batch totals from groups
        self.read = self._values_read()

    def _values_read(self) -> set[int]:
        """The nodes whose values the replay reads (a weight used only inside chains is not)."""
        read: set[int] = {len(self.nodes) - 1}
        for g in self.groups:
            read.update(g.xs)
        for i, node in enumerate(self.nodes):
            if i in self.chain_at:
                read.add(self.chain_at[i][2].base)  # -1 (no base) is harmless here
            elif i not in self.skip:
                read.update(self.index[id(p)] for p in node.parents)
        return read

    def v(self, i: int) -> str:
        """The variable holding node i's value over the batch: named after its op (`mul_5`), an
        input (`x_0` for column 0 of x), a parameter (its label) or a constant."""
        key = ("v", i)
        if key not in self._vars:
            node = self.nodes[i]
            if node.op is not None:
                self._vars[key] = self.ns.local(node.op.name, i)
            elif id(node) in self.inputs:
                k, j = self.inputs[id(node)]
                arg = self.args[k]
                self._vars[key] = arg if j < 0 else self.ns.names.new(lambda: f"{self.ns.names.base(arg)}_{j}", LABEL)
            elif self.rg[i]:
                obj = self._param(i)
                self._vars[key] = self.ns.names.new(lambda: self.ns.names.base(obj), LABEL)
            else:  # a constant: its own name (ONE, HALF, CONST_0_3)
                self._vars[key] = self.ns.render(float(node.data))
        return self._vars[key]

    def g(self, i: int) -> str:
        """The variable holding the gradient of node i's value: grad_<its variable's name>."""
        key = ("g", i)
        if key not in self._vars:
            value = self.v(i)
            self._vars[key] = self.ns.names.new(lambda: "grad_" + self.ns.names.final(value), LABEL)
        return self._vars[key]

    def group_var(self, what: str, k: int) -> str:
        """A variable of dot group k: inputs (X), weights (W), dots (D = W X), dot_grads (G),
        grad_weights (dW = G Xᵀ), grad_inputs (dX = Wᵀ G)."""
        key = (what, k)
        if key not in self._vars:
            self._vars[key] = self.ns.local(what, k)
        return self._vars[key]

    def _param(self, i: int) -> str:
        """The name of parameter node i: its label, else where the function reads it (`layer[0].w[1]`
        reads `layer_0_w_1_value`, its value `layer_0_w_1`), else param_<i>."""
        path = self.paths.get(id(self.nodes[i]))
        return self.ns.name(self.nodes[i], path or f"param_{i}", PATH if path else WEAK)

    def _is_weight(self, i: int) -> bool:
        node = self.nodes[i]
        return node.op is None and self.rg[i] and id(node) not in self.inputs

    def build(self) -> tuple[Callable[..., float], str]:
        params = self._forward()
        self._backward(params)
        n_in = 1 + max(k for k, _ in self.inputs.values())
        src, scope = self.ns.resolve(f"def run({self.n}, {self.mean}, {', '.join(self.args[:n_in])}):\n"
                                     + "".join(f"    {line}\n" for line in self.lines))
        return run_source(src, "compiled batched Value step", scope)["run"], src

    def _call_args(self, node: Value) -> tuple[str, str]:
        """The source of a node's op call arguments: its inputs' variables ("x_0, param_3") and its
        settings (", axis=0"), which forward and backward calls share."""
        inputs = ", ".join(self.v(self.index[id(p)]) for p in node.parents)
        kw = "".join(f", {k}={self.ns.render(v)}" for k, v in (node.kwargs or {}).items())
        return inputs, kw

    def _forward(self) -> list[int]:
        params = []
        for i, node in enumerate(self.nodes):
            if i in self.skip:
                continue
            if i in self.chain_at:
                self._forward_chain(i)
                continue
            if node.op is None:
                if id(node) in self.inputs:
                    k, j = self.inputs[id(node)]
                    if j >= 0:  # a scalar input is its argument's variable itself
                        self.lines.append(f"{self.v(i)} = {self.args[k]}[{j}]")
                elif self.rg[i]:
                    params.append(i)
                    if i in self.read:
                        self.lines.append(f"{self.v(i)} = {self._param(i)}.data")
                continue
            inputs, kw = self._call_args(node)
            self.lines.append(f"{self.v(i)} = {self.ns.name(node.op.forward, node.op.name)}({inputs}{kw})")
        last = len(self.nodes) - 1
        self.lines.append(f"{self.total} = _total({self.v(last)}, {self.n})")
        return params

    def _forward_chain(self, top: int) -> None:
        """top_j = base_j + (W X)_j; the group's product is made at its first chain's top."""
        k, j, chain = self.chain_at[top]
        group = self.groups[k]
        X, W, D = (self.group_var(w, k) for w in ("inputs", "weights", "dots"))
        if j == 0:
            weights = tuple(self.nodes[w] for c in group.chains for w in c.weights)
            xs = ", ".join(self.v(x) for x in group.xs)
            params = self.ns.name(weights, f"weights_{k}_params", PATH)
            self.lines += [f"{X} = _rows([{xs}], {self.n})",
                           f"{W} = _weights({params}, {len(group.chains)}, {len(group.xs)})",
                           f"{D} = {W} @ {X}"]
        base = f"{self.v(chain.base)} + " if chain.base >= 0 else ""
        self.lines.append(f"{self.v(top)} = {base}{D}[{j}]")

    def _backward_chain(self, top: int, has: set[int]) -> None:
        """The base gets top's gradient; once every top of the group has its gradient (at the
        first chain's top, which backward reaches last), dX = Wᵀ G and dW = G Xᵀ."""
        k, j, chain = self.chain_at[top]
        if top in has and chain.base >= 0 and self.rg[chain.base]:
            self._add_grad(chain.base, self.g(top), has)
        if j != 0:
            return
        group: DotGroup = self.groups[k]
        if not any(c.top in has for c in group.chains):
            return
        X, W, G, dW, dX = (self.group_var(w, k) for w in ("inputs", "weights", "dot_grads", "grad_weights",
                                                           "grad_inputs"))
        gs = ", ".join(self.g(c.top) if c.top in has else "0.0" for c in group.chains)
        self.lines += [f"{G} = _rows([{gs}], {self.n})", f"{dW} = ({G} @ {X}.T).tolist()"]
        if any(self.rg[x] for x in group.xs):
            self.lines.append(f"{dX} = {W}.T @ {G}")
        for col, x in enumerate(group.xs):
            if self.rg[x]:
                self._add_grad(x, f"{dX}[{col}]", has)
        for row, c in enumerate(group.chains):
            for col, w in enumerate(c.weights):
                self.weight_grads.setdefault(w, []).append(f"{dW}[{row}][{col}]")

    def _add_grad(self, j: int, expr: str, has: set[int]) -> None:
        g = self.g(j)
        self.lines.append(f"{g} = {g} + {expr}" if j in has else f"{g} = {expr}")
        has.add(j)

    def _rule_call(self, op: Any, k: int, i: int, inputs: str, kw: str) -> str:
        """Source for input k's gradient at node i: a rule call, or g itself for a pass-through rule."""
        if op.vjp_all is not None:
            return f"{self.rule_out}[{k}]"
        if op.vjp_variadic is not None:
            return f"{self.ns.name(op.vjp_variadic, f'{op.name}_grad')}({k}, {self.g(i)}, {self.v(i)}, {inputs}{kw})"
        rule = op.vjps[k]
        if rule is pass_through:
            return self.g(i)
        formula = op.formulas[k] if op.formulas else None
        if formula is not None and not kw:  # the op's formula, written out on this node's variables
            names = dict(zip(("g", "out", *formula.inputs), (self.g(i), self.v(i), *inputs.replace(" ", "").split(","))))
            return "(" + formula.text_with(names, lambda f: self.ns.name(RULE_NAMESPACE[f], f)) + ")"
        return f"{self.ns.name(rule, f'{op.name}_grad{k}')}({self.g(i)}, {self.v(i)}, {inputs}{kw})"

    def _backward(self, params: list[int]) -> None:
        last = len(self.nodes) - 1
        self.lines.append(f"{self.g(last)} = (1.0 / {self.n}) if {self.mean} else 1.0")
        has = {last}
        for i in range(last, -1, -1):
            node = self.nodes[i]
            if i in self.chain_at:
                self._backward_chain(i, has)
                continue
            if node.op is None or not self.rg[i] or i not in has:
                continue
            op, parents = node.op, node.parents
            inputs, kw = self._call_args(node)
            if op.vjp_all is not None:
                rule = self.ns.name(op.vjp_all, f"{op.name}_grads")
                self.lines.append(f"{self.rule_out} = {rule}({self.g(i)}, {self.v(i)}, {inputs}{kw})")
            for k, p in enumerate(parents):
                if not self.rg[self.index[id(p)]] or not op.differentiable(k):
                    continue
                self._add_grad(self.index[id(p)], self._rule_call(op, k, i, inputs, kw), has)
        used = [i for i in params if i in has]
        if used:
            self.lines.append(f"{self.sums} = _totals([{', '.join(self.g(i) for i in used)}], {self.n})")
        totals = {i: [f"{self.sums}[{k}]"] for k, i in enumerate(used)}
        for i, parts in self.weight_grads.items():
            totals.setdefault(i, []).extend(parts)
        for i, parts in totals.items():
            name = self._param(i)
            self.lines.append(f"{name}.grad = {name}.grad + {' + '.join(parts)}")
        self.lines.append(f"return {self.total} / {self.n} if {self.mean} else {self.total}")
