"""Build the environment the way Binder does and run every lesson in it.

repo2docker reads binder/: the Python version from runtime.txt, then
`pip install -r binder/requirements.txt`, then runs binder/postBuild from the
repository's top folder. We do the same in a fresh virtual environment and
execute the notebooks with that environment's own kernel.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def binder_python():
    """Return a python executable of the version binder/runtime.txt pins, or None."""
    version = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable, version
    return shutil.which(f"python{version}"), version


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def test_binder_environment_runs_every_lesson(tmp_path):
    python, version = binder_python()
    if python is None:
        pytest.skip(f"binder/runtime.txt pins Python {version}, and no python{version} is installed here")
    venv = tmp_path / "binder-venv"
    run([python, "-m", "venv", str(venv)])
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", VIRTUAL_ENV=str(venv))
    env.pop("PYTHONPATH", None)
    run(["pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(BINDER / "requirements.txt")],
        env=env)
    run(["bash", str(BINDER / "postBuild")], cwd=ROOT, env=env)
    # nnlib must import from anywhere, not just from the repository folder
    where = run([str(bin_dir / "python"), "-c", "import nnlib; print(nnlib.__file__)"], cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()).is_relative_to(ROOT)
    # the server extension that sends kernel messages at once (server/nnlib_jupyter.py) is on
    extensions = run([str(bin_dir / "jupyter"), "server", "extension", "list"], cwd=tmp_path, env=env)
    listed = [line for line in (extensions.stdout + extensions.stderr).splitlines() if "nnlib_jupyter" in line]
    assert any("enabled" in line for line in listed) and any("OK" in line for line in listed), listed
    out = tmp_path / "executed"
    run([str(bin_dir / "python"), str(ROOT / "scripts" / "execute_notebooks.py"), "--out", str(out)], env=env)
    lessons = sorted(out.glob("*.ipynb"))
    assert lessons
    for path in lessons:
        nb = nbformat.read(path, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{path.name}: {errors[0]['ename']}: {errors[0]['evalue']}"
