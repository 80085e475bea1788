"""torch.utils.data under `import autograd_core as torch`: the nn.data package (DataLoader, Dataset,
TensorDataset, ...), loaded when first used (see autograd_core/nn.py)."""
from .._alias import alias

alias(__name__, "nn.data")
