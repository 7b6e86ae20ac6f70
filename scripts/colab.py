"""Write an "Open in Colab" link and a Colab-only install cell into every notebook.

    python scripts/colab.py          # update the notebooks in place
    python scripts/colab.py --check  # exit 1 if any notebook lacks them or has them out of date
    python scripts/colab.py --dir DIR  # work on the notebooks in DIR instead of notebooks/

Each notebook gets two cells, which the script replaces wherever it finds them (by their ids):
* after the title (the first cell that is not a navigation bar), a markdown cell with a text link
  that opens the notebook from GitHub in Google Colab (a plain link: no badge image to fetch);
* before the first code cell, a code cell that installs nnlib from the GitHub repository when,
  and only when, it runs in Colab. It is plain Python (no %pip), so that every tool that runs the
  notebooks' code (nbval, the tests' own runners, JupyterLite's Pyodide) reads it and skips it.

The repository is the one the README's Binder badge names, so the links move with it.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BRANCH = "main"
NAV = "<!-- navigation: written by scripts/navigation.py -->"
LINK_ID, INSTALL_ID = "colab-link", "colab-install"
LINK = """<!-- colab: written by scripts/colab.py -->
[Open in Colab]({url}): run this notebook in Google Colab. Its first code cell installs nnlib there, \
and does nothing anywhere else."""
INSTALL = """# Google Colab only: install nnlib, the course's library, from GitHub (anywhere else this does nothing)
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "git+https://github.com/{repo}@{branch}"],
                   check=True)"""


def repository(readme=ROOT / "README.md"):
    """The GitHub owner/name that the README's Binder badge opens."""
    match = re.search(r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/", readme.read_text())
    if not match:
        raise SystemExit("README.md has no Binder badge (https://mybinder.org/v2/gh/OWNER/NAME/...) to take the "
                         "repository from")
    return match.group(1)


def colab_cells(name, repo, branch=BRANCH):
    """The link cell and the install cell for the notebook notebooks/<name>."""
    url = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{name}"
    link = nbformat.v4.new_markdown_cell(LINK.format(url=url))
    install = nbformat.v4.new_code_cell(INSTALL.format(repo=repo, branch=branch))
    link.id, install.id = LINK_ID, INSTALL_ID
    return link, install


def with_colab(cells, link, install):
    """Return the cells with the link after the title cell and the install cell before the first code cell.

    The title cell is the first that is not a navigation bar (the lesson's title and objectives).
    """
    cells = [c for c in cells if c.get("id") not in (LINK_ID, INSTALL_ID)]
    title = next((i for i, c in enumerate(cells) if not c.source.startswith(NAV)), len(cells) - 1)
    cells.insert(title + 1, link)
    first_code = next((i for i, c in enumerate(cells) if c.cell_type == "code"), len(cells))
    cells.insert(first_code, install)
    return cells


def same(a, b):
    return [(c.get("id"), c.cell_type, c.source) for c in a] == [(c.get("id"), c.cell_type, c.source) for c in b]


def main(argv):
    check = "--check" in argv
    folder = Path(argv[argv.index("--dir") + 1]) if "--dir" in argv else NOTEBOOKS
    repo = repository()
    stale = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = with_colab(nb.cells, *colab_cells(path.name, repo))
        if not same(cells, nb.cells):
            stale.append(path.name)
            if not check:
                nb.cells = cells
                nbformat.write(nb, path)
    if check and stale:
        print("Colab cells missing or out of date in: " + ", ".join(stale) + "\nrun: python scripts/colab.py")
        return 1
    print(("updated: " + ", ".join(stale)) if stale and not check else "Colab cells are current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
