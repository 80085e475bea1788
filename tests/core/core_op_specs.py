"""Per-op input specs: for every entry of autograd_core.OPS, how to draw valid inputs and kwargs.

Every op in the table must have a spec here (test_op_table fails otherwise), so a new op cannot
skip gradient checking. A spec lists Tensor cases and, for ops with a scalar implementation,
Value cases. Each input draws from a named domain that keeps finite differences honest:

- "real":      uniform in [-2, 2]
- "positive":  uniform in [0.2, 2]          (log, sqrt, pow base, ...)
- "nonzero":   +-uniform in [0.2, 2]        (away from the kink of relu/abs/step, divisors)
- "zeros":     like "nonzero" but with exact zeros at flat positions 0, 4, 5 (prod's hard case)
- "small":     uniform in [-0.8, 0.8]       (tan away from its poles, log1p away from -1)
- "lattice0/1/2": distinct points of the grid k/20 + offset (offsets 0, 0.006, 0.013), so no
  two elements of one input and no two inputs tie (max/min must not sit on a tie for central
  differences with eps = 1e-6).

A `Const` argument is fixed data that is not differentiated (e.g. the integer exponent in
x ** 3 with a negative base).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

LATTICE_OFFSETS = {"lattice0": 0.0, "lattice1": 0.006, "lattice2": 0.013}
LATTICE_STEP = 0.05
ZERO_POSITIONS = (0, 4, 5)  # "zeros": in a (3, 4) input, row 0 has one zero and row 1 two
LATTICE_RANGE = 40  # grid points k in [-40, 40] -> values in [-2, 2]


@dataclass(frozen=True)
class In:
    """A differentiable input of the given shape (() is a scalar) drawn from `domain`."""

    shape: tuple[int, ...]
    domain: str = "real"


@dataclass(frozen=True)
class Const:
    """Fixed, non-differentiated data passed to the op as is."""

    value: Any


@dataclass(frozen=True)
class Case:
    """One way to call an op: positional args (In or Const) and static kwargs."""

    label: str
    args: tuple[In | Const, ...]
    kwargs: dict = field(default_factory=dict)

    @property
    def inputs(self) -> list[In]:
        return [a for a in self.args if isinstance(a, In)]


@dataclass(frozen=True)
class OpSpec:
    """Cases for Tensor inputs and (ops with a scalar forward) for Value inputs."""

    tensor: tuple[Case, ...]
    value: tuple[Case, ...] = ()


# ---- drawing inputs --------------------------------------------------------------------------


def draw(spec: In, rng: np.random.Generator) -> np.ndarray:
    """Random float64 data of spec.shape from spec.domain."""
    size = int(np.prod(spec.shape)) if spec.shape else 1
    if spec.domain == "real":
        flat = rng.uniform(-2.0, 2.0, size)
    elif spec.domain == "positive":
        flat = rng.uniform(0.2, 2.0, size)
    elif spec.domain == "nonzero":
        flat = rng.uniform(0.2, 2.0, size) * rng.choice([-1.0, 1.0], size)
    elif spec.domain == "zeros":
        flat = rng.uniform(0.2, 2.0, size) * rng.choice([-1.0, 1.0], size)
        flat[[i for i in ZERO_POSITIONS if i < size]] = 0.0
    elif spec.domain == "small":
        flat = rng.uniform(-0.8, 0.8, size)
    elif spec.domain in LATTICE_OFFSETS:
        ks = rng.choice(np.arange(-LATTICE_RANGE, LATTICE_RANGE + 1), size, replace=False)
        flat = ks * LATTICE_STEP + LATTICE_OFFSETS[spec.domain]
    else:
        raise KeyError(f"unknown domain {spec.domain!r}")
    return flat.reshape(spec.shape)


def element_strategy(domain: str) -> st.SearchStrategy[float]:
    """Hypothesis floats over a domain (bounded, no NaN/inf)."""
    if domain == "real":
        return st.floats(-2.0, 2.0, allow_nan=False, allow_infinity=False)
    if domain == "positive":
        return st.floats(0.2, 2.0, allow_nan=False, allow_infinity=False)
    if domain == "small":
        return st.floats(-0.8, 0.8, allow_nan=False, allow_infinity=False)
    if domain == "zeros":
        return st.one_of(st.just(0.0), element_strategy("nonzero"))
    if domain == "nonzero":
        mag = st.floats(0.2, 2.0, allow_nan=False, allow_infinity=False)
        return st.tuples(st.sampled_from([-1.0, 1.0]), mag).map(lambda t: t[0] * t[1])
    if domain in LATTICE_OFFSETS:
        off = LATTICE_OFFSETS[domain]
        return st.integers(-LATTICE_RANGE, LATTICE_RANGE).map(lambda k: k * LATTICE_STEP + off)
    raise KeyError(f"unknown domain {domain!r}")


def array_strategy(spec: In) -> st.SearchStrategy[np.ndarray]:
    """Hypothesis arrays for one input (lattice domains give distinct elements)."""
    unique = spec.domain in LATTICE_OFFSETS
    return hnp.arrays(np.float64, spec.shape, elements=element_strategy(spec.domain), unique=unique)


def assemble(case: Case, drawn: list[Any]) -> list[Any]:
    """Full positional args: drawn data in the In slots, constants in the Const slots."""
    it = iter(drawn)
    return [next(it) if isinstance(a, In) else a.value for a in case.args]


# ---- case builders -------------------------------------------------------------------------


def _unary(domain: str = "real") -> OpSpec:
    return OpSpec(
        tensor=(Case("matrix", (In((3, 4), domain),)), Case("0-d", (In((), domain),))),
        value=(Case("value", (In((), domain),)),),
    )


def _binary(d1: str = "real", d2: str = "real") -> OpSpec:
    return OpSpec(
        tensor=(
            Case("same", (In((3, 4), d1), In((3, 4), d2))),
            Case("bcast (3,1)+(4,)", (In((3, 1), d1), In((4,), d2))),
            Case("bcast (4,)+(3,1)", (In((4,), d1), In((3, 1), d2))),
            Case("bcast ()+(2,3)", (In((), d1), In((2, 3), d2))),
            Case("bcast (2,1,3)+(4,1)", (In((2, 1, 3), d1), In((4, 1), d2))),
        ),
        value=(Case("value", (In((), d1), In((), d2))),),
    )


def _variadic(name_domains: tuple[str, str, str]) -> OpSpec:
    a, b, c = name_domains
    return OpSpec(
        tensor=(
            Case("binary same", (In((3, 4), a), In((3, 4), b))),
            Case("binary bcast (3,1)+(4,)", (In((3, 1), a), In((4,), b))),
            Case("ternary bcast", (In((3, 1), a), In((4,), b), In((3, 4), c))),
        ),
        value=(
            Case("binary", (In((), a), In((), b))),
            Case("ternary", (In((), a), In((), b), In((), c))),
        ),
    )


def _pow() -> OpSpec:
    spec = _binary("positive", "real")
    extra_t = (
        Case("negative base ** 3", (In((3, 4), "nonzero"), Const(3.0))),
        Case("base ** -2", (In((2, 3), "nonzero"), Const(-2.0))),
        Case("constant base ** x", (Const(2.5), In((3, 2), "real"))),
    )
    extra_v = (
        Case("negative base ** 3", (In((), "nonzero"), Const(3.0))),
        Case("base ** -2", (In((), "nonzero"), Const(-2.0))),
        Case("constant base ** x", (Const(2.5), In((), "real"))),
    )
    return OpSpec(tensor=spec.tensor + extra_t, value=spec.value + extra_v)


def _where() -> OpSpec:
    cond = np.array([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
    return OpSpec(
        tensor=(
            Case("same", (In((3, 4)), In((3, 4))), {"cond": cond}),
            Case("bcast (3,1)+(4,)", (In((3, 1)), In((4,))), {"cond": cond}),
            Case("cond bcast", (In((3, 4)), In((3, 4))), {"cond": np.array([True, False, False, True])}),
        ),
        value=(
            Case("true", (In(()), In(())), {"cond": True}),
            Case("false", (In(()), In(())), {"cond": False}),
        ),
    )


def _axis_cases(domain: str, axes: list[tuple[Any, bool]]) -> tuple[Case, ...]:
    return tuple(Case(f"axis={ax} keepdims={kd}", (In((3, 4, 2), domain),), {"axis": ax, "keepdims": kd})
                 for ax, kd in axes)


def _with_settings(domain: str, settings: list[dict]) -> OpSpec:
    """An elementwise op with static settings: Tensor and Value cases for each settings dict."""
    label = lambda kw: " ".join(f"{k}={v}" for k, v in kw.items())  # noqa: E731
    return OpSpec(
        tensor=tuple(Case(f"matrix {label(kw)}", (In((3, 4), domain),), kw) for kw in settings)
        + (Case("0-d", (In((), domain),), settings[0]),),
        value=tuple(Case(f"value {label(kw)}", (In((), domain),), kw) for kw in settings),
    )


def _statistic(domain: str) -> OpSpec:
    cases = [({"axis": None, "correction": 1, "keepdims": False}),
             ({"axis": 1, "correction": 0, "keepdims": False}),
             ({"axis": (0, 2), "correction": 1, "keepdims": True}),
             ({"axis": -1, "correction": 1, "keepdims": True})]
    return OpSpec(tensor=tuple(Case(" ".join(f"{k}={v}" for k, v in kw.items()), (In((3, 4, 2), domain),), kw)
                               for kw in cases))


REDUCE_AXES = [(None, False), (1, False), (-1, True), ((0, 2), True), ((0, 2), False)]

# ---- the table -------------------------------------------------------------------------------

SPECS: dict[str, OpSpec] = {
    "add": _binary(),
    "sub": _binary(),
    "mul": _binary(),
    "div": _binary("real", "nonzero"),
    "pow": _pow(),
    "identity": _unary(),
    "neg": _unary(),
    "exp": _unary(),
    "log": _unary("positive"),
    "sqrt": _unary("positive"),
    "abs": _unary("nonzero"),
    "sigmoid": _unary(),
    "tanh": _unary(),
    "relu": _unary("nonzero"),
    "step": _unary("nonzero"),
    "maximum": _variadic(("lattice0", "lattice1", "lattice2")),
    "minimum": _variadic(("lattice0", "lattice1", "lattice2")),
    "logaddexp": _variadic(("real", "real", "real")),
    "where": _where(),
    "sum_to": OpSpec(tensor=(
        Case("(2,3,4)->(3,1)", (In((2, 3, 4)),), {"shape": (3, 1)}),
        Case("(3,4)->(4,)", (In((3, 4)),), {"shape": (4,)}),
        Case("(3,4)->()", (In((3, 4)),), {"shape": ()}),
        Case("(3,4)->(1,4)", (In((3, 4)),), {"shape": (1, 4)}),
    )),
    "broadcast_to": OpSpec(tensor=(
        Case("(3,1)->(2,3,4)", (In((3, 1)),), {"shape": (2, 3, 4)}),
        Case("()->(2,2)", (In(()),), {"shape": (2, 2)}),
        Case("(4,)->(3,4)", (In((4,)),), {"shape": (3, 4)}),
    )),
    "reshape": OpSpec(tensor=(
        Case("(3,4)->(2,6)", (In((3, 4)),), {"shape": (2, 6)}),
        Case("(3,4)->(12,)", (In((3, 4)),), {"shape": (12,)}),
        Case("(2,3,2)->(3,1,4)", (In((2, 3, 2)),), {"shape": (3, 1, 4)}),
    )),
    "transpose": OpSpec(tensor=(
        Case("2-d", (In((3, 4)),), {"axes": (1, 0)}),
        Case("3-d (2,0,1)", (In((2, 3, 4)),), {"axes": (2, 0, 1)}),
    )),
    "getitem": OpSpec(tensor=(
        Case("slices", (In((4, 5)),), {"index": (slice(1, 3), slice(None, None, 2))}),
        Case("int array repeats", (In((4, 3)),), {"index": np.array([0, 2, 0, 0])}),
        Case("pair of int arrays", (In((3, 4)),), {"index": (np.array([0, 1, 1, 2]), np.array([3, 0, 0, 3]))}),
        Case("negative int", (In((3, 4)),), {"index": (-1, 2)}),
        Case("bool mask", (In((4,)),), {"index": np.array([True, False, True, True])}),
    )),
    "norm": OpSpec(tensor=(
        Case("all", (In((3, 4), "nonzero"),), {"axis": None, "keepdims": False, "p": 2.0}),
        Case("dim 1 keepdim", (In((3, 4), "nonzero"),), {"axis": 1, "keepdims": True, "p": 2.0}),
        Case("dims (0, 2)", (In((2, 3, 2), "nonzero"),), {"axis": (0, 2), "keepdims": False, "p": 2.0}),
        Case("p 1", (In((3, 4), "nonzero"),), {"axis": 1, "keepdims": False, "p": 1.0}),
        Case("p 3", (In((3, 4), "nonzero"),), {"axis": 0, "keepdims": True, "p": 3.0}),
        Case("p inf axis 0", (In((3, 4), "lattice1"),), {"axis": 0, "keepdims": True, "p": float("inf")}),
        Case("p -inf axis 1", (In((3, 4), "lattice1"),), {"axis": 1, "keepdims": False, "p": float("-inf")}),
        Case("p 0.5", (In((3, 4), "positive"),), {"axis": -1, "keepdims": False, "p": 0.5}),
    )),
    "index_put": OpSpec(tensor=(
        Case("row", (In((3, 4)), In((4,))), {"index": 1}),
        Case("broadcast value into a slice", (In((3, 4)), In((1,))), {"index": (slice(0, 2), slice(1, 3))}),
        Case("extra leading dim", (In((3, 4)), In((1, 4))), {"index": 2}),
        Case("int array", (In((4, 3)), In((2, 3))), {"index": np.array([3, 1])}),
        Case("bool mask", (In((4,)), In(())), {"index": np.array([True, False, True, True])}),
        Case("everything", (In((2, 3)), In((3,))), {"index": Ellipsis}),
    )),
    "index_add": OpSpec(tensor=(
        Case("int array repeats", (In((4, 3)),), {"index": np.array([0, 2, 0, 0]), "shape": (4, 3)}),
        Case("slice", (In((2, 3)),), {"index": (slice(1, 3),), "shape": (4, 3)}),
    )),
    "concatenate": OpSpec(tensor=(
        Case("axis 0", (In((2, 3)), In((1, 3))), {"axis": 0}),
        Case("axis -1 three", (In((2, 1)), In((2, 3)), In((2, 2))), {"axis": -1}),
    )),
    "stack": OpSpec(tensor=(
        Case("axis 0", (In((2, 3)), In((2, 3))), {"axis": 0}),
        Case("axis -1 three", (In((3,)), In((3,)), In((3,))), {"axis": -1}),
        Case("axis 1", (In((2, 3)), In((2, 3))), {"axis": 1}),
    )),
    "matmul": OpSpec(tensor=(
        Case("1-D @ 1-D", (In((4,)), In((4,)))),
        Case("2-D @ 2-D", (In((3, 4)), In((4, 2)))),
        Case("1-D @ 2-D", (In((4,)), In((4, 2)))),
        Case("2-D @ 1-D", (In((3, 4)), In((4,)))),
        Case("batched @ 2-D", (In((2, 3, 4)), In((4, 2)))),
        Case("broadcast batch", (In((2, 1, 3, 4)), In((3, 4, 2)))),
        Case("1-D @ batched", (In((4,)), In((2, 4, 3)))),
        Case("batched @ 1-D", (In((2, 3, 4)), In((4,)))),
    )),
    "linear": OpSpec(tensor=(
        Case("batch (3,4) W (2,4) b (2,)", (In((3, 4)), In((2, 4)), In((2,)))),
        Case("1-D x", (In((4,)), In((2, 4)), In((2,)))),
        Case("batched (2,3,4)", (In((2, 3, 4)), In((2, 4)), In((2,)))),
        Case("bias (1,)", (In((3, 4)), In((2, 4)), In((1,)))),
        Case("bias ()", (In((3, 4)), In((2, 4)), In(()))),
    )),
    "sum": OpSpec(tensor=_axis_cases("real", REDUCE_AXES)),
    "max": OpSpec(tensor=_axis_cases("lattice0", REDUCE_AXES)),
    "min": OpSpec(tensor=_axis_cases("lattice0", REDUCE_AXES)),
    "softmax": OpSpec(tensor=(
        Case("axis -1", (In((3, 4)),), {"axis": -1}),
        Case("axis 0", (In((3, 4)),), {"axis": 0}),
        Case("3-d axis 1", (In((2, 3, 2)),), {"axis": 1}),
    )),
    "rnn_tanh_step": OpSpec(tensor=(
        Case("batch 3, hidden 5 -> 4", (In((3, 4)), In((3, 5)), In((5, 4)))),
        Case("unbatched", (In((4,)), In((5,)), In((5, 4)))),
    )),
    "softmax_cross_entropy": OpSpec(tensor=(
        Case("(3,4) logits, (3,4) coefficients", (In((3, 4)), In((3, 4), "positive"))),
        Case("1-D", (In((5,)), In((5,), "positive"))),
    )),
    "log_softmax": OpSpec(tensor=(
        Case("axis -1", (In((3, 4)),), {"axis": -1}),
        Case("axis 0", (In((3, 4)),), {"axis": 0}),
        Case("3-d axis 1", (In((2, 3, 2)),), {"axis": 1}),
    )),
    "sin": _unary(),
    "cos": _unary(),
    "tan": _unary("small"),
    "log1p": _unary("small"),
    "expm1": _unary(),
    "erf": _unary(),
    "softplus": _with_settings("real", [{"beta": 1.0, "threshold": 20.0}, {"beta": 2.5, "threshold": 20.0}]),
    "gelu": _with_settings("real", [{"approximate": "none"}, {"approximate": "tanh"}]),
    "leaky_relu": _with_settings("nonzero", [{"negative_slope": 0.01}, {"negative_slope": 0.3}]),
    "elu": _with_settings("nonzero", [{"alpha": 1.0}, {"alpha": 0.5}]),
    "clamp": _with_settings("lattice0", [{"min": -0.51, "max": 0.73}, {"min": -0.26, "max": None},
                                         {"min": None, "max": 0.34}]),
    "var": _statistic("real"),
    "std": _statistic("lattice0"),  # distinct elements: std > 0 (at std = 0 the gradient is nan, as in torch)
    "prod": OpSpec(tensor=_axis_cases("nonzero", REDUCE_AXES) + (
        Case("zeros axis=1", (In((3, 4), "zeros"),), {"axis": 1, "keepdims": False}),
        Case("zeros axis=None", (In((3, 4), "zeros"),), {"axis": None, "keepdims": False}),
        Case("zeros axis=0 keepdims", (In((3, 4), "zeros"),), {"axis": 0, "keepdims": True}),
    )),
    "cumsum": OpSpec(tensor=(
        Case("axis 0", (In((3, 4)),), {"axis": 0}),
        Case("axis -1", (In((3, 4)),), {"axis": -1}),
        Case("3-d axis 1", (In((2, 3, 2)),), {"axis": 1}),
        Case("1-d", (In((5,)),), {"axis": 0}),
    )),
    "cast": OpSpec(tensor=(
        Case("to float64", (In((3, 4)),), {"dtype": "float64"}),
    )),
    "logsumexp": OpSpec(tensor=_axis_cases("real", [(-1, False), (None, False), ((0, 1), True), (1, True)])),
    "sinh": _unary(),
    "logsigmoid": _unary(),
    "cosh": _unary(),
    "asin": _unary("small"),
    "acos": _unary("small"),
    "atan": _unary(),
    "atan2": _binary("nonzero", "nonzero"),
    "log2": _unary("positive"),
    "log10": _unary("positive"),
    "reciprocal": _unary("nonzero"),
    "rsqrt": _unary("positive"),
    "floor": _unary("lattice2"),
    "ceil": _unary("lattice2"),
    "trunc": _unary("lattice2"),
    "round": _with_settings("lattice2", [{"decimals": 0}, {"decimals": 1}]),
    "sign": _unary("nonzero"),
    "floor_divide": _binary("lattice2", "positive"),
    "hardtanh": _with_settings("lattice1", [{"min_val": -0.51, "max_val": 0.73}, {"min_val": 0.0, "max_val": 6.0}]),
    "einsum": OpSpec(tensor=(
        Case("ij,jk->ik", (In((3, 4)), In((4, 2))), {"equation": "ij,jk->ik"}),
        Case("ii->i diagonal", (In((3, 3)),), {"equation": "ii->i"}),
        Case("i,j->ij outer", (In((3,)), In((4,))), {"equation": "i,j->ij"}),
        Case("ellipsis batch", (In((2, 3, 4)), In((2, 4, 2))), {"equation": "...ij,...jk->...ik"}),
        Case("ij-> sum", (In((3, 4)),), {"equation": "ij->"}),
        Case("implicit ij,jk", (In((3, 4)), In((4, 2))), {"equation": "ij,jk"}),
        Case("bij,bjk->bik three", (In((2, 3, 2)), In((2, 2, 3)), In((3,))), {"equation": "bij,bjk,k->bi"}),
    )),
}
