"""Containers as in PyTorch: Sequential (applied in order), ModuleList and ModuleDict (held, not called)."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Iterator

from .module import Module


class Sequential(Module):
    """x -> m_0(x) -> m_1(...) -> ...; indexable, sliceable, len() and iteration like a list.

    Submodules are attributes named "0", "1", ... (or the keys of an OrderedDict), so state_dict
    keys ("0.weight") match a torch.nn.Sequential of the same layers.
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        items = modules[0].items() if len(modules) == 1 and isinstance(modules[0], OrderedDict) \
            else ((str(i), m) for i, m in enumerate(modules))
        self._layers: tuple[Module, ...] = ()
        for name, m in items:
            self._add(str(name), m)

    def _add(self, name: str, module: Any) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"Sequential: item {name!r} is a {type(module).__name__}, expected a Module")
        if name in self.__dict__:
            raise ValueError(f"Sequential: duplicate name {name!r}")
        setattr(self, name, module)
        self._layers = self._layers + (module,)

    def append(self, module: Module) -> "Sequential":
        """Add a module at the end (named by its position)."""
        self._add(str(len(self._layers)), module)
        return self

    def forward(self, x: Any) -> Any:
        for m in self._layers:
            x = m(x)
        return x

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return Sequential(*self._layers[index])
        return self._layers[index]

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._layers)


def _check_module(owner: str, key: str, module: Any) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{owner}: item {key!r} is a {type(module).__name__}, expected a Module")


class ModuleList(Module):
    """A list of modules whose parameters the owner finds ("0.weight", ...), as torch.nn.ModuleList.

    Holds modules only; call them yourself (it has no forward)."""

    def __init__(self, modules: Iterable[Any] = ()) -> None:
        super().__init__()
        self._items: list[Module] = []
        self.extend(modules)

    def _sync(self) -> None:
        """Re-name the attributes "0", "1", ... after a change, in list order."""
        for k in [k for k in self.__dict__ if k.isdigit()]:
            del self.__dict__[k]
        for i, m in enumerate(self._items):
            self.__dict__[str(i)] = m

    def append(self, module: Module) -> "ModuleList":
        """Add a module at the end."""
        _check_module("ModuleList", str(len(self._items)), module)
        self._items.append(module)
        self.__dict__[str(len(self._items) - 1)] = module
        return self

    def extend(self, modules: Iterable[Any]) -> "ModuleList":
        """Append each module."""
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Insert a module before index."""
        _check_module("ModuleList", str(index), module)
        self._items.insert(index, module)
        self._sync()

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ModuleList(self._items[index])
        return self._items[index]

    def __setitem__(self, index: int, module: Module) -> None:
        _check_module("ModuleList", str(index), module)
        self._items[index] = module
        self._sync()

    def __delitem__(self, index: int | slice) -> None:
        del self._items[index]
        self._sync()

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._items)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleList has no forward: iterate over it and call its modules")


class ModuleDict(Module):
    """A dict of modules, named by their keys in parameter names ("enc.weight"), as torch.nn.ModuleDict."""

    def __init__(self, modules: Any = None) -> None:
        super().__init__()
        self._keys: list[str] = []
        if modules is not None:
            self.update(modules)

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str) or not key or key.startswith("_") or "." in key or key == "training":
            raise KeyError(f"ModuleDict: key must be a non-empty string without '.' that does not start with "
                           f"'_' and is not 'training', got {key!r}")
        _check_module("ModuleDict", key, module)
        if key not in self._keys:
            self._keys.append(key)
        self.__dict__[key] = module

    def __getitem__(self, key: str) -> Module:
        if key not in self._keys:
            raise KeyError(f"ModuleDict: no module named {key!r} (keys: {self._keys})")
        return self.__dict__[key]

    def __delitem__(self, key: str) -> None:
        self[key]
        self._keys.remove(key)
        del self.__dict__[key]

    def update(self, modules: Any) -> None:
        """Add (key, module) pairs from a dict or an iterable of pairs."""
        for key, module in (modules.items() if hasattr(modules, "items") else modules):
            self[key] = module

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def keys(self) -> list[str]:
        """The keys in insertion order."""
        return list(self._keys)

    def values(self) -> list[Module]:
        """The modules in insertion order."""
        return [self.__dict__[k] for k in self._keys]

    def items(self) -> list[tuple[str, Module]]:
        """(key, module) pairs in insertion order."""
        return [(k, self.__dict__[k]) for k in self._keys]

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("ModuleDict has no forward: look modules up by key and call them")
