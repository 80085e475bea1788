"""Checkpoint saves under faults, in child processes: kill -9, a full disk, a read-only folder, a symlink."""
from __future__ import annotations

import errno
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from rel_child import child_env, python

from autograd_core.files import atomic_write
from nn.checkpoint import load, save

ORPHAN = re.compile(r"^\.tmp-(\d+)@")
SAVE_LOOP = """
import sys, numpy as np
from nn.checkpoint import save
arrays = [{"w": np.full(500_000, float(i))} for i in (1, 2)]
i = 0
while True:
    save(arrays[i % 2], "ck.npz")
    if i == 0:
        print("ready", flush=True)
    i += 1
"""
STALL_MID_SAVE = """
import time, numpy as np
from autograd_core.files import atomic_write
with atomic_write("ck.npz") as f:
    f.write(b"PK half an archive")
    f.flush()
    print("writing", flush=True)
    time.sleep(60)
"""


def _temps(folder):
    return sorted(n for n in os.listdir(folder) if n.startswith(".tmp-"))


def _start(code, cwd):
    return subprocess.Popen([sys.executable, "-c", code], cwd=cwd, env=child_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_kill_9_mid_save_keeps_old_file_and_next_save_removes_the_orphan(tmp_path):
    save({"w": np.arange(3.0)}, tmp_path / "ck.npz")
    child = _start(STALL_MID_SAVE, tmp_path)
    assert child.stdout.readline() == "writing\n", child.stderr.read()
    orphans = _temps(tmp_path)
    assert len(orphans) == 1 and ORPHAN.match(orphans[0]).group(1) == str(child.pid)
    save({"w": np.zeros(1)}, tmp_path / "other.npz")       # the owner is alive: its file stays
    assert _temps(tmp_path) == orphans
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    np.testing.assert_array_equal(load(tmp_path / "ck.npz")["w"], np.arange(3.0))
    save({"w": np.ones(2)}, tmp_path / "other.npz")        # the owner is dead: the next save removes it
    assert _temps(tmp_path) == []


def test_kill_9_at_random_moments_never_breaks_the_file(tmp_path):
    rng, seen = random.Random(0), 0
    for _ in range(6):
        child = _start(SAVE_LOOP, tmp_path)
        assert child.stdout.readline() == "ready\n", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        seen += len(_temps(tmp_path))
        w = load(tmp_path / "ck.npz")["w"]                  # always the old or the new file, whole
        assert w.shape == (500_000,) and w[0] in (1.0, 2.0) and (w == w[0]).all()
    save({"w": np.zeros(1)}, tmp_path / "ck.npz")
    assert _temps(tmp_path) == [], seen


def test_injected_enospc_names_the_target_and_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "ck.npz"
    save({"w": np.arange(4.0)}, path)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match=r"No space left on device: '.*ck\.npz'") as info:
        save({"w": np.zeros(10)}, path)
    assert info.value.errno == errno.ENOSPC and ".tmp-" not in str(info.value)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["ck.npz"]
    np.testing.assert_array_equal(load(path)["w"], np.arange(4.0))


def _in_tmpfs(tmp_path, script, options):
    """Run `script` with ./mnt a fresh tmpfs (mounted with `options`) in a private mount namespace."""
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs root and unshare(1) to mount a private tmpfs")
    (tmp_path / "mnt").mkdir()
    (tmp_path / "child.py").write_text(script)
    shell = f"mount -t tmpfs -o {options} tmpfs mnt && exec {sys.executable} child.py"
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", shell], cwd=tmp_path,
                       env=child_env(), capture_output=True, text=True, timeout=30)
    if "mount" in r.stderr and r.returncode != 0 and "Traceback" not in r.stderr:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    return r


FULL_DISK = """
import errno, os, numpy as np
from nn.checkpoint import load, save
save({"w": np.arange(5.0)}, "mnt/ck.npz")
try:
    save({"w": np.zeros(200_000)}, "mnt/ck.npz")
except OSError as e:
    print("errno", e.errno == errno.ENOSPC, "|", e)
print("old", load("mnt/ck.npz")["w"].tolist(), "files", os.listdir("mnt"))
"""


def test_real_full_tmpfs(tmp_path):
    r = _in_tmpfs(tmp_path, FULL_DISK, "size=256k")
    assert r.returncode == 0, r.stderr
    assert "errno True | [Errno 28] No space left on device: 'mnt/ck.npz'" in r.stdout
    assert "old [0.0, 1.0, 2.0, 3.0, 4.0] files ['ck.npz']" in r.stdout


