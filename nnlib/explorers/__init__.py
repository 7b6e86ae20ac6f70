"""Live explorers (ipywidgets): sliders wired to the maths of nnlib and the pictures of nnlib.plots.

base.py holds what they all share; each other module is one family, read top to bottom:
neuron (one neuron, by hand and trained), hidden (a 2-2-1 network), loss (a loss landscape),
descent (learning rates), backprop (one training step, stage by stage), playground (all of it).
controls.py makes their sliders and menus. To project a lesson, call ``set_display(1.5)`` before
making the explorers; ``set_display(pixels=2)`` makes them sharp on a high-DPI screen.
"""

from ..plots.style import set_display
from .backprop import BackpropStepper
from .base import LEARNING_RATES, Explorer
from .descent import LearningRateExplorer
from .hidden import HiddenLayerExplorer
from .loss import LossExplorer
from .neuron import NeuronExplorer, NeuronTrainer
from .playground import Playground

__all__ = ["LEARNING_RATES", "BackpropStepper", "Explorer", "HiddenLayerExplorer", "LearningRateExplorer",
           "LossExplorer", "NeuronExplorer", "NeuronTrainer", "Playground", "set_display"]
