"""Notebooks carry no machine- or run-specific metadata. Allowed: the kernel they run on and its
language (not the version of the last run), cell tags, and outputs only on the cells nbval compares
(``# NBVAL_CHECK_OUTPUT``). Widget state, execution timings, collapsed or scrolled cells and any
other key are left out. ``python tests/test_notebook_metadata.py`` strips the notebooks."""

import copy

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Notebook metadata kept: key -> the keys kept under it.
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name", "language", "name"},
    "language_info": {"name", "codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer"},
}
CELL_METADATA = {"tags"}


def output_checked(cell: nbformat.NotebookNode) -> bool:
    """Whether nbval compares the outputs of ``cell`` (a ``# NBVAL_CHECK_OUTPUT`` comment line)."""
    return any(line.strip().lstrip("#").strip() == "NBVAL_CHECK_OUTPUT" for line in cell.source.splitlines() if line.strip().startswith("#"))


def stripped(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with only the allowed metadata, and outputs only where nbval compares them."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata = nbformat.from_dict({
        key: {name: value for name, value in values.items() if name in NOTEBOOK_METADATA[key]}
        for key, values in notebook.metadata.items() if key in NOTEBOOK_METADATA
    })
    for cell in notebook.cells:
        cell.metadata = nbformat.from_dict({key: value for key, value in cell.metadata.items() if key in CELL_METADATA})
        if cell.cell_type == "code" and not output_checked(cell):
            cell.outputs, cell.execution_count = [], None
    return notebook


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_a_notebook_carries_only_the_allowed_metadata(path):
    notebook = nbformat.read(path, as_version=4)
    assert stripped(notebook) == notebook, f"{path.name} carries run metadata: python tests/test_notebook_metadata.py strips it"


if __name__ == "__main__":
    for path in NOTEBOOKS:
        nbformat.write(stripped(nbformat.read(path, as_version=4)), path)
