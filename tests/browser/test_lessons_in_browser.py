"""Every lesson runs in a real JupyterLab, its explorers render, their sliders work, and a play button
plays and pauses."""

import re
import time
from pathlib import Path

import pytest

from labdriver import (
    NOTEBOOKS,
    explorer_cells,
    first_slider_label,
    open_and_run,
    pause_and_watch,
    picture,
    picture_png,
    pixels_differ,
    press_in_python,
    python_explorers,
    readout_text,
    slider,
    text_of,
)

SCREENSHOTS = Path(__file__).parent / "screenshots"
LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))
PRESSES = 3


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_and_every_explorer_responds(page, lab, path):
    twins = python_explorers(path)
    open_and_run(page, lab, path.name)
    page.wait_for_function(  # widgets render after the kernel is idle: wait for each one and its picture
        "n => [...document.querySelectorAll('.jp-CodeCell')].filter(c => c.querySelector('.nnlib-readout'))"
        ".filter(c => [...c.querySelectorAll('.jp-OutputArea img')].some(i => i.complete && i.naturalWidth))"
        ".length >= n", arg=len(twins), timeout=30_000)
    shots = SCREENSHOTS / path.stem
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "end.png")

    # no tracebacks, no warnings, no widget that failed to show
    assert page.locator('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]').count() == 0, \
        page.locator('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]').first.inner_text()
    assert page.get_by_text("Error displaying widget").count() == 0

    cells = explorer_cells(page)
    assert len(cells) == len(twins), "every explorer the notebook shows must render in the browser"
    for i, (cell, twin) in enumerate(zip(cells, twins)):
        cell.scroll_into_view_if_needed()
        image = picture(cell)
        assert image.evaluate("img => img.complete && img.naturalWidth > 100"), f"explorer {i} has no picture"
        assert readout_text(cell) == text_of(twin.readout.value), f"explorer {i} starts differently"
        start_png = twin.png

        # move its first slider with the keyboard, as a person would
        label = first_slider_label(cell)
        handle = slider(cell, label)
        handle.click()
        for n in range(PRESSES):
            handle.press("ArrowRight")
            page.wait_for_function("([h, n]) => h.getAttribute('aria-valuenow') !== n",
                                   arg=[handle.element_handle(), str(n)], timeout=5_000)
        press_in_python(twin, label, "ArrowRight", PRESSES)
        assert pixels_differ(twin.png, start_png) > 0.001, f"explorer {i}: pick a move that changes the picture"

        # the browser now shows what Python shows for the same setting: the numbers, and the picture
        # (up to float rounding in the colours: at most 3 levels in 255)
        expected = text_of(twin.readout.value)
        try:
            page.wait_for_function("([cell, text]) => cell.querySelector('.nnlib-readout').innerText"
                                   ".split(/\\s+/).join(' ').trim() === text",
                                   arg=[cell.element_handle(), expected], timeout=10_000)
        except Exception as err:
            raise AssertionError(f"explorer {i} after {PRESSES} x ArrowRight on {label!r}: the browser shows "
                                 f"{readout_text(cell)!r}, Python {expected!r}") from err
        deadline = time.monotonic() + 10
        while pixels_differ(picture_png(cell), twin.png) > 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        shown = picture_png(cell)
        assert pixels_differ(shown, twin.png) == 0, f"explorer {i}: the picture differs from Python's"
        assert pixels_differ(shown, start_png) > 0.001, f"explorer {i}: the picture did not change"
        picture(cell).screenshot(path=shots / f"explorer{i}-{label}.png")
        if cell.locator(".widget-play button").count():
            check_play_and_pause(page, cell, i)


def epoch_of(cell):
    """The epoch an explorer with a play button shows in its readout (CONTRIBUTING asks for `epoch N`)."""
    text = readout_text(cell)
    found = re.search(r"epoch (\d+)", text)
    assert found, f"an explorer with a play button shows `epoch N` in its readout; this one shows {text!r}"
    return int(found.group(1))


def check_play_and_pause(page, cell, i):
    """Play trains: the readout's epoch counts up. Pause stops it at once: at most the two epochs already
    on their way are drawn (one answered and being drawn, one tick sent before the press; ipywidgets sends
    the next tick only once the kernel has answered the last), and then nothing changes."""
    start = epoch_of(cell)
    cell.locator(".widget-play button").first.click()
    deadline = time.monotonic() + 10
    while epoch_of(cell) < start + 3:  # it trains
        assert time.monotonic() < deadline, f"explorer {i}: play pressed, but the epoch went from {start} only to " \
                                            f"{epoch_of(cell)} in 10 s"
        time.sleep(0.05)
    seen = pause_and_watch(page, cell, seconds=1.0)
    assert len(seen["readouts"]) <= 2, f"explorer {i}: {len(seen['readouts'])} epochs drawn after pause"
    paused = epoch_of(cell)
    time.sleep(1.0)
    assert epoch_of(cell) == paused, f"explorer {i} went on from epoch {paused} to {epoch_of(cell)} after pause"
