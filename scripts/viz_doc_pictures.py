#!/usr/bin/env python3
"""Draw the pictures of docs/viz.md: micrograd's scalar MLP (one sample, a batch), an RNN over 5 steps, a Tensor MLP.

Usage: python3 scripts/viz_doc_pictures.py [OUT_DIR]   (default: docs/img)
Every picture uses viz's default settings except where the docs say otherwise (the RNN is drawn
at collapse="step"); prints each file with its size in pixels (SVG points x 4/3).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Callable

import numpy as np

import nn
import viz
from autograd_core import Tensor, Value
from nn.data import make_moons


def standardised_moons(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n two-moons points scaled to mean 0, standard deviation 1 per feature."""
    X, y = make_moons(n, noise=0.1, seed=0)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def scalar_mlp_loss(samples: int) -> tuple[Any, Value]:
    """micrograd's MLP(2, [16, 16, 1]) from Values and its squared-error loss on `samples` points."""
    model = nn.scalar.MLP(2, [16, 16, 1], seed=0)
    X, y = standardised_moons(max(samples, 2))
    terms = []
    for i, (xi, yi) in enumerate(zip(X[:samples], y[:samples])):
        x = [Value(float(v), label=f"x{k}" if samples == 1 else f"x{k}[{i}]", requires_grad=False) for k, v in enumerate(xi)]
        terms.append((model(x) - (2.0 * yi - 1.0)) ** 2)
    loss = sum(terms[1:], terms[0])
    loss = loss * (1.0 / samples) if samples > 1 else loss
    loss.backward()
    return model, loss


def rnn_loss(steps: int = 5) -> tuple[Any, Tensor]:
    """An Elman RNN (3 inputs, 4 hidden) over `steps` steps of a batch of 2; loss = sum of h_T."""
    model = nn.RNN(3, 4, seed=0)
    x = Tensor(np.random.default_rng(0).normal(size=(steps, 2, 3)), label="x")
    out, h = model(x)
    loss = h.sum()
    loss.backward()
    return model, loss


def tensor_mlp_loss() -> tuple[Any, Tensor]:
    """A freshly initialised nn.MLP(2, [16, 16, 2]) on 200 standardised moons, cross-entropy."""
    model = nn.MLP(2, [16, 16, 2], seed=0)
    X, y = standardised_moons(200)
    loss = nn.cross_entropy(model(Tensor(X, label="X")), y)
    loss.backward()
    return model, loss


PICTURES: dict[str, tuple[Callable[[], tuple[Any, Any]], dict[str, Any]]] = {
    "scalar_mlp_one_sample.svg": (lambda: scalar_mlp_loss(1), {}),
    "scalar_mlp_batch4.svg": (lambda: scalar_mlp_loss(4), {}),
    "rnn_5_steps.svg": (rnn_loss, {"collapse": "step"}),
    "tensor_mlp.svg": (tensor_mlp_loss, {}),
}


def svg_size_px(svg: str) -> tuple[float, float]:
    """(width, height) in CSS pixels of an SVG whose size is given in points (1 pt = 4/3 px)."""
    head = svg[:2000]
    w = re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', head)
    h = re.search(r'<svg[^>]*\sheight="([\d.]+)pt"', head)
    if not (w and h):
        raise ValueError("no width/height in points on the <svg> element")
    return float(w.group(1)) * 4 / 3, float(h.group(1)) * 4 / 3


def main(out_dir: str = "docs/img") -> list[Path]:
    out = Path(out_dir)
    written = []
    for name, (build, options) in PICTURES.items():
        model, loss = build()
        path = viz.save(loss, out / name, params=model, **options)
        w, h = svg_size_px(path.read_text())
        print(f"{path}: {w:.0f} x {h:.0f} px")
        written.append(path)
    return written


if __name__ == "__main__":
    main(*sys.argv[1:2])
