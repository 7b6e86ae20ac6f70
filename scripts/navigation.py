"""Write the "previous | index | next" bar at the top and bottom of every notebook.

    python scripts/navigation.py          # update the bars in place
    python scripts/navigation.py --check  # exit 1 if any bar is missing or out of date

Notebooks are taken in file-name order (00_index first). Each bar is a
markdown cell starting with the NAV marker; the script replaces the bars it
finds and adds any that are missing, so they never drift from the files.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAV = "<!-- navigation: written by scripts/navigation.py -->"


def title(nb):
    """The notebook's first '# ' heading, without the hash."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not cell.source.startswith(NAV):
            match = re.search(r"^# (.+)$", cell.source, re.M)
            if match:
                return match.group(1).strip()
    return "untitled"


def bars(paths, notebooks):
    """Return {path: the bar's markdown} for the notebooks in order."""
    result = {}
    for i, path in enumerate(paths):
        parts = []
        if i > 0:
            parts.append(f"[← {title(notebooks[paths[i - 1]])}]({paths[i - 1].name})")
        if i > 1:  # lesson 01's previous page already is the index
            parts.append(f"[Index]({paths[0].name})")
        if i + 1 < len(paths):
            parts.append(f"[{title(notebooks[paths[i + 1]])} →]({paths[i + 1].name})")
        result[path] = NAV + "\n" + " | ".join(parts)
    return result


def with_bars(nb, bar):
    """Return the notebook's cells with the bar first and last (and nowhere else)."""
    cells = [c for c in nb.cells if not (c.cell_type == "markdown" and c.source.startswith(NAV))]
    top, bottom = nbformat.v4.new_markdown_cell(bar), nbformat.v4.new_markdown_cell(bar)
    for cell, where in ((top, "top"), (bottom, "bottom")):
        cell.id = f"navigation-{where}"
    return [top, *cells, bottom]


def main(argv):
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    notebooks = {p: nbformat.read(p, as_version=4) for p in paths}
    stale = []
    for path, bar in bars(paths, notebooks).items():
        nb = notebooks[path]
        cells = with_bars(nb, bar)
        if [(c.cell_type, c.source) for c in cells] != [(c.cell_type, c.source) for c in nb.cells]:
            stale.append(path.name)
            if "--check" not in argv:
                nb.cells = cells
                nbformat.write(nb, path)
    if "--check" in argv and stale:
        print("navigation bars missing or out of date in: " + ", ".join(stale)
              + "\nrun: python scripts/navigation.py")
        return 1
    print(("updated: " + ", ".join(stale)) if stale and "--check" not in argv else "navigation bars are current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
