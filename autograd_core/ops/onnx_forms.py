"""The ONNX forms of the op-table entries that take more than one ONNX node (the entries name them in `onnx=`).

Each form is `form(b, *inputs, **settings) -> name`, written against the exporter's builder `b`
(autograd_core/onnx/builder.py); nothing here imports onnx. The math is the entry's own: each
form computes what the entry's numpy forward computes (max-shifts, thresholds and all).
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

B = Any  # the builder (autograd_core.onnx.builder.Builder); typed loosely so ops never import it
INT64_MAX = int(np.iinfo(np.int64).max)
INT64_MIN = int(np.iinfo(np.int64).min)


def _axes(axis: Any, ndim: int) -> list[int] | None:
    """Reduced axes as sorted non-negative ints, or None for every axis."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return sorted(int(a) % max(ndim, 1) for a in axes)


def _reduce(b: B, kind: str, x: str, axes: list[int] | None, keepdims: bool) -> str:
    """ONNX Reduce<kind> over `axes` (all for None; axes are an input since opset 18)."""
    if axes is None:
        return b.op(kind, x, keepdims=int(keepdims))
    if not axes:
        return b.op("Identity", x)
    return b.op(kind, x, b.ints(axes), keepdims=int(keepdims))


def reduction(kind: str) -> Callable[..., str]:
    """The form of sum, max, min, prod: ONNX ReduceSum, ReduceMax, ReduceMin, ReduceProd."""
    def form(b: B, x: str, *, axis: Any, keepdims: bool) -> str:
        return _reduce(b, kind, x, _axes(axis, len(b.shape(x))), keepdims)
    return form


def _not_finite(b: B, x: str) -> str:
    return b.op("Or", b.op("IsInf", x), b.op("IsNaN", x))


def _finite_shift(b: B, m: str) -> str:
    """m where finite, else 0 (the entries' `_shift`)."""
    return b.op("Where", _not_finite(b, m), b.const(0.0), m)


def logsumexp(b: B, x: str, *, axis: Any, keepdims: bool) -> str:
    """m + log sum exp(x - m) with m the (finite) max: exact for large |x|."""
    axes = _axes(axis, len(b.shape(x)))
    m = _finite_shift(b, _reduce(b, "ReduceMax", x, axes, True))
    out = b.op("Add", m, b.op("Log", _reduce(b, "ReduceSum", b.op("Exp", b.op("Sub", x, m)), axes, True)))
    if keepdims:
        return out
    every = list(range(len(b.shape(x)))) if axes is None else axes
    return b.op("Squeeze", out, b.ints(every)) if every else out


def logaddexp(b: B, *xs: str) -> str:
    """m + log sum_i exp(x_i - m), m the elementwise max; an infinite m is the answer itself."""
    m = b.op("Max", *xs) if len(xs) > 1 else xs[0]
    bad = _not_finite(b, m)
    safe = b.op("Where", bad, b.const(0.0), m)
    total = b.op("Sum", *[b.op("Exp", b.op("Sub", x, safe)) for x in xs])
    return b.op("Where", bad, m, b.op("Add", safe, b.op("Log", total)))


def step(b: B, x: str) -> str:
    """1 where x > 0, else 0."""
    return b.op("Cast", b.op("Greater", x, b.const(0.0)), to=b.dtype)


def softplus(b: B, x: str, *, beta: float, threshold: float) -> str:
    """(max(bx, 0) + log(1 + e^-|bx|)) / beta, and x itself where bx > threshold."""
    bx = b.op("Mul", x, b.const(beta))
    tail = b.op("Log", b.op("Add", b.const(1.0), b.op("Exp", b.op("Neg", b.op("Abs", bx)))))
    soft = b.op("Div", b.op("Add", b.op("Relu", bx), tail), b.const(beta))
    return b.op("Where", b.op("Greater", bx, b.const(threshold)), x, soft)


_ERF_TERMS = 100  # the series below reaches double precision for |x| <= 6 with this many terms
_ERF_COEFS = np.cumprod(np.r_[1.0, 1.0 / np.arange(3.0, 2.0 * _ERF_TERMS, 2.0)])  # 1 / (2n+1)!!


