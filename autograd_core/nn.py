"""torch.nn under `import autograd_core as torch`: the nn package itself (nn.functional, nn.init, nn.utils, ...).

Loaded only when first used (`torch.nn`, `import autograd_core.nn as nn`): `import autograd_core`
never loads nn, and nn's code imports autograd_core, never this name, so the dependency still
points one way (nn -> autograd_core); this file only lends nn a second name.
"""
from ._alias import alias

alias(__name__, "nn")
