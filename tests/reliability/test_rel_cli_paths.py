"""Path options of the command line: empty, mismatched or special-file paths are usage errors (exit 2, naming the
option) before any work; the Hessian's size is bounded before it is computed."""
from __future__ import annotations

import os
import stat
import time

import pytest
from test_rel_cli_flags import _run, no_work  # noqa: F401 - the fixture is used by name

from autograd_cli import limits


@pytest.mark.parametrize("argv,message", [
    (["train", "--save", ""], "--save '': the file name is empty"),
    (["train", "--load", ""], "--load '': the file name is empty"),
    (["train", "--svg", " "], "--svg ' ': the file name is empty"),
    (["train", "--plot", ""], "--plot '': the file name is empty"),
    (["grad", "x", "x=1", "--svg", ""], "--svg '': the file name is empty"),
    (["grad", "x", "x=1", "--svg", "g.html"], "--svg 'g.html': the file name must end in .svg or .png or .pdf"),
    (["train", "--svg", "g.html"], "--svg 'g.html': the file name must end in .svg or .png"),
])
def test_empty_or_mismatched_paths_are_usage_errors(no_work, capsys, tmp_path, monkeypatch,  # noqa: F811
                                                    argv, message):
    monkeypatch.chdir(tmp_path)
    code, err = _run(argv, capsys)
    assert code == 2 and message in err, (code, err)
    assert os.listdir(tmp_path) == []


def test_save_on_a_symlink_to_a_device_is_refused_and_the_device_kept(no_work, capsys, tmp_path,  # noqa: F811
                                                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    try:
        os.mknod("null", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root (CAP_MKNOD)")
    os.symlink("null", "ck.npz")
    code, err = _run(["train", "--save", "ck.npz"], capsys)
    assert code == 2 and "--save: 'ck.npz' (a symlink to" in err and "is a character device, not a regular file" in err
    assert stat.S_ISCHR(os.stat("null").st_mode)


@pytest.mark.parametrize("kind", ["fifo", "dev_zero"])
def test_load_of_a_fifo_or_dev_zero_is_refused_at_once(no_work, capsys, tmp_path, monkeypatch, kind):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    if kind == "fifo":
        os.mkfifo("ck.npz")
    else:
        os.symlink("/dev/zero", "ck.npz")
    start = time.perf_counter()  # wall time: a reader blocked on the FIFO would use no CPU
    code, err = _run(["train", "--load", "ck.npz"], capsys)
    what = "a FIFO (named pipe)" if kind == "fifo" else "a character device"
    assert code == 2 and f"cannot load checkpoint 'ck.npz': that is {what}, not a regular file" in err, err
    assert time.perf_counter() - start < 10.0  # generous: a hang or an endless read is the failure


def test_hessian_size_is_bounded_before_work(capsys):
    n = int(limits.MAX_HESSIAN_ENTRIES ** 0.5) + 1
    expr = "+".join(f"x{i}*x{i}" for i in range(n))
    start = time.process_time()  # CPU time: the bound is on work done before refusing
    code, err = _run(["grad", expr, *(f"x{i}=1" for i in range(n)), "--order", "2"], capsys)
    assert code == 2 and time.process_time() - start < 2.0
    assert (f"--order 2: the Hessian of {n} variables has {n * n} entries, over the limit of "
            f"{limits.MAX_HESSIAN_ENTRIES} (at most {n - 1} variables)") in err
    code, _ = _run(["grad", "x*y", "x=1", "y=2", "--order", "2"], capsys)
    assert code == 0
