"""Re-execute the course notebooks in place, each in one fresh kernel, top to bottom.

    python scripts/execute_notebooks.py                 # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/01_single_neuron.ipynb
    python scripts/execute_notebooks.py --out DIR       # write copies to DIR instead

The outputs are deterministic (everything is seeded), so `pytest --nbval`
compares them exactly, and re-executing a notebook rewrites nothing else:
no run timestamps, no widget model ids. The widget state is left out on
purpose: an explorer's controls only work with a running kernel, so a saved
notebook shows the picture (a PNG) with a note to run the cell, not sliders
that move nothing (on GitHub, nbviewer and in an HTML export alike).
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def execute(path, out=None, kernel_name="python3", timeout=600):
    """Execute the notebook at path (in place, or into the folder out); return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, store_widget_state=False, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    tidy(nb)
    nbformat.write(nb, path if out is None else Path(out) / path.name)
    return seconds


def tidy(nb):
    """Keep only what a reader sees, so that a re-run changes nothing else.

    Widget views and state go (each widget output keeps its text, which says to
    run the cell), and printed text that arrived in several pieces is joined:
    how a cell's prints are split up depends only on timing.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        outputs = []
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
            last = outputs[-1] if outputs else None
            if output.output_type == "stream" and last and last.output_type == "stream" and last.name == output.name:
                last.text += output.text
            else:
                outputs.append(output)
        if cell.cell_type == "code":
            cell.outputs = outputs


def main(argv):
    out = None
    if "--out" in argv:
        i = argv.index("--out")
        out, argv = argv[i + 1], argv[:i] + argv[i + 2:]
        Path(out).mkdir(parents=True, exist_ok=True)
    paths = [Path(p).resolve() for p in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path.relative_to(ROOT)}: executed in {execute(path, out):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
