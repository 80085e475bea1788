"""torch.optim under `import autograd_core as torch`: the nn.optim package (SGD, Adam, lr_scheduler, ...),
loaded when first used (see autograd_core/nn.py for why this is not a reverse dependency)."""
from ._alias import alias

alias(__name__, "nn.optim")
