"""Every flag is checked before any work: exit 2 naming the option and its range, writable outputs, no warnings."""
from __future__ import annotations

import json
import time

import pytest
from rel_child import cli

from autograd_cli import limits, main, tasks


class WorkStarted(BaseException):
    """Raised by the stubbed task loader: the command got past its checks."""


@pytest.fixture
def no_work(monkeypatch):
    """Make any data loading fail loudly, so a refused flag provably stopped the command before work."""
    def refuse(*args, **kwargs):
        raise WorkStarted

    monkeypatch.setattr(tasks, "load_task", refuse)


def _run(argv, capsys):
    """(exit code, stderr) of main(argv) in-process; argparse's exit becomes a code."""
    try:
        code = main.main(argv)
    except SystemExit as e:
        code = e.code
    return code, capsys.readouterr().err


USAGE = [
    (["--lr", "inf"], "argument --lr: must be a number with 0 < LR <= 10, got 'inf'"),
    (["--lr", "1e308"], "argument --lr: must be a number with 0 < LR <= 10, got '1e308'"),
    (["--lr", "nan"], "argument --lr: must be a number with 0 < LR <= 10"),
    (["--lr", "0"], "argument --lr: must be a number with 0 < LR <= 10, got '0'"),
    (["--lr", "-0.1"], "argument --lr: must be a number with 0 < LR <= 10"),
    (["--seed", "-1"], "argument --seed: must be from 0 to 4294967295, got -1"),
    (["--seed", "4294967296"], "argument --seed: must be from 0 to 4294967295"),
    (["--hidden", ""], "argument --hidden: bad --hidden '': expected 1 to 16 widths from 1 to 4096"),
    (["--hidden", "16,,16"], "argument --hidden: bad --hidden '16,,16'"),
    (["--hidden", "0"], "argument --hidden: bad --hidden '0'"),
    (["--hidden", "100000000"], "argument --hidden: bad --hidden '100000000'"),
    (["--hidden", ",".join(["4"] * 17)], "expected 1 to 16 widths"),
    (["--hidden", "4096,4096"], "--hidden 4096,4096: a mlp of that size on moons has 16801794 parameters, "
                                "over the limit of 2000000"),
    (["--task", "parity", "--model", "lstm", "--hidden", "300", "--length", "64", "--batch-size", "1000"],
     "one batch would record 57600000 activations, over the limit of 5000000"),
    (["--log-every", "0"], "argument --log-every: must be from 1 to 100000, got 0"),
    (["--log-every", "-5"], "argument --log-every: must be from 1 to 100000, got -5"),
    (["--length", "100000"], "argument --length: must be from 1 to 64, got 100000"),
    (["--epochs", "1000000"], "argument --epochs: must be from 0 to 100000"),
    (["--batch-size", "0"], "argument --batch-size: must be from 1 to 100000"),
    (["--save", "ck.pt"], "--save 'ck.pt': the file name must end in .npz"),
    (["--boundary", "b.png", "--task", "parity"], "--boundary needs a 2-D task"),
    (["--model", "gru", "--hidden", "8,8"], "--model gru has one hidden layer"),
    (["--plot", "c.png", "--epochs", "0"], "--plot needs at least one epoch"),
]


@pytest.mark.parametrize("argv,message", USAGE, ids=[" ".join(a)[:40] for a, _ in USAGE])
def test_usage_error_exits_2_naming_option_and_range_before_work(no_work, capsys, tmp_path, monkeypatch,
                                                                  argv, message):
    monkeypatch.chdir(tmp_path)
    start = time.process_time()  # CPU time: the bound is on work done before the usage error
    code, err = _run(["train", *argv], capsys)
    assert code == 2, err
    assert message in err, err
    assert time.process_time() - start < 1.0


