"""autograd_core: a reverse-mode autodiff engine over scalar Values and numpy Tensors, one op table."""
from .engine import backward, gradients, topological_order
from .functional import grad, hessian, jacobian, value_and_grad
from .functions import log_softmax, logsumexp, max, maximum, min, minimum, softmax
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .jit import TraceError, compile
from .grad_mode import enable_grad, is_grad_enabled, no_grad
from .node import Node, new_id
from .ops.table import OPS, Op, defop
from .tensor import Tensor, concatenate, linear, stack, tensor, where
from .value import Value

__version__ = "0.1.0"

__all__ = [
    "GradcheckError", "Node", "TraceError", "compile", "OPS", "Op", "Tensor", "Value", "backward", "concatenate", "defop",
    "enable_grad", "grad", "gradcheck", "gradgradcheck", "gradients", "hessian", "is_grad_enabled",
    "jacobian", "linear", "log_softmax", "logsumexp", "max", "maximum", "min", "minimum", "new_id", "no_grad", "softmax",
    "stack", "tensor", "topological_order", "value_and_grad", "where",
]
