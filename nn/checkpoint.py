"""State dicts and checkpoint files: name -> array maps, strict loading, atomic .npz save and load."""
from __future__ import annotations

import os
import zipfile
import zlib
from collections import OrderedDict
from typing import Any, BinaryIO, Callable, Mapping, NamedTuple

import numpy as np

from autograd_core import Node
from autograd_core.files import NotRegularFileError, atomic_write, open_input

from .bounded_read import DEFAULT_MAX_BYTES, checked_max_bytes
from .npz_reader import Entry, NpzError, check_end_record, read_directory, read_entry


class StateDictError(RuntimeError):
    """A state dict does not fit a module: missing or unexpected keys, or a shape mismatch."""


class CheckpointError(RuntimeError):
    """A file is not a readable checkpoint (truncated, not an .npz archive, or not arrays)."""


class LoadResult(NamedTuple):
    """Keys the module expected but did not get, and keys it got but does not have."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def to_array(value: Any) -> np.ndarray:
    """An ndarray from an ndarray, a number, one of our Tensors/Values or a torch tensor."""
    if isinstance(value, Node):
        return np.asarray(value.data)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor, without importing torch
        value = value.detach()
        value = value.cpu() if hasattr(value, "cpu") else value
        return np.asarray(value.numpy())
    return np.asarray(value)


def state_dict_of(module: Any) -> "OrderedDict[str, np.ndarray]":
    """{dotted name: a copy of the parameter's data} in named_parameters() order."""
    return OrderedDict((name, np.array(p.data, copy=True)) for name, p in module.named_parameters())


def _aliases(module: Any) -> dict[str, str]:
    """Every key alias of every submodule, prefixed by the submodule's name."""
    out: dict[str, str] = {}
    for prefix, m in module.named_modules():
        for alias, own in m._state_dict_aliases().items():
            out[f"{prefix}.{alias}" if prefix else alias] = f"{prefix}.{own}" if prefix else own
    return out


def _check_keys_and_shapes(module: Any, shapes: Mapping[str, tuple[int, ...]], strict: bool) -> LoadResult:
    """Missing and unexpected keys (an error when `strict`) and shape mismatches of {key: shape}
    against `module`'s parameters; keys in torch's spelling go through the modules' aliases."""
    params = OrderedDict(module.named_parameters())
    own = own_keys(module, shapes)
    shapes = {own[k]: shape for k, shape in shapes.items()}
    missing = [k for k in params if k not in shapes]
    unexpected = [k for k in shapes if k not in params]
    if strict and (missing or unexpected):
        raise StateDictError(f"load_state_dict for {type(module).__name__}: missing keys {missing}, "
                             f"unexpected keys {unexpected} (model keys: {list(params)})")
    bad = [f"{k!r}: checkpoint has shape {shape}, model expects {np.shape(params[k].data)}"
           for k, shape in shapes.items() if k in params and tuple(shape) != np.shape(params[k].data)]
    if bad:
        raise StateDictError("load_state_dict: shape mismatch for " + "; ".join(bad))
    return LoadResult(missing, unexpected)


def own_keys(module: Any, keys: Any) -> dict[str, str]:
    """{key as given: the module's own key} (a torch-spelled alias renamed, anything else kept)."""
    names = {name for name, _ in module.named_parameters()}
    aliases = _aliases(module)
    return {k: k if k in names else aliases.get(k, k) for k in keys}


def load_state_dict_into(module: Any, state_dict: Mapping[str, Any], strict: bool = True) -> LoadResult:
    """Check keys and shapes of `state_dict` against `module`, then copy the arrays in.

    Nothing is written unless every check passes. Keys in torch's spelling are renamed through
    the modules' aliases (e.g. RNN's weight_ih_l0 -> cell.weight_ih).
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"load_state_dict: expected a mapping of name -> array, got {type(state_dict).__name__}")
    own = own_keys(module, state_dict)
    arrays = {own[key]: to_array(value) for key, value in state_dict.items()}
    odd = [f"{k!r} (dtype {a.dtype})" for k, a in arrays.items() if a.dtype.kind not in "biuf"]
    if odd:
        raise StateDictError(f"load_state_dict: expected numeric arrays, got {', '.join(odd)}")
    result = _check_keys_and_shapes(module, {k: a.shape for k, a in arrays.items()}, strict)
    params = dict(module.named_parameters())
    for key, arr in arrays.items():
        if key in params:
            _write(params[key], arr)
    return result


def _write(p: Any, arr: np.ndarray) -> None:
    """Copy arr into p's data in place (like torch), casting to p's dtype; a Value gets a float."""
    if isinstance(p.data, float):
        p.data = float(arr)
    elif isinstance(p.data, np.ndarray) and p.data.flags.writeable:
        p.data[...] = arr
    else:
        p.data = np.array(arr, dtype=p.data.dtype)


def save(state_dict: Mapping[str, Any], path: Any) -> None:
    """Write arrays to an .npz at `path` (used as given, no suffix added), atomically.

    The archive goes to a temporary file in the same directory, is flushed to disk, and only
    then replaces `path` (os.replace), so a failure never leaves a half-written file there.
    """
    path = os.fspath(path)
    arrays = {k: to_array(v) for k, v in state_dict.items()}
    odd = [f"{k!r} (dtype {a.dtype})" for k, a in arrays.items() if a.dtype.kind not in "biuf"]
    if odd:
        raise TypeError(f"save {path!r}: expected numeric arrays, got {', '.join(odd)}")
    with atomic_write(path) as f:
        _write_npz(f, arrays)


def _write_npz(f: BinaryIO, arrays: Mapping[str, np.ndarray]) -> None:
    """The .npz layout np.savez writes (one stored `<key>.npy` member per array), but with every key
    a member: np.savez(f, **arrays) takes a key named allow_pickle as its own option and drops it."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for key, array in arrays.items():
            with archive.open(key + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)


def _open_archive(path: str, where: str) -> BinaryIO:
    """The regular file at `path`, opened, holding a zip archive whose end record promises a directory
    within the limits (checked before zipfile parses it), or CheckpointError saying what it is instead."""
    f, size = open_input(path, "load")
    try:
        if f.read(6) == b"\x93NUMPY":
            raise CheckpointError(f"load: {path!r} holds a single .npy array, not an .npz checkpoint")
        check_end_record(f, size, where)
        f.seek(0)
        return f
    except BaseException:
        f.close()
        raise


def _read(path: Any, max_bytes: int, check: Callable[[list[Entry]], None] | None) -> "OrderedDict[str, np.ndarray]":
    """Open, check the directory and headers (then `check(entries)`), and only then read the data."""
    path = os.fspath(path)
    where = f"load: {path!r}"
    max_bytes = checked_max_bytes("load", max_bytes)
    try:
        with _open_archive(path, where) as f, zipfile.ZipFile(f) as zf:
            entries = read_directory(zf, where, max_bytes)
            if check is not None:
                check(entries)
            return OrderedDict((e.key, read_entry(zf, e, where)) for e in entries)
    except (FileNotFoundError, NotRegularFileError, CheckpointError, StateDictError):
        raise
    except NpzError as exc:
        raise CheckpointError(str(exc)) from None
    except MemoryError:
        raise CheckpointError(f"{where}: not enough memory to read the arrays its headers describe") from None
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, zlib.error) as exc:
        raise CheckpointError(f"{where} is not a readable .npz checkpoint (truncated, or not written "
                              f"by save): {type(exc).__name__}: {exc}") from None


def load(path: Any, *, max_bytes: int = DEFAULT_MAX_BYTES) -> "OrderedDict[str, np.ndarray]":
    """Read an .npz checkpoint into an ordered {name: array}; a damaged or foreign file raises
    CheckpointError naming the path (a missing file raises FileNotFoundError).

    Names, dtypes (numeric only) and shapes are checked from the zip directory and the .npy headers
    before any data is read; the arrays together may take at most `max_bytes` (default 1 GiB).
    """
    return _read(path, max_bytes, None)


def load_into(module: Any, path: Any, strict: bool = True, *, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """load(path) then module.load_state_dict; keys and shapes are checked against the module from the
    headers, before any data is read, and key and shape errors also name the file."""
    def check(entries: list[Entry]) -> None:
        _check_keys_and_shapes(module, {e.key: e.shape for e in entries}, strict)

    try:
        return load_state_dict_into(module, _read(path, max_bytes, check), strict)
    except StateDictError as exc:
        raise StateDictError(f"{exc} [file {os.fspath(path)!r}]") from None
