"""Rebuild a lesson's explorers headless, from the committed notebook's own cells.

Used by the preset tests: a preset's name is a claim, and the explorer it is
checked on must be the very one the lesson builds.
"""

import ast
import contextlib
import io
import warnings
from pathlib import Path

import matplotlib
import nbformat

matplotlib.use("Agg")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def explorers_of(name, constructors):
    """Run a notebook's code cells up to its last explorer; return the explorers, in order.

    constructors are the call prefixes that build an explorer, e.g. ("NeuronExplorer(",).
    A cell that builds one is run but for its last line, whose value is the explorer.
    """
    cells = [c.source for c in nbformat.read(NOTEBOOKS / name, as_version=4).cells if c.cell_type == "code"]
    last = max(i for i, source in enumerate(cells) if any(e in source for e in constructors))
    namespace, found = {"__name__": "__lesson__"}, []
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for source in cells[:last + 1]:
            *body, tail = ast.parse(source).body
            exec(compile(ast.Module(body, []), "<cell>", "exec"), namespace)
            if any(e in source for e in constructors):
                found.append(eval(compile(ast.Expression(tail.value), "<cell>", "eval"), namespace))
            else:
                exec(compile(ast.Module([tail], []), "<cell>", "exec"), namespace)
    return found


def presets_of(name, constructors):
    """Return {preset name: the explorer that offers it} for a notebook."""
    return {preset: explorer for explorer in explorers_of(name, constructors) for preset in explorer.presets}


def pick(explorer, preset, allowed_message=None):
    """Choose a preset from the menu, as a learner does; it must apply whole and draw without error."""
    explorer.preset_menu.value = "(choose a preset)"
    explorer.preset_menu.value = preset
    assert explorer.state == {**explorer.state, **explorer.presets[preset]}
    assert not explorer.message or (allowed_message and allowed_message in explorer.message), explorer.message
    return explorer
