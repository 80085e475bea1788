"""Training that shows itself: where output can go (a notebook, a terminal, nowhere), the progress bar,
and a loss curve redrawn in place while `fit` runs.

In Jupyter the bar is tqdm's widget when ipywidgets is installed and tqdm's text bar otherwise
(Jupyter draws its carriage returns in place); in a terminal it is the text bar on stderr; when
output is neither (a pipe, a log file, pytest) nothing is shown unless asked for.
"""
from __future__ import annotations

import importlib.util
import io
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from .display import in_notebook
from .plot import plot_history


def output_kind() -> str | None:
    """"notebook", "terminal" (stderr is a TTY) or None (nowhere a person is watching)."""
    if in_notebook():
        return "notebook"
    return "terminal" if sys.stderr.isatty() else None


def progress_bar(epochs: int, progress: bool | None) -> Any:
    """A tqdm bar over `epochs` (progress None: only where someone watches, see output_kind)."""
    kind = output_kind()
    if not (kind is not None if progress is None else bool(progress)):
        return None
    if kind == "notebook":
        with warnings.catch_warnings():  # tqdm warns about its widget bar being experimental / missing
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm as auto_tqdm
        return auto_tqdm(total=epochs, desc="fit", unit="epoch", file=sys.stderr)
    from tqdm import tqdm

    return tqdm(total=epochs, desc="fit", unit="epoch", file=sys.stderr)


class LivePlot:
    """The loss curve of a running `fit`, redrawn at most every `every` seconds and after the last epoch.

    target True: shown in the notebook, one output replaced in place (outside a notebook it warns
    and draws nothing); a path (.png or .svg): that file is rewritten, e.g. for an image viewer.
    """

    def __init__(self, target: Any, every: float = 0.5) -> None:
        self.path = None if target is True else Path(target)
        self.every, self.last, self.handle = every, 0.0, None
        self.active = self.path is not None or in_notebook()
        if not self.active:
            warnings.warn("fit: live_plot=True draws in a Jupyter notebook; elsewhere pass live_plot='curve.png' "
                          "to rewrite an image file each epoch", UserWarning, stacklevel=3)
        elif importlib.util.find_spec("matplotlib") is None:
            self.active = False
            warnings.warn("fit: live_plot needs matplotlib: pip install 'autograd-core[plot]'; training goes on "
                          "without the plot", UserWarning, stacklevel=3)

    def update(self, history: Any, final: bool = False) -> None:
        """Redraw from `history` if enough time has passed (always when `final`)."""
        now = time.perf_counter()
        if not self.active or (not final and now - self.last < self.every):
            return
        self.last = now

        if self.path is not None:
            plot_history(history, self.path)
            return
        fig = plot_history(history)
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        from IPython.display import Image, display

        image = Image(data=buf.getvalue(), format="png")
        if self.handle is None:
            self.handle = display(image, display_id=True)
        else:
            self.handle.update(image)
