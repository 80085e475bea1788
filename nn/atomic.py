"""Atomic file writes: write beside the target, flush to disk, then swap in with os.replace.

Temporary files are named `.tmp-<pid>@<host>-<random><suffix>`, so one left behind by a process
that was killed is recognisable: every write into a folder first removes the temporary files
there whose owner (same host, same user) is no longer running.
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


def _mode(target: str) -> int:
    """The existing file's permission bits, or 0o666 less the umask for a new file."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _named(exc: OSError, path: str) -> OSError:
    """The same error (type and errno) naming the target instead of the hidden temporary file."""
    return type(exc)(exc.errno, exc.strerror or os.strerror(exc.errno or errno.EIO), path)


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` only once fully written.

    A symlink at `path` is written through (its target is replaced, the link stays), as numpy's and
    torch's save do. On any error the temporary file is removed, `path` keeps its old content, and an
    OSError names `path`. The result keeps the old file's permissions (a new one gets 0o666 less the
    umask, not mkstemp's private 0o600).
    """
    target = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(target)
    remove_orphans(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(), suffix=os.path.splitext(target)[1], dir=folder)
    except OSError as exc:
        raise _named(exc, os.fspath(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError) and exc.errno is not None and exc.filename != os.fspath(path):
            raise _named(exc, os.fspath(path)) from None
        raise
