"""examples/demo.ipynb runs headless in a Jupyter kernel (nbclient): the
random network simulates, its raster is drawn inline as a PNG, show() does
not block, and the rate is Brian's."""
from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "examples" / "demo.ipynb"
REFERENCE = ROOT / "tests" / "demos" / "brian2-demo-stats.json"


def _kernel_env() -> dict:
    """The environment of a user's Jupyter: no headless settings, so the
    kernel picks matplotlib's inline backend itself."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MPLBACKEND", "BRIANC_SAVEFIG")}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    return env


def _code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def test_notebook_is_clean_and_runs_the_demo_verbatim():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    cells = _code_cells(nb)
    assert all(not c.outputs and c.execution_count is None for c in cells)
    demo = (ROOT / "examples" / "random_network.py").read_text()
    # The notebook's script is the demo, split before its plot.
    assert demo.startswith(cells[1].source.rstrip("\n"))
    assert cells[2].source == "raster_plot(M)\nshow()"


@pytest.mark.slow
def test_notebook_executes_and_draws_inline():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # A show() that blocked would hold its cell past the timeout (nbclient
    # then raises): the execution returning says show() returned.
    client = nbclient.NotebookClient(
        nb, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute(env=_kernel_env())
    cells = _code_cells(nb)
    for cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, errors
    # The raster cell shows exactly one figure, inline, as a PNG.
    images = [o for o in cells[2].outputs if o.output_type == "display_data"
              and "image/png" in o.data]
    assert len(images) == 1
    import matplotlib.image
    pixels = matplotlib.image.imread(
        io.BytesIO(base64.b64decode(images[0].data["image/png"])))
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    # No other cell leaves a figure behind.
    for cell in (cells[0], cells[1], cells[3]):
        assert not any("image/png" in getattr(o, "data", {})
                       for o in cell.outputs)
    # The printed rate matches Brian 2's reference for this network.
    text = "".join(o.text for o in cells[3].outputs
                   if o.output_type == "stream")
    spikes, rate = text.split()[0], float(text.split()[4])
    entry = json.loads(REFERENCE.read_text())["random_network"][
        "mean_rate_hz"]
    assert abs(rate - entry["mean"]) <= max(4 * entry["sd"],
                                            0.08 * entry["mean"])
    assert abs(int(spikes) / 4000 - rate) <= 0.005  # printed %.2f
