"""`python -m autograd_core`: the command-line tool (it lives in autograd_cli, which may use nn and viz)."""
from autograd_cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
