"""Re-execute the course notebooks in place, each in one fresh kernel, top to bottom.

    python scripts/execute_notebooks.py                 # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/01_single_neuron.ipynb
    python scripts/execute_notebooks.py --out DIR       # write copies to DIR instead

The outputs are saved with the widget state, so that the sliders render on
GitHub and nbviewer too, and they are deterministic (everything is seeded),
so `pytest --nbval` compares them exactly.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path, out=None, kernel_name="python3", timeout=600):
    """Execute the notebook at path (in place, or into the folder out); return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, path if out is None else Path(out) / path.name)
    return time.perf_counter() - start


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
