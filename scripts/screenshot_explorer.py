#!/usr/bin/env python3
"""Screenshot the explorer mid-backward for the README: a neuron whose `n` feeds two children.

Usage: python3 scripts/screenshot_explorer.py [--out docs/images/explorer.png] [--steps 2] [--click w1]
Builds o = n * tanh(n) with n = x1*w1 + x2*w2 + b, runs backward, saves the explorer page (to a
temporary folder, or to --page), opens it in headless Chromium (Debian's chromium + chromium-driver), presses Step --steps
times (so n's gradient has arrived from both of its children), optionally clicks a node so that its
paths light up, hovers --hover, and writes the screenshot.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selenium.webdriver import ActionChains

import viz
from autograd_core import Value
from viz.explore.browser import start
from viz.explore.sample import two_path_neuron


def neuron() -> Value:
    """The two-path neuron (viz.explore.sample), after backward."""
    return two_path_neuron()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="docs/images/explorer.png")
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--click", default="", help="label of a node to click (its paths light up)")
    ap.add_argument("--page", default=None, help="also keep the explorer page at this .html path")
    ap.add_argument("--hover", default="mul", help="label of a node to hover (its tooltip shows)")
    args = ap.parse_args()
    out = Path(args.out)
    with tempfile.TemporaryDirectory() as tmp:
        page = viz.save(neuron(), args.page or Path(tmp) / "explorer.html",
                        title="o = n·tanh(n), n = x1·w1 + x2·w2 + b")
        shoot(page, out, args)
    print(out)
    return 0


def shoot(page: Path, out: Path, args: argparse.Namespace) -> None:
    """Open the page, step, click and hover as asked, and save the screenshot to `out`."""
    driver = start(1600, 760)
    try:
        driver.get(page.resolve().as_uri())
        driver.execute_script("explorer.go(0)")
        for _ in range(args.steps):
            driver.find_element("id", "btn-step").click()
        if args.click:
            key = driver.execute_script("return GRAPH.nodes.find(n => n.label === arguments[0]).key", args.click)
            driver.find_element("id", f"node-{key}").click()
        if args.hover:
            key = driver.execute_script("return GRAPH.nodes.find(n => n.label === arguments[0] || n.name === arguments[0]).key",
                                        args.hover)
            ActionChains(driver).move_to_element(driver.find_element("id", f"node-{key}")).perform()
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
    finally:
        driver.quit()


if __name__ == "__main__":
    raise SystemExit(main())
