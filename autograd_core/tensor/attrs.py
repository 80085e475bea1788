"""What Tensor's method mixins may use of Tensor itself, declared for the type checker only."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np


class TensorAttrs:
    """Base of the Tensor mixins: no behaviour; under type checking, the Tensor members they call."""

    __slots__ = ()

    if TYPE_CHECKING:
        data: Any
        requires_grad: bool
        shape_tracked: ClassVar[bool]

        @classmethod
        def _leaf(cls, data: Any) -> Any: ...  # Node's hook: data as a new leaf that records nothing

        @property
        def shape(self) -> tuple[int, ...]: ...

        @property
        def ndim(self) -> int: ...

        @property
        def dtype(self) -> np.dtype: ...

        def __getitem__(self, index: Any) -> Any: ...

        def __mul__(self, other: Any) -> Any: ...

        def __abs__(self) -> Any: ...

        def gather(self, dim: int, index: Any) -> Any: ...

        def reshape(self, *shape: Any) -> Any: ...

        def type(self, dtype: Any) -> Any: ...

        def clone(self) -> Any: ...

        def expand(self, *sizes: Any) -> Any: ...

        def transpose(self, *dims: Any) -> Any: ...

        def softmax(self, dim: Any = None, dtype: Any = None) -> Any: ...

        def __neg__(self) -> Any: ...
