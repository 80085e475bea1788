#!/usr/bin/env python3
"""Open SVGs in headless Chromium and screenshot each to PNG, so a person can look at what a browser shows.

Usage: python3 scripts/screenshot_svgs.py [FOLDER_OR_SVG ...]   (default: out/viz)
Writes <name>.png next to each <name>.svg and prints the paths. Needs Debian's `chromium`
(`sudo apt-get install chromium`); each SVG is shown scaled to fit the window, which is the
drawing's own size capped at --max-width x --max-height pixels.
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")
UNITS = {"pt": 4 / 3, "px": 1.0, "in": 96.0, "": 1.0}


def find_chromium() -> str | None:
    """Path of a Chromium-family browser on PATH, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def svg_size(svg: Path) -> tuple[float, float]:
    """The drawing's width and height in CSS pixels, from the <svg width= height=> attributes."""
    root = ET.parse(svg).getroot()
    out = []
    for attr in ("width", "height"):
        m = re.fullmatch(r"\s*([\d.]+)\s*([a-z]*)\s*", root.get(attr, "800"))
        if not m or m.group(2) not in UNITS:
            raise ValueError(f"screenshot: cannot read the {attr} {root.get(attr)!r} of {svg}")
        out.append(float(m.group(1)) * UNITS[m.group(2)])
    return out[0], out[1]


def window_for(svg: Path, max_width: int, max_height: int) -> tuple[int, int]:
    """The drawing's size, scaled down (aspect kept) to fit max_width x max_height, plus a margin."""
    w, h = svg_size(svg)
    scale = min(1.0, (max_width - 16) / w, (max_height - 16) / h)
    return int(w * scale) + 16, int(h * scale) + 16


def _page(svg: Path, folder: Path) -> Path:
    page = folder / "page.html"
    page.write_text(
        '<!doctype html><html><body style="margin:8px;background:white">'
        f'<img src="{svg.resolve().as_uri()}" style="width:calc(100vw - 16px);height:calc(100vh - 16px);'
        'object-fit:contain;object-position:left top"></body></html>', encoding="utf-8")
    return page


def screenshot(svg: Path, png: Path, *, browser: str | None = None, max_width: int = 2400,
               max_height: int = 1600, timeout: float = 90.0) -> Path:
    """Render `svg` in headless Chromium and save the window as `png`; returns the PNG path.

    A fresh temporary profile (--user-data-dir) is used and removed, so nothing leaks between runs.
    """
    browser = browser or find_chromium()
    if browser is None:
        raise RuntimeError("screenshot: no Chromium found; install it with `sudo apt-get install chromium`")
    width, height = window_for(svg, max_width, max_height)
    png = png.resolve()
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="viz-chromium-") as tmp:
        page = _page(svg, Path(tmp))
        cmd = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--screenshot={png}",
               f"--window-size={width},{height}", page.as_uri()]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if not png.exists():
        raise RuntimeError(f"screenshot: Chromium wrote no {png} (exit {result.returncode}): "
                           f"{result.stderr.strip()[-800:]}")
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["out/viz"], help="SVG files or folders of them")
    parser.add_argument("--max-width", type=int, default=2400)
    parser.add_argument("--max-height", type=int, default=1600)
    args = parser.parse_args(argv)
    svgs: list[Path] = []
    for p in map(Path, args.paths):
        svgs += sorted(p.glob("*.svg")) if p.is_dir() else [p]
    if not svgs:
        print(f"screenshot: no SVG files in {args.paths}", file=sys.stderr)
        return 1
    browser = find_chromium()
    if browser is None:
        print("screenshot: no Chromium found; install it with `sudo apt-get install chromium`", file=sys.stderr)
        return 1
    for svg in svgs:
        print(screenshot(svg, svg.with_suffix(".png"), browser=browser,
                         max_width=args.max_width, max_height=args.max_height))
    return 0


if __name__ == "__main__":
    sys.exit(main())
