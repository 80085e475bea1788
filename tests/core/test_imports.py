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
