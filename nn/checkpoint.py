"""State dicts and checkpoint files: name -> array maps, strict loading, atomic .npz save and load."""
from __future__ import annotations

import os
import zipfile
from collections import OrderedDict
from typing import Any, Mapping, NamedTuple

import numpy as np

from autograd_core import Node

from .atomic import atomic_write


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


def _check_shapes(params: Mapping[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    bad = [f"{k!r}: checkpoint has shape {arrays[k].shape}, model expects {np.shape(params[k].data)}"
           for k in arrays if k in params and arrays[k].shape != np.shape(params[k].data)]
    if bad:
        raise StateDictError("load_state_dict: shape mismatch for " + "; ".join(bad))


def load_state_dict_into(module: Any, state_dict: Mapping[str, Any], strict: bool = True) -> LoadResult:
    """Check keys and shapes of `state_dict` against `module`, then copy the arrays in.

    Nothing is written unless every check passes. Keys in torch's spelling are renamed through
    the modules' aliases (e.g. RNN's weight_ih_l0 -> cell.weight_ih).
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(f"load_state_dict: expected a mapping of name -> array, got {type(state_dict).__name__}")
    params = OrderedDict(module.named_parameters())
    aliases = _aliases(module)
    arrays = {}
    for key, value in state_dict.items():
        own = key if key in params else aliases.get(key, key)
        arrays[own] = to_array(value)
    odd = [f"{k!r} (dtype {a.dtype})" for k, a in arrays.items() if a.dtype.kind not in "biuf"]
    if odd:
        raise StateDictError(f"load_state_dict: expected numeric arrays, got {', '.join(odd)}")
    missing = [k for k in params if k not in arrays]
    unexpected = [k for k in arrays if k not in params]
    if strict and (missing or unexpected):
        raise StateDictError(f"load_state_dict for {type(module).__name__}: missing keys {missing}, "
                             f"unexpected keys {unexpected} (model keys: {list(params)})")
    _check_shapes(params, arrays)
    for key, arr in arrays.items():
        if key in params:
            _write(params[key], arr)
    return LoadResult(missing, unexpected)


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
        np.savez(f, **arrays)


def load(path: Any) -> "OrderedDict[str, np.ndarray]":
    """Read an .npz checkpoint into an ordered {name: array}; a damaged or foreign file raises
    CheckpointError naming the path (a missing file raises FileNotFoundError)."""
    path = os.fspath(path)
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise CheckpointError(f"load: {path!r} holds a single .npy array, not an .npz checkpoint")
        with archive:
            return OrderedDict((k, archive[k]) for k in archive.files)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise CheckpointError(f"load: {path!r} is not a readable .npz checkpoint (truncated, or not written "
                              f"by save): {type(exc).__name__}: {exc}") from None


def load_into(module: Any, path: Any, strict: bool = True) -> LoadResult:
    """load(path) then module.load_state_dict; key and shape errors also name the file."""
    arrays = load(path)
    try:
        return load_state_dict_into(module, arrays, strict)
    except StateDictError as exc:
        raise StateDictError(f"{exc} [file {os.fspath(path)!r}]") from None
