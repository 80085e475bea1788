"""What every notes experiment shares: its run context (output folder, quick mode, seed) and its Result."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograd_core.files import atomic_write


@dataclass
class Result:
    """An experiment's outcome: key numbers (JSON-ready), lines of text for a person, pictures written."""

    numbers: dict[str, Any]
    lines: list[str]
    pictures: list[Path] = field(default_factory=list)


@dataclass
class Context:
    """How to run: `out` is the picture folder (None: no pictures), `quick` a <= 10 s budget on 2 cores,
    `seed` fixes data and weights, `mnist` a folder with the MNIST IDX files (nielsen-sgd only)."""

    out: Path | None = None
    quick: bool = False
    seed: int = 0
    mnist: Path | None = None
    pictures: list[Path] = field(default_factory=list)

    def pick(self, quick: Any, full: Any) -> Any:
        """`quick` in quick mode, else `full`."""
        return quick if self.quick else full

    @contextlib.contextmanager
    def figure(self, name: str, ncols: int = 1, *, width: float = 5.0, height: float = 3.6) -> Iterator[Any]:
        """Yield matplotlib axes (one, or a list of ncols) and save the figure as OUT/name.png.

        Without an output folder the axes are still drawn on (cheaply) but nothing is written.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(figsize=(width * ncols, height), dpi=90)
        FigureCanvasAgg(fig)
        axes = fig.subplots(1, ncols)
        yield axes
        if self.out is not None:
            fig.tight_layout()
            path = self.out / f"{name}.png"
            with atomic_write(path, "notes") as f:
                fig.savefig(f, format="png")
            self.pictures.append(path)

    def graph(self, root: Any, name: str, **options: Any) -> None:
        """Draw `root`'s computation graph with viz to OUT/name.png (skipped without a folder)."""
        if self.out is None:
            return
        import viz

        path = self.out / f"{name}.png"
        viz.save(root, str(path), **options)
        self.pictures.append(path)


def cosine(a: Any, b: Any) -> float:
    """cos of the angle between two arrays, flattened."""
    import numpy as np

    a, b = np.ravel(a), np.ravel(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def fmt(values: Any, digits: int = 3) -> str:
    """A list of floats as 'v1, v2, ...' with `digits` significant digits."""
    return ", ".join(f"{v:.{digits}g}" for v in values)