def erf(b: B, x: str) -> str:
    """erf x. ONNX's Erf in float32; in float64 the series erf x = 2/sqrt(pi) x e^(-x^2) sum_n (2x^2)^n / (2n+1)!!
    (A&S 7.1.6: positive terms, so no cancellation), as onnxruntime has no float64 Erf and its float32
    one would lose the precision. |x| > 6 gives +-1 (erf 6 = 1 - 2e-17)."""
    if b.dtype != np.float64:
        return b.op("Erf", x)
    xc = b.op("Clip", x, b.const(-6.0), b.const(6.0))
    sq = b.op("Mul", xc, xc)
    powers = b.op("Pow", b.op("Unsqueeze", b.op("Mul", b.const(2.0), sq), b.ints([-1])),
                  b.const(np.arange(_ERF_TERMS, dtype=np.float64)))
    series = b.op("MatMul", powers, b.const(_ERF_COEFS))
    scale = b.op("Mul", b.op("Mul", b.const(2.0 / math.sqrt(math.pi)), xc), b.op("Exp", b.op("Neg", sq)))
    return b.op("Mul", scale, series)


def tan(b: B, x: str) -> str:
    """tan x (sin x / cos x in float64, which onnxruntime's Tan does not take)."""
    return b.op("Tan", x) if b.dtype != np.float64 else b.op("Div", b.op("Sin", x), b.op("Cos", x))


def leaky_relu(b: B, x: str, *, negative_slope: float) -> str:
    """x where x > 0, else slope x (the slope a constant of x's dtype: ONNX's attribute is float32)."""
    return b.op("Where", b.op("Greater", x, b.const(0.0)), x, b.op("Mul", x, b.const(negative_slope)))


def elu(b: B, x: str, *, alpha: float) -> str:
    """x where x > 0, else alpha (e^x - 1) (alpha a constant of x's dtype: ONNX's attribute is float32)."""
    neg = b.op("Mul", b.const(alpha), b.op("Sub", b.op("Exp", b.op("Min", x, b.const(0.0))), b.const(1.0)))
    return b.op("Where", b.op("Greater", x, b.const(0.0)), x, neg)


def gelu(b: B, x: str, *, approximate: str) -> str:
    """x Phi(x) = x (1 + erf(x / sqrt 2)) / 2, or with tanh(K (x + C x^3)) in place of erf."""
    if approximate == "tanh":
        cube = b.op("Mul", b.op("Mul", x, x), x)
        inner = b.op("Mul", b.const(math.sqrt(2.0 / math.pi)), b.op("Add", x, b.op("Mul", b.const(0.044715), cube)))
        phi = b.op("Tanh", inner)
    else:
        phi = erf(b, b.op("Mul", x, b.const(1.0 / math.sqrt(2.0))))
    return b.op("Mul", b.op("Mul", b.const(0.5), x), b.op("Add", b.const(1.0), phi))


def clamp(b: B, x: str, *, min: Any, max: Any) -> str:  # noqa: A002 - the entry's names
    """Clip(x, min, max), an absent bound omitted."""
    return b.op("Clip", x, "" if min is None else b.const(min), "" if max is None else b.const(max))


def hardtanh(b: B, x: str, *, min_val: float, max_val: float) -> str:
    """Clip(x, min_val, max_val) (the entry's check keeps min_val <= max_val)."""
    return b.op("Clip", x, b.const(min_val), b.const(max_val))


def log2(b: B, x: str) -> str:
    """ln x / ln 2."""
    return b.op("Div", b.op("Log", x), b.const(math.log(2.0)))


def log10(b: B, x: str) -> str:
    """ln x / ln 10."""
    return b.op("Div", b.op("Log", x), b.const(math.log(10.0)))


def rsqrt(b: B, x: str) -> str:
    """1 / sqrt(x), as the entry's forward computes it."""
    return b.op("Reciprocal", b.op("Sqrt", x))


