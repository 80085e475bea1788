"""The notebooks in notebooks/ are stored without outputs and run top to bottom in a real Jupyter kernel."""
from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is not installed (pip install 'autograd-core[test]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is not installed (pip install 'autograd-core[test]')")
pytest.importorskip("ipykernel", reason="ipykernel is not installed (pip install 'autograd-core[test]')")
pytest.importorskip("matplotlib", reason="the notebooks plot with matplotlib")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def run(name: str, cwd: Path):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}}).execute()
    return [c for c in nb.cells if c.cell_type == "code"]


def outputs_of(cell, kind: str) -> list:
    return [o for o in cell.outputs if o.output_type in ("display_data", "execute_result") and kind in o.data]


def text_of(cell, stream: str) -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == stream)


@pytest.mark.parametrize("name", ["tour.ipynb", "recurrent.ipynb"])
def test_notebooks_are_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_tour_runs_and_shows_training_plots_and_the_explorer(tmp_path):
    cells = run("tour.ipynb", tmp_path)
    by_source = {c.source.splitlines()[0]: c for c in cells}
    assert "nudged: 14.00000" in text_of(cells[0], "stdout")
    assert "{'x1': -1.5, 'w1': 1.0, 'x2': 0.5, 'w2': 0.0, 'b': 0.5}" in text_of(cells[3], "stdout")
    printed = "".join(text_of(c, "stdout") for c in cells)
    assert "w1.grad = 2.0000, but do/dw1 = 1.0000" in printed         # the accumulation bug, shown
    assert "after zero_grad: w1.grad = 1.0000" in printed              # and fixed
    assert "n.grad = " in printed and "finite difference = " in printed
    assert any("p.data -= lr * p.grad" in c.source for c in cells)     # gradient descent written out
    fit = next(c for c in cells if "live_plot=True" in c.source)
    assert "60/60" in text_of(fit, "stderr")             # the progress bar drew in the notebook
    assert outputs_of(fit, "image/png")                   # the live loss curve
    assert outputs_of(by_source['history.plot()  # a matplotlib Figure: shown inline; history.plot("curve.png") saves it'],
                      "image/png")
    assert outputs_of(by_source["plot_decision_boundary(model, X, y)"], "image/png")
    explorers = [c for c in cells if c.source.rstrip().splitlines()[-1].startswith("viz.explore")]
    assert len(explorers) == 3                            # two graphs and the training timeline
    for cell in explorers:
        page = outputs_of(cell, "text/html")[0].data["text/html"]
        assert page.startswith("<iframe srcdoc=") and "const GRAPH = " in page
    assert list(tmp_path.iterdir()) == []  # nothing written: every picture was shown inline


def test_recurrent_notebook_trains_an_rnn_and_a_gru_and_draws_them_unrolled(tmp_path):
    cells = run("recurrent.ipynb", tmp_path)
    printed = "".join(text_of(c, "stdout") for c in cells)
    assert "RNN: loss" in printed and "GRU: loss" in printed
    drawn = next(c for c in cells if "draw_graph" in c.source)
    picture = outputs_of(drawn, "image/svg+xml") or outputs_of(drawn, "text/html")
    assert picture
    if "image/svg+xml" in picture[0].data:
        svg = picture[0].data["image/svg+xml"]
        assert all(f"cell[t={t}]" in svg for t in range(7))  # one box per time step
    explorer = outputs_of(cells[-1], "text/html")[0].data["text/html"]
    assert "rnn.cell[t=3]" in explorer
