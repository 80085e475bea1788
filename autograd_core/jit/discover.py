"""Walk everything a step can read (its closure, the globals it names, helper functions, the object it is
bound to, its non-array arguments) and say, for each thing met, how a replay re-checks or re-reads it."""
from __future__ import annotations

import types
from typing import Any, Callable

import numpy as np

from ..random import Generator
from ..tensor.tensor import Tensor
from .names import PARAMETER, PATH, WEAK, path_hint

_SCALARS = (bool, int, float, complex, str, bytes, type(None), np.generic)
_SKIP = (types.ModuleType, type, types.BuiltinFunctionType, types.BuiltinMethodType)


def is_scalar(x: Any) -> bool:
    """Numbers, strings, None, dtypes and tuples of them: compared by value (value_key)."""
    if isinstance(x, _SCALARS) or isinstance(x, np.dtype):
        return True
    return type(x) is tuple and all(is_scalar(v) for v in x)


def value_key(x: Any) -> Any:
    """What two Python values must share to be the same constant: their types and values, with
    -0.0 and 0.0 (and NaNs) told apart by float.hex."""
    if type(x) is float:
        return (float, x.hex())
    if type(x) is tuple:
        return (tuple,) + tuple(value_key(v) for v in x)
    if isinstance(x, np.floating):
        return (type(x), float(x).hex())
    return (type(x), x)


def value_changed(expr: str, value: Any, name: Callable[..., str]) -> str:
    """A condition true when `expr` is no longer `value` (type and value; -0.0 is not 0.0); `name`
    (object, hint) gives the name a generated program refers to a constant by."""
    t = type(value)
    if value is None or t is bool:
        return f"{expr} is not {value!r}"
    if t in (int, str) or (t is float and value == value and value not in (0.0, float("inf"), float("-inf"))):
        return f"{expr}.__class__ is not {t.__name__} or {expr} != {value!r}"
    return f"_vkey({expr}) != {name(value_key(value), f'key_{value!r}')}"


class Holder:
    """Where a value lives, so a trace can swap a traced stand-in in and back: a closure cell, a
    dict (globals, a module's or object's __dict__, a plain dict) or a list slot."""

    __slots__ = ("obj", "key")

    def __init__(self, obj: Any, key: Any) -> None:
        self.obj, self.key = obj, key

    def get(self) -> Any:
        return self.obj.cell_contents if self.key is None else self.obj[self.key]

    def set(self, value: Any) -> None:
        if self.key is None:
            self.obj.cell_contents = value
        else:
            self.obj[self.key] = value


