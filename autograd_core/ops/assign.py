"""index_put: x with x[index] = v, the op item and slice assignment (x[i] = v) record."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import onnx_forms as F
from .apply import call, raw
from .elementwise import MUL
from .shape import _is_basic_index, getitem, reshape, shape_of, sum_to
from .table import defop


def _index_put(x: Any, v: Any, *, index: Any) -> Any:
    """A copy of x with v (broadcast) written at `index`."""
    out = np.copy(x)  # dispatched: a compiled step's replay copies afresh
    out[index] = v
    return out


def _check_index_put(x: Any, v: Any, *, index: Any) -> None:
    """An advanced index must not name one entry twice (which write wins would decide the result)."""
    if _is_basic_index(index):
        return
    hits = np.zeros(np.shape(x), dtype=np.int64)
    np.add.at(hits, index, 1)
    if hits.size and hits.max() > 1:
        raise ValueError(f"index_put: the index names an entry of the shape {np.shape(x)} tensor more than once "
                         f"(x[i] = v with repeated indices has no defined result); use unique indices")


def _grad_x(g: Any, ans: Any, x: Any, v: Any, *, index: Any) -> Any:
    """g with 0 where v was written: those entries no longer depend on x."""
    keep = np.ones_like(raw(ans), shape=shape_of(x))  # dispatched on ans: a compiled step's replay makes it
    keep[index] = 0
    return call(MUL, g, keep)


def _grad_v(g: Any, ans: Any, x: Any, v: Any, *, index: Any) -> Any:
    """g read back at `index`, summed over the entries a broadcast v was copied to."""
    picked = getitem(g, index)
    vs, ps = shape_of(v), shape_of(picked)
    if len(vs) > len(ps):  # numpy accepts v with extra leading size-1 dims
        picked = reshape(picked, (1,) * (len(vs) - len(ps)) + ps)
    return sum_to(picked, vs)


INDEX_PUT = defop("index_put", forward=_index_put, check=_check_index_put, vjp=(_grad_x, _grad_v),
                  display="[ ]=", elementwise=False, derivative=("g, 0 where written", "g at the index"),
                  words="assignment x[index] = v: v gets the gradient of the entries it was written to, "
                        "x the gradient of the rest",
                        onnx=F.index_put)
