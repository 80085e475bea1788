"""Measure each hostile input and fault on autograd-core and on numpy / PyTorch doing the same job; print a table.

Run: .venv/bin/python tests/reliability/compare_peers.py [--before OLD_CHECKOUT]   (about two minutes; peers
run under a 4 GB cap). With --before, the command-line cases also run on another checkout (the code before).
Each cell: what the user sees (first line of the error, or the outcome), exit code, wall time, peak RSS.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from rel_bombs import gzip_bomb, idx_header, npz_bomb, npz_lying_header
from rel_child import ChildResult, cli, python

PEER_CAP_MB = 4096
OURS_CAP_MB = 768

OURS_IDX = "from nn.data import read_idx\nread_idx('f')\n"
NUMPY_IDX = ("import gzip, numpy as np\nraw = open('f', 'rb').read()\nraw = gzip.decompress(raw) if raw[:2] == "
             "b'\\x1f\\x8b' else raw\nd = raw[3]\ndims = np.frombuffer(raw, '>u4', d, 4)\n"
             "a = np.frombuffer(raw, np.uint8, offset=4 + 4 * d).reshape(dims)\nprint('read', a.shape)\n")
OURS_NPZ = "from nn.checkpoint import load\nload('f')\n"
NUMPY_NPZ = "import numpy as np\nz = np.load('f', allow_pickle=False)\nprint({k: z[k].shape for k in z.files})\n"

SAVE_KILL = """
import os, signal, subprocess, sys, time
import numpy as np
writer = sys.argv[1] if len(sys.argv) > 1 else "{writer}"
code = {{"ours": "from nn.checkpoint import save as s\\nsave = lambda d: s(d, 'ck.npz')",
        "numpy": "import numpy as np\\nsave = lambda d: np.savez('ck.npz', **d)",
        "torch": "import torch\\nsave = lambda d: torch.save({{k: torch.from_numpy(v) "
                 "for k, v in d.items()}}, 'ck.npz')"}}[writer]
loop = (code + "\\nimport numpy as np\\nd = {{'w': np.ones(2_000_000)}}\\nsave(d)\\nprint('ready', flush=True)"
        "\\nwhile True:\\n    save(d)\\n")
broken = orphans = 0
for i in range(10):
    p = subprocess.Popen([sys.executable, "-c", loop], stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    time.sleep(0.02 + 0.03 * (i % 5))
    p.send_signal(signal.SIGKILL); p.wait()
    orphans += len([n for n in os.listdir('.') if n.startswith('.tmp-')])
    try:
        if writer == "torch":
            import torch; torch.load('ck.npz')
        else:
            np.load('ck.npz')['w'].sum()
    except Exception:
        broken += 1
exec(code)
save({{"w": np.zeros(3)}})
left = len([n for n in os.listdir('.') if n.startswith('.tmp-')])
print(f"10 kills: file unreadable after {{broken}}; a temp file left by {{orphans}}; after the next save {{left}} left")
"""

FULL_DISK = """
import os, errno, subprocess, sys
import numpy as np
writer = "{writer}"
if writer == "ours":
    from nn.checkpoint import save
    write = lambda d: save(d, "mnt/ck.npz")
elif writer == "numpy":
    write = lambda d: np.savez("mnt/ck.npz", **d)
else:
    import torch
    write = lambda d: torch.save({{k: torch.from_numpy(v) for k, v in d.items()}}, "mnt/ck.npz")
write({{"w": np.arange(5.0)}})
if "{mode}" == "ro":
    subprocess.run(["mount", "-o", "remount,ro", "mnt"], check=True)
try:
    write({{"w": np.zeros(200_000)}})
    print("no error")
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0][:90])
try:
    if writer == "torch":
        import torch; torch.load("mnt/ck.npz"); print("old file intact")
    else:
        print("old file intact" if np.load("mnt/ck.npz")["w"].size == 5 else "old file changed")
except Exception as e:
    print("old file destroyed:", type(e).__name__)
