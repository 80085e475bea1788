"""autograd_core: a reverse-mode autodiff engine over scalar Values and numpy Tensors, one op table."""
import numpy as _np

from .creation import (arange, as_tensor, cat, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand,
                       rand_like, randint, randn, randn_like, randperm, stack, tensor, zeros, zeros_like)
from .dims import DimError
from .engine import backward, gradients, topological_order
from .functional import grad, hessian, jacobian, value_and_grad
from .functions import log_softmax, logsumexp, max, maximum, min, minimum, softmax
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .jit import TraceError, compile
from .grad_mode import enable_grad, is_grad_enabled, no_grad
from .node import Node
from .ops.table import OPS, Op, defop
from .pointwise import (abs, allclose, argmax, argmin, clamp, cos, exp, expm1, gather, log, log1p, matmul, mean,
                        numel, relu, sigmoid, sin, sqrt, sum, tan, tanh)
from .random import Generator, default_generator, initial_seed, manual_seed
from .tensor import Tensor, linear, where
from .tensor_reduce import values_indices
from . import linalg
from .torch_functions import *  # noqa: F403 - torch.floor, torch.mm, ... (listed in torch_functions.__all__)
from .torch_functions import __all__ as _torch_functions
from .torch_functions import concatenate
from .value import Value

# torch's dtype names, as numpy dtypes (float64 is the default floating dtype here)
float32 = _np.dtype("float32")
float64 = double = _np.dtype("float64")
float16 = half = _np.dtype("float16")
int64 = long = _np.dtype("int64")
int32 = _np.dtype("int32")
bool = _np.dtype("bool")  # noqa: A001 - torch.bool

__version__ = "0.1.0"

__all__ = [
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
