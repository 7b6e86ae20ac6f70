"""The course as a static JupyterLite site: it builds, and every lesson runs in Chromium through Pyodide
with nothing reachable but 127.0.0.1, its explorers answering the arrow keys.

The site is built by scripts/build_lite.py, with the bundled Pyodide whose every wheel is checked
against the official pyodide-lock.json. Where that Pyodide cannot be had (no npm, or the registries
cannot be reached), the site is still built (with Pyodide from the CDN) and its contents checked;
the in-browser test then skips and says why, since it reaches no CDN.

Time: one JupyterLite page serves all the lessons (each still gets its own new kernel, as a learner's
would), and the browser keeps its HTTP cache, so Pyodide is fetched once; most of the time is Pyodide
starting a kernel (about 20 s here) and running the lessons' code in WebAssembly.
"""

import importlib.util
import json
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from labdriver import (
    EXPLORERS_DRAWN,
    KERNEL_READY,
    NOTEBOOKS,
    ROOT,
    StaticSite,
    assert_no_error_output,
    check_explorers,
    launch_browser,
    python_explorers,
    run_all,
)

SCREENSHOTS = Path(__file__).parent / "screenshots" / "lite"
LESSONS = sorted(NOTEBOOKS.glob("*.ipynb"))
# Pyodide 0.27.7's matplotlib 3.8.4 wheel ships a font cache written by a newer matplotlib, so the first
# import of matplotlib in every Pyodide 0.27.7 kernel rebuilds it and says so on stderr. It is upstream's,
# harmless, and the only stderr the lessons may show in JupyterLite.
PYODIDE_FONT_CACHE = "Matplotlib is building the font cache; this may take a moment."
# every cell stays in the page (JupyterLite 0.5 attaches only the cells in view), as in labdriver.start_lab
USER_SETTINGS = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}


def build_lite():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "scripts" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site():
    """Build the site once: (folder, build info, why the lessons cannot run in it here, or None)."""
    builder = build_lite()
    out = Path(tempfile.mkdtemp(prefix="nnlib-lite-site-")) / "site"
    try:
        try:
            info, reason = builder.build(out, pyodide="bundled"), None
        except (builder.BuildError, builder.subprocess.CalledProcessError) as err:
            info = builder.build(out, pyodide="cdn")
            reason = (f"no verified bundled Pyodide ({err}); the site was built with Pyodide from the CDN "
                      "and checked, but this test reaches nothing beyond 127.0.0.1")
        yield out, info, reason
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)


def test_site_holds_every_lesson_and_what_it_needs(site):
    out, info, _ = site
    assert info["notebooks"] == [p.name for p in LESSONS]
    for name in ("nnlib-", "ipywidgets-", "comm-"):
        assert any(w.startswith(name) for w in info["wheels"]), f"no {name}* wheel in pypi/"
    assert (out / "api" / "contents" / "all.json").exists()
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    course = json.loads((ROOT / "binder" / "overrides.json").read_text())
    assert config["settingsOverrides"]["@jupyterlab/shortcuts-extension:shortcuts"] == \
        course["@jupyterlab/shortcuts-extension:shortcuts"], "the site must free the arrow keys as Binder does"
    if info["pyodide"] == "bundled":
        lock = json.loads((out / "static" / "pyodide" / "pyodide-lock.json").read_text())
        assert lock["info"]["version"] == build_lite().PYODIDE_VERSION
        assert (out / "static" / "pyodide" / "pyodide.asm.wasm").exists()