def _count(b: B, x: str, axes: list[int] | None) -> str:
    """The number of entries each reduced slice holds, as a scalar of the result's dtype (read at run
    time when a reduced dim is dynamic)."""
    dims = list(range(len(b.shape(x)))) if axes is None else axes
    if not any(b.varies(x)[a] for a in dims):
        return b.const(float(np.prod([b.shape(x)[a] for a in dims])))
    sizes = b.op("Gather", b.op("Shape", x), b.ints(dims), axis=0)
    return b.op("Cast", b.op("ReduceProd", sizes, keepdims=0), to=b.dtype)


def variance(root: bool) -> Callable[..., str]:
    """var (root=False) or std: sum (x - mean)^2 / (N - correction), mean and sum over `axis`."""
    def form(b: B, x: str, *, axis: Any, correction: float, keepdims: bool) -> str:
        axes = _axes(axis, len(b.shape(x)))
        d = b.op("Sub", x, _reduce(b, "ReduceMean", x, axes, True))
        dof = b.op("Sub", _count(b, x, axes), b.const(float(correction)))
        var = b.op("Div", _reduce(b, "ReduceSum", b.op("Mul", d, d), axes, keepdims), dof)
        return b.op("Sqrt", var) if root else var
    return form


def cumsum(b: B, x: str, *, axis: int) -> str:
    """Running sum along `axis` (a 0-d input is its own sum)."""
    if not b.shape(x):
        return b.op("Identity", x)
    return b.op("CumSum", x, b.const(np.int64(axis), np.int64))


def linear(b: B, x: str, w: str, bias: str) -> str:
    """x W^T + b: Gemm for a matrix x, MatMul and Add otherwise."""
    if len(b.shape(x)) == 2:
        return b.op("Gemm", x, w, bias, transB=1)
    return b.op("Add", b.op("MatMul", x, b.op("Transpose", w, perm=[1, 0])), bias)


def softmax_cross_entropy(b: B, x: str, coef: str) -> str:
    """-sum(coef * log_softmax(x, -1))."""
    return b.op("Neg", b.op("ReduceSum", b.op("Mul", coef, b.op("LogSoftmax", x, axis=-1)), keepdims=0))


def rnn_tanh_step(b: B, xp: str, h: str, whh_t: str) -> str:
    """tanh(xp + h @ W_hh^T)."""
    return b.op("Tanh", b.op("Add", xp, b.op("MatMul", h, whh_t)))


# ---- shapes ------------------------------------------------------------------------------------


def reshape(b: B, x: str, *, shape: Any) -> str:
    """Reshape to the result's shape; dims that change with the dynamic axes are read at run time
    (or left to Reshape's -1 when one cannot be read)."""
    if not any(b.out_varies):
        return b.op("Reshape", x, b.ints(b.out_shape), allowzero=1 if 0 in b.out_shape else None)
    return b.op("Reshape", x, b.shape_tensor(infer=True))


def broadcast_to(b: B, x: str, *, shape: Any) -> str:
    """Expand to the result's shape (1 where the input already has the dim, so a dynamic dim it
    carries needs no reading)."""
    sizes, out = b.sizes(x), b.out_sizes
    lead = len(out) - len(sizes)
    same = [i >= lead and sizes[i - lead] == out[i] for i in range(len(out))]
    return b.op("Expand", x, b.shape_tensor(ones_where=same))


def sum_to(b: B, x: str, *, shape: Any) -> str:
    """Sum over the leading dims broadcasting added and the dims it stretched from 1."""
    sizes = b.sizes(x)
    lead = len(sizes) - len(shape)
    axes = list(range(lead)) + [i + lead for i, s in enumerate(shape) if s == 1 and sizes[i + lead] != (1, 1)]
    out = _reduce(b, "ReduceSum", x, axes, True)
    return b.op("Squeeze", out, b.ints(range(lead))) if lead else out


def transpose(b: B, x: str, *, axes: Any) -> str:
    nd = len(b.shape(x))
    return b.op("Transpose", x, perm=[int(a) % max(nd, 1) for a in axes])


def stack(b: B, *xs: str, axis: int) -> str:
    """Concat of the inputs, each given a new dim at `axis`."""
    a = int(axis) % (len(b.shape(xs[0])) + 1)
    return b.op("Concat", *[b.op("Unsqueeze", x, b.ints([a])) for x in xs], axis=a)


