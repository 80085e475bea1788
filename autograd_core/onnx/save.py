"""Writing the .onnx file atomically: a temporary file beside the target, flushed to disk, then renamed over it."""
from __future__ import annotations

import os
import stat
import tempfile


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` in one step (readers see the old file or the new one, never half of one);
    a target that exists and is not a regular file (a folder, a device, a pipe) is refused, untouched."""
    target = os.fspath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        raise IsADirectoryError(f"onnx.export: {target!r} exists and is not a regular file; refusing to replace it")
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-onnx-", suffix=".onnx", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
