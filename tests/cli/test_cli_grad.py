"""`autograd-core grad` through the real command in a subprocess: printed numbers and exit codes."""
from __future__ import annotations

import json
import math

import pytest


def test_grad_prints_value_and_every_partial(cli):
    r = cli("grad", "tanh(x*w + b)", "x=1", "w=-2", "b=0.5")
    assert r.returncode == 0, r.stderr
    t = math.tanh(-1.5)
    lines = dict(line.split(" = ", 1) for line in r.stdout.splitlines() if " = " in line and "at" not in line)
    assert float(lines["value"]) == pytest.approx(t, rel=1e-9)
    assert float(lines["df/dx"]) == pytest.approx(-2 * (1 - t * t), rel=1e-9)
    assert float(lines["df/dw"]) == pytest.approx(1 - t * t, rel=1e-9)
    assert float(lines["df/db"]) == pytest.approx(1 - t * t, rel=1e-9)
    assert r.stderr == ""


def test_grad_order_2_json_with_options_between_values(cli):
    r = cli("grad", "x*y + x**3", "x=2", "--order", "2", "y=3", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["value"] == 14.0
    assert out["gradient"] == {"x": 15.0, "y": 2.0}
    assert out["hessian"] == [[12.0, 1.0], [1.0, 0.0]]


def test_grad_order_2_text_table(cli):
    r = cli("grad", "x*y", "x=2", "y=3", "--order", "2")
    assert r.returncode == 0, r.stderr
    rows = r.stdout.splitlines()[-2:]
    assert rows[0].split() == ["x", "0", "1"] and rows[1].split() == ["y", "1", "0"]


def test_grad_renders_both_views_to_svg(cli, tmp_path):
    pytest.importorskip("graphviz")
    import xml.etree.ElementTree as ET

    r = cli("grad", "tanh(x*w + b)", "x=1", "w=-2", "b=0.5", "--svg", "g.svg", "--view", "backward")
    assert r.returncode == 0, r.stderr
    root = ET.parse(tmp_path / "g.svg").getroot()
    assert root.tag.endswith("svg")
    assert "tanh" in (tmp_path / "g.svg").read_text()


@pytest.mark.parametrize("args, fragments", [
    (("grad", "x + y", "x=1"), ("missing value for variable 'y'", "y=NUMBER")),
    (("grad", "x + 1", "x=1", "z=2"), ("unknown variable 'z'",)),
    (("grad", "x +* 2", "x=1"), ("bad syntax", "column 4")),
    (("grad", "foo(x)", "x=1"), ("unknown function 'foo'",)),
    (("grad", "log(x)", "x=-1"), ("log: expected a positive input, got -1.0",)),
    (("grad", "x", "x=abc"), ("bad argument 'x=abc'",)),
    (("grad", "x", "x"), ("expected NAME=NUMBER",)),
    (("grad", "9**9**9"), ("value overflowed",)),
    (("grad", "x", "x=1", "--svg", "no/such/dir/g.svg"), ("does not exist",)),
    (("grad", "+".join(["x"] * 600), "x=1", "--svg", "g.svg"), ("too big to draw", "--max-nodes")),
])
def test_grad_errors_are_one_line_with_exit_code_1(cli, clean_error, args, fragments):
    r = cli(*args)
    clean_error(r, *fragments)
    assert r.stdout == ""


def test_expression_may_start_with_minus(cli):
    r = cli("grad", "-x*y", "x=1", "y=2", "--json")
    assert json.loads(r.stdout)["gradient"] == {"x": -2.0, "y": -1.0}


def test_usage_errors_exit_2(cli, clean_error):
    clean_error(cli("grad", "x", "x=1", "--order", "3"), "invalid choice", code=2)
    clean_error(cli("frobnicate"), "invalid choice", code=2)


def test_installed_console_script_runs_the_same_command(tmp_path):
    """The `autograd-core` entry point of an installed package (skipped when not installed here)."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    script = Path(sys.executable).with_name("autograd-core")
    script = str(script) if script.exists() else shutil.which("autograd-core")
    if script is None:
        pytest.skip("autograd-core is not installed in this environment")
    r = subprocess.run([script, "grad", "x*y", "x=2", "y=3", "--json"], cwd=tmp_path, capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["gradient"] == {"x": 3.0, "y": 2.0}
