"""nnlib: the small neural-network library this course builds, lesson by lesson.

Maths (numpy only): activations, losses, layer, network, optim, gradcheck, datasets.
Pictures (matplotlib): plotting. Live controls (ipywidgets): widgets.
"""

from . import activations, datasets, losses
from .gradcheck import check_gradients, numerical_gradient
from .layer import dense_backward, dense_forward
from .network import MLP, DivergenceWarning
from .optim import SGD

__all__ = ["MLP", "SGD", "DivergenceWarning", "activations", "check_gradients", "datasets",
           "dense_backward", "dense_forward", "losses", "numerical_gradient"]
__version__ = "0.1.0"
