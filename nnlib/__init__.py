"""nnlib: the small neural-network library this course builds, lesson by lesson.

Read this folder first: it is the whole network, in numpy only.
    activations, losses  the functions f(z) and L(a, y), with their derivatives
    layer                one dense layer: forward and backward
    network              MLP: layers stacked, backpropagation, training (start here)
    optim, gradcheck     the SGD step; checking gradients against finite differences
    datasets, metrics    toy data and scores (mnist: the big one, downloaded on demand)
    landscape, examples  loss surfaces of one neuron; the named 2-2-1 network of lesson 02
    checks               what every function does with bad input
The folders below it are the course's machinery, each using only the ones above it:
    plots/      pictures (matplotlib)
    explorers/  live widgets (ipywidgets)
    course/     exercise checks, one module per lesson, and the source tutorials' code
"""

from . import activations, datasets, losses
from .gradcheck import check_gradients, numerical_gradient
from .layer import dense_backward, dense_forward
from .network import MLP, DivergenceWarning
from .optim import SGD

__all__ = ["MLP", "SGD", "DivergenceWarning", "activations", "check_gradients", "datasets",
           "dense_backward", "dense_forward", "losses", "numerical_gradient"]
__version__ = "0.1.0"
