"""What every explorer shares: controls, a readout, a picture, reset, state and presets.

Each explorer is a plain Python object. In a notebook, leave it as the last
expression of a cell (or call ``display``) to see its controls and picture.
Without a browser it works the same way: set ``explorer.controls["w1"].value``
and read ``explorer.loss``, ``explorer.readout.value`` or ``explorer.png``.

The picture is a PNG shown with an in-place display update, so only the
changed image travels to the browser, and a saved notebook still shows the
last picture where no kernel runs (GitHub, nbviewer).

Misuse never kills an explorer. The constructor checks the data, the starting
values and every preset, so a typo fails when the cell runs, not in front of
a class. A state, a preset or a reset is checked whole before anything moves,
then applied all at once; a redraw that fails puts the controls back. Either
way the readout says what went wrong, and the explorer keeps answering.
"""

import contextlib
import html
from collections.abc import Mapping

import ipywidgets as w
from IPython.display import Image, display

from .. import checks
from ..plots import style
from ..yours import YourCodeError, your_functions
from .controls import LEARNING_RATES, WEIGHT_LIMITS, choices, int_slider, rate_slider, settings, slider  # noqa: F401

try:  # comes with scikit-learn, which the course installs
    from threadpoolctl import ThreadpoolController
except ImportError:  # pragma: no cover
    ThreadpoolController = None

# What a saved notebook shows in place of the controls: they need a running kernel.
CONTROLS_NOTE = "▶ Run this cell to move the controls; the picture below shows the starting values."


def one_thread(controller=[]):  # noqa: B006 - made once, on first use
    """A context with numpy's BLAS on one thread: on a busy machine, small products run 2-3x faster so."""
    if ThreadpoolController is None:
        return contextlib.nullcontext()
    if not controller:
        controller.append(ThreadpoolController())
    return controller[0].limit(limits=1, user_api="blas")


CHECK_ERRORS = (KeyError, TypeError, ValueError)  # what checks.py raises for a bad value


