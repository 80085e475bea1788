"""autograd_core: a reverse-mode autodiff engine over scalar Values and numpy Tensors, one op table."""
import builtins as _builtins
import typing as _t

import numpy as _np

from .tensor.creation import (arange, as_tensor, cat, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand,
                       rand_like, randint, randn, randn_like, randperm, stack, tensor, zeros, zeros_like)
from .tensor.dims import DimError
from .engine.backward import backward, gradients
from .graph.order import topological_order
from .engine.transforms import grad, hessian, jacobian, value_and_grad
from .functions.reductions import log_softmax, logsumexp, max, maximum, min, minimum, norm, softmax, topk
from .engine.gradcheck import GradcheckError, gradcheck, gradgradcheck
from .jit import TraceError, compile
from .graph.grad_mode import enable_grad, is_grad_enabled, no_grad
from .graph.node import Node
from .ops.table import OPS, Op, defop
from .functions.pointwise import (abs, allclose, argmax, argmin, clamp, cos, exp, expm1, gather, log, log1p, matmul, mean,
                        numel, relu, sigmoid, sin, sqrt, sum, tan, tanh)
from .random import Generator, default_generator, initial_seed, manual_seed
from .tensor.tensor import Tensor, linear, where
from .tensor.reduce import values_indices
from . import linalg
from .functions.method_functions import *  # noqa: F403 - torch.floor, torch.mm, ... (listed in method_functions.__all__)
from .functions.method_functions import __all__ as _torch_functions
from .functions.method_functions import concatenate
from .value.value import Value

from . import autograd, cuda
from .device import device, get_default_device, set_default_device
from .legacy import BoolTensor, ByteTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor

# torch's dtype names, as numpy dtypes (float64 is the default floating dtype here)
float32 = float = _np.dtype("float32")  # noqa: A001 - torch.float
float64 = double = _np.dtype("float64")
float16 = half = _np.dtype("float16")
int64 = long = _np.dtype("int64")
int32 = int = _np.dtype("int32")  # noqa: A001 - torch.int
int16 = short = _np.dtype("int16")
int8 = _np.dtype("int8")
uint8 = _np.dtype("uint8")
bool = _np.dtype("bool")  # noqa: A001 - torch.bool
Size = tuple  # x.size() and x.shape are tuples


def get_default_dtype() -> _np.dtype:
    """float64: the dtype of floating tensors made without dtype= (torch's default is float32)."""
    return float64


def set_default_dtype(dtype: _t.Any) -> None:
    """Accepts float64, the default here; any other dtype raises (pass dtype= or call .float() instead)."""
    if _np.dtype(dtype) != float64:
        raise ValueError(f"set_default_dtype: the default floating dtype here is float64 and cannot change (got "
                         f"{_np.dtype(dtype)}); pass dtype= to creation functions or call .float() on tensors")


def is_tensor(obj: _t.Any) -> _builtins.bool:
    """Whether obj is a Tensor (torch.is_tensor)."""
    return isinstance(obj, Tensor)


def empty(*size: _t.Any, dtype: _t.Any = None, requires_grad: _builtins.bool = False, device: _t.Any = None) -> Tensor:
    """torch.empty: an uninitialised tensor of that size (zeros here)."""
    return zeros(*size, dtype=dtype, requires_grad=requires_grad, device=device)


_LAZY = {"nn": "autograd_core.nn", "optim": "autograd_core.optim", "utils": "autograd_core.utils"}


def __getattr__(name: str) -> _t.Any:
    """torch.nn, torch.optim and torch.utils, imported on first use (`import autograd_core` stays light)."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(_LAZY[name])
    raise AttributeError(f"module 'autograd_core' has no attribute {name!r}")

__version__ = "0.1.0"

__all__ = [
    "BoolTensor", "ByteTensor", "DoubleTensor", "FloatTensor", "IntTensor", "LongTensor", "Size", "autograd", "cuda",
    "device", "empty", "float", "get_default_device", "get_default_dtype", "int", "int8", "int16", "is_tensor",
    "norm", "set_default_device", "set_default_dtype", "short", "topk", "uint8",
    "DimError", "Generator", "GradcheckError", "Node", "OPS", "Op", "Tensor", "TraceError", "Value", "abs", "allclose",
    "arange", "argmax", "argmin", "as_tensor", "backward", "cat", "clamp", "compile", "concatenate", "cos", "default_generator",
    "defop", "double", "enable_grad", "exp", "expm1", "eye", "gather", "float16", "float32", "float64", "from_numpy", "full",
    "full_like", "grad", "gradcheck", "gradgradcheck", "gradients", "half", "hessian", "initial_seed", "int32",
    "int64", "is_grad_enabled", "jacobian", "linear", "linspace", "log", "log1p", "log_softmax", "logsumexp",
    "long", "manual_seed", "matmul", "max", "maximum", "mean", "min", "minimum", "no_grad", "numel",
    "ones", "ones_like", "rand", "rand_like", "randint", "randn", "randn_like", "randperm", "relu", "sigmoid", "sin",
    "softmax", "sqrt", "stack", "sum", "tan", "tanh", "tensor", "topological_order", "value_and_grad",
    "values_indices", "where", "zeros", "zeros_like", "linalg", *_torch_functions,
]