print("files", sorted(os.listdir("mnt")))
"""


def _cell(r: ChildResult, last: bool = True) -> str:
    lines = [ln for ln in (r.stdout + r.stderr).strip().splitlines() if ln.strip()]
    msg = (lines[-1] if last else " / ".join(lines)) if lines else "(nothing)"
    msg = msg.replace("|", "\\|")
    return f"{msg[:230]} **exit {r.code}, {r.seconds:.2f} s, {r.peak_mb:.0f} MB**"


def _tmpfs(folder: Path, script: str) -> ChildResult:
    import shutil
    import subprocess
    import time

    if shutil.which("unshare") is None:
        return ChildResult(-1, "", "skipped: no unshare", 0.0, float("nan"))
    (folder / "mnt").mkdir(exist_ok=True)
    (folder / "s.py").write_text(script)
    from rel_child import child_env
    start = time.perf_counter()
    p = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                        f"mount -t tmpfs -o size=256k tmpfs mnt && exec {sys.executable} s.py"], cwd=folder,
                       env=child_env(), capture_output=True, text=True, timeout=120)
    return ChildResult(p.returncode, p.stdout, p.stderr[-300:], time.perf_counter() - start, float("nan"))


CLI_CASES = [["train", "--lr", "inf", "--epochs", "3"], ["train", "--lr", "1e308", "--epochs", "3"],
             ["train", "--seed", "-1"], ["train", "--hidden", "", "--epochs", "1"],
             ["train", "--log-every", "0", "--epochs", "1"], ["train", "--hidden", "100000000"],
             ["train", "--task", "parity", "--length", "100000", "--epochs", "1"],
             ["train", "--epochs", "3", "--save", "adir"], ["train", "--epochs", "3", "--save", "afile/ck.npz"],
             ["train", "--epochs", "3", "--save", "/proc/ck.npz"], ["train", "--epochs", "3", "--plot", "/proc/c.png"],
             ["grad", "1if x", "x=1"], ["grad", "sqrt(x)", "x=0", "--json"]]


def _cli_rows(before: Path | None) -> list[tuple[str, str, str]]:
    rows = []
    for argv in CLI_CASES:
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "adir").mkdir()
            (Path(d) / "afile").write_text("x")
            ours = cli(*argv, cwd=Path(d), memory_mb=OURS_CAP_MB, timeout=120)
            old = cli(*argv, cwd=Path(d), memory_mb=PEER_CAP_MB, timeout=120, repo=before) if before else None
        shown_old = "" if old is None else "before: " + _cell(old, last=old.code != 0)
        shown = " ".join(repr(a) if not a or " " in a else a for a in argv)
        rows.append((f"`autograd-core {shown}`", _cell(ours, last=ours.code == 2), shown_old))
    return rows


def main() -> None:
    rows = []
    files = {
        "IDX gzip bomb: 3 MB file, header 1000x28x28, then 3 GiB of zeros":
            lambda: gzip_bomb(idx_header(8, (1000, 28, 28)), 3 << 30),
        "IDX gzip bomb: header promises 5,000,000x28x28 (3.9 GB), 3 GiB of zeros":
            lambda: gzip_bomb(idx_header(8, (5_000_000, 28, 28)), 3 << 30),
        "IDX dims 65536^4 (size overflows int64)": lambda: idx_header(8, (65536,) * 4),
        "IDX header with 255 dimensions": lambda: idx_header(8, (1,) * 255),
    }
    for name, build in files.items():
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "f").write_bytes(build())
            ours = python(OURS_IDX, cwd=Path(d), memory_mb=OURS_CAP_MB, timeout=120)
            peer = python(NUMPY_IDX, cwd=Path(d), memory_mb=PEER_CAP_MB, timeout=120)
        rows.append((name, _cell(ours), "numpy (gzip.decompress + frombuffer + reshape): " + _cell(peer)))
    for name, build in {"npz zip bomb: 2 MB file, one float64 array of 2 GiB": npz_bomb,
                        ".npy header claiming 10^12 float64 items, 16 bytes of data": npz_lying_header}.items():
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "f").write_bytes(build())
            ours = python(OURS_NPZ, cwd=Path(d), memory_mb=OURS_CAP_MB, timeout=120)
            peer = python(NUMPY_NPZ, cwd=Path(d), memory_mb=PEER_CAP_MB, timeout=120)
            ours_cli = cli("train", "--load", "f", cwd=Path(d), memory_mb=OURS_CAP_MB, timeout=120)
        rows.append((name, _cell(ours) + "<br>`train --load`: " + _cell(ours_cli),
                     "numpy np.load(allow_pickle=False)[k]: " + _cell(peer)))
    for writer in ("ours", "numpy", "torch"):
        with tempfile.TemporaryDirectory() as d:
            r = python(SAVE_KILL.format(writer=writer), cwd=Path(d), timeout=300)
        rows.append((f"kill -9 during save, 10 times (16 MB array): {writer}", _cell(r), ""))
    for mode, what in (("full", "full disk (256 KB tmpfs)"), ("ro", "read-only folder (tmpfs remounted ro)")):
        for writer in ("ours", "numpy", "torch"):
            with tempfile.TemporaryDirectory() as d:
                r = _tmpfs(Path(d), FULL_DISK.format(writer=writer, mode=mode))
            rows.append((f"{what}, overwrite a good file: {writer}", _cell(r, last=False), ""))
    rows += _cli_rows(Path(sys.argv[sys.argv.index("--before") + 1]) if "--before" in sys.argv else None)
    print("| input or fault | autograd-core now | peer |\n| --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
