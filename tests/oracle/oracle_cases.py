"""Runs one PyTorch OpInfo sample through one spelling in both libraries and says how it ended.

A case is (op, spelling, dtype, sample): the same inputs go to torch and to autograd_core; the forward
results are compared, then the gradient of sum(out * v) for a random cotangent v with respect to every
floating input, then the gradient of sum(grad * u) (second order). The verdict is "agree", "documented"
(this library raised an error listed in the caller's table), "differs" (a number, dtype, shape or
gradient differs, or one side has a gradient the other lacks) or "error" (an undocumented exception).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import torch

import autograd_core as ac
from nn import functional as F

# ops whose results are random draws: compared by structure, dtype and shape only
RANDOM_OPS = frozenset({"randn", "randn_like", "rand_like", "randint", "randint_like", "nn.functional.dropout",
                        "bernoulli", "multinomial", "rand", "normal", "uniform"})


@dataclass(frozen=True)
class Documented:
    """A deliberate error of this library: the exception type and a regex its message matches."""

    key: str
    error: type
    pattern: str
    why: str


@dataclass
class Outcome:
    """How one case ended."""

    op: str
    spelling: str
    dtype: str
    index: int
    verdict: str
    detail: str = ""


Spelling = tuple[str, Callable[..., Any], Callable[..., Any]]


def _attr(owner: Any, name: str) -> Any:
    value = owner.__dict__.get(name) if isinstance(owner, type) else None
    if isinstance(value, property):
        return lambda x, *a, **k: getattr(x, name)
    return getattr(owner, name, None)


def spellings(op_name: str) -> list[Spelling]:
    """(label, torch function, our function) for every spelling both libraries have: torch.X, Tensor.X,
    F.X (nn.functional) and torch.linalg.X."""
    *prefix, name = op_name.split(".")
    out: list[Spelling] = []
    owners = {"torch": (torch, ac), "Tensor": (torch.Tensor, ac.Tensor), "F": (torch.nn.functional, F),
              "linalg": (torch.linalg, getattr(ac, "linalg", None))}
    allowed = {(): ("torch", "Tensor", "F"), ("nn", "functional"): ("torch", "Tensor", "F"),
               ("linalg",): ("linalg",)}.get(tuple(prefix), ())
    for label in allowed:
        theirs_owner, ours_owner = owners[label]
        if ours_owner is None:
            continue
        theirs, ours = _attr(theirs_owner, name), _attr(ours_owner, name)
        if theirs is not None and ours is not None:
            out.append((f"{label}.{name}", theirs, ours))
    return out


# ---- converting a torch sample into both libraries' arguments ------------------------------------


class TorchRefused(Exception):
    """torch cannot differentiate with respect to some input (e.g. a class weight)."""


class Unsupported(Exception):
    """The sample needs something no spelling here can take (a complex dtype, a sparse layout)."""


_DTYPES = {torch.float64: ac.float64, torch.float32: ac.float32, torch.float16: ac.float16, torch.int64: ac.int64,
           torch.int32: ac.int32, torch.bool: ac.bool}


class Converter:
    """Builds the torch and our copies of a sample; every floating tensor becomes a differentiable leaf
    on both sides when `grad` is set (the same object twice stays one leaf)."""

    def __init__(self, grad: bool) -> None:
        self.grad = grad  # set to False after the input is converted, to keep the other tensors constant
        self.leaves: list[tuple[torch.Tensor, Any]] = []
        self._memo: dict[int, tuple[Any, Any]] = {}

    def __call__(self, obj: Any) -> tuple[Any, Any]:
        if isinstance(obj, torch.Tensor):
            if id(obj) not in self._memo:
                self._memo[id(obj)] = self._tensor(obj)
            return self._memo[id(obj)]
        if isinstance(obj, torch.Size):
            return obj, tuple(obj)
        if isinstance(obj, (list, tuple)):
            pairs = [self(o) for o in obj]
            return type(obj)(p[0] for p in pairs), type(obj)(p[1] for p in pairs)
        if isinstance(obj, dict):
            pairs_d = {k: self(v) for k, v in obj.items()}
            return {k: p[0] for k, p in pairs_d.items()}, {k: p[1] for k, p in pairs_d.items()}
        if isinstance(obj, torch.dtype):
            if obj not in _DTYPES:
                raise Unsupported(f"dtype {obj}")
            return obj, _DTYPES[obj]
        if isinstance(obj, torch.memory_format):
            return obj, getattr(ac, str(obj).split(".")[-1], obj)
        if isinstance(obj, torch.device):
            return obj, str(obj)
        if isinstance(obj, complex):
            raise Unsupported("a complex number")
        return obj, obj

    def _tensor(self, t: torch.Tensor) -> tuple[torch.Tensor, Any]:
        if t.is_complex() or t.layout != torch.strided or t.dtype not in _DTYPES:
            raise Unsupported(f"a {t.dtype} {t.layout} tensor")
        data = t.detach().resolve_neg().resolve_conj().numpy().copy()
        leaf = self.grad and t.dtype.is_floating_point
        theirs = t.detach().clone().requires_grad_(leaf)
        ours = ac.tensor(data, requires_grad=leaf)
        if leaf:
            self.leaves.append((theirs, ours))
        return theirs, ours


# ---- comparing results -----------------------------------------------------------------------------


def _tolerance(dtype: Any, what: str) -> tuple[float, float]:
    """(rtol, atol relative to the largest |value|): float32 second derivatives sum many rounded terms."""
    if np.dtype(dtype) not in (np.float32, np.float16):
        return 1e-6, 1e-9
    return (5e-3, 2e-3) if what.startswith("second") else (2e-4, 2e-5)


def _close(expected: np.ndarray, got: np.ndarray, what: str) -> str | None:
    if expected.shape != got.shape:
        return f"{what}: shape {got.shape}, torch {expected.shape}"
    if expected.dtype.kind not in "fc":
        return None if np.array_equal(expected, got) else f"{what}: values differ"
    rtol, atol = _tolerance(expected.dtype, what)
    scale = float(np.nanmax(np.abs(expected[np.isfinite(expected)]), initial=1.0))
    same_nan = np.array_equal(np.isnan(expected), np.isnan(got))
    if same_nan and np.allclose(got, expected, rtol=rtol, atol=atol * max(scale, 1.0), equal_nan=True):
        return None
    bad = np.argwhere(~np.isclose(got, expected, rtol=rtol, atol=atol * max(scale, 1.0), equal_nan=True))
    where = tuple(int(i) for i in bad[0]) if len(bad) else ()
    return f"{what}: {got[where] if got.ndim else got} at {where}, torch {expected[where] if expected.ndim else expected}"


def compare(theirs: Any, ours: Any, what: str = "forward", random: bool = False) -> str | None:
    """None when the results agree (structure, dtype, shape, values), else what differs."""
    if isinstance(theirs, torch.Tensor):
        if not isinstance(ours, ac.Tensor):
            return f"{what}: got {type(ours).__name__}, torch a Tensor"
        want = str(theirs.dtype).replace("torch.", "")
        if ours.dtype.name != want:
            return f"{what}: dtype {ours.dtype.name}, torch {want}"
        expected = theirs.detach().numpy(force=True)
        if random:
            return None if expected.shape == ours.shape else f"{what}: shape {ours.shape}, torch {expected.shape}"
        return _close(expected, np.asarray(ours.data), what)
    if isinstance(theirs, (tuple, list)):
        if not isinstance(ours, (tuple, list)) or len(ours) != len(theirs):
            return f"{what}: got {type(ours).__name__} of {len(ours) if isinstance(ours, (tuple, list)) else '?'}, " \
                   f"torch {type(theirs).__name__} of {len(theirs)}"
        for i, (t, o) in enumerate(zip(theirs, ours)):
            problem = compare(t, o, f"{what}[{i}]", random)
            if problem:
                return problem
        return None
    if isinstance(theirs, (bool, int, float)):
        if type(ours) is not type(theirs) and not (isinstance(ours, float) and isinstance(theirs, float)):
            return f"{what}: got {type(ours).__name__} {ours!r}, torch {type(theirs).__name__} {theirs!r}"
        return None if ours == theirs or (theirs != theirs and ours != ours) or random else \
            f"{what}: {ours!r}, torch {theirs!r}"
    return None if theirs == ours else f"{what}: {ours!r}, torch {theirs!r}"


# ---- gradients ---------------------------------------------------------------------------------------


NAN_KERNEL = "nan-kernel"  # check_gradients' answer when torch's gradient differs only at NaN inputs


def _only_at_nan(theirs: torch.Tensor, ours: Any, leaf: torch.Tensor) -> bool:
    """Whether the gradients differ only where the input is NaN."""
    t = theirs.detach().numpy(force=True)
    o = np.asarray(_as_tensor_result(ours).data)
    x = leaf.detach().numpy()
    if t.shape != o.shape or t.shape != x.shape:
        return False
    same = np.isclose(t, o, rtol=1e-4, atol=1e-6, equal_nan=True)
    return bool(np.all(same | np.isnan(x))) and not bool(np.all(same))


def _float_outputs(out: Any) -> list[Any]:
    items = list(out) if isinstance(out, (tuple, list)) else [out]
    return items


def _cotangent(shape: tuple[int, ...], dtype: Any, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=shape).astype(dtype)


def _grads(theirs_out: Any, ours_out: Any, leaves: Sequence[tuple[torch.Tensor, Any]], seed: int,
           create_graph: bool) -> tuple[list[Any], list[Any]] | str:
    """torch's and our gradients of sum_k <out_k, v_k> with respect to the leaves (None: torch has no
    differentiable output)."""
    t_terms, o_terms = [], []
    for k, (t, o) in enumerate(zip(_float_outputs(theirs_out), _float_outputs(ours_out))):
        if not isinstance(t, torch.Tensor) or not t.dtype.is_floating_point or t.grad_fn is None:
            continue
        if not isinstance(o, ac.Tensor) or not o.requires_grad:
            return f"gradient: output {k} records no gradient here, torch's does"
        v = _cotangent(tuple(t.shape), str(t.dtype).replace("torch.", ""), seed + k)
        t_terms.append((t * torch.from_numpy(v)).sum())
        o_terms.append((o * v).sum())
    if not t_terms:
        return [], []
    t_total, o_total = sum(t_terms), sum(o_terms)
    try:
        t_grads = torch.autograd.grad(t_total, [lt for lt, _ in leaves], create_graph=create_graph,
                                      allow_unused=True)
    except RuntimeError as exc:
        raise TorchRefused(str(exc)) from None
    o_grads = ac.gradients(o_total, [lo for _, lo in leaves], create_graph=create_graph)
    return [torch.zeros_like(lt) if g is None else g for g, (lt, _) in zip(t_grads, leaves)], list(o_grads)


def _as_tensor_result(g: Any) -> Any:
    return g if isinstance(g, ac.Tensor) else ac.tensor(np.asarray(g))


def check_gradients(theirs_out: Any, ours_out: Any, leaves: Sequence[tuple[torch.Tensor, Any]],
                    seed: int) -> str | None:
    """Compare the first- and second-order gradients; None when they agree."""
    first = _grads(theirs_out, ours_out, leaves, seed, create_graph=True)
    if isinstance(first, str):
        return first
    t_grads, o_grads = first
    if not t_grads:
        return None
    for i, (t, o) in enumerate(zip(t_grads, o_grads)):
        problem = compare(t.detach(), _as_tensor_result(o).detach(), f"gradient of input {i}")
        if problem:
            return NAN_KERNEL if _only_at_nan(t, o, leaves[i][0]) else problem
    t_terms, o_terms = [], []
    for i, (t, o) in enumerate(zip(t_grads, o_grads)):
        if t.grad_fn is None:
            continue
        u = _cotangent(tuple(t.shape), str(t.dtype).replace("torch.", ""), seed + 100 + i)
        t_terms.append((t * torch.from_numpy(u)).sum())
        if isinstance(o, ac.Tensor) and o.requires_grad:
            o_terms.append((o * u).sum())
    if not t_terms:
        return None
    t_second = torch.autograd.grad(sum(t_terms), [lt for lt, _ in leaves], allow_unused=True)
    o_second = ac.gradients(sum(o_terms), [lo for _, lo in leaves]) if o_terms else \
        [np.zeros(lo.shape, lo.dtype) for _, lo in leaves]
    for i, (t, o) in enumerate(zip(t_second, o_second)):
        t = torch.zeros_like(leaves[i][0]) if t is None else t
        problem = compare(t.detach(), _as_tensor_result(o), f"second order, input {i}")
        if problem:
            return problem
    return None


# ---- one case ------------------------------------------------------------------------------------------


def classify(exc: BaseException, table: Sequence[Documented]) -> Documented | None:
    """The row of the documented-errors table this exception is, if any."""
    for row in table:
        if isinstance(exc, row.error) and re.search(row.pattern, str(exc)):
            return row
    return None


def run_case(op_name: str, spelling: Spelling, sample: Any, dtype: torch.dtype, index: int, grad: bool,
             table: Sequence[Documented], nan_kernel_ops: frozenset = frozenset()) -> Outcome | None:
    """One sample through one spelling; None when torch itself refuses it (the spelling does not take
    these arguments) or it needs something no spelling here has (complex numbers). For the ops in
    nan_kernel_ops a gradient that differs from torch's only at NaN inputs is documented, not a difference."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        # numpy warns on IEEE operations with inf or NaN (cos(inf), inf - inf) where torch is silent: the values are
        # compared, the warnings not counted (docs/from-pytorch.md says so)
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run_both_ways(op_name, spelling, sample, dtype, index, grad, table, nan_kernel_ops)