@pytest.mark.parametrize("argv,message", [
    (["--save", "."], "the file name must end in .npz"),
    (["--save", "dir.npz"], "--save 'dir.npz': that is a folder"),
    (["--save", "file.txt/ck.npz"], "--save 'file.txt/ck.npz': 'file.txt' is a file, not a folder"),
    (["--save", "/proc/ck.npz"], "--save '/proc/ck.npz': cannot create files in folder '/proc'"),
    (["--plot", "/proc/c.png"], "--plot '/proc/c.png': cannot create files in folder '/proc'"),
    (["--svg", "nowhere/g.svg"], "--svg 'nowhere/g.svg': folder 'nowhere' does not exist"),
    (["--load", "missing.npz"], "cannot load checkpoint 'missing.npz': no such file"),
    (["--load", "dir.npz"], "cannot load checkpoint 'dir.npz': that is a folder"),
])
def test_unusable_paths_refused_before_work(no_work, capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir.npz").mkdir()
    (tmp_path / "file.txt").write_text("x")
    code, err = _run(["train", *argv], capsys)
    assert code in (1, 2) and message in err, (code, err)
    assert err.count("\n") == 1 if code == 1 else True


def test_valid_flags_reach_the_work(no_work, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["train", "--lr", "10", "--seed", str(limits.MAX_SEED), "--hidden", "4096", "--epochs", "100000",
            "--log-every", "100000", "--batch-size", "100000", "--save", "ck.npz", "--plot", "c.svg"]
    with pytest.raises(WorkStarted):
        main.main(argv)
    assert list(tmp_path.iterdir()) == []      # the writability probe leaves nothing behind


def test_grad_max_nodes_and_svg_checked_first(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, err = _run(["grad", "x", "x=1", "--max-nodes", "0"], capsys)
    assert code == 2 and "argument --max-nodes: must be from 1 to 100000, got 0" in err
    code, err = _run(["grad", "x", "x=1", "--svg", "/proc/g.svg"], capsys)
    assert code == 1 and "--svg '/proc/g.svg': cannot create files in folder '/proc'" in err


def test_no_python_warning_reaches_stderr(tmp_path):
    r = cli("grad", "1if x", "x=1", cwd=tmp_path)
    assert (r.code, r.stderr) == (1, "autograd-core: error: bad syntax: expected 'else' after 'if' expression "
                                     "(column 1)\n")
    r = cli("train", "--optimizer", "sgd", "--lr", "10", "--hidden", "256,256", "--epochs", "5", cwd=tmp_path)
    assert r.code == 1 and "Warning" not in r.stderr, r.stderr
    assert r.stderr.startswith("autograd-core: error: training diverged in epoch ") and "try a smaller --lr" in r.stderr


def _strict_json(text):
    def refuse(name):
        raise ValueError(f"non-standard JSON constant {name}")
    return json.loads(text, parse_constant=refuse)


def test_json_is_strict_with_non_finite_numbers_named(tmp_path, capsys):
    assert main.main(["grad", "sqrt(x)", "x=0", "--json"]) == 0
    out, err = capsys.readouterr()
    data = _strict_json(out)
    assert data["gradient"] == {"x": None} and data["non_finite"] == {"gradient.x": "inf"}
    assert data["value"] == 0.0
    assert "not finite" in err
    assert main.main(["grad", "x*y", "x=1", "y=2", "--json", "--order", "2"]) == 0
    data = _strict_json(capsys.readouterr().out)
    assert data["non_finite"] == {} and data["hessian"] == [[0.0, 1.0], [1.0, 0.0]]


def test_limits_are_stated_in_help_and_docs(capsys):
    with pytest.raises(SystemExit):
        main.main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for stated in ["0 to 100000", "0 < LR <= 10", "1 to 64", "0 to 4294967295", "1 to 16 widths of 1 to 4096",
                   "2,000,000 parameters", "5,000,000 activations"]:
        assert stated in text, stated
    docs = (main.__file__.rsplit("/", 2)[0] + "/docs/cli.md")
    with open(docs) as f:
        table = f.read()
    for stated in [f"0 < LR <= {limits.MAX_LR:g}", f"1 to {limits.MAX_LENGTH}", f"each 1 to {limits.MAX_WIDTH}",
                   f"{limits.MAX_PARAMETERS:,} parameters", f"{limits.MAX_ACTIVATIONS:,} recorded activations"]:
        assert stated in table, stated
