"""How live do the explorers feel in a real browser?

For every explorer in every lesson and each of its sliders: the time from a
slider key press to the first animation frame that shows the updated picture,
in JupyterLab in headless Chromium (median and 90th percentile over 25
presses, after warm-up), and the kernel-side time per update. Each explorer's
summary line reports its slowest slider. For explorers with a play button: the
pictures per second the page paints while it plays.

    python benchmarks/widget_latency.py [--presses 25] [notebooks/01_single_neuron.ipynb ...]

Needs Chromium (apt-get install chromium) and Playwright (requirements-dev.txt).
The last lines are one per explorer: `NAME median_ms=X p90_ms=Y kernel_ms=Z`,
or `NAME fps=F` for a playing animation.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from labdriver import (  # noqa: E402
    NOTEBOOKS,
    count_pictures,
    explorer_cells,
    first_slider_label,
    launch_browser,
    open_and_run,
    press_and_time,
    press_in_python,
    python_explorers,
    slider,
    slider_labels,
    start_lab,
    why_no_browser,
)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def keys(presses):
    """Right five times, left five times, ...: every press moves the slider, which stays in range."""
    return ["ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft" for i in range(presses)]


def kernel_ms(twin, label, presses):
    """Median ms the kernel spends on one update (the same presses, on the Python twin)."""
    times = []
    for key in keys(presses):
        start = time.perf_counter()
        press_in_python(twin, label, key)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def name_of(path, i, twin):
    title = getattr(twin, "title", "")
    title = title if isinstance(title, str) else ""
    return f"{path.stem}:{i}:{type(twin).__name__}" + (f"[{title}]" if title else "")


def measure(page, lab, path, presses, lines):
    twins = python_explorers(path)
    open_and_run(page, lab, path.name)
    page.wait_for_function(
        "n => [...document.querySelectorAll('.jp-CodeCell')].filter(c => c.querySelector('.nnlib-readout'))"
        ".length >= n", arg=len(twins), timeout=30_000)
    for i, (cell, twin) in enumerate(zip(explorer_cells(page), twins)):
        name = name_of(path, i, twin)
        cell.scroll_into_view_if_needed()
        results = []
        for label in slider_labels(cell):
            handle = slider(cell, label)
            handle.click()
            for key in ["ArrowRight", "ArrowLeft"] * 2:  # warm-up that ends where it started
                try:
                    press_and_time(page, cell, handle, key, timeout_ms=3000)
                except Exception:
                    pass
            page_ms, unchanged = [], 0
            for key in keys(presses):
                try:
                    page_ms.append(press_and_time(page, cell, handle, key, timeout_ms=3000))
                except Exception:  # the setting changed but the picture did not (nothing to repaint)
                    unchanged += 1
            net = sum(1 if key == "ArrowRight" else -1 for key in keys(presses))
            for _ in range(abs(net)):  # back to where the slider started
                handle.press("ArrowLeft" if net > 0 else "ArrowRight")
            k_ms = kernel_ms(twin, label, presses)
            if not page_ms:
                print(f"  {name} slider {label}: the picture never changes on its own; kernel_ms={k_ms:.1f}")
                continue
            results.append((statistics.median(page_ms), percentile(page_ms, 0.9), k_ms, label))
            print(f"  {name} slider {label}: median_ms={results[-1][0]:.1f} p90_ms={results[-1][1]:.1f} "
                  f"kernel_ms={k_ms:.1f}" + (f" unchanged_presses={unchanged}" if unchanged else ""), flush=True)
        median, p90, k_ms, label = max(results)  # report the slowest slider
        line = f"{name} median_ms={median:.1f} p90_ms={p90:.1f} kernel_ms={k_ms:.1f} slowest_slider={label}"
        print(line, flush=True)
        lines.append(line)
        handle = slider(cell, first_slider_label(cell))
        play = cell.locator(".widget-play button").first
        if play.count():
            cell.locator("button", has_text="Reset").click()  # the starting configuration, then play
            time.sleep(1.0)
            before = cell.locator(".nnlib-readout").inner_text()
            play.click()
            page.wait_for_function("([cell, text]) => cell.querySelector('.nnlib-readout').innerText !== text",
                                   arg=[cell.element_handle(), before], timeout=10_000)  # it is playing
            fps = count_pictures(page, cell, 3.0)
            cell.locator(".widget-play button").nth(1).click()  # pause
            line = f"{name}:play fps={fps:.1f}"
            print(line, flush=True)
            lines.append(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--presses", type=int, default=25, help="timed key presses per explorer")
    args = parser.parse_args()
    reason = why_no_browser()
    if reason:
        sys.exit(f"cannot run the browser benchmark: {reason}")
    from playwright.sync_api import sync_playwright

    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    lines = []
    lab = start_lab()
    try:
        with sync_playwright() as playwright:
            browser = launch_browser(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            for path in paths:
                measure(page, lab, path, args.presses, lines)
            browser.close()
    finally:
        lab.stop()
    print("\nsummary (targets: median <= 100 ms for one-plot explorers, >= 10 fps while playing)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