def _run_both_ways(op_name: str, spelling: Spelling, sample: Any, dtype: torch.dtype, index: int, grad: bool,
                   table: Sequence[Documented], nan_kernel_ops: frozenset) -> Outcome | None:
    try:
        return _run(op_name, spelling, sample, dtype, index, grad, table, False, nan_kernel_ops)
    except TorchRefused:  # torch has no derivative for some argument: differentiate the input only
        return _run(op_name, spelling, sample, dtype, index, grad, table, True, nan_kernel_ops)


def _run(op_name: str, spelling: Spelling, sample: Any, dtype: torch.dtype, index: int, grad: bool,
         table: Sequence[Documented], input_only: bool, nan_kernel_ops: frozenset) -> Outcome | None:
    label, theirs_fn, ours_fn = spelling
    case = Outcome(op_name, label, str(dtype).replace("torch.", ""), index, "agree")
    conv = Converter(grad)
    try:
        t_in, o_in = conv(sample.input)
        conv.grad = grad and not input_only
        t_args, o_args = conv(tuple(sample.args))
        t_kwargs, o_kwargs = conv(dict(sample.kwargs))
    except Unsupported:
        return None
    try:
        theirs = theirs_fn(t_in, *t_args, **t_kwargs)
    except Exception:  # noqa: BLE001 - torch refusing the arguments means the case does not exist
        return None
    try:
        ours = ours_fn(o_in, *o_args, **o_kwargs)
    except Exception as exc:  # noqa: BLE001 - every exception is classified
        row = classify(exc, table)
        case.verdict, case.detail = ("documented", row.key) if row else ("error", f"{type(exc).__name__}: {exc}")
        return case
    random = op_name in RANDOM_OPS
    try:
        problem = compare(theirs, ours, random=random)
        if problem is None and grad and not random:
            problem = check_gradients(theirs, ours, conv.leaves, index)
    except TorchRefused:
        if input_only:
            return case if problem is None else None
        raise
    except Exception as exc:  # noqa: BLE001
        row = classify(exc, table)
        case.verdict, case.detail = ("documented", row.key) if row else ("error", f"{type(exc).__name__}: {exc}")
        return case
    if problem == NAN_KERNEL and op_name in nan_kernel_ops:
        case.verdict, case.detail = "documented", NAN_KERNEL
    elif problem:
        case.verdict, case.detail = "differs", problem
    return case
