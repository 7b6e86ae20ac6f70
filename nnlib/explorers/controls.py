"""The explorers' controls: sliders and menus whose starting values are checked, and what each accepts."""

import numbers

import ipywidgets as w

from .. import checks

# The learning rates a slider offers: round numbers, each about 3x the one before.
LEARNING_RATES = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1.0, 3.0, 10.0, 30.0, 50.0, 100.0]

# The values a weight slider accepts; beyond its starting range it widens to show them.
WEIGHT_LIMITS = (-1000.0, 1000.0)

# A control's hover text: "tooltip" in ipywidgets 8, "description_tooltip" in 7 (Colab's).
TOOLTIP = "tooltip" if w.IntSlider().has_trait("tooltip") else "description_tooltip"


def settings(control, name, value, limits=None):
    """Return the widget attributes that make control show value, or raise saying what it accepts."""
    if isinstance(control, w.SelectionSlider) and all(_is_number(o) for o in control.options):
        if checks.index_of(value, control.options) is not None:
            return {"value": control.options[checks.index_of(value, control.options)]}
        low, high = limits or (min(control.options), max(control.options))
        value = checks.number(value, name, low, high, example=control.value)
        return {"options": tuple(sorted({*control.options, value})), "value": value}
    if hasattr(control, "_options_values"):  # Dropdown, ToggleButtons, a SelectionSlider of labels
        index = checks.index_of(value, control._options_values)
        if index is None:
            shown = ", ".join(map(repr, control._options_values))
            got = repr(value) if isinstance(value, str) else checks.describe(value)
            raise ValueError(f"{name} must be one of {shown}; got {got}")
        return {"value": control._options_values[index]}
    if isinstance(control, w.IntSlider):
        low, high = limits or (control.min, control.max)
        value = checks.whole_number(value, name, low, high, example=control.value)
        return {"min": min(control.min, value), "max": max(control.max, value), "value": value}
    if isinstance(control, w.FloatSlider):
        low, high = limits or (control.min, control.max)
        value = checks.number(value, name, low, high, example=control.value)
        return {"min": min(control.min, value), "max": max(control.max, value), "value": value}
    if isinstance(control, w.Checkbox):
        return {"value": checks.flag(value, name)}
    return {"value": value}


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# ----- controls whose starting values are checked, for explorers' constructors ------------------------
def slider(description, value, low=-10.0, high=10.0, step=0.1, limits=WEIGHT_LIMITS):
    """Return a FloatSlider for a weight; a starting value outside [low, high] widens it."""
    value = checks.number(value, description, *limits, example=1.0)
    return w.FloatSlider(value=value, min=min(low, value), max=max(high, value), step=step, description=description,
                         continuous_update=True, readout_format=".2f")


def int_slider(description, value, low, high, name=None):
    """Return an IntSlider from low to high; a starting value outside it is refused, naming the argument."""
    value = checks.whole_number(value, name or description, low, high)
    return w.IntSlider(value=value, min=low, max=high, description=description)


def choices(description, options, value, name=None, widget=w.Dropdown):
    """Return a Dropdown (or another widget) offering options; value must be one of them."""
    value = checks.choice(value, list(options), name or description)
    return widget(options=list(options), value=value, description=description)


def rate_slider(description, value, rates=LEARNING_RATES, name=None):
    """Return a SelectionSlider of learning rates: round numbers, plus the value asked for."""
    value = checks.positive_number(value, name or description, example=0.1)
    return w.SelectionSlider(options=sorted({*rates, value}), value=value, description=description)