class Reach:
    """What a walk found: guard lines (as (condition, words)), Tensors and arrays to read afresh
    on every call, optimizers and numpy Generators met."""

    def __init__(self, name: Callable[..., str]) -> None:
        self.name = name  # (obj, hint, rank) -> the name a generated program refers to it by (Namespace.name)
        self.guards: list[tuple[str, str]] = []
        self.tensors: list[tuple[Tensor, str]] = []
        self.arrays: list[tuple[Holder, str, str]] = []  # (holder, read expression, words)
        self.optimizers: list[Any] = []
        self.generators: list[np.random.Generator] = []
        self.streams: list[Generator] = []  # autograd_core Generators (their draws replay live)
        self.objects: list[Any] = []  # modules, configs, schedulers: objects whose attributes were read
        self.seen: set[int] = set()

    def read(self, expr: str, value: Any, what: str, depth: int, holder: Holder | None = None) -> None:
        """Guard what `expr` gives now (value) and walk into it."""
        if isinstance(value, _SKIP):
            return
        if is_scalar(value):
            self.guards.append((value_changed(expr, value, self.name), f"{what} == {value!r}"))
            return
        if type(value) is np.ndarray and value.dtype == bool:  # a mask: shapes of x[mask] depend on its values
            was = self.name(value.copy(), f"{path_hint(what)}_was", PATH)
            self.guards.append((f"not _same_array({expr}, {was})", f"{what} is still {value!r}"))
            return
        if type(value) is np.ndarray and holder is not None and not isinstance(holder.obj, tuple):
            self.guards.append((f"{expr}.__class__ is not _nd", f"{what} is an array"))
            self.arrays.append((holder, expr, what))
            return
        weak = what.startswith(("params entry", "the step object")) or "param_groups" in what
        name = self.name(value, path_hint(what), WEAK if weak else PATH)
        if expr != name:  # (a params entry is read by its own name: nothing to compare)
            self.guards.append((f"{expr} is not {name}", f"{what} is the same {type(value).__name__} object"))
        self.walk(value, expr, what, depth)

    def walk(self, obj: Any, expr: str, what: str, depth: int) -> None:
        if id(obj) in self.seen:
            return
        self.seen.add(id(obj))
        if isinstance(obj, Tensor):
            self.tensors.append((obj, what))
        elif isinstance(obj, np.random.Generator):
            self.generators.append(obj)
        elif isinstance(obj, Generator):
            self.streams.append(obj)
        elif isinstance(getattr(obj, "param_groups", None), list):
            self._optimizer(obj, what)
        elif isinstance(obj, (types.FunctionType, types.MethodType)):
            if depth > 0:
                self.function(obj, what, depth - 1)
        elif type(obj) in (list, dict) and depth > 0:
            self._container(obj, expr, what, depth - 1)
        elif type(obj) is tuple and depth > 0:
            self.guards.append((f"len({expr}) != {len(obj)}", f"len({what}) == {len(obj)}"))
            for i, v in enumerate(obj):
                self.read(f"{expr}[{i}]", v, f"{what}[{i}]", depth - 1)
        elif isinstance(getattr(getattr(obj, "optimizer", None), "param_groups", None), list):
            self.objects.append(obj)  # a learning-rate scheduler: its step replays live, its optimizer is read
            self.read(f"{self.name(obj)}.optimizer", obj.optimizer, f"{what}.optimizer", depth)
        elif hasattr(obj, "__dict__") and not callable(obj) or _is_module(obj):
            self._attributes(obj, what, depth if _is_module(obj) else depth - 1)

    def _attributes(self, obj: Any, what: str, depth: int) -> None:
        """A Module (every attribute, at any depth of submodules) or a plain object such as a config."""
        if depth < 0:
            return
        self.objects.append(obj)
        if _is_module(obj):
            self._parameter_names(obj, what)
        d = vars(obj)
        dname = self.name(d, f"{path_hint(what)}_attrs", PATH)
        self.guards.append((f"len({dname}) != {len(d)}", f"{what} has the attributes {sorted(d)}"))
        for key, v in list(d.items()):
            self.read(f"{dname}.get({key!r}, _M)", v, f"{what}.{key}", depth, Holder(d, key))

    def _parameter_names(self, module: Any, what: str) -> None:
        """Name a module's parameters as the module does (`model.0.weight`): a hint only."""
        try:
            named = list(module.named_parameters())
        except Exception:  # noqa: BLE001 - a module whose walk fails is still read; its names are a nicety
            return
        for pname, p in named:
            self.name(p, f"{path_hint(what)}.{pname}", PARAMETER)

    def _container(self, obj: Any, expr: str, what: str, depth: int) -> None:
        self.guards.append((f"len({expr}) != {len(obj)}", f"len({what}) == {len(obj)}"))
        items = obj.items() if type(obj) is dict else enumerate(obj)
        for key, v in list(items):
            sub = f"{expr}.get({key!r}, _M)" if type(obj) is dict else f"{expr}[{key}]"
            if type(obj) is dict and not is_scalar(key):
                continue
            self.read(sub, v, f"{what}[{key!r}]", depth, Holder(obj, key))

    def _optimizer(self, opt: Any, what: str) -> None:
        """The groups and the parameters in them (identity); hyperparameters are read live by the
        replayed update, so a schedule or a changed lr needs no new trace."""
        self.optimizers.append(opt)
        groups = opt.param_groups
        gexpr = f"{self.name(opt)}.param_groups"
        where = path_hint(what)
        self.guards.append((f"{gexpr} is not {self.name(groups, f'{where}_groups', PATH)} or "
                            f"len({gexpr}) != {len(groups)}",
                            f"{what}.param_groups is the same list of {len(groups)} groups"))
        for i, g in enumerate(groups):
            ps = g.get("params", [])
            gname, pname = self.name(g, f"{where}_group{i}", PATH), self.name(ps, f"{where}_group{i}_params", PATH)
            self.guards.append((f"{gexpr}[{i}] is not {gname} or {gexpr}[{i}].get('params') is not "
                                f"{pname} or len({pname}) != {len(ps)}",
                                f"{what}.param_groups[{i}] is the same group of {len(ps)} parameters"))
            for j, p in enumerate(ps):
                self.guards.append((f"{pname}[{j}] is not {self.name(p, f'{where}_param{j}', WEAK)}",
                                    f"{what}.param_groups[{i}]['params'][{j}] is the same parameter"))
                self.walk(p, "", f"{what}.param_groups[{i}]['params'][{j}]", 0)

    def function(self, fn: Any, what: str, depth: int) -> None:
        """A function's closure cells and the globals it names (a helper's too, to `depth`)."""
        bound = getattr(fn, "__self__", None)
        if bound is not None and not isinstance(bound, types.ModuleType):
            self.read(f"{self.name(fn)}.__self__", bound, f"{what}.__self__", depth + 1)
        fn = getattr(fn, "__func__", fn)
        code = getattr(fn, "__code__", None)
        if code is None:
            return
        for cell, var in zip(fn.__closure__ or (), code.co_freevars):
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            self.read(f"{self.name(cell, f'{var}_cell', PATH)}.cell_contents", value, f"{var} (closure of {fn.__name__})", depth,
                      Holder(cell, None))
        glb = fn.__globals__
        gname = self.name(glb, f"{glb.get('__name__', 'module')}_globals", PATH)
        names = code_names(code)
        for n in names:
            if n in glb:
                self.read(f"{gname}.get({n!r}, _M)", glb[n], f"global {n}", depth, Holder(glb, n))
                if isinstance(glb[n], types.ModuleType):
                    self._module_values(glb[n], n, names)

    def _module_values(self, mod: types.ModuleType, alias: str, names: list[str]) -> None:
        """Numbers and strings the code may read as attributes of a Python module (config.lr)."""
        for a in names:
            value = getattr(mod, a, None)
            if a[:2] != "__" and value is not None and is_scalar(value):
                self.guards.append((value_changed(f"{self.name(mod, alias, PATH)}.{a}", value, self.name),
                                    f"{alias}.{a} == {value!r}"))


