"""Drive a real JupyterLab or Jupyter Notebook 7 in headless Chromium: shared by the browser
tests and benchmarks/widget_latency.py.

start_lab() runs JupyterLab (or, with app="notebook", Notebook 7) on 127.0.0.1 with a fresh,
temporary configuration, data, runtime and workspace directory, serving a temporary copy of the
notebooks (so autosave never touches the committed ones). The server gets the course's settings
overrides (binder/overrides.json) where Binder's postBuild puts them, so that it behaves as Binder does.
"""

import ast
import base64
import contextlib
import html
import io
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def chromium_path():
    """Return the path of a Chromium to drive, or None."""
    for candidate in (os.environ.get("NNLIB_CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def why_no_browser():
    """Return why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed (pip install -r requirements-dev.txt)"
    if chromium_path() is None:
        return "Chromium was not found: install it (Debian/Ubuntu: apt-get install chromium) or set NNLIB_CHROMIUM"
    return None


# The course's JupyterLab settings overrides: Binder's postBuild installs them as
# {sys.prefix}/share/jupyter/lab/settings/overrides.d/nnlib-course.json, where JupyterLab and
# Notebook 7 both read them; scripts/build_lite.py puts them into the JupyterLite site.
COURSE_OVERRIDES = ROOT / "binder" / "overrides.json"
OVERRIDES_NAME = "nnlib-course.json"


class Lab:
    """A running JupyterLab (or Notebook 7) server; stop() ends it by its process id."""

    def __init__(self, proc, url, token, root, tmp, app="lab"):
        self.proc, self.url, self.token, self.root, self.tmp, self.app = proc, url, token, root, tmp, app

    def notebook_url(self, name):
        if self.app == "notebook":
            return f"{self.url}/notebooks/{name}?token={self.token}"
        return f"{self.url}/lab/tree/{name}?reset&token={self.token}"

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, 15)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait()
        shutil.rmtree(self.tmp, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def why_no_notebook7():
    """Return why Notebook 7 cannot be started here, or None when it can."""
    try:
        import notebook
    except ImportError:
        return "Jupyter Notebook 7 is not installed (pip install -r requirements-dev.txt)"
    if int(notebook.__version__.split(".")[0]) < 7:
        return f"the notebook package is {notebook.__version__}, not Notebook 7"
    return None


def start_lab(timeout=60, app="lab", overrides=COURSE_OVERRIDES):
    """Start JupyterLab (app="notebook": Notebook 7) on a free loopback port; return a Lab.

    overrides: a settings-overrides file installed as Binder's postBuild installs the course's,
    or None for the front end's own settings.
    """
    tmp = Path(tempfile.mkdtemp(prefix=f"nnlib-{app}-"))
    root = tmp / "root"
    shutil.copytree(NOTEBOOKS, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    config = tmp / "config"
    (config / "labconfig").mkdir(parents=True)
    # no "get notified about Jupyter news?" pop-up over the notebooks
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    # every cell stays in the page, so that each explorer can be found and counted
    settings = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    app_settings = tmp / "app-settings"  # stands for {sys.prefix}/share/jupyter/lab/settings
    (app_settings / "overrides.d").mkdir(parents=True)
    if overrides is not None:
        shutil.copy2(overrides, app_settings / "overrides.d" / OVERRIDES_NAME)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(tmp / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    port, token = free_port(), secrets.token_hex(16)
    # Notebook 7 serves its settings through JupyterLab's handlers when JupyterLab is installed too,
    # so both apps are told where the settings are
    command = [sys.executable, "-m", {"lab": "jupyterlab", "notebook": "notebook"}[app], "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", f"--LabApp.app_settings_dir={app_settings}",
               f"--JupyterNotebookApp.app_settings_dir={app_settings}",
               "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True",
               f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
               f"--JupyterNotebookApp.workspaces_dir={tmp / 'workspaces'}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    lab = Lab(proc, url, token, root, tmp, app)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            return lab
        time.sleep(0.3)
    lab.stop()
    raise RuntimeError(f"{app} did not start: {(tmp / 'server.log').read_text()[-2000:]}")


def launch_browser(playwright, offline=False):
    """Launch headless Chromium; offline: every request that leaves 127.0.0.1 fails.

    Offline, Chromium sends all traffic through a proxy address where nothing listens; loopback
    addresses never go through a proxy, so only the local server can be reached, from the page
    and from its web workers alike.
    """
    args = list(CHROMIUM_ARGS)
    if offline:
        args.append(f"--proxy-server=http://127.0.0.1:{free_port()}")
    return playwright.chromium.launch(executable_path=chromium_path(), args=args)


class StaticSite:
    """A folder served over HTTP on a free loopback port, from a thread of this process."""

    def __init__(self, folder):
        import functools
        import http.server
        import threading

        class Handler(http.server.SimpleHTTPRequestHandler):
            extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                              ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json"}

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                     functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


# ----- in the page -------------------------------------------------------------------------
def kernel_status(page):
    return page.evaluate("() => document.querySelector('.jp-Notebook-ExecutionIndicator')"
                         "?.getAttribute('data-status') ?? null")


def wait_idle(page, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = page.locator(".jp-InputArea-prompt", has_text="[*]").count()
        if kernel_status(page) == "idle" and busy == 0:
            return
        time.sleep(0.25)
    raise TimeoutError(f"the notebook was still busy after {timeout} s")


def command(page, name):
    """Run a JupyterLab command without waiting for its promise."""
    page.evaluate(f"() => {{ window.jupyterapp.commands.execute({name!r}); }}")


KERNEL_READY = """() => {
  const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
  return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
}"""
STARTED = ("[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
           ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))")
FINISHED = ("/\\[\\d+\\]/.test([...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
            ".pop().textContent)")


def open_and_run(page, lab, name, timeout=240):
    """Open a notebook, wait for its kernel, clear every output, run all cells and wait for the end."""
    page.goto(lab.notebook_url(name))
    run_all(page, name, timeout, stuck=lab.tmp.parent)


def run_all(page, name, timeout=240, kernel_timeout=60, stuck=None):
    """In the notebook that is opening, wait for its kernel, clear every output, run all cells, wait for the end.

    On a timeout, a screenshot goes to stuck/nnlib-<name>-stuck.png (stuck: the temporary folder by default).
    """
    stuck = Path(stuck or tempfile.gettempdir())
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(KERNEL_READY, timeout=kernel_timeout * 1000, polling=200)
    command(page, "notebook:clear-all-cell-outputs")
    page.wait_for_function("document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0")
    try:
        for attempt in range(3):  # a run-all sent while the kernel settles can be dropped: send it again
            command(page, "notebook:run-all-cells")
            try:
                page.wait_for_function(STARTED, timeout=15_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        page.wait_for_function(FINISHED, timeout=timeout * 1000)  # the last cell has run
        wait_idle(page, timeout)
    except Exception as err:
        page.screenshot(path=stuck / f"nnlib-{Path(name).stem}-stuck.png")
        prompts = page.evaluate("[...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
                                ".map(p => p.textContent).join(' ')")
        raise TimeoutError(f"{name} did not finish running: kernel {kernel_status(page)}, prompts {prompts}") from err
    # widgets render asynchronously after the kernel is idle
    page.wait_for_function("[...document.querySelectorAll('.jp-OutputArea-output')].every("
                           "o => !o.textContent.includes('Loading widget'))", timeout=30_000)


def explorer_cells(page):
    """Return locators of the cells whose output holds an nnlib explorer, in notebook order."""
    cells = page.locator(".jp-Notebook .jp-CodeCell").filter(has=page.locator(".nnlib-readout"))
    return [cells.nth(i) for i in range(cells.count())]


def picture(cell):
    """The explorer's picture: the image output after its controls."""
    return cell.locator(".jp-OutputArea-output img").last


def picture_png(cell):
    """The PNG bytes of the explorer's picture as the browser has it."""
    return base64.b64decode(picture(cell).get_attribute("src").split(",", 1)[1])


def pixels_differ(png_a, png_b):
    """Return the fraction of pixels that differ by more than rounding (3 levels in 255)."""
    import numpy as np
    from PIL import Image

    a, b = (np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int) for png in (png_a, png_b))
    if a.shape != b.shape:
        return 1.0
    return float(np.mean(np.abs(a - b).max(axis=-1) > 3))


def readout_text(cell):
    return " ".join(cell.locator(".nnlib-readout").inner_text().split())


def slider(cell, label):
    """Return the focusable handle of the slider labelled label."""
    name = cell.page.locator(".widget-label", has_text=re.compile(f"^{label}$"))
    box = cell.locator(".widget-slider").filter(has=name)
    return box.locator(".noUi-handle")


def slider_labels(cell):
    """The labels of an explorer's sliders, in page order."""
    return [label.strip() for label in cell.locator(".widget-slider .widget-label").all_inner_texts()]


def first_slider_label(cell):
    return cell.locator(".widget-slider .widget-label").first.inner_text().strip()


JS_ARM = """
([cell, timeout]) => {
  if (!window.__nnlib_clock) {  // remember when each key went down
    window.__nnlib_clock = true;
    window.addEventListener('keydown', () => { window.__nnlib_keydown = performance.now(); }, true);
  }
  const area = cell.querySelector('.jp-OutputArea');
  const isPicture = (node) => node.nodeName === 'IMG' || !!node.querySelector?.('img');
  window.__nnlib_result = new Promise((resolve, reject) => {
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no new picture')); }, timeout);
    const observer = new MutationObserver(async (records) => {
      // the picture was replaced (a new <img>) or given new pixels (its src changed)
      if (!records.some(r => (r.type === 'attributes' && r.target.nodeName === 'IMG')
                             || [...r.addedNodes].some(isPicture))) return;
      const img = [...area.querySelectorAll('img')].pop();
      observer.disconnect();
      clearTimeout(timer);
      try { await img.decode(); } catch (e) {}
      requestAnimationFrame(() => resolve(performance.now() - window.__nnlib_keydown));
    });
    observer.observe(area, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
  });
}
"""


def press_and_time(page, cell, handle, key, timeout_ms=10_000):
    """Press key on a slider handle; return the ms from keydown to the frame that shows the new picture."""
    page.evaluate(JS_ARM, [cell.element_handle(), timeout_ms])
    handle.press(key)
    return page.evaluate("() => window.__nnlib_result")


# ----- the same explorers in Python ---------------------------------------------------------------
def python_explorers(path):
    """Execute a notebook's code cells in this process; return the explorers it shows, in order.

    These twins get the same key presses as the ones in the browser, so the
    test can compare the numbers the browser shows with Python's.
    """
    import matplotlib

    matplotlib.use("Agg")
    import warnings

    import nbformat

    from nnlib.explorers import Explorer

    namespace, shown = {"__name__": "__notebook__"}, []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tree = ast.parse(cell.source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            exec(compile(tree, path.name, "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), path.name, "eval"), namespace) if last else None
        if isinstance(value, Explorer):
            shown.append(value)
    return shown


def press_in_python(explorer, label, key, times=1):
    """Apply arrow-key presses to the Python twin the way the browser slider does."""
    import math

    import ipywidgets as w

    control = next(c for c in explorer.controls.values() if c.description == label)  # as the page labels it
    sign = 1 if key in ("ArrowRight", "ArrowUp") else -1
    for _ in range(times):
        if isinstance(control, w.SelectionSlider):
            control.index = min(max(control.index + sign, 0), len(control.options) - 1)
        elif isinstance(control, w.FloatLogSlider):
            exponent = math.log(control.value, control.base) + sign * control.step
            control.value = control.base ** min(max(exponent, control.min), control.max)
        else:  # the slider rounds to its step's decimals: 1.0 + 3 x 0.1 is 1.3, not 1.3000000000000003
            decimals = max(0, -math.floor(math.log10(control.step)))
            control.value = round(min(max(control.value + sign * control.step, control.min), control.max), decimals)


def text_of(readout_html):
    """The visible text of a readout's HTML, with white space folded as a browser does."""
    return " ".join(html.unescape(re.sub(r"<br\s*/?>", " ", re.sub(r"<(?!br)[^>]+>", "", readout_html))).split())


JS_COUNT_PICTURES = """
(cell) => {
  const area = cell.querySelector('.jp-OutputArea');
  window.__nnlib_frames = [];
  const observer = new MutationObserver((records) => {
    if (records.some(r => (r.type === 'attributes' && r.target.nodeName === 'IMG')
                          || [...r.addedNodes].some(n => n.nodeName === 'IMG' || !!n.querySelector?.('img'))))
      requestAnimationFrame((t) => window.__nnlib_frames.push(t));
  });
  observer.observe(area, {childList: true, subtree: true, attributes: true, attributeFilter: ['src']});
  window.__nnlib_stop_counting = () => observer.disconnect();
}
"""


def count_pictures(page, cell, seconds):
    """Return the pictures per second the page painted in cell over the given seconds."""
    page.evaluate(JS_COUNT_PICTURES, cell.element_handle())
    time.sleep(seconds)
    frames = page.evaluate("() => { window.__nnlib_stop_counting(); return window.__nnlib_frames; }")
    if len(frames) < 2:
        return 0.0
    return (len(frames) - 1) / ((frames[-1] - frames[0]) / 1000)


JS_PAUSE = """
async ([cell, ms]) => {
  const area = cell.querySelector('.jp-OutputArea');
  const readout = () => cell.querySelector('.nnlib-readout').innerText;
  const images = () => [...area.querySelectorAll('img')].map(i => i.src).join(' ');
  let [text, srcs, start] = [readout(), images(), performance.now()];
  const seen = {pictures: [], readouts: []};
  const observer = new MutationObserver(() => {
    const now = performance.now() - start;
    if (images() !== srcs) { srcs = images(); seen.pictures.push(now); }
    if (readout() !== text) { text = readout(); seen.readouts.push(now); }
  });
  observer.observe(area, {childList: true, subtree: true, characterData: true, attributes: true,
                          attributeFilter: ['src']});
  start = performance.now();
  // the button that shows the pause sign: ipywidgets 8's play button while it plays, or 7's own pause button
  const pause = [...cell.querySelectorAll('.widget-play button')].find(b => b.querySelector('.fa-pause'));
  if (!pause) throw new Error('no button shows the pause sign: the explorer is not playing');
  pause.click();
  await new Promise(done => setTimeout(done, ms));
  observer.disconnect();
  return seen;
}
"""


def pause_and_watch(page, cell, seconds=1.5):
    """Press the pause button of the explorer playing in cell, and watch it for the given seconds.

    Returns {"pictures": [...], "readouts": [...]}: the ms after the press at which its picture
    and its readout changed (what was already on its way when the pause came)."""
    return page.evaluate(JS_PAUSE, [cell.element_handle(), seconds * 1000])


# ----- the checks every front end's test makes ----------------------------------------------------
EXPLORERS_DRAWN = ("n => [...document.querySelectorAll('.jp-CodeCell')].filter(c => c.querySelector('.nnlib-readout'))"
                   ".filter(c => [...c.querySelectorAll('.jp-OutputArea img')].some(i => i.complete && i.naturalWidth))"
                   ".length >= n")


def assert_no_error_output(page, allowed=()):
    """No traceback, warning or other stderr output in the notebook (but the allowed texts), no broken widget."""
    shown = page.locator('.jp-Notebook [data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
    errors = [text for text in shown if text.strip() not in allowed]
    assert errors == [], errors[0]
    assert page.get_by_text("Error displaying widget").count() == 0


# where a slider's handle sits (its text value can stay the same: 0.15 shows as 0.1 with readout_format .1f)
HANDLE_AT = "h => h.closest('.noUi-origin').style.transform + ' ' + h.getAttribute('aria-valuenow')"


def check_explorers(page, twins, shots, presses=3, same_picture=True, timeout=10):
    """Every explorer the notebook shows is drawn, and its first slider answers ArrowRight.

    twins: the same explorers in this process (python_explorers). Each starts with the twin's
    readout; after `presses` x ArrowRight on its focused first slider the page shows the twin's
    readout for the same setting and a new picture: the twin's own, pixel for pixel, when
    same_picture (the same matplotlib draws both), else one that differs from where it started.
    """
    cells = explorer_cells(page)
    assert len(cells) == len(twins), f"{len(twins)} explorers in the notebook, {len(cells)} in the page"
    for i, (cell, twin) in enumerate(zip(cells, twins)):
        cell.scroll_into_view_if_needed()
        assert picture(cell).evaluate("img => img.complete && img.naturalWidth > 100"), f"explorer {i}: no picture"
        assert readout_text(cell) == text_of(twin.readout.value), f"explorer {i} starts differently from Python"
        start_png, start_shown = twin.png, picture_png(cell)

        label = first_slider_label(cell)
        handle = slider(cell, label)
        handle.click()
        for n in range(presses):
            before = handle.evaluate(HANDLE_AT)
            handle.press("ArrowRight")
            try:
                page.wait_for_function(f"([h, at]) => ({HANDLE_AT})(h) !== at",
                                       arg=[handle.element_handle(), before], timeout=5_000)
            except Exception as err:
                focus = page.evaluate("document.activeElement.className")
                raise AssertionError(f"explorer {i}: ArrowRight did not move the focused slider {label!r} "
                                     f"(press {n + 1}; the focus is on {focus!r})") from err
        press_in_python(twin, label, "ArrowRight", presses)
        assert pixels_differ(twin.png, start_png) > 0.001, f"explorer {i}: pick a move that changes the picture"

        expected = text_of(twin.readout.value)
        try:
            page.wait_for_function("([cell, text]) => cell.querySelector('.nnlib-readout').innerText"
                                   ".split(/\\s+/).join(' ').trim() === text",
                                   arg=[cell.element_handle(), expected], timeout=timeout * 1000)
        except Exception as err:
            raise AssertionError(f"explorer {i} after {presses} x ArrowRight on {label!r}: the page shows "
                                 f"{readout_text(cell)!r}, Python {expected!r}") from err
        if same_picture:  # up to float rounding in the colours: at most 3 levels in 255
            deadline = time.monotonic() + timeout
            while pixels_differ(picture_png(cell), twin.png) > 0 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert pixels_differ(picture_png(cell), twin.png) == 0, f"explorer {i}: the picture differs from Python's"
        else:
            deadline = time.monotonic() + timeout
            while pixels_differ(picture_png(cell), start_shown) <= 0.001 and time.monotonic() < deadline:
                time.sleep(0.2)
        assert pixels_differ(picture_png(cell), start_shown) > 0.001, f"explorer {i}: the picture did not change"
        picture(cell).screenshot(path=shots / f"explorer{i}-{label}.png")
