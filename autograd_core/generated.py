"""Run generated Python source so that tracebacks, inspect and pdb can read it like a file.

Value's operators, the scalar backward walk and the jit's replays are Python written at run time.
`run_source` compiles such a text under a readable name ("<generated Value.mul #3>"), puts the
text into `linecache` under that name (a traceback then prints the failing line, `inspect.getsource`
returns it and pdb lists and steps through it) and executes it, returning the namespace it defined.
"""
from __future__ import annotations

import itertools
import linecache
from typing import Any

_serial = itertools.count(1)  # makes every name unique: a name never points at another text


def run_source(source: str, name: str, namespace: dict[str, Any],
               local: dict[str, Any] | None = None) -> dict[str, Any]:
    """exec `source` in `namespace` (globals; definitions go to `local` when given) under the file
    name "<generated {name} #n>", registered in linecache; returns the dict the definitions went to."""
    filename = f"<generated {name} #{next(_serial)}>"
    # mtime None: linecache.checkcache keeps the entry (there is no file on disk to compare with)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace, local)  # noqa: S102 - source the library wrote
    return namespace if local is None else local
