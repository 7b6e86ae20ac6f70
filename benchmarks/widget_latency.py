"""How live do the explorers feel in a real browser?

For every explorer in every lesson and each of its controls (sliders, drop-down
menus, toggle buttons and check boxes): the time from a key press (arrow keys
on a slider or a menu, Space on a toggle) to the first animation frame that
shows the updated picture, in JupyterLab in headless Chromium (median and 90th
percentile over 25 presses, after warm-up), and the kernel-side time per
update. A control that is disabled is reported as such, not timed. Each
explorer's summary line reports its slowest control. For explorers with a play
button: the pictures per second the page paints while it plays, then how many
epochs are still drawn after the pause button is pressed (the readout changes
once per epoch: those already on their way) and when the picture or readout last
changed, in ms after the press. Each
notebook's kernel is shut down before the next notebook is timed.

kernel_ms is the same work in plain Python, without a browser, so it shows how
fast the machine is at the time: compare two runs only when it is about the same.

    python benchmarks/widget_latency.py [--presses 25] [--scale 1.5] [--pixels 2] [notebooks/01_single_neuron.ipynb ...]

--scale and --pixels time the pictures at another display size (nnlib.explorers.set_display):
--pixels 2 is what a high-DPI screen would get.

Needs Chromium (apt-get install chromium) and Playwright (requirements-dev.txt).
The last lines are one per explorer: `NAME median_ms=X p90_ms=Y kernel_ms=Z`,
or `NAME:play fps=F epochs_after_pause=N last_change_ms=T` for a playing animation;
above them, an indented line per control.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from labdriver import (  # noqa: E402
    JS_ARM,
    NOTEBOOKS,
    count_pictures,
    explorer_cells,
    first_slider_label,
    launch_browser,
    open_and_run,
    pause_and_watch,
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


def keys(presses, kind="slider"):
    """The keys to press: on a slider right five times, left five times, ... (it stays in range; one that
    starts fewer than five steps below its end stays there for the last presses, reported as presses at
    the slider's end); on a menu down, up, down, ... (it may have two options); on a toggle Space."""
    if kind == "toggle":
        return ["Space"] * presses
    if kind == "menu":
        return ["ArrowDown" if i % 2 == 0 else "ArrowUp" for i in range(presses)]
    return ["ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft" for i in range(presses)]


def kind_of(control):
    import ipywidgets as w

    if isinstance(control, (w.ToggleButton, w.Checkbox)):
        return "toggle"
    if isinstance(control, w.Dropdown):
        return "menu"
    return "slider" if isinstance(control, (w.IntSlider, w.FloatSlider, w.SelectionSlider, w.FloatLogSlider)) else None


def press_control_in_python(twin, control, key):
    """Apply one key press to a control of the Python twin, as the browser does."""
    kind = kind_of(control)
    if kind == "toggle":
        control.value = not control.value
    elif kind == "menu":
        control.index = min(max(control.index + (1 if key == "ArrowDown" else -1), 0), len(control.options) - 1)
    else:
        press_in_python(twin, control.description, key)


def handle_of(cell, control):
    """The element of the page that takes the key presses for control."""
    label = re.compile(f"^{re.escape(control.description)}$")
    kind = kind_of(control)
    if kind == "slider":
        return slider(cell, control.description)
    if kind == "menu":
        return cell.locator(".widget-dropdown").filter(has=cell.page.locator(".widget-label", has_text=label)).locator(
            "select")
    if control.__class__.__name__ == "Checkbox":
        return cell.locator(".widget-checkbox").filter(has_text=control.description).locator("input")
    return cell.locator("button.widget-toggle-button", has_text=label)


JS_CHOOSE = """
(select, step) => {  // what an arrow key does on a closed menu (headless Chromium ignores the key itself)
  window.__nnlib_keydown = performance.now();
  select.selectedIndex = Math.min(Math.max(select.selectedIndex + step, 0), select.options.length - 1);
  select.dispatchEvent(new Event('change', {bubbles: true}));
}
"""


def time_press(page, cell, handle, key, timeout_ms=3000):
    """Press key on a control's handle; return the ms from the press to the frame that shows the new picture."""
    if key not in ("ArrowDown", "ArrowUp"):
        return press_and_time(page, cell, handle, key, timeout_ms)
    page.evaluate(JS_ARM, [cell.element_handle(), timeout_ms])
    handle.evaluate(JS_CHOOSE, 1 if key == "ArrowDown" else -1)
    return page.evaluate("() => window.__nnlib_result")


def kernel_ms(twin, control, presses):
    """Median ms the kernel spends on one update (the same presses, on the Python twin), and how many of
    those presses left the control's value as it was (a slider already at its end)."""
    times, at_end = [], 0
    for key in keys(presses, kind_of(control)):
        before = control.value
        start = time.perf_counter()
        press_control_in_python(twin, control, key)
        times.append((time.perf_counter() - start) * 1000)
        at_end += control.value == before
    return statistics.median(times), at_end


def name_of(path, i, twin):
    title = getattr(twin, "title", "")
    title = title if isinstance(title, str) else ""
    return f"{path.stem}:{i}:{type(twin).__name__}" + (f"[{title}]" if title else "")


def measure(page, lab, path, presses, lines, per_control=True):
    twins = python_explorers(path)
    open_and_run(page, lab, path.name)
    page.wait_for_function(
        "n => [...document.querySelectorAll('.jp-CodeCell')].filter(c => c.querySelector('.nnlib-readout'))"
        ".length >= n", arg=len(twins), timeout=30_000)
    for i, (cell, twin) in enumerate(zip(explorer_cells(page), twins)):
        name = name_of(path, i, twin)
        cell.scroll_into_view_if_needed()
        results = []
        controls = [c for c in twin.controls.values() if kind_of(c)]
        if not per_control:  # as before: the sliders only
            controls = [c for c in controls if kind_of(c) == "slider" and c.description in slider_labels(cell)]
        for control in controls:
            label, kind = control.description, kind_of(control)
            if control.disabled:
                print(f"  {name} {kind} {label}: disabled ({control.tooltip})", flush=True)
                continue
            handle = handle_of(cell, control)
            handle.focus() if kind != "slider" else handle.click()
            warm = ["Space"] * 4 if kind == "toggle" else ["ArrowDown", "ArrowUp"] * 2 if kind == "menu" else \
                ["ArrowRight", "ArrowLeft"] * 2
            for key in warm:  # warm-up that ends where it started
                try:
                    time_press(page, cell, handle, key)
                except Exception:
                    pass
            page_ms, unchanged = [], 0
            for key in keys(presses, kind):
                try:
                    page_ms.append(time_press(page, cell, handle, key))
                except Exception:  # the setting changed but the picture did not (nothing to repaint)
                    unchanged += 1
            for key in warm:
                press_control_in_python(twin, control, key)
            k_ms, at_end = kernel_ms(twin, control, presses)
            cell.locator("button", has_text="Reset").click()  # both back to the starting values
            twin.reset()
            time.sleep(0.5)
            if not page_ms:
                print(f"  {name} {kind} {label}: the picture never changes on its own; kernel_ms={k_ms:.1f}")
                continue
            results.append((statistics.median(page_ms), percentile(page_ms, 0.9), k_ms, label))
            print(f"  {name} {kind} {label}: median_ms={results[-1][0]:.1f} p90_ms={results[-1][1]:.1f} "
                  f"kernel_ms={k_ms:.1f}" + (f" unchanged_presses={unchanged}" if unchanged else "")
                  + (f" ({at_end} at the slider's end)" if unchanged and at_end else ""), flush=True)
        median, p90, k_ms, label = max(results)  # report the slowest slider
        line = f"{name} median_ms={median:.1f} p90_ms={p90:.1f} kernel_ms={k_ms:.1f} slowest_control={label}"
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
            seen = pause_and_watch(page, cell)  # what still changes after the pause button is pressed
            last = max(seen["pictures"] + seen["readouts"], default=0)
            line = f"{name}:play fps={fps:.1f} epochs_after_pause={len(seen['readouts'])} last_change_ms={last:.0f}"
            print(line, flush=True)
            lines.append(line)


def shut_down_kernels(lab):
    """Shut down every kernel the server runs, so a notebook measured earlier does not share the CPU."""
    import json
    import urllib.request

    def call(method, path):
        request = urllib.request.Request(f"{lab.url}/api/kernels{path}?token={lab.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    for kernel in json.loads(call("GET", "")):
        call("DELETE", f"/{kernel['id']}")


def server_extension():
    """Whether the Jupyter server here loads nnlib_jupyter (server/: TCP_NODELAY on kernel websockets)."""
    import subprocess

    listed = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"], capture_output=True,
                            text=True)
    lines = [line for line in (listed.stdout + listed.stderr).splitlines() if "nnlib_jupyter" in line]
    on = any("enabled" in line for line in lines) and any("OK" in line for line in lines)
    return "on" if on else "OFF (pip install ./server): a slider moved press after press answers 20-30 ms later"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--presses", type=int, default=25, help="timed key presses per control")
    parser.add_argument("--sliders-only", action="store_true", help="time only the sliders (as before)")
    parser.add_argument("--scale", type=float, default=1.0, help="display scale (1.5 for a projector)")
    parser.add_argument("--pixels", type=int, default=1, help="drawn pixels per shown pixel (2 for a 2x screen)")
    args = parser.parse_args()
    os.environ.update(NNLIB_SCALE=str(args.scale), NNLIB_PIXELS=str(args.pixels))  # the kernels inherit it
    from nnlib.plots import set_display
    set_display(args.scale, args.pixels)  # and the Python twins
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
            page.set_default_timeout(10_000)  # a control that cannot be found fails in seconds, not minutes
            for path in paths:
                measure(page, lab, path, args.presses, lines, not args.sliders_only)
                shut_down_kernels(lab)
            browser.close()
    finally:
        lab.stop()
    print(f"\ndisplay scale {args.scale:g}, {args.pixels} drawn pixel(s) per shown pixel; "
          f"server extension nnlib_jupyter {server_extension()}")
    print("summary (targets: every playground control median <= 100 ms and >= 20 fps while playing; lesson "
          "explorers median <= 60 ms with one plot, <= 80 ms with two)")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
