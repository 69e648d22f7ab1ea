"""The notebooks are the tutorial: each runs top to bottom on a fresh build, and is stored clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from kg.build import build

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_four_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == ["01-explore", "02-sparql", "03-network-analysis", "04-add-your-articles"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs_and_says_what_it_teaches(path):
    book = nbformat.read(path, as_version=4)
    first = book.cells[0]
    assert first.cell_type == "markdown" and "What this notebook teaches" in first.source
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: stored with outputs"


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory, seed_corpus) -> Path:
    out = tmp_path_factory.mktemp("nb-build")
    build([seed_corpus], out, use_cache=False)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, fresh_build, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_BUILD_DIR", str(fresh_build))
    monkeypatch.setenv("MPLBACKEND", "agg")
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(book, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"{path.name}: {exc}", pytrace=False)
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    shown = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert shown, f"{path.name} showed nothing"
