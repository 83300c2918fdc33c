"""Execute every notebook in notebooks/ top to bottom so that CI catches rot."""
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = ["quickstart.ipynb", "retraining.ipynb", "evaluation.ipynb"]


def test_all_notebooks_listed():
    assert sorted(p.name for p in NB_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


def run(nb, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "false")
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NB_DIR)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    return nb


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name, monkeypatch):
    nb = nbformat.read(NB_DIR / name, as_version=4)
    # prove the kernel is this interpreter (the venv's python3), not another python on PATH
    nb.cells.insert(0, nbformat.v4.new_code_cell("import sys; print(sys.executable)"))
    run(nb, monkeypatch)
    kernel_python = "".join(o.get("text", "") for o in nb.cells[0].outputs).strip()
    assert os.path.realpath(kernel_python) == os.path.realpath(sys.executable)


def test_quickstart_without_shared(monkeypatch):
    """Where ../shared is absent the quickstart falls back to the bundled example."""
    nb = nbformat.read(NB_DIR / "quickstart.ipynb", as_version=4)
    line = 'SEEDS = ROOT.parent / "shared" / "seeds"'
    setup = [c for c in nb.cells if line in c.source]
    assert len(setup) == 1, f"quickstart.ipynb no longer has the line {line!r}"
    setup[0].source = setup[0].source.replace(line, 'SEEDS = ROOT.parent / "no-such-folder" / "seeds"')
    run(nb, monkeypatch)
    out = "".join(o.get("text", "") for o in setup[0].outputs)
    assert "seeds: False" in out
