"""The one file layer: outputs replace regular files atomically, inputs are opened only when regular files.

Every output of the library (checkpoints, pictures, pages, plots) goes through `atomic_write`: the
bytes go to a unique temporary file beside the target, are flushed to disk (fsync), and the file is
renamed over the target, so a failure never leaves a half-written file. A target that exists and is
not a regular file (a device, a FIFO, a socket, a folder) is refused, never replaced; a symlink is
written through to its target, which must be a regular file (or not exist yet). Inputs go through
`open_input`, which refuses anything but a regular file before reading a byte (a FIFO would block,
/dev/zero never ends) and reports the file's size, so readers decide their budget first.

Temporary files are named `.tmp-<pid>@<host>-<random><suffix>`, so one left behind by a process that
was killed is recognisable: every write into a folder first removes the temporary files there whose
owner (same host, same user) is no longer running. Only the standard library is used.
"""
from __future__ import annotations

import errno
import os
import re
import socket
import stat
import tempfile
from contextlib import contextmanager
from typing import BinaryIO, Iterator

_TMP = re.compile(r"^\.tmp-(\d+)@(.*)-[a-z0-9_]{8}(\.[^/]*)?$")
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"))


class NotRegularFileError(OSError):
    """A path names a device, FIFO, socket or folder where a regular file is needed (the message says which)."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


class FolderNotFileError(NotRegularFileError, IsADirectoryError):
    """A path names a folder where a regular file is needed."""


def kind_of(mode: int) -> str:
    """'a character device', 'a FIFO (named pipe)', ... for a stat mode that is not a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _refuse(what: str, path: str, target: str, mode: int, doing: str) -> NotRegularFileError:
    via = f" (a symlink to {target!r})" if os.path.abspath(path) != target else ""
    kind = FolderNotFileError if stat.S_ISDIR(mode) else NotRegularFileError
    return kind(errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL,
                f"{what}: {path!r}{via} is {kind_of(mode)}, not a regular file; {doing}", path)


def _host() -> str:
    """This machine's name, reduced to [A-Za-z0-9.-] (at most 32 characters) for use in a file name."""
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname())[:32] or "host"


def temp_prefix() -> str:
    """The name prefix of this process's temporary files: '.tmp-<pid>@<host>-'."""
    return f".tmp-{os.getpid()}@{_host()}-"


def _alive(pid: int) -> bool:
    """Whether a process with this pid exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_orphans(folder: str) -> list[str]:
    """Delete the temporary files in `folder` left by dead processes of this host and user; return their names.

    A file whose owner is still running (or whose pid was reused) is kept: it may be in mid-write.
    """
    removed: list[str] = []
    host, uid = _host(), os.getuid()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TMP.match(entry.name)
        if not m or m.group(2) != host or int(m.group(1)) == os.getpid() or _alive(int(m.group(1))):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == uid:
                os.remove(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
    return removed


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _named(exc: OSError, path: str) -> OSError:
    """The same error (type and errno) naming the target instead of the hidden temporary file."""
    return type(exc)(exc.errno, exc.strerror or os.strerror(exc.errno or errno.EIO), path)


def output_target(path: str | os.PathLike, what: str = "save") -> tuple[str, int | None]:
    """(the file `path` resolves to through symlinks, its permission bits or None when it does not exist).

    Refuses an empty path (ValueError) and a target that exists and is not a regular file
    (NotRegularFileError; for a folder FolderNotFileError, also an IsADirectoryError): such a target
    is never replaced.
    """
    name = os.fspath(path)
    if not name:
        raise ValueError(f"{what}: the file name is empty")
    target = os.path.realpath(name)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as exc:
        raise _named(exc, name) from None
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(what, name, target, st.st_mode, "refusing to replace it (give the path of a regular file)")
    return target, stat.S_IMODE(st.st_mode)


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable (best effort: some file systems refuse to open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_write(path: str | os.PathLike, what: str = "save") -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only once fully written and flushed to disk.

    A symlink at `path` is written through (its target is replaced, the link stays), as numpy's and
    torch's save do; a target that is not a regular file is refused before anything is written (see
    output_target). On any error the temporary file is removed, `path` keeps its old content, and an
    OSError names `path`. The result keeps the old file's permissions (a new one gets 0o666 less the
    umask, not mkstemp's private 0o600). `what` starts error messages ("save", "viz.save", ...).
    """
    name = os.fspath(path)
    target, mode = output_target(name, what)
    folder = os.path.dirname(target)
    remove_orphans(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=os.path.splitext(target)[1], dir=folder)
    except OSError as exc:
        raise _named(exc, name) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        output_target(name, what)   # still not a special file (one may have been put there meanwhile)
        os.replace(tmp, target)
        _fsync_folder(folder)
    except BaseException as exc:
        if os.path.lexists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, NotRegularFileError) and exc.errno is not None \
                and exc.filename != name:
            raise _named(exc, name) from None
        raise


def write_bytes(path: str | os.PathLike, data: bytes, what: str = "save") -> None:
    """Write `data` to `path` atomically (see atomic_write)."""
    with atomic_write(path, what) as f:
        f.write(data)


def write_text(path: str | os.PathLike, text: str, what: str = "save") -> None:
    """Write `text` as UTF-8 to `path` atomically (see atomic_write)."""
    write_bytes(path, text.encode("utf-8"), what)


def open_input(path: str | os.PathLike, what: str = "load") -> tuple[BinaryIO, int]:
    """(the regular file at `path` opened for binary reading, its size in bytes).

    Anything else is refused before a byte is read: a missing file raises FileNotFoundError, a
    device, FIFO, socket or folder NotRegularFileError naming what it is (also through a symlink).
    The file is opened without blocking, so a FIFO swapped in after the check cannot hang the caller.
    """
    name = os.fspath(path)
    if not name:
        raise ValueError(f"{what}: the file name is empty")
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, f"{what}: no such file", name) from None
    doing = "only regular files are read (a device or pipe may never end or block forever)"
    if not stat.S_ISREG(st.st_mode):
        raise _refuse(what, name, os.path.realpath(name), st.st_mode, doing)
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _refuse(what, name, os.path.realpath(name), st.st_mode, doing)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        os.close(fd)
        raise