def where(b: B, x: str, y: str, *, cond: Any) -> str:
    """x where cond else y (cond is constant data)."""
    return b.op("Where", b.const(np.asarray(cond).astype(bool), bool), x, y)


# ---- indexing ----------------------------------------------------------------------------------


def _is_int(p: Any) -> bool:
    return isinstance(p, (int, np.integer)) and not isinstance(p, (bool, np.bool_))


def _open_grid_axis(parts: list[Any], nd: int) -> int | None:
    """For tensor.gather's index (np.indices' open grids on every axis but one, which holds the
    picked positions), that axis; else None."""
    if len(parts) != nd or nd == 0 or not all(isinstance(p, np.ndarray) and p.ndim == nd and p.dtype.kind in "iu"
                                              for p in parts):
        return None
    grid = [i for i, p in enumerate(parts) if p.shape == tuple(p.shape[j] if j == i else 1 for j in range(nd))
            and np.array_equal(p.reshape(-1), np.arange(p.shape[i]))]
    rest = [i for i in range(nd) if i not in grid]
    if len(rest) == 1:
        return rest[0]
    return None


def _full(parts: list[Any], nd: int, origin: str) -> list[Any]:
    """The index with Ellipsis expanded and missing trailing dims filled with full slices."""
    consumed = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if sum(1 for p in parts if p is Ellipsis) > 1:
        raise IndexError(f"{origin}: an index can hold one Ellipsis")
    fill = [slice(None)] * (nd - consumed)
    if Ellipsis in [p if p is Ellipsis else None for p in parts]:
        k = next(i for i, p in enumerate(parts) if p is Ellipsis)
        return parts[:k] + fill + parts[k + 1:]
    return parts + fill


def _slice_bounds(s: slice) -> tuple[int, int, int]:
    """A Python slice as ONNX Slice's (start, end, step): both follow the same clamping rules."""
    step = 1 if s.step is None else int(s.step)
    start = (0 if step > 0 else INT64_MAX) if s.start is None else int(s.start)
    end = (INT64_MAX if step > 0 else INT64_MIN) if s.stop is None else int(s.stop)
    return start, end, step


def getitem(b: B, x: str, *, index: Any) -> str:
    """x[index] for basic indices (ints, slices, None, Ellipsis), one integer array among them
    (Gather), several arrays (GatherND) and tensor.gather's open grids (GatherElements)."""
    nd = len(b.shape(x))
    parts = list(index) if isinstance(index, tuple) else [index]
    parts = [np.flatnonzero(p) if isinstance(p, np.ndarray) and p.dtype.kind == "b" and p.ndim == 1 else p
             for p in parts]
    parts = [p if not isinstance(p, list) else np.asarray(p) for p in parts]
    d = _open_grid_axis(parts, nd)
    if d is not None:
        return b.op("GatherElements", x, b.index(parts[d]), axis=d)
    parts = _full(parts, nd, b.origin)
    for p in parts:
        if not (p is None or isinstance(p, slice) or _is_int(p) or (isinstance(p, np.ndarray) and p.dtype.kind in "iu")):
            raise IndexError(f"{b.origin}: index part {p!r} has no ONNX form here (ints, slices, None, Ellipsis "
                             f"and integer arrays do)")
    dims = [p for p in parts if p is not None]  # one entry per dim of x
    sliced = [(i, _slice_bounds(p)) for i, p in enumerate(dims) if isinstance(p, slice) and p != slice(None)]
    if sliced:
        axes, bounds = [i for i, _ in sliced], [bd for _, bd in sliced]
        x = b.op("Slice", x, b.ints([s for s, _, _ in bounds]), b.ints([e for _, e, _ in bounds]), b.ints(axes),
                 b.ints([st for _, _, st in bounds]))
    arrays = [i for i, p in enumerate(dims) if isinstance(p, np.ndarray) and p.ndim > 0]
    if arrays and any(p is None for p in parts):
        raise IndexError(f"{b.origin}: an index mixing None with integer arrays has no ONNX form here")
    if len(arrays) > 1:
        return _gather_nd(b, x, dims)
    advanced = [i for i, p in enumerate(dims) if not isinstance(p, slice)]
    for i in reversed(advanced):  # ints (and 0-d arrays), last first so earlier positions hold
        if i not in arrays:
            x = b.op("Gather", x, b.const(np.int64(int(dims[i])), np.int64), axis=i)
    if arrays:
        pos = arrays[0] - sum(1 for i in advanced if i < arrays[0])
        x = b.op("Gather", x, b.index(dims[arrays[0]]), axis=pos)
        if advanced != list(range(advanced[0], advanced[-1] + 1)) and pos > 0:  # numpy puts them first
            k = dims[arrays[0]].ndim
            perm = list(range(pos, pos + k)) + list(range(pos)) + list(range(pos + k, len(b.out_shape)))
            x = b.op("Transpose", x, perm=perm)
        return x
    new = []
    at = 0
    for p in parts:
        if p is None:
            new.append(at)
        if p is None or isinstance(p, slice):
            at += 1
    return b.op("Unsqueeze", x, b.ints(new)) if new else x if sliced or advanced else b.op("Identity", x)


