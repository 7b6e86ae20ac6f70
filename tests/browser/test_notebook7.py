"""Every lesson runs in Jupyter Notebook 7, its explorers render, and their sliders answer the arrow keys.

The JupyterLab test's checks (test_lessons_in_browser.py), in `jupyter notebook` 7 with the course's
settings overrides installed as Binder installs them (binder/overrides.json, see labdriver.start_lab).
Notebook 7 handles shortcuts before the page's widgets do, and binds the four arrow keys in command
mode to moving between cells and headings (jupyter/notebook#7716): without the overrides, ArrowRight
on a focused slider jumps to the next heading and the slider never moves. The last test shows that.
"""

import time
from pathlib import Path

import pytest

from labdriver import (
    EXPLORERS_DRAWN,
    NOTEBOOKS,
    assert_no_error_output,
    check_explorers,
    explorer_cells,
    first_slider_label,
    open_and_run,
    python_explorers,
    slider,
    start_lab,
    why_no_notebook7,
)

SCREENSHOTS = Path(__file__).parent / "screenshots" / "notebook7"
LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))
pytestmark = pytest.mark.skipif(why_no_notebook7() is not None, reason=str(why_no_notebook7()))


@pytest.fixture(scope="module")
def notebook7():
    server = start_lab(app="notebook")
    yield server
    server.stop()


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_in_notebook7_and_every_explorer_answers_the_keys(page, notebook7, path):
    twins = python_explorers(path)
    open_and_run(page, notebook7, path.name)
    page.wait_for_function(EXPLORERS_DRAWN, arg=len(twins), timeout=30_000)
    shots = SCREENSHOTS / path.stem
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "end.png")
    assert_no_error_output(page)
    check_explorers(page, twins, shots)


def test_without_the_course_overrides_notebook7_takes_the_arrow_keys(page):
    """Why binder/overrides.json exists: Notebook 7's own shortcuts keep ArrowRight from a focused slider."""
    server = start_lab(app="notebook", overrides=None)
    try:
        open_and_run(page, server, LESSONS[0].name)
        page.wait_for_function(EXPLORERS_DRAWN, arg=1, timeout=30_000)
        cell = explorer_cells(page)[0]
        handle = slider(cell, first_slider_label(cell))
        handle.click()
        before = handle.get_attribute("aria-valuenow")
        handle.press("ArrowRight")
        time.sleep(1)
        if handle.get_attribute("aria-valuenow") != before:
            import notebook

            pytest.skip(f"Notebook {notebook.__version__} lets the arrow keys reach a focused slider: "
                        "binder/overrides.json may no longer be needed")
        assert "noUi-handle" not in page.evaluate("document.activeElement.className"), \
            "the arrow key should have moved the focus away from the slider"
    finally:
        server.stop()
