"""Entry point of the `autograd-core` command (placeholder demo until the CLI issue lands)."""
from __future__ import annotations

import sys

from autograd_core import Value


def main(argv: list[str] | None = None) -> int:
    """Run the demo: differentiate tanh(x*w + b) and print every gradient."""
    x, w, b = Value(1.0, label="x"), Value(-2.0, label="w"), Value(0.5, label="b")
    out = (x * w + b).tanh()
    out.backward()
    print(f"tanh(x*w + b) = {out.data:.6f}")
    for v in (x, w, b):
        print(f"d/d{v.label} = {v.grad:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
