"""Names in generated code: every variable and constant a replay refers to gets a readable, valid and
unique Python identifier, chosen once the whole program is known.

While a program is generated, names are handed out as placeholders (a token per thing named) with
hints: what a thing is called where the user's code reads it (`x`, `model.0.weight`), what made it
(`matmul`) or what it is (`float64`, `ONES_4x2`). A hint can be improved later (a parameter first met
in an optimizer's list is later found as `model.0.weight`); a better-ranked hint wins. `resolve`
then turns every hint into an identifier (NFKC-normalised as Python reads identifiers, invalid
characters replaced, keywords and builtins avoided by a trailing `_`) and makes them unique with
`_2`, `_3`, ... suffixes, in a fixed order so that the same program reads the same way every time.
"""
from __future__ import annotations

import builtins
import inspect
import keyword
import re
import unicodedata
from typing import Any, Callable

import numpy as np

#: Hint ranks, best first: a label the user gave, a module's parameter name, a path the step reads
#: it by (a global, a closure variable, an attribute), a weak path (an optimizer's list), a default.
LABEL, PARAMETER, PATH, WEAK, DEFAULT = range(5)

_RESERVED = frozenset(n for n in dir(builtins) if not n.startswith("_")) | frozenset(keyword.kwlist)
_TOKEN = re.compile("\x00(\\d+)\x00")
_MAX_LEN = 48


def identifier(hint: str, fallback: str = "v") -> str:
    """A valid Python identifier that reads like `hint`: NFKC-normalised, characters an identifier
    cannot hold replaced by `_`, no leading or doubled underscores (names starting with `_` belong to
    the generated code's own helpers). It may still be a keyword or a builtin's name (see `Names`)."""
    text = unicodedata.normalize("NFKC", str(hint))
    text = "".join(c if ("a" + c).isidentifier() else "_" for c in text)
    text = re.sub("_+", "_", text).strip("_")[:_MAX_LEN].rstrip("_")
    if not text or not text.isidentifier():  # empty, or starts with a digit
        text = f"{fallback}_{text}" if text and f"{fallback}_{text}".isidentifier() else fallback
    return text


def path_hint(what: str) -> str:
    """The name a thing has in the step's words ("global model._layers[0].weight", "W (closure of
    step)") as a hint: the path alone, without where it was found."""
    what = re.sub(r" \(closure of [^)]*\)", "", what)
    return what.removeprefix("global ")


def constant_hint(obj: Any) -> str:
    """What a constant is: a class or function by its name, a dtype by its type name, an array by
    its value when every element is the same (ONE, ZEROS_4x2), else by its kind."""
    if obj is Ellipsis:
        return "Ellipsis"
    if isinstance(obj, np.dtype):
        return str(obj)
    if type(obj) is slice:
        return _slice_hint(obj)
    if type(obj) is tuple:  # an index (x[0:2, 1]) or other values
        return "index" if all(v is None or v is Ellipsis or type(v) in (int, slice) for v in obj) else "values"
    if isinstance(obj, type):
        return ("np_" if obj.__module__ == "numpy" else "") + obj.__name__
    if isinstance(obj, (np.ndarray, np.generic, float, complex)):
        return _array_hint(np.asarray(obj))
    name = getattr(obj, "__name__", None)
    if isinstance(name, str) and callable(obj):
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, np.ufunc):  # np.add.reduce, np.add.at
            return f"{owner.__name__}_{name}"
        return _lambda_hint(obj) if name == "<lambda>" else name
    if type(obj) is dict and not obj:
        return "empty_dict"
    return type(obj).__name__.lower()


def _lambda_hint(fn: Any) -> str:
    """A lambda by the function it is written in (`_check_log.<locals>.<lambda>` -> check_log_fn)."""
    parts = [p for p in str(getattr(fn, "__qualname__", "")).split(".") if p not in ("<locals>", "<lambda>")]
    return f"{parts[-1]}_fn" if parts else "fn"


def _slice_hint(s: slice) -> str:
    """slice_0_2 for 0:2, slice_1_end for 1:, slice_0_end_step2 for ::2 (m for minus)."""
    def word(v: Any, default: str) -> str:
        return default if v is None else str(v).replace("-", "m")
    text = f"slice_{word(s.start, '0')}_{word(s.stop, 'end')}"
    return text + (f"_step{word(s.step, '')}" if s.step is not None else "")


_VALUE_WORDS = {0.0: "ZERO", 1.0: "ONE", 2.0: "TWO", 0.5: "HALF", -1.0: "MINUS_ONE"}


