"""The one file layer against special files: devices, FIFOs, /dev/zero and planted symlinks are refused, never
replaced or read; every writer (checkpoint, viz, explorer, CLI) goes through it; concurrent saves all succeed."""
from __future__ import annotations

import os
import stat
import threading
import time

import numpy as np
import pytest

import nn
import viz
from autograd_core import Tensor, Value
from autograd_core.files import NotRegularFileError, atomic_write, open_input, write_bytes
from nn.checkpoint import load, save
from nn.data import load_mnist, read_idx
from nn.plot import plot_history


@pytest.fixture
def device(tmp_path):
    """A character device node (the null device, 1:3) made in a temporary folder."""
    path = tmp_path / "dev"
    try:
        os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod needs root (CAP_MKNOD)")
    return path


def _still_device(path):
    assert stat.S_ISCHR(os.stat(path).st_mode), "the device node was replaced"


@pytest.mark.parametrize("via_link", [False, True])
def test_save_refuses_a_device_and_keeps_it(device, tmp_path, via_link):
    target = device
    if via_link:
        target = tmp_path / "ck.npz"
        os.symlink(device, target)
    with pytest.raises(NotRegularFileError, match=r"is a character device, not a regular file; refusing to replace"):
        nn.Linear(3, 2).save(target)
    _still_device(device)
    assert sorted(os.listdir(tmp_path)) == sorted(["dev"] + (["ck.npz"] if via_link else []))


def test_every_writer_refuses_a_device(device, tmp_path):
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    y.backward()
    for suffix, write in ((".dot", lambda p: viz.save(y, p)), (".html", lambda p: viz.save(y, p)),
                          (".png", lambda p: plot_history(_history(), p))):
        link = tmp_path / f"out{suffix}"
        os.symlink(device, link)
        with pytest.raises(NotRegularFileError, match="character device"):
            write(link)
        _still_device(device)


def _history():
    from nn.train import History

    h = History()
    h.loss.extend([1.0, 0.5])
    return h


def test_fifo_and_socket_targets_are_refused(tmp_path):
    import socket

    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFileError, match=r"FIFO \(named pipe\)"):
        save({"w": np.zeros(2)}, fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.npz"))
    try:
        with pytest.raises(NotRegularFileError, match="a socket"):
            save({"w": np.zeros(2)}, tmp_path / "s.npz")
    finally:
        sock.close()
    with pytest.raises(IsADirectoryError):
        write_bytes(tmp_path, b"x")


def _unblock_later(fifo, seconds=5.0):
    """Open the FIFO for writing after `seconds`, so that a reader blocked on it returns (the test then fails
    on its timing instead of hanging the suite)."""
    def opener():
        time.sleep(seconds)
        try:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass
    t = threading.Thread(target=opener, daemon=True)
    t.start()


@pytest.mark.parametrize("reader", ["load", "module_load", "read_idx", "load_mnist"])
def test_a_fifo_input_is_refused_at_once(tmp_path, reader):
    name = "train-images-idx3-ubyte" if reader == "load_mnist" else "in.npz"
    fifo = tmp_path / name
    os.mkfifo(fifo)
    if reader == "load_mnist":
        os.mkfifo(tmp_path / "train-labels-idx1-ubyte")
        _unblock_later(tmp_path / "train-labels-idx1-ubyte")
    _unblock_later(fifo)
    start = time.perf_counter()
    with pytest.raises(NotRegularFileError, match=r"is a FIFO \(named pipe\), not a regular file; only regular"):
        {"load": lambda: load(fifo), "module_load": lambda: nn.Linear(2, 2).load(fifo),
         "read_idx": lambda: read_idx(fifo), "load_mnist": lambda: load_mnist(tmp_path)}[reader]()
    assert time.perf_counter() - start < 10.0, "the reader blocked on the FIFO"


def test_dev_zero_through_a_symlink_is_not_read(tmp_path):
    os.symlink("/dev/zero", tmp_path / "ck.npz")
    with pytest.raises(NotRegularFileError, match=r"'.*ck\.npz' \(a symlink to '/dev/zero'\) is a character device"):
        load(tmp_path / "ck.npz")
    with pytest.raises(NotRegularFileError):
        open_input("/dev/zero")


def test_open_input_reports_the_size_before_reading(tmp_path):
    (tmp_path / "f").write_bytes(b"12345")
    f, size = open_input(tmp_path / "f")
    with f:
        assert (size, f.read()) == (5, b"12345")
    with pytest.raises(FileNotFoundError):
        open_input(tmp_path / "missing")
    with pytest.raises(ValueError, match="the file name is empty"):
        open_input("")


def test_explorer_save_ignores_a_planted_tmp_symlink_and_a_users_tmp_file(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    os.symlink(victim, tmp_path / "graph.html.tmp")     # the old fixed temporary name, planted
    x = Tensor(np.ones(3), requires_grad=True)
    ex = viz.explore((x * 2).sum())
    ex.save(tmp_path / "graph.html")
    assert victim.read_text() == "precious" and os.path.islink(tmp_path / "graph.html.tmp")
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") == ex.html


def test_concurrent_explorer_saves_all_succeed(tmp_path):
    x = Tensor(np.ones(3), requires_grad=True)
    pages = [viz.explore((x * k).sum(), title=f"page {k}") for k in range(6)]
    errors = []

    def work(ex):
        try:
            for _ in range(5):
                ex.save(tmp_path / "graph.html")
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(ex,)) for ex in pages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert (tmp_path / "graph.html").read_text(encoding="utf-8") in {ex.html for ex in pages}
    assert os.listdir(tmp_path) == ["graph.html"]


def test_a_failed_picture_write_keeps_the_old_file(tmp_path, monkeypatch):
    x = Value(1.5, label="x")
    y = x * x
    path = tmp_path / "g.dot"
    viz.save(y, path)
    old = path.read_bytes()

    def broken(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match=r"No space left on device: '.*g\.dot'"):
        viz.save(y.tanh(), path)
    monkeypatch.undo()
    assert path.read_bytes() == old and os.listdir(tmp_path) == ["g.dot"]


def test_a_symlink_to_a_regular_file_is_written_through(tmp_path):
    (tmp_path / "real.svg").write_text("old")
    os.symlink("real.svg", tmp_path / "link.dot")
    with atomic_write(tmp_path / "link.dot") as f:
        f.write(b"new")
    assert os.path.islink(tmp_path / "link.dot") and (tmp_path / "real.svg").read_bytes() == b"new"
