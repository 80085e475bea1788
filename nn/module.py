"""Module: the base class that finds parameters and submodules in its attributes and runs forward in its scope.

Discovery rule (no hand-written parameters() anywhere): walk the instance attributes in the order
they were set; a `Parameter` (Tensor) or `ScalarParameter` (Value) is a parameter, a `Module` is a
child, and lists, tuples and dicts are searched too, their items named by position or key
(`layers.0.weight`, `heads.query.bias`). Attributes whose name starts with "_" are private and not
searched (keep caches there). A parameter or module reachable twice is reported once, under the
first name met.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterator

import numpy as np

from autograd_core import Value
from autograd_core.graph.export_watch import note_call
from autograd_core.graph.grad_mode import recording_scope

from . import checkpoint
from .parameter import Parameter, ScalarParameter

_CONTAINERS = (list, tuple, dict)


def _search(value: Any, name: str) -> Iterator[tuple[str, Any]]:
    """(dotted name, item) for each parameter or module inside one attribute value."""
    if isinstance(value, _MEMBERS):
        yield name, value
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _search(item, f"{name}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _search(item, f"{name}.{key}")


def _direct_members(module: "Module") -> list[tuple[str, Any]]:
    """Parameters and modules held directly by `module` (not inside its children), attribute order."""
    out = []
    for attr, value in module.__dict__.items():
        if attr[0] == "_":
            continue
        if isinstance(value, _MEMBERS):
            out.append((attr, value))
        elif isinstance(value, _CONTAINERS):
            out.extend(_search(value, attr))
    return out


class Module:
    """Base class of every layer and model: subclasses set attributes in __init__ and define forward.

    `model(x)` runs `forward(x)` inside a per-thread recording scope owned by the module, so every
    node the call creates carries `node.scope` (owner, enclosing scopes): viz matches the owners
    against `named_modules()` to draw each module as a cluster, for any graph, old or new.
    """

    training: bool
    #: A module written to ONNX as one unit (autograd_core.onnx.export) gives
    #: onnx_form(b, args, kwargs) -> its result with value names in place of Tensors (args: the call's
    #: arguments with names in place of Tensors); None: export writes the ops its forward records.
    onnx_form: Any = None

    def __init__(self) -> None:
        self.training = True

    # ---- calling -------------------------------------------------------------------------------

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        for a in args:
            if isinstance(a, Value) or (isinstance(a, (list, tuple)) and a and isinstance(a[0], Value)):
                self._check_value_input()
                break
        with recording_scope(self):
            out = self.forward(*args, **kwargs)
        if self.onnx_form is not None:
            note_call(self, args, kwargs, out)
        return out

    def _check_value_input(self) -> None:
        """A module holding Tensor parameters called on scalar Values: say what it takes, not which weight
        failed (only direct members are looked at, so the check stays cheap for the scalar path)."""
        if any(isinstance(p, Parameter) for _, p in _direct_members(self)):
            raise TypeError(f"{type(self).__name__}: modules take Tensors or arrays, got a scalar Value; wrap "
                            f"numbers as Tensor([...]), or use nn.scalar (Neuron, Layer, MLP) for a network of "
                            f"Values")

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not defined")

    def __getattr__(self, name: str) -> Any:
        # Only reached when normal lookup fails, i.e. for an unknown attribute.
        hint = " (did its __init__ call super().__init__()?)" if name == "training" else ""
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}{hint}")

    # ---- discovery -----------------------------------------------------------------------------

    def named_children(self) -> Iterator[tuple[str, "Module"]]:
        """(name, module) for each direct submodule, in attribute order."""
        seen: set[int] = set()
        for name, item in _direct_members(self):
            if isinstance(item, Module) and id(item) not in seen:
                seen.add(id(item))
                yield name, item

    def children(self) -> Iterator["Module"]:
        """The direct submodules."""
        for _, m in self.named_children():
            yield m

    def named_modules(self, prefix: str = "", _seen: set[int] | None = None) -> Iterator[tuple[str, "Module"]]:
        """(dotted name, module) for this module ("") and every submodule, depth first."""
        seen = set() if _seen is None else _seen
        if id(self) in seen:
            return
        seen.add(id(self))
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name, seen)

    def modules(self) -> Iterator["Module"]:
        """This module and every submodule."""
        for _, m in self.named_modules():
            yield m

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Any]]:
        """(dotted name, parameter), each once, in torch's order: a module's own parameters first (in
        attribute order), then each submodule's, depth first."""
        out: list[tuple[str, Any]] = []
        self._collect_params(f"{prefix}." if prefix else "", recurse, out, set(), set())
        return iter(out)

    def _collect_params(self, prefix: str, recurse: bool, out: list, seen: set[int], seen_mods: set[int]) -> None:
        seen_mods.add(id(self))
        members = list(_direct_members(self))
        for name, item in members:
            if not isinstance(item, Module) and id(item) not in seen:
                seen.add(id(item))
                out.append((prefix + name, item))
        for name, item in members:
            if isinstance(item, Module) and recurse and id(item) not in seen_mods:
                item._collect_params(f"{prefix}{name}.", recurse, out, seen, seen_mods)

    def parameters(self, recurse: bool = True) -> Iterator[Any]:
        """An iterator over the parameters, in the order of named_parameters() (as torch: wrap it in
        list() to index or count it)."""
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def num_parameters(self, trainable_only: bool = False) -> int:
        """Total number of scalar entries in the parameters."""
        return sum(int(np.size(p.data)) for p in self.parameters() if p.requires_grad or not trainable_only)

    # ---- training state ------------------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: None for a Tensor (zeros with set_to_none=False), 0.0 for a Value."""
        for p in self.parameters():
            if set_to_none or not isinstance(p, Parameter):
                p.zero_grad()
            else:
                p.grad = np.zeros_like(p.data)

    def train(self, mode: bool = True) -> "Module":
        """Set training mode here and in every submodule (Dropout acts only in training)."""
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self) -> "Module":
        """Evaluation mode: train(False)."""
        return self.train(False)

    def requires_grad_(self, flag: bool = True) -> "Module":
        """Switch requires_grad on every parameter (freeze with False)."""
        for p in self.parameters():
            p.requires_grad = bool(flag)
        return self

    def to(self, dtype: Any) -> "Module":
        """Cast every Tensor parameter to `dtype` (e.g. np.float32) in place; gradients are reset.
        The device "cpu" is accepted and changes nothing; other devices do not exist here."""
        if isinstance(dtype, str) and dtype.split(":")[0] in ("cpu", "cuda", "mps"):
            return self if dtype == "cpu" else self.cuda()
        for p in self.parameters():
            if isinstance(p, Parameter):
                p.data = p.data.astype(dtype)
                p.grad = None
        return self

    def cpu(self) -> "Module":
        """self: parameters live in host memory (numpy)."""
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> "Module":
        """There are no devices here: raises, saying so."""
        raise RuntimeError(f"{type(self).__name__}.cuda: there are no devices here (parameters are numpy arrays on "
                           f"the CPU); drop .cuda() and .to('cuda')")

    def double(self) -> "Module":
        """to(float64), as torch's Module.double()."""
        return self.to(np.float64)

    def float(self) -> "Module":
        """to(float32), as torch's Module.float()."""
        return self.to(np.float32)

    def apply(self, fn: Any) -> "Module":
        """Call fn(module) on every submodule (children first, as torch does) and then this module."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    # ---- state, files --------------------------------------------------------------------

    def state_dict(self) -> "OrderedDict[str, np.ndarray]":
        """Ordered {dotted name: copy of the parameter's data as an ndarray}."""
        return checkpoint.state_dict_of(self)

    def load_state_dict(self, state_dict: Any, strict: bool = True) -> checkpoint.LoadResult:
        """Copy arrays (ndarrays, our Tensors or torch tensors) into the parameters.

        Everything is checked before anything is written: with strict, missing and unexpected
        keys raise StateDictError naming them; a shape mismatch always does."""
        return checkpoint.load_state_dict_into(self, state_dict, strict)

    def _state_dict_aliases(self) -> dict[str, str]:
        """Alternative key -> own key (relative), accepted by load_state_dict (e.g. torch's names)."""
        return {}

    def save(self, path: Any) -> None:
        """Write the state_dict to `path` (.npz) atomically: a failed save leaves the old file intact."""
        checkpoint.save(self.state_dict(), path)

    def load(self, path: Any, strict: bool = True) -> "Module":
        """Load parameters saved by save(); a truncated or foreign file raises CheckpointError."""
        checkpoint.load_into(self, path, strict)
        return self

    # ---- printing ----------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The settings shown inside this module's parentheses."""
        return ""

    def __repr__(self) -> str:
        lines = [self.extra_repr()] if self.extra_repr() else []
        for name, child in self.named_children():
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"({name}): {body}")
        if not lines:
            return f"{type(self).__name__}()"
        if len(lines) == 1 and "\n" not in lines[0] and not list(self.named_children()):
            return f"{type(self).__name__}({lines[0]})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


_MEMBERS = (Module, Parameter, ScalarParameter)
