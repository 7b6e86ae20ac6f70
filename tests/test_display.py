"""One display scale for the course: larger pictures and text for a projector, twice the pixels for 2x screens."""

import io

import pytest
from PIL import Image

from nnlib import datasets
from nnlib.explorers import HiddenLayerExplorer, NeuronExplorer, Playground, set_display
from nnlib.plots import style

XOR = datasets.logic_gate("xor")


@pytest.fixture(autouse=True)
def course_size():
    set_display()
    yield
    set_display()


def size(png):
    return Image.open(io.BytesIO(png)).size


@pytest.mark.parametrize("make", [lambda: NeuronExplorer(*XOR), lambda: HiddenLayerExplorer(*XOR), Playground],
                         ids=["neuron", "hidden", "playground"])
def test_scale_enlarges_the_picture_and_its_text(make):
    small = make()
    set_display(1.5)
    large = make()
    (w1, h1), (w2, h2) = size(small.png), size(large.png)
    assert (w2, h2) == (round(1.5 * w1), round(1.5 * h1))
    axes = small.picture.ax if isinstance(small, Playground) else small.plot.ax
    big_axes = large.picture.ax if isinstance(large, Playground) else large.plot.ax
    label, big_label = axes.xaxis.label.get_window_extent(), big_axes.xaxis.label.get_window_extent()
    assert big_label.height == pytest.approx(1.5 * label.height, rel=0.1)
    assert small.image().width is None and large.image().width is None  # shown at the size drawn


def test_playgrounds_painted_text_grows_too():
    small = Playground()
    set_display(1.5)
    large = Playground()
    dark = [(Image.open(io.BytesIO(p.png)).convert("L").point(lambda v: v < 100).getbbox()) for p in (small, large)]
    assert dark[1][2] - dark[1][0] == pytest.approx(1.5 * (dark[0][2] - dark[0][0]), rel=0.05)


def test_twice_the_pixels_show_at_the_same_size():
    shown = HiddenLayerExplorer(*XOR).image()
    set_display(pixels=2)
    sharp = HiddenLayerExplorer(*XOR)
    assert size(sharp.png)[0] == 2 * size(shown.data)[0]
    assert sharp.image().width == size(shown.data)[0]
    sharp.controls["w11"].value = 2.0  # later pictures keep the size
    assert sharp.image().width == size(shown.data)[0]


@pytest.mark.parametrize(("arguments", "says"), [
    ({"scale": 0}, "scale must be a number between 0.5 and 4"),
    ({"scale": "1.5"}, "without quotes"),
    ({"pixels": 3}, "pixels must be a whole number between 1 and 2"),
])
def test_a_wrong_display_is_named(arguments, says):
    with pytest.raises((TypeError, ValueError), match=says):
        set_display(**arguments)
    assert style.DISPLAY == {"scale": 1.0, "pixels": 1}


def test_a_teacher_can_set_the_scale_for_every_lesson_before_jupyter_starts():
    import os
    import subprocess
    import sys
    code = "from nnlib.plots import style; print(style.DISPLAY)"
    run = lambda **env: subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True,  # noqa: E731
                                       env={**os.environ, **env})
    assert run(NNLIB_SCALE="1.5", NNLIB_PIXELS="2").stdout.strip() == "{'scale': 1.5, 'pixels': 2}"
    bad = run(NNLIB_SCALE="huge")
    assert bad.stdout.strip() == "{'scale': 1.0, 'pixels': 1}" and "NNLIB_SCALE='huge' ignored" in bad.stderr
    half = run(NNLIB_SCALE="1.5", NNLIB_PIXELS="2.0")  # one bad value leaves the other
    assert half.stdout.strip() == "{'scale': 1.5, 'pixels': 1}" and "NNLIB_PIXELS='2.0' ignored" in half.stderr