def _array_hint(a: np.ndarray) -> str:
    shape = "x".join(str(d) for d in a.shape)
    if a.size == 0 or a.dtype.kind not in "biuf":
        return f"ARRAY_{shape}" if shape else "ARRAY"
    first = a.flat[0]
    if not bool(np.all(a == first)):
        return f"ARRAY_{shape}" if shape else "ARRAY"
    word = _VALUE_WORDS.get(float(first))
    if word is None:
        word = "CONST_" + repr(float(first)).replace("-", "MINUS_").replace(".", "_")
    if not shape:
        return word
    plural = {"ZERO": "ZEROS", "ONE": "ONES", "TWO": "TWOS", "HALF": "HALVES", "MINUS_ONE": "MINUS_ONES"}
    return f"{plural.get(word, word)}_{shape}"


def argument_names(fn: Callable[..., Any], n_pos: int, keys: tuple[str, ...]) -> list[str]:
    """What the step calls its arguments: parameter names by position (`args_0`, ... beyond them
    for *args; `arg0`, ... when the signature cannot be read), then the keywords' names."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    star = next((p.name for p in params if p.kind is p.VAR_POSITIONAL), None)
    names = positional[:n_pos]
    for i in range(len(names), n_pos):
        names.append(f"{star}_{i - len(positional)}" if star else f"arg{i}")
    return names + list(keys)


class _Entry:
    """One named thing: its hint (text, or a function giving it once the program is known), the
    hint's rank, whether the name carries a number (`matmul_3`), the object a constant stands for."""

    __slots__ = ("hint", "rank", "number", "obj", "is_object", "group", "suffix", "final")

    def __init__(self, hint: str | Callable[[], str], rank: int, number: int | None, obj: Any, is_object: bool,
                 group: int) -> None:
        self.hint, self.rank, self.number, self.obj, self.is_object = hint, rank, number, obj, is_object
        self.group = group
        self.suffix = ""  # what the name adds to the hint (`W_tensor` for the Tensor whose array is `W`)
        self.final: str | None = None


class Names:
    """Hands out placeholder tokens with hints, and resolves them into unique identifiers."""

    ARGUMENT, OTHER = 0, 1  # resolution groups: the user's argument names are given out first

    def __init__(self, reserved: Callable[[], Any]) -> None:
        self._reserved = reserved  # the generated code's own names (its helpers), never given out
        self._entries: list[_Entry] = []
        self._taken: set[str] = set()

    def new(self, hint: str | Callable[[], str], rank: int = DEFAULT, *, number: int | None = None,
            obj: Any = None, is_object: bool = False, group: int = OTHER) -> str:
        self._entries.append(_Entry(hint, rank, number, obj, is_object, group))
        return f"\x00{len(self._entries) - 1}\x00"

    def entry(self, token: str) -> _Entry:
        return self._entries[int(token.strip("\x00"))]

    def improve(self, token: str, hint: str | Callable[[], str], rank: int, number: int | None = None) -> None:
        """Use `hint` (and `number`) for the token if it ranks better than the one it has (and it is
        not named yet)."""
        e = self.entry(token)
        if rank < e.rank and e.final is None:
            e.hint, e.rank, e.number = hint, rank, number

    def final(self, token: str) -> str:
        """The token's identifier (named now if it is not yet)."""
        return self._final(self.entry(token))

    def base(self, token: str) -> str:
        """The token's hint as an identifier, before it is made unique (for names derived from it)."""
        e = self.entry(token)
        return identifier(e.hint() if callable(e.hint) else e.hint)

    def resolve(self, text: str) -> str:
        """`text` with every token replaced by its identifier (tokens not named yet are named now)."""
        pending = sorted((e for e in self._entries if e.final is None), key=lambda e: e.group)
        for e in pending:
            self._final(e)
        return _TOKEN.sub(lambda m: self._entries[int(m.group(1))].final or "", text)

    def objects(self) -> dict[str, Any]:
        """name -> object for every resolved constant (what the generated code's globals hold)."""
        return {e.final: e.obj for e in self._entries if e.is_object and e.final is not None
                and getattr(builtins, e.final, None) is not e.obj}

    def _final(self, e: _Entry) -> str:
        if e.final is not None:
            return e.final
        hint = e.hint() if callable(e.hint) else e.hint
        if e.is_object and getattr(builtins, str(hint), None) is e.obj:
            e.final = str(hint)  # a builtin (float, Ellipsis) is referred to by its own name
            return e.final
        base = identifier(hint) + e.suffix
        if e.number is not None:
            base = f"{base}_{e.number}"
        if base in _RESERVED:  # a keyword or a builtin the code may call: `class_`, `input_`
            base += "_"
        name, k = base, 1
        reserved = self._reserved()
        while name in self._taken or name in reserved or name in _RESERVED:
            k += 1
            name = f"{base}{k}" if base.endswith("_") else f"{base}_{k}"
        self._taken.add(name)
        e.final = name
        return name