class Explorer:
    """What every explorer shares: controls, a readout, a picture, reset, state and presets.

    A subclass fills ``self.controls`` (name -> widget), builds ``self.figure``
    (a FastFigure), implements ``redraw()``, which recomputes and sets
    ``self.png``, and ends its constructor with ``self.draw_first()``. State is the
    dict {control name: value}.

    What a control accepts follows from its widget: a Dropdown (or
    ToggleButtons) one of its options; an IntSlider a whole number within its
    range; a FloatSlider a number within ``limits[name]`` (by default its own
    range), widening to show a value outside its range rather than clamping
    it in silence; a SelectionSlider of numbers (a learning rate) one of its
    values, or a number between its first and last, which is added to it.
    """

    presets = {}
    accepts = ()  # the functions of yours it can run in place of nnlib's: see nnlib/yours.py
    yours = {}
    limits = {}  # control name -> (low, high): what a FloatSlider accepts beyond its range

    def __init__(self, controls, presets=None):
        self.controls = controls
        self.readout = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.readout.add_class("nnlib-readout")
        self.png, self.message, self.error = b"", "", None
        self._handle = None
        self._holding = False
        self.pixels = style.DISPLAY["pixels"]  # drawn pixels per pixel shown: see plots.set_display
        self.presets = self.check_presets(self.presets if presets is None else presets)
        self.reset_button = self.button("Reset", "undo", "Back to the starting values", self.reset)
        self.preset_menu = w.Dropdown(options=["(choose a preset)", *self.presets], description="Preset")
        self.preset_menu.observe(self._on_preset, names="value")
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.defaults = self.state

    # ----- checking ----------------------------------------------------------------------
    def check_state(self, values, where="the state"):
        """Return {name: {attribute: value}} that would show values, or raise saying what is wrong.

        Nothing changes here. A wrong name raises KeyError, a wrong value
        TypeError or ValueError, each naming the control, the value given and
        what the control accepts.
        """
        values = checks.known_keys(values, list(self.controls), where, "control")
        suffix = "" if where == "the state" else f" (in {where})"
        return {name: settings(self.controls[name], name + suffix, value, self.limits.get(name))
                for name, value in values.items()}

    def check_presets(self, presets):
        """Return presets as a dict, every preset checked; raise listing every problem at once."""
        if not isinstance(presets, Mapping):
            raise TypeError("presets must be a dict of name -> state, such as {'solved': {'w1': 2.0}}; "
                            f"got {checks.describe(presets)}")
        problems = []
        for name, preset in presets.items():
            try:
                self.check_state(preset, f"preset {name!r}")
            except CHECK_ERRORS as err:
                problems.append(err)
        if problems:
            raise type(problems[0])("\n".join(str(err) for err in problems))
        return dict(presets)

    # ----- state -------------------------------------------------------------------------
    @property
    def state(self):
        """The value of every control, as a dict a teacher can copy and paste."""
        return {name: control.value for name, control in self.controls.items()}

    @state.setter
    def state(self, values):
        self.apply(values)

    def apply(self, values, where="the state"):
        """Set several controls at once and redraw once; all or nothing.

        A bad value raises before anything moves; a redraw that fails puts
        every control back and raises. The readout shows the message either way.
        """
        try:
            plan = self.check_state(values, where)
        except CHECK_ERRORS as err:
            self.show_error(err)
            raise
        before = {name: {key: getattr(self.controls[name], key) for key in plan[name]} for name in plan}
        self._set(plan)
        changed = self.controls[next(iter(plan))] if len(plan) == 1 else None  # redraw only what depends on it
        if not self.update(changed):
            error = self.error
            self._set(before)
            self.update()
            self.show_error(error, "the controls went back to their previous values")
            raise error

    def _set(self, plan):
        with self.hold():
            for name, attributes in plan.items():
                for key, value in attributes.items():  # options and range first, then the value
                    setattr(self.controls[name], key, value)

    def reset(self):
        """Put every control back to its starting value."""
        self.apply(self.defaults, "the starting values")

    def _on_preset(self, change):
        if change["new"] in self.presets:
            self.safely(lambda: self.apply(self.presets[change["new"]], f"preset {change['new']!r}"))()

    @contextlib.contextmanager
    def hold(self):
        """Change several controls while drawing only once, at the end."""
        holding, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = holding

    # ----- callbacks ---------------------------------------------------------------------
    def safely(self, action):
        """Return a callback (for a button or a widget event) that shows any error of action in the readout.

        An exception raised inside ipywidgets' callback machinery would be
        lost in the browser; here it becomes a message, and the explorer lives on.
        """
        def callback(*args):
            try:
                action(*args)
            except Exception as err:  # noqa: BLE001 - a widget callback must not die silently
                if err is not self.error:  # apply() has shown it already, with more to say
                    self.show_error(err)
        return callback

    def button(self, description, icon, tooltip, action):
        """Return a Button that runs action safely when clicked."""
        button = w.Button(description=description, icon=icon, tooltip=tooltip)
        button.on_click(self.safely(lambda _: action()))
        return button

    def show_error(self, error, note=""):
        """Show an error (or a message) in the readout and keep it in self.message."""
        text = error if isinstance(error, str) else str(error) if isinstance(error, YourCodeError) else \
            f"{type(error).__name__}: {error}"
        self.message = f"{text}; {note}" if note else text
        self.readout.value = f'<span style="color:#D55E00">⚠ {html.escape(self.message)}</span>'

    # ----- drawing -------------------------------------------------------------------------
    def _on_change(self, change):
        """A control moved: redraw; if that fails, put the control back and say why."""
        if self._holding or self.update(change["owner"]):
            return
        error = self.error
        with self.hold():
            change["owner"].value = change["old"]
        self.update(change["owner"])
        self.show_error(error, f"{change['owner'].description} went back to {change['old']}")

    def update(self, changed=None):
        """Recompute and redraw; return True, or False with the error shown in the readout."""
        self.message = ""  # a drawn picture replaces any earlier message
        try:
            with one_thread():
                self.redraw(changed)
        except Exception as err:  # noqa: BLE001 - a widget callback must not die silently
            self.error = err
            self.show_error(err)
            return False
        if self._handle is not None:
            self._handle.update(self.image())
        return True

    def image(self):
        """The picture to show; drawn at twice the pixels (set_display(pixels=2)), it is shown at half its width."""
        if self.pixels == 1:
            return Image(data=self.png)
        return Image(data=self.png, width=int.from_bytes(self.png[16:20], "big") // self.pixels)  # PNG header: width

    def draw_first(self):
        """Draw the first picture, at the end of a constructor; raise if it cannot be drawn."""
        if not self.update():
            raise self.error

    def redraw(self, changed):
        raise NotImplementedError

    # ----- your own code --------------------------------------------------------------------
    def use(self, **functions):
        """Run your own functions in place of nnlib's, such as use(forward=mlp_forward); None goes back.

        Prints how far your results are from nnlib's (the readout says it too,
        after every change). If your function fails, the message says why and
        the explorer goes back to nnlib's: fix the function, run its cell, and
        call use() again.
        """
        try:
            yours = your_functions({**self.yours, **functions}, self.accepts)
        except CHECK_ERRORS as err:
            self.show_error(err)
            raise
        before, self.yours = self.yours, yours
        if hasattr(self, "net"):
            self.net.difference = {}  # measured anew with the new functions
        if self.update() and self.tried():
            print("\n".join(self.your_report) if self.yours else "Back to nnlib's own functions.")
            return
        error, self.yours = self.error, before
        self.update()
        self.show_error(error, "the explorer went back to " + ("your previous functions" if before else "nnlib's own"))
        print(("⏳ " if getattr(error, "unwritten", False) else "❌ ") + self.message)

    def tried(self):
        """Return True if rehearse() ran your functions without error; else keep the error, as update() does."""
        try:
            self.rehearse()
            return True
        except Exception as err:  # noqa: BLE001 - a learner's bug becomes a message
            self.error = err
            return False

    def rehearse(self):
        """Run the functions of yours that drawing alone does not call (the playground's backward and step)."""

    def your_lines(self):
        """The readout's lines on your functions in use (HTML), saying how far they are from nnlib's."""
        self.difference = dict(self.net.difference) if self.yours else {}
        self.your_report = self.net.report() if self.yours else []  # what use() prints: the readout's lines
        return "".join(f"<br>{html.escape(line)}" for line in self.your_report)

    def widget(self):
        """Return the box of controls (the picture is displayed below it)."""
        buttons = [self.reset_button] + ([self.preset_menu] if self.presets else [])
        return w.VBox([*self.controls.values(), w.HBox(buttons), self.readout])

    def _ipython_display_(self):
        box = self.widget()
        bundle = box._repr_mimebundle_() if hasattr(box, "_repr_mimebundle_") else None
        if bundle:  # where no kernel runs the controls (GitHub, nbviewer, HTML), this text shows instead
            bundle["text/plain"] = CONTROLS_NOTE
            display(bundle, raw=True)
        else:
            display(box)
        self._handle = display(self.image(), display_id=True)
