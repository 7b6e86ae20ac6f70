"""nnlib's folders are its layers, and imports only run downward.

The core (nnlib/*.py) is the library a learner reads: numpy only. Then plots/
(matplotlib), explorers/ (ipywidgets), course/ (lesson support). These tests
read every module's imports, so the layering holds by construction, not by habit.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnlib"
LAYERS = {"core": 0, "plots": 1, "explorers": 2, "course": 3}
# Third-party packages each layer may not import (a lower layer inherits the bans of the higher ones).
BANNED = {
    "core": {"matplotlib", "ipywidgets", "IPython", "PIL", "contourpy"},
    "plots": {"ipywidgets", "IPython"},
    "explorers": set(),
    "course": set(),
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def layer_of(path):
    """Return the layer name of a file inside nnlib/."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "core"


def imported_names(path, source=None):
    """Return the absolute dotted names a module imports, relative imports resolved."""
    package = ["nnlib", *path.relative_to(PACKAGE).parts[:-1]]
    names = []
    source = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.append(module)
            if node.level:  # `from .. import activations` imports the module nnlib.activations
                names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def nnlib_layer(name):
    """Return the layer of an imported nnlib module name, or None for a name outside nnlib."""
    parts = name.split(".")
    if parts[0] != "nnlib":
        return None
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "core"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_run_downward(path):
    here = layer_of(path)
    for name in imported_names(path):
        there = nnlib_layer(name)
        if there is None:
            assert name.split(".")[0] not in BANNED[here], f"{path.name} ({here}) must not import {name}"
        else:
            assert LAYERS[there] <= LAYERS[here], f"{path.name} ({here}) imports {name} ({there}): upward"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_longer_than_300_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 300


@pytest.mark.parametrize("path", sorted((PACKAGE / "explorers").glob("*.py")), ids=lambda p: p.name)
def test_each_explorer_module_reads_alone(path):
    """An explorer module uses the base, the controls and play buttons, and the layers below; never another explorer."""
    siblings = {p.stem for p in (PACKAGE / "explorers").glob("*.py")} - {"base", "controls", "play", "__init__"}
    if path.stem == "__init__":
        return
    for name in imported_names(path):
        parts = name.split(".")
        assert not (parts[:2] == ["nnlib", "explorers"] and len(parts) > 2 and parts[2] in siblings), \
            f"{path.name} imports {name}"


def test_the_checker_sees_a_violation():
    """The import reader resolves relative imports, so an upward import written either way is caught."""
    core = PACKAGE / "network.py"
    for source in ["from .explorers import base", "from .explorers.base import Explorer",
                   "import nnlib.plots", "from nnlib.course import sources"]:
        layers = {nnlib_layer(name) for name in imported_names(core, source)}
        assert max(LAYERS[layer] for layer in layers if layer) > LAYERS["core"], source
    plots = PACKAGE / "plots" / "fast.py"
    assert {nnlib_layer(n) for n in imported_names(plots, "from .. import activations")} == {"core"}
    assert "ipywidgets" in imported_names(plots, "import ipywidgets as w")
