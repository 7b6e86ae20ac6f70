"""What every explorer shares: controls, a readout, a picture, reset, state and presets.

Each explorer is a plain Python object. In a notebook, leave it as the last
expression of a cell (or call ``display``) to see its controls and picture.
Without a browser it works the same way: set ``explorer.controls["w1"].value``
and read ``explorer.loss``, ``explorer.readout.value`` or ``explorer.png``.

The picture is a PNG shown with an in-place display update, so only the
changed image travels to the browser, and a saved notebook still shows the
last picture where no kernel runs (GitHub, nbviewer).
"""

import contextlib
import html

import ipywidgets as w
from IPython.display import Image, display

# What a saved notebook shows in place of the controls: they need a running kernel.
CONTROLS_NOTE = "▶ Run this cell to move the controls; the picture below shows the starting values."

# The learning rates a slider offers: round numbers, each about 3x the one before.
LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0, 50.0, 100.0]


class Explorer:
    """What every explorer shares: controls, a readout, a picture, reset, state and presets.

    A subclass fills ``self.controls`` (name -> widget), builds ``self.figure``
    (a FastFigure) and implements ``redraw()``, which recomputes and sets
    ``self.png``. State is the dict {control name: value}.
    """

    presets = {}

    def __init__(self, controls, presets=None):
        self.controls = controls
        self.presets = dict(self.presets if presets is None else presets)
        self.readout = w.HTML(layout=w.Layout(min_height="1.5em"))
        self.readout.add_class("nnlib-readout")
        self.reset_button = w.Button(description="Reset", icon="undo", tooltip="Back to the starting values")
        self.reset_button.on_click(lambda _: self.reset())
        self.preset_menu = w.Dropdown(options=["(choose a preset)", *self.presets], description="Preset")
        self.preset_menu.observe(self._on_preset, names="value")
        self.png = b""
        self.message = ""
        self._handle = None
        self._holding = False
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.defaults = self.state

    # ----- state -------------------------------------------------------------------------
    @property
    def state(self):
        """The value of every control, as a dict a teacher can copy and paste."""
        return {name: control.value for name, control in self.controls.items()}

    @state.setter
    def state(self, values):
        unknown = set(values) - set(self.controls)
        if unknown:
            raise KeyError(f"unknown control(s) {sorted(unknown)}; this explorer has {sorted(self.controls)}")
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        self.update()

    def reset(self):
        """Put every control back to its starting value."""
        self.state = self.defaults

    def _on_preset(self, change):
        if change["new"] in self.presets:
            self.state = self.presets[change["new"]]

    @contextlib.contextmanager
    def hold(self):
        """Change several controls while drawing only once, at the end."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    # ----- drawing -------------------------------------------------------------------------
    def _on_change(self, change):
        if not self._holding:
            self.update(change["owner"])

    def update(self, changed=None):
        """Recompute and redraw; an error is shown in the readout, never lost."""
        try:
            self.redraw(changed)
        except Exception as err:  # noqa: BLE001 - a widget callback must not die silently
            self.message = f"{type(err).__name__}: {err}"
            self.readout.value = f'<span style="color:#D55E00">⚠ {html.escape(self.message)}</span>'
            return
        if self._handle is not None:
            self._handle.update(Image(data=self.png))

    def redraw(self, changed):
        raise NotImplementedError

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
        self._handle = display(Image(data=self.png), display_id=True)


def slider(description, value, low=-10.0, high=10.0, step=0.1):
    return w.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                         continuous_update=True, readout_format=".2f")