def _gather_nd(b: B, x: str, dims: list[Any]) -> str:
    """Several integer arrays (and ints) with slices: move the indexed dims first, GatherND on the
    broadcast index stack, and put the result dims where numpy puts them."""
    advanced = [i for i, p in enumerate(dims) if not isinstance(p, slice)]
    rest = [i for i in range(len(dims)) if i not in advanced]
    if advanced != list(range(len(advanced))):
        x = b.op("Transpose", x, perm=advanced + rest)
    shape = np.broadcast_shapes(*[np.shape(dims[i]) for i in advanced])
    index = [b.index(p) if isinstance(p, np.ndarray) else b.const(np.int64(int(p)), np.int64)
             for p in (dims[i] for i in advanced)]
    zeros = None  # zeros of the broadcast shape, made at run time (sum of index * 0), so dynamic sizes work
    for name in index:
        part = b.op("Mul", name, b.const(np.int64(0), np.int64))
        zeros = part if zeros is None else b.op("Add", zeros, part)
    cols = [b.op("Unsqueeze", b.op("Add", name, zeros), b.ints([-1])) for name in index]
    out = b.op("GatherND", x, b.op("Concat", *cols, axis=-1))
    first, k = advanced[0], len(shape)
    if advanced == list(range(first, first + len(advanced))) and first > 0:  # adjacent: numpy keeps their place
        perm = list(range(k, k + first)) + list(range(k)) + list(range(k + first, k + len(rest)))
        out = b.op("Transpose", out, perm=perm)
    return out


def norm(b: B, x: str, *, axis: Any, keepdims: bool, p: float) -> str:
    """sqrt(sum x^2) for p = 2, max |x| for inf, min |x| for -inf, else (sum |x|^p)^(1/p), over `axis`
    (p = 0, a count of nonzeros, has no form)."""
    axes = _axes(axis, len(b.shape(x)))
    if p in (math.inf, -math.inf):
        return _reduce(b, "ReduceMax" if p > 0 else "ReduceMin", b.op("Abs", x), axes, keepdims)
    if p == 0:
        raise ValueError("norm: p = 0 (the count of nonzero entries) has no ONNX form here")
    if p == 2:
        return b.op("Sqrt", _reduce(b, "ReduceSum", b.op("Mul", x, x), axes, keepdims))
    total = _reduce(b, "ReduceSum", b.op("Pow", b.op("Abs", x), b.const(float(p))), axes, keepdims)
    return b.op("Pow", total, b.const(1.0 / float(p)))


def index_put(b: B, x: str, v: str, *, index: Any) -> str:
    """x with x[index] = v: the flat positions `index` picks (fixed by x's example shape) get v broadcast
    to their shape (ScatterElements on the flattened x)."""
    shape = b.shape(x)
    positions = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)[index]
    flat = b.op("Reshape", x, b.ints([-1]))
    values = b.op("Reshape", b.op("Expand", v, b.ints(positions.shape)), b.ints([-1]))
    out = b.op("ScatterElements", flat, b.const(positions.reshape(-1), np.int64), values, axis=0)
    return b.op("Reshape", out, b.ints(shape))
