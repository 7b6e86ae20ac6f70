"""Drive a real JupyterLab in headless Chromium: shared by the browser tests and
benchmarks/widget_latency.py.

start_lab() runs JupyterLab on 127.0.0.1 with a fresh, temporary configuration,
data, runtime and workspace directory, serving a temporary copy of the
notebooks (so Lab's autosave never touches the committed ones).
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


class Lab:
    """A running JupyterLab server; stop() ends it by its process id."""

    def __init__(self, proc, url, token, root, tmp):
        self.proc, self.url, self.token, self.root, self.tmp = proc, url, token, root, tmp

    def notebook_url(self, name):
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


def start_lab(timeout=60):
    """Start JupyterLab on a free loopback port; return a Lab."""
    tmp = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
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
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(tmp / "data"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp / 'workspaces'}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        command.append("--allow-root")
    log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    lab = Lab(proc, url, token, root, tmp)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            return lab
        time.sleep(0.3)
    lab.stop()
    raise RuntimeError(f"JupyterLab did not start: {(tmp / 'server.log').read_text()[-2000:]}")


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


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
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function(KERNEL_READY, timeout=60_000, polling=200)
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
        page.screenshot(path=lab.tmp.parent / f"nnlib-{Path(name).stem}-stuck.png")
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
