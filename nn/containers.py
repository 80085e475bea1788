"""Sequential: modules applied one after another, named "0", "1", ... as in PyTorch."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterator

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
