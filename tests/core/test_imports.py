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
