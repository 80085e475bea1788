"""`python -m autograd_cli`: the command-line tool, the same program as the `autograd-core` script."""
from .main import main

if __name__ == "__main__":
    raise SystemExit(main())
