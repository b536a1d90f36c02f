"""Every notebook in examples/ runs from top to bottom without an error.

Needs nbclient, nbformat and ipykernel (the ``dev`` extra); skipped without them.
Each notebook runs in a subprocess, with a Python 3 kernel that talks to it over IPC
sockets in a scratch directory (TCP on 127.0.0.1 if that path is too long for a
socket), and in that directory as its working directory.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

nbformat = pytest.importorskip(
    "nbformat",
    reason="nbformat is not installed: pip install nbformat nbclient ipykernel",
)
pytest.importorskip(
    "nbclient", reason="nbclient is not installed: pip install nbclient ipykernel"
)
pytest.importorskip(
    "ipykernel",
    reason="ipykernel (the Python 3 kernel) is not installed: pip install ipykernel",
)

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.ipynb"))

#: Executes one notebook and writes the executed notebook to standard output. A
#: subprocess keeps the kernel's sockets and event loop out of the test process.
RUNNER = textwrap.dedent(
    """
    import sys
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path, workdir = sys.argv[1:]
    notebook = nbformat.read(path, as_version=4)
    if len(workdir) < 80:
        manager = KernelManager(kernel_name="python3", transport="ipc")
        manager.ip = workdir + "/kernel"
    else:
        manager = KernelManager(kernel_name="python3", ip="127.0.0.1")
    manager.connection_file = workdir + "/kernel.json"
    client = NotebookClient(
        notebook, km=manager, timeout=120, resources={"metadata": {"path": workdir}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        sys.exit(str(exc))
    nbformat.write(notebook, sys.stdout)
    """
)


def test_there_are_notebooks_to_run() -> None:
    assert NOTEBOOKS


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebook_runs_without_errors(path: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(path), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-6000:]
    executed = nbformat.reads(done.stdout, as_version=4)
    outputs = [o for cell in executed.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    stderr = [o.text for o in outputs if o.get("name") == "stderr"]
    assert not stderr, f"the notebook wrote to stderr: {stderr}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_notebook_is_valid_and_stored_without_outputs(path: Path) -> None:
    """Outputs come from running it; stored ones would go stale and bloat diffs."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