def _is_module(obj: Any) -> bool:
    return callable(getattr(obj, "named_parameters", None)) and hasattr(obj, "training")


def code_names(code: types.CodeType) -> list[str]:
    """The global and attribute names a code object (and the functions defined in it) reads."""
    out = list(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out.extend(code_names(const))
    return list(dict.fromkeys(out))


def same_array(a: Any, b: np.ndarray) -> bool:
    """Whether a is an ndarray equal to b in shape, dtype and every value (a guard on a mask)."""
    return type(a) is np.ndarray and a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b))


def find_paths(fn: Any, wanted: set[int], depth: int = 4) -> dict[int, str]:
    """Where `fn` reads each wanted object (by id), as a path: `layer[0].w[1]`, `out.b`. Breadth
    first from its closure variables, the globals its code names and the object it is bound to,
    through lists, tuples, dicts and object attributes, `depth` steps at most: the shortest wins."""
    frontier: list[tuple[str, Any]] = []
    bound = getattr(fn, "__self__", None)
    if bound is not None and not isinstance(bound, types.ModuleType):
        frontier.append(("self", bound))
    fn = getattr(fn, "__func__", fn)
    code = getattr(fn, "__code__", None)
    if code is not None:
        for var, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                frontier.append((var, cell.cell_contents))
            except ValueError:  # an empty cell
                continue
        frontier += [(n, fn.__globals__[n]) for n in code_names(code) if n in fn.__globals__]
    found: dict[int, str] = {}
    seen: set[int] = set()
    for _ in range(depth + 1):
        if len(found) == len(wanted) or not frontier:
            break
        step: list[tuple[str, Any]] = []
        for path, obj in frontier:
            if id(obj) in seen or isinstance(obj, _SKIP + _SCALARS + (np.ndarray, types.FunctionType)):
                continue
            seen.add(id(obj))
            if id(obj) in wanted:
                found[id(obj)] = path
            else:
                step += _inside(path, obj)
        frontier = step
    return found


def _inside(path: str, obj: Any) -> list[tuple[str, Any]]:
    """The items of a list, tuple or dict, or an object's attributes, with their paths."""
    if type(obj) in (list, tuple):
        return [(f"{path}[{i}]", v) for i, v in enumerate(obj[:10_000])]
    if type(obj) is dict:
        return [(f"{path}[{k!r}]", v) for k, v in list(obj.items())[:10_000] if is_scalar(k)]
    try:
        attrs = vars(obj)
    except Exception:  # noqa: BLE001 - no __dict__, or one that refuses to be read: nothing to name inside
        return []
    if type(attrs) is dict:
        return [(f"{path}.{k}", v) for k, v in list(attrs.items())[:10_000]]
    return []

