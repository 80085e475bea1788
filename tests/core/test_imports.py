"""`import autograd_core` stays light: it loads neither nn, viz, graphviz nor the CLI."""
from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_importing_the_engine_loads_no_other_package() -> None:
    code = ("import sys, autograd_core; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'nn', 'viz', 'graphviz', 'autograd_cli', 'tqdm', 'matplotlib', 'torch', 'onnx', 'onnxruntime'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": REPO}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _imports(path: str, package: str) -> list[tuple[str, list[str]]]:
    """(module imported, names taken) for every import in the file, function-level ones included;
    relative imports resolved against `package`."""
    import ast
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.append((module, [a.name for a in node.names]))
    return found


def _package_files(package: str) -> list[tuple[str, str]]:
    """(module name, path) of every .py file under the package folder."""
    out = []
    for folder, _, files in os.walk(os.path.join(REPO, package)):
        for name in files:
            if name.endswith(".py"):
                rel = os.path.relpath(os.path.join(folder, name), REPO)[:-3].replace(os.sep, ".")
                out.append((rel.removesuffix(".__init__"), os.path.join(folder, name)))
    return out


def test_no_engine_module_names_the_cli_and_the_cli_serves_python_m() -> None:
    """Dependencies point one way: the CLI uses autograd_core, never the reverse (not even a __main__)."""
    offenders = [(mod, target) for mod, path in _package_files("autograd_core")
                 for target, _ in _imports(path, mod.rsplit(".", 1)[0] if not path.endswith("__init__.py") else mod)
                 if target.split(".")[0] == "autograd_cli"]
    assert offenders == []
    assert not os.path.exists(os.path.join(REPO, "autograd_core", "__main__.py"))
    out = subprocess.run([sys.executable, "-m", "autograd_cli", "--help"], capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": REPO}, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "grad" in out.stdout and "train" in out.stdout


def test_nn_live_and_plot_do_not_import_each_other_and_losses_share_public_names() -> None:
    graph = {mod: [t for t, _ in _imports(path, mod.rsplit(".", 1)[0])] for mod, path in _package_files("nn")
             if mod in ("nn.live", "nn.plot")}
    assert "nn.plot" in graph["nn.live"] and "nn.live" not in graph["nn.plot"]
    private = [(mod, name) for mod, path in _package_files("nn") if mod != "nn.losses"
               for target, names in _imports(path, mod.rsplit(".", 1)[0]) if target == "nn.losses"
               for name in names if name.startswith("_")]
    assert private == []


def _tensor_imports(path: str, module: str) -> list[tuple[str, list[str]]]:
    """The imports in `module` (at `path`) that reach for Tensor: its defining module (also as `from .
    import tensor`), the public autograd_core.tensor package from outside it, or the name Tensor."""
    from autograd_core.tensor.tensor import Tensor
    package = module.rsplit(".", 1)[0]
    home = Tensor.__module__

    def reaches(target: str) -> bool:
        return target == home or (target == "autograd_core.tensor" and package != target)
    return [(target, names) for target, names in _imports(path, package)
            if reaches(target) or any(reaches(f"{target}.{n}") for n in names) or "Tensor" in names]


def test_tensor_mixins_never_import_tensor_not_even_lazily() -> None:
    """Tensor's method mixins (every class in its MRO from another module) build results through the node's
    hooks (self._leaf, _op1, _op2, apply), so none imports Tensor, not even inside a function."""
    import inspect

    from autograd_core.tensor.tensor import Tensor
    modules = {c.__module__: inspect.getsourcefile(c) for c in Tensor.__mro__[1:]
               if c.__module__.startswith("autograd_core.") and c.__module__ != Tensor.__module__}
    # tensor/: shape, reduce, select, linalg, convert, inplace, attrs; operators/: arithmetic,
    # elementwise_math, comparisons; graph/node
    assert len(modules) == 11, sorted(modules)
    offenders = [(mod, found) for mod, path in modules.items() if path and (found := _tensor_imports(path, mod))]
    assert offenders == []


def test_the_mixin_import_check_finds_a_lazy_import(tmp_path: object) -> None:
    path = os.path.join(str(tmp_path), "mixin.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write("import numpy\nfrom .ops import apply\n\ndef f():\n    from .tensor import where\n\n"
                "def g():\n    from autograd_core import Tensor\n\ndef h():\n    from . import tensor\n")
    assert _tensor_imports(path, "autograd_core.tensor.fake") == [
        ("autograd_core.tensor.tensor", ["where"]), ("autograd_core", ["Tensor"]), ("autograd_core.tensor", ["tensor"])]
    with open(path, "w", encoding="utf-8") as f:  # a mixin outside tensor/ may not reach into the package at all
        f.write("from .op_methods import named\nfrom ..tensor.attrs import TensorAttrs\n\ndef f():\n"
                "    from ..tensor import where\n\ndef g():\n    from .. import tensor\n")
    assert _tensor_imports(path, "autograd_core.operators.fake") == [
        ("autograd_core.tensor", ["where"]), ("autograd_core", ["tensor"])]


def test_results_built_through_the_leaf_hook_are_plain_tensors_with_the_right_numbers() -> None:
    """Comparisons, indices, integer casts and sorts of a Tensor subclass are constant Tensors."""
    import numpy as np

    from autograd_core.tensor.tensor import Tensor

    class Sub(Tensor):
        __slots__ = ()

    x = Sub([3.0, -1.0, 2.0], requires_grad=True)
    results = {"lt": (x < 2.5, [False, True, True]), "argmax": (x.argmax(), 0), "long": (x.long(), [3, -1, 2]),
               "argsort": (x.argsort(), [1, 2, 0]), "sort.indices": (x.sort().indices, [1, 2, 0]),
               "max.indices": (x.max(0).indices, 0), "any": (x.any(), True),
               "div floor": (x.long().div(2, rounding_mode="floor"), [1, -1, 1])}
    for name, (got, want) in results.items():
        assert type(got) is Tensor and not got.requires_grad and got.parents == (), name
        assert np.array_equal(got.data, np.asarray(want)), (name, got.data)
