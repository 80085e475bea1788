"""Check output and input paths before any work: named, the folder exists and takes a new file, the target and
the input are regular files (through autograd_core.files, the layer that later writes and reads them)."""
from __future__ import annotations

import os
import tempfile

from .errors import CLIError


def probe(folder: str) -> str | None:
    """None when a file can be created (and removed) in `folder`, else the reason it cannot."""
    from autograd_core.files import temp_prefix  # the writer's temporary names, so a killed probe is cleaned up

    try:
        fd, name = tempfile.mkstemp(prefix=temp_prefix(), suffix=".probe", dir=folder)
    except OSError as e:
        return e.strerror or type(e).__name__
    os.close(fd)
    os.remove(name)
    return None


def _named(path: str, option: str) -> None:
    """An empty path (an unset $VARIABLE) is a usage error naming the option, never 'no file'."""
    if not path.strip():
        raise CLIError(f"{option} {path!r}: the file name is empty (an unset shell variable?)", code=2)


def check_writable(path: str, option: str, suffixes: tuple[str, ...] = ()) -> None:
    """Refuse an output `path` given with `option`: empty, a wrong file type, or an existing device,
    FIFO or socket (exit 2), or a folder that is missing, not a folder, or refuses new files, or a path
    that is itself a folder (exit 1)."""
    from autograd_core.files import NotRegularFileError, output_target

    _named(path, option)
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
    try:
        output_target(path, option)
    except NotRegularFileError as e:
        raise CLIError(e.strerror or str(e), code=2) from None
    except OSError as e:
        raise CLIError(f"{option} {path!r}: {e.strerror or e}") from None
    reason = probe(folder)
    if reason is not None:
        raise CLIError(f"{option} {path!r}: cannot create files in folder {os.path.dirname(path) or '.'!r} "
                       f"({reason})")


def check_readable(path: str, option: str, what: str) -> None:
    """Refuse an input `path` given with `option` that is empty (exit 2), missing, a folder, a device, FIFO
    or socket (never opened: a FIFO would block, /dev/zero never ends) or unreadable; `what` starts the message."""
    from autograd_core.files import NotRegularFileError, kind_of, open_input

    _named(path, option)
    if not os.path.exists(path):
        raise CLIError(f"{what} {path!r}: no such file")
    if os.path.isdir(path):
        raise CLIError(f"{what} {path!r}: that is a folder, not a file")
    try:
        f, _ = open_input(path, f"{option} {path!r}")
        f.close()
    except NotRegularFileError:
        raise CLIError(f"{what} {path!r}: that is {kind_of(os.stat(path).st_mode)}, not a regular file (only regular "
                       f"files are read: a device or pipe may never end or block forever)", code=2) from None
    except OSError as e:
        raise CLIError(f"{what} {path!r}: {e.strerror or e}") from None