READ_ONLY = """
import os, subprocess, sys, numpy as np
from nn.checkpoint import load, save
save({"w": np.arange(2.0)}, "mnt/ck.npz")
subprocess.run(["mount", "-o", "remount,ro", "mnt"], check=True)
try:
    save({"w": np.zeros(3)}, "mnt/ck.npz")
except OSError as e:
    print("refused |", e)
print("old", load("mnt/ck.npz")["w"].tolist(), "files", os.listdir("mnt"))
r = subprocess.run([sys.executable, "-m", "autograd_cli", "train", "--save", "mnt/new.npz"], capture_output=True,
                   text=True)
print("cli", r.returncode, "|", r.stdout, "|", r.stderr)
"""


def test_read_only_folder(tmp_path):
    r = _in_tmpfs(tmp_path, READ_ONLY, "size=1m")
    assert r.returncode == 0, r.stderr
    assert "refused | [Errno 30] Read-only file system: 'mnt/ck.npz'" in r.stdout
    assert "old [0.0, 1.0] files ['ck.npz']" in r.stdout
    assert ("cli 1 |  | autograd-core: error: --save 'mnt/new.npz': cannot create files in folder 'mnt' "
            "(Read-only file system)\n") in r.stdout


READ_ONLY_BY_MODE = READ_ONLY.replace('subprocess.run(["mount", "-o", "remount,ro", "mnt"], check=True)',
                                     'os.chmod("mnt", 0o555)')


def test_read_only_folder_by_permissions(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions; test_read_only_folder covers this with a read-only tmpfs")
    (tmp_path / "mnt").mkdir()
    r = python(READ_ONLY_BY_MODE, cwd=tmp_path)
    os.chmod(tmp_path / "mnt", 0o755)
    assert "refused | [Errno 13] Permission denied: 'mnt/ck.npz'" in r.stdout, r.stdout + r.stderr
    assert "old [0.0, 1.0] files ['ck.npz']" in r.stdout
    assert "cli 1 |  | autograd-core: error: --save 'mnt/new.npz': cannot create files in folder 'mnt'" in r.stdout


SAVE_MANY = """
import sys, numpy as np
from nn.checkpoint import save
for i in range(15):
    save({"w": np.full(100_000, float(sys.argv[1]))}, "ck.npz")
"""


def test_two_processes_saving_to_one_path(tmp_path):
    procs = [subprocess.Popen([sys.executable, "-c", SAVE_MANY, str(k)], cwd=tmp_path, env=child_env(),
                              stderr=subprocess.PIPE, text=True) for k in (1, 2)]
    assert [p.wait(60) for p in procs] == [0, 0], [p.stderr.read() for p in procs]
    w = load(tmp_path / "ck.npz")["w"]
    assert w[0] in (1.0, 2.0) and (w == w[0]).all()
    assert _temps(tmp_path) == []


def test_save_onto_a_symlink_writes_through_it_like_numpy(tmp_path):
    for writer in ("ours", "numpy"):
        folder = tmp_path / writer
        folder.mkdir()
        (folder / "real.npz").write_bytes(b"old")
        os.symlink("real.npz", folder / "link.npz")
        if writer == "ours":
            save({"w": np.arange(3.0)}, folder / "link.npz")
        else:
            np.savez(folder / "link.npz", w=np.arange(3.0))
        assert os.path.islink(folder / "link.npz") and os.readlink(folder / "link.npz") == "real.npz"
        np.testing.assert_array_equal(load(folder / "real.npz")["w"], np.arange(3.0))
        assert sorted(os.listdir(folder)) == ["link.npz", "real.npz"]


def test_torch_also_writes_through_a_symlink(tmp_path):
    torch = pytest.importorskip("torch")
    (tmp_path / "real.pt").write_bytes(b"old")
    os.symlink("real.pt", tmp_path / "link.pt")
    torch.save({"w": torch.arange(3.0)}, tmp_path / "link.pt")
    assert os.path.islink(tmp_path / "link.pt")
    assert torch.load(tmp_path / "real.pt")["w"].tolist() == [0.0, 1.0, 2.0]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    os.symlink("target.npz", tmp_path / "link.npz")
    with atomic_write(tmp_path / "link.npz") as f:
        f.write(b"data")
    assert os.path.islink(tmp_path / "link.npz") and (tmp_path / "target.npz").read_bytes() == b"data"


def test_existing_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "ck.npz"
    save({"w": np.zeros(1)}, path)
    os.chmod(path, 0o640)
    save({"w": np.ones(1)}, path)
    assert os.stat(path).st_mode & 0o777 == 0o640
    r = python("import os; print(oct(os.stat('ck.npz').st_mode & 0o777))", cwd=tmp_path)
    assert r.stdout.strip() == "0o640"
