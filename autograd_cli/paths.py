"""Check output and input paths before any work: the folder exists and takes a new file, the input is a file."""
from __future__ import annotations

import os
import tempfile

from .errors import CLIError


def probe(folder: str) -> str | None:
    """None when a file can be created (and removed) in `folder`, else the reason it cannot."""
    from nn.atomic import temp_prefix  # the checkpoint writer's temporary names, so a killed probe is cleaned up

    try:
        fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=".probe", dir=folder)
    except OSError as e:
        return e.strerror or type(e).__name__
    os.close(fd)
    os.remove(name)
    return None


def check_writable(path: str, option: str, suffixes: tuple[str, ...] = ()) -> None:
    """Refuse an output `path` given with `option`: a wrong file type (exit 2), or a folder that is
    missing, not a folder, or refuses new files, or a path that is itself a folder (exit 1)."""
    if suffixes and os.path.splitext(path)[1].lower() not in suffixes:
        raise CLIError(f"{option} {path!r}: the file name must end in {' or '.join(suffixes)}", code=2)
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if os.path.isdir(target):
        raise CLIError(f"{option} {path!r}: that is a folder; give a file name in it")
    if not os.path.exists(folder):
        raise CLIError(f"{option} {path!r}: folder {os.path.dirname(path) or '.'!r} does not exist")
    if not os.path.isdir(folder):
        raise CLIError(f"{option} {path!r}: {os.path.dirname(path)!r} is a file, not a folder")
    reason = probe(folder)
    if reason is not None:
        raise CLIError(f"{option} {path!r}: cannot create files in folder {os.path.dirname(path) or '.'!r} "
                       f"({reason})")


def check_readable(path: str, what: str) -> None:
    """Refuse an input `path` that is missing, a folder or unreadable; `what` starts the message."""
    if not os.path.exists(path):
        raise CLIError(f"{what} {path!r}: no such file")
    if os.path.isdir(path):
        raise CLIError(f"{what} {path!r}: that is a folder, not a file")
    try:
        with open(path, "rb"):
            pass
    except OSError as e:
        raise CLIError(f"{what} {path!r}: {e.strerror or e}") from None
