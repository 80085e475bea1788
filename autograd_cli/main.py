"""Entry point of the `autograd-core` command: parse the subcommand, run it, report errors in one line."""
from __future__ import annotations

import argparse
import os
import re
import sys

from . import demo_cmd, grad_cmd, notes_cmd, train_cmd
from .errors import CLIError
from .quiet import no_warnings

PROG = "autograd-core"
_OPTION = re.compile(r"^(-h|--[a-z][a-z-]*(=.*)?)$")


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and its subcommand parsers by name."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="A reverse-mode autodiff engine whose graphs you can see.",
        epilog=f"Start with: {PROG} demo   (then: {PROG} grad \"tanh(x*w + b)\" x=1 w=-2 b=0.5)")
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers = {"grad": grad_cmd.add_parser(sub), "train": train_cmd.add_parser(sub),
                  "demo": demo_cmd.add_parser(sub), "notes": notes_cmd.add_parser(sub)}
    return parser, subparsers


def _version() -> str:
    from autograd_core import __version__

    return __version__


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse argv; `grad` allows its NAME=VALUE arguments and options in any order."""
    parser, subparsers = build_parser()
    if argv and argv[0] == "grad":
        return subparsers["grad"].parse_intermixed_args(_grad_positionals(argv[1:]))
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        parser.exit(2)
    return args


def _grad_positionals(argv: list[str]) -> list[str]:
    """Let expressions start with '-': an argument that is not shaped like an option (-h, --name,
    --name=value), and anything after "--", is marked positional with a leading space, which the
    expression reader strips."""
    out, rest = [], False
    for arg in argv:
        if arg == "--" and not rest:
            rest = True
        elif rest or (arg.startswith("-") and len(arg) > 1 and not _OPTION.match(arg)):
            out.append(" " + arg)
        else:
            out.append(arg)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 error, 2 usage error, 130 interrupted)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    try:
        with no_warnings():
            return args.run(args)
    except CLIError as e:
        return _fail(e.text(), e.code)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (OSError, ValueError, MemoryError) as e:
        return _fail(str(e) or type(e).__name__)
    except Exception as e:  # noqa: BLE001 - a bug, but the user still gets one line
        if os.environ.get("AUTOGRAD_CORE_DEBUG"):
            raise
        return _fail(f"internal error: {type(e).__name__}: {e} (set AUTOGRAD_CORE_DEBUG=1 for the traceback)")


def _fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