def test_published_site_is_the_tested_one_with_pyodide_from_the_cdn(site, tmp_path):
    """What .github/workflows/pages.yml publishes (--pyodide cdn) differs from the tested site only there."""
    out, info, _ = site
    builder = build_lite()
    cdn = builder.build(tmp_path / "cdn", pyodide="cdn")
    assert cdn["pyodide_url"] == f"https://cdn.jsdelivr.net/pyodide/v{builder.PYODIDE_VERSION}/full/pyodide.js"
    assert cdn["notebooks"] == info["notebooks"]
    assert [w for w in cdn["wheels"] if not w.startswith("nnlib-")] == \
        [w for w in info["wheels"] if not w.startswith("nnlib-")]

    def files(folder):
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()
                and not p.relative_to(folder).as_posix().startswith(("static/pyodide/", "pypi/nnlib-"))}

    assert files(tmp_path / "cdn") == files(out)
    config = json.loads((tmp_path / "cdn" / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == cdn["pyodide_url"]


def test_bundle_verification_refuses_a_changed_wheel(tmp_path):
    builder = build_lite()
    wheel = tmp_path / "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
    wheel.write_bytes(b"not numpy")
    lock = {"packages": {"numpy": {"file_name": wheel.name, "sha256": "0" * 64, "depends": []}}}
    with pytest.raises(builder.BuildError, match="do not match"):
        builder.verify_bundle(lock, {wheel.name: wheel})
    lock["packages"]["numpy"]["sha256"] = builder.sha256(wheel)
    assert list(builder.verify_bundle(lock, {wheel.name: wheel})) == ["numpy"]


@pytest.fixture(scope="module")
def lite(playwright, site):
    """One JupyterLite page, in a Chromium that can reach 127.0.0.1 and nothing else.

    page.outside lists every request the page or its workers made elsewhere (they all fail).
    """
    out, _, reason = site
    if reason:
        pytest.skip(reason)
    server = StaticSite(out)
    browser = launch_browser(playwright, offline=True)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    outside = []
    context.on("request", lambda r: None if r.url.startswith((server.url + "/", "data:", "blob:"))
               else outside.append(r.url))
    page = context.new_page()
    page.outside = outside
    page.goto(f"{server.url}/lab/index.html")
    page.wait_for_selector(".jp-LabShell", timeout=60_000)
    page.evaluate("""async (settings) => {
      const app = window.jupyterapp;
      await app.restored;
      for (const [id, value] of Object.entries(settings)) {
        await app.serviceManager.settings.save(id, JSON.stringify(value));
      }
    }""", USER_SETTINGS)
    page.reload()  # the settings are kept in the browser's storage
    page.wait_for_selector(".jp-LabShell", timeout=60_000)
    page.evaluate("async () => { await window.jupyterapp.restored; }")
    yield page
    context.close()
    browser.close()
    server.stop()


OPEN = """async (name) => {
  const app = window.jupyterapp;
  for (const widget of [...app.shell.widgets('main')]) {  // the previous lesson: its kernel ends too
    if (widget.sessionContext) await widget.sessionContext.shutdown();
    widget.dispose();
  }
  app.commands.execute('docmanager:open', {path: name, factory: 'Notebook'});
}"""


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_offline_in_jupyterlite(lite, path):
    page = lite
    with ThreadPoolExecutor(1) as pool:  # the Python twins are made while Pyodide works in the browser
        twins = pool.submit(python_explorers, path)
        started = time.monotonic()
        page.evaluate(OPEN, path.name)
        page.wait_for_function(KERNEL_READY, timeout=240_000, polling=500)  # Pyodide and its packages load
        kernel = time.monotonic()
        run_all(page, path.name, timeout=600)
        twins = twins.result()
    page.wait_for_function(EXPLORERS_DRAWN, arg=len(twins), timeout=60_000)
    ran = time.monotonic()
    shots = SCREENSHOTS / path.stem
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shots / "end.png")

    assert_no_error_output(page, allowed=[PYODIDE_FONT_CACHE])
    # Pyodide's numpy and matplotlib are not this Python's: the same numbers, but not the same pixels
    check_explorers(page, twins, shots, same_picture=False, timeout=30)
    assert page.outside == [], f"the site asked for more than 127.0.0.1: {page.outside[:5]}"
    print(f"{path.stem} in JupyterLite: kernel started in {kernel - started:.0f} s, lesson ran in "
          f"{ran - kernel:.0f} s, {len(twins)} explorers checked in {time.monotonic() - ran:.0f} s")


def test_the_published_link_opens_the_index(lite):
    """The README's "try it in your browser" badge links to lab/index.html?path=00_index.ipynb."""
    page = lite
    site = page.url.split("/lab/")[0]
    page.goto(f"{site}/lab/index.html?path=00_index.ipynb")
    title = page.locator(".jp-Notebook h1", has_text="Neural Networks from Scratch")
    title.wait_for(timeout=60_000)  # the index, rendered (another lesson may still be open beside it)
    assert title.count() == 1
    assert page.outside == [], f"the site asked for more than 127.0.0.1: {page.outside[:5]}"
