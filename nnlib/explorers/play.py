"""Play buttons: one epoch per tick, drawn just after the kernel has answered the tick.

When a Play widget plays, the browser sends a tick (its next value) every
``interval`` ms, but never two at once: ipywidgets waits until the kernel
reports that it has handled the last one. If the kernel trained and drew
before answering, each picture would cost a whole round trip on top of its
drawing. So in a kernel, a tick is answered first and drawn a moment later
from the kernel's event loop, while the next tick is already on its way.
(ipykernel reports "idle" as soon as a widget's handler returns, before the
event loop runs anything else.)
"""

import asyncio
import time

import ipywidgets as w
from IPython import get_ipython

# The Play widget's playing state: "playing" in ipywidgets 8, "_playing" in 7 (Colab's).
PLAYING = "playing" if "playing" in w.Play.class_trait_names() else "_playing"


def playing(play):
    """Whether play is playing."""
    return bool(getattr(play, PLAYING))


def pause(play):
    """Pause play, as its pause button does."""
    setattr(play, PLAYING, False)


def after_reply(callback):
    """In a kernel, have callback called once the kernel has answered the message it is handling, and
    return True; elsewhere (plain Python, the tests) do nothing and return False."""
    if getattr(get_ipython(), "kernel", None) is None:
        return False
    try:
        asyncio.get_running_loop().call_soon(callback)
    except RuntimeError:  # a kernel that handles messages outside an event loop
        return False
    return True


class PlayTicks:
    """Call tick() once per tick of a Play widget while it plays; see the module's docstring.

    A tick that arrives before the last one has been drawn is dropped (the
    pictures cannot keep up), and so is one that a pause overtook. Outside a
    kernel, each tick is drawn at once. ``later`` is how a tick is put off
    until the kernel has answered (after_reply; the tests pass their own).
    """

    def __init__(self, play, tick, later=after_reply):
        self.play, self.tick, self.later = play, tick, later
        self.due = None  # when the tick waiting to be drawn arrived, or None
        play.observe(self.on_tick, names="value")

    def on_tick(self, _change):
        if not playing(self.play):  # Stop moves the value back to the start: not a tick
            return
        if self.due is not None and time.monotonic() - self.due < 1.0:  # one waits already (for a second at
            return  # most, should an event loop never run it)
        self.due = time.monotonic()
        put_off = self.later(self.draw_due)  # in a kernel: drawn once the kernel has answered
        if not put_off:  # outside a kernel: drawn now
            self.draw_due()

    def draw_due(self):
        self.due = None
        if playing(self.play):
            self.tick()
