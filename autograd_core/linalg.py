"""torch.linalg for what the library has: vector_norm (and norm of vectors)."""
from __future__ import annotations

import math
from typing import Any

from .functions.pointwise import as_node


def vector_norm(x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:  # noqa: A002
    """(sum |x|^ord)^(1/ord) over dim (all entries by default); ord inf/-inf: max/min |x|, 0: the count of nonzeros."""
    return as_node(x)._vector_norm("vector_norm", float(ord) if ord not in ("inf", "-inf") else
                                   (math.inf if ord == "inf" else -math.inf), dim, keepdim, dtype)
