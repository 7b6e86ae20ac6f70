"""A multi-layer perceptron: dense layers stacked, trained by backpropagation.

Written to be read: clear before fast, but vectorized, so it trains real data
(handwritten digits) in seconds. Conventions (the same in every lesson):

* samples are rows: X has shape (n_samples, n_features);
* ``weights[l]`` has shape (n_in, n_out) and ``biases[l]`` shape (n_out,);
* ``zs[l]`` are the weighted sums of layer l and ``activations[l]`` its outputs,
  with ``activations[0] = X`` (so the lists are offset by one, as in Nielsen's book).
"""

import warnings

import numpy as np

from . import activations as act
from . import checks, losses
from .checks import as_matrix, labels, positive_int, targets
from .layer import dense_backward, dense_forward
from .optim import SGD


class DivergenceWarning(RuntimeWarning):
    """Training stopped because the loss became NaN or infinite."""


class MLP:
    """A multi-layer perceptron, for example ``MLP([2, 8, 1])``.

    sizes      -- neurons per layer, inputs first: [2, 8, 1] is 2 inputs,
                  one hidden layer of 8 and 1 output. [2, 1] is a single neuron.
    activation -- the hidden layers' activation: "tanh", "relu", "sigmoid", ...
    output     -- the output layer's activation: "sigmoid" (binary classes),
                  "softmax" (several classes) or "linear" (regression), or any other.
    loss       -- "binary_cross_entropy", "categorical_cross_entropy" or "mse";
                  by default the one that goes with the output (sigmoid -> binary
                  cross-entropy, softmax -> categorical cross-entropy, else mse).
    seed       -- seeds the initial weights and the shuffling in ``fit``.

    Targets ``y`` may be given as
      * class labels of shape (n,): 0/1 for a sigmoid output, 0..k-1 for softmax;
      * a column of shape (n, 1): 0/1 labels, probabilities, or regression targets;
      * a matrix of shape (n, n_out): one-hot rows for softmax, or targets per output.
    """

    def __init__(self, sizes, activation="tanh", output="sigmoid", loss=None, seed=0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
            raise ValueError(f"sizes must list at least 2 layer sizes, such as [2, 8, 1]; got {sizes!r}")
        self.sizes = [positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
        act.get(activation)
        act.get(output)
        if activation == "softmax":
            raise ValueError("activation='softmax' only makes sense for the output layer; use output='softmax'")
        self.activation, self.output = activation, output
        self.loss_name = losses.DEFAULT_LOSS.get(output, "mse") if loss is None else loss
        losses.get(self.loss_name)
        if self.loss_name == "binary_cross_entropy" and output != "sigmoid":
            raise ValueError(f"binary cross-entropy needs outputs in (0, 1): use output='sigmoid', not {output!r}")
        if self.loss_name == "categorical_cross_entropy" and output != "softmax":
            raise ValueError("categorical cross-entropy needs outputs that sum to 1: "
                             f"use output='softmax', not {output!r}")
        if output == "softmax" and self.sizes[-1] < 2:
            raise ValueError("a softmax output needs at least 2 neurons (one per class); for 2 classes "
                             "you can also use 1 neuron with output='sigmoid'")
        self.seed = checks.seed(seed)
        self.rng = np.random.default_rng(seed)
        self.weights, self.biases = [], []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:])):
            f = self.layer_activation(l)
            # Random, not zero: equal weights would make every neuron of a layer
            # learn the same thing. The scale keeps signals from growing or
            # shrinking layer after layer: He for ReLU-like, Glorot otherwise.
            scale = np.sqrt(2 / n_in) if f in ("relu", "leaky_relu") else np.sqrt(2 / (n_in + n_out))
            self.weights.append(self.rng.normal(0, scale, size=(n_in, n_out)))
            self.biases.append(np.zeros(n_out))

    def __repr__(self):
        return (f"MLP({self.sizes}, activation={self.activation!r}, output={self.output!r}, "
                f"loss={self.loss_name!r})")

    def layer_activation(self, l):
        """Return the activation name of layer l (0 is the first hidden layer)."""
        return self.output if l == len(self.sizes) - 2 else self.activation

    # ----- forward -----------------------------------------------------------------
    def forward_all(self, X):
        """Return (zs, activations) of every layer; activations[0] is X itself."""
        zs, activations = [], [X]
        for l, (W, b) in enumerate(zip(self.weights, self.biases)):
            z, a = dense_forward(activations[-1], W, b, self.layer_activation(l))
            zs.append(z)
            activations.append(a)
        return zs, activations

    def forward(self, X):
        """Return the network's outputs for X, shape (n_samples, n_outputs)."""
        X = as_matrix(X, "X", self.sizes[0])
        return self.forward_all(X)[1][-1]

    def predict(self, X):
        """Return predicted labels, shape (n_samples,).

        Sigmoid with one output: 1 where the output is at least 0.5, else 0.
        Softmax: the index of the largest output. Otherwise (regression) the
        outputs themselves, squeezed to (n_samples,) when there is one output.
        """
        a = self.forward(X)
        if self.output == "softmax":
            return a.argmax(axis=1)
        if self.output == "sigmoid" and a.shape[1] == 1:
            return (a[:, 0] >= 0.5).astype(int)
        return a[:, 0] if a.shape[1] == 1 else a

    def accuracy(self, X, y):
        """Return the fraction of samples whose predicted label matches y."""
        X, Y = self._data(X, y)
        return float(np.mean(self.predict(X) == labels(Y, self.output)))

    # ----- loss and gradients -----------------------------------------------------------
    def loss(self, X, y):
        """Return the mean loss over the samples (a float)."""
        X, Y = self._data(X, y)
        return losses.get(self.loss_name)[0](self.forward_all(X)[1][-1], Y)

    def gradients(self, X, y):
        """Return (dWs, dbs): dL/dW and dL/db per layer, shaped like weights and biases."""
        X, Y = self._data(X, y)
        _, dWs, dbs = self._loss_and_gradients(X, Y)
        return dWs, dbs

    def _loss_and_gradients(self, X, Y):
        """Backpropagation: one forward pass, then the chain rule layer by layer, backwards."""
        zs, activations = self.forward_all(X)
        a = activations[-1]
        dWs, dbs = self.backpropagate(self.output_delta(zs[-1], a, Y), zs, activations)
        return losses.get(self.loss_name)[0](a, Y), dWs, dbs

    def output_delta(self, z, a, Y):
        """Return dL/dz of the output layer, shape (n, n_out): where backpropagation starts."""
        if (self.output, self.loss_name) in (("sigmoid", "binary_cross_entropy"),
                                             ("softmax", "categorical_cross_entropy")):
            # These pairs simplify to dL/dz = (a - y) / n: the 1/(a(1-a)) of the
            # loss cancels the a(1-a) of the activation's derivative.
            return (a - Y) / len(a)
        return act.backward(self.output, z, losses.get(self.loss_name)[1](a, Y))

    def backpropagate(self, delta, zs, activations):
        """Return (dWs, dbs) given the output layer's delta = dL/dz, from the last layer down to the first."""
        dWs, dbs = [None] * len(self.weights), [None] * len(self.weights)
        for l in reversed(range(len(self.weights))):
            dWs[l], dbs[l], dA_prev = dense_backward(delta, activations[l], self.weights[l], need_dA_prev=l > 0)
            if l > 0:
                delta = act.backward(self.activation, zs[l - 1], dA_prev)  # (n, n_l)
        return dWs, dbs

    def _data(self, X, y, names=("X", "y")):
        """Return (X, Y) checked, with Y as a float matrix (n_samples, n_outputs): see checks.py."""
        X = as_matrix(X, names[0], self.sizes[0])
        return X, targets(y, len(X), self.sizes[-1], self.output, self.loss_name, X.dtype, *names[::-1])

    # ----- training --------------------------------------------------------------------
    def optimizer(self, lr, momentum):
        """Return what takes the steps in fit: SGD, with momentum if it is above 0."""
        return SGD(lr, momentum)

    def fit(self, X, y, epochs=100, lr=0.1, batch_size=None, momentum=0.0, l2=0.0,
            shuffle=True, validation=None, on_epoch=None, l1=0.0):
        """Train by mini-batch gradient descent; return the history as a dict.

        batch_size -- samples per step; None means the whole set (full-batch).
        momentum   -- 0 for plain SGD, e.g. 0.9 for momentum.
        l2         -- L2 regularisation strength: adds l2 * W to each weight gradient.
        l1         -- L1 regularisation strength: adds l1 * sign(W) to each weight gradient.
        validation -- optional (X_val, y_val), scored after every epoch.
        on_epoch   -- optional function on_epoch(epoch, net), called after every epoch.

        The history holds "loss" (the mean training loss over each epoch's
        batches, before each step, without the L2 term), and with validation
        data "val_loss" and "val_accuracy". Training happens in X's dtype:
        float32 data makes the parameters float32.

        If the loss becomes NaN or infinite, training stops with a
        DivergenceWarning, the weights go back to their last values that gave
        a finite loss, and history["stopped"] says why.
        """
        X, Y = self._data(X, y)  # every argument is checked before training starts: see checks.py
        epochs = positive_int(epochs, "epochs", example=100)
        optimizer = self.optimizer(lr, momentum)
        l2 = checks.number(l2, "l2", 0, example=1e-4)
        l1 = checks.number(l1, "l1", 0, example=1e-4)
        n = len(X)
        batch_size = n if batch_size is None else checks.whole_number(batch_size, "batch_size", 1, n)
        checks.flag(shuffle, "shuffle")
        if on_epoch is not None:
            checks.function(on_epoch, "on_epoch", "lambda epoch, net: print(epoch)")
        if validation is not None:
            X_val, Y_val = self._data(*checks.pair(validation, "validation", ("X_val", "y_val")), ("X_val", "y_val"))
        self.weights = [W.astype(X.dtype, copy=False) for W in self.weights]
        self.biases = [b.astype(X.dtype, copy=False) for b in self.biases]
        history = {"loss": [], "stopped": None}
        if validation is not None:
            history.update(val_loss=[], val_accuracy=[])
        L = len(self.weights)
        previous = None  # the parameters before the latest step
        for epoch in range(epochs):
            if batch_size == n:
                batches = [(X, Y)]
            else:
                order = self.rng.permutation(n) if shuffle else np.arange(n)
                batches = ((X[i], Y[i]) for i in np.array_split(order, range(batch_size, n, batch_size)))
            total = 0.0
            for X_batch, Y_batch in batches:
                with np.errstate(over="ignore", invalid="ignore"):  # overflow is caught just below
                    loss, dWs, dbs = self._loss_and_gradients(X_batch, Y_batch)
                if not np.isfinite(loss):
                    if previous is not None:  # undo the step that made the loss blow up
                        self.weights, self.biases = previous
                    history["stopped"] = (
                        f"Training stopped in epoch {epoch + 1}: the loss became {loss}. The steps were "
                        f"too large: try a smaller learning rate than lr={optimizer.lr:g}. The weights "
                        "are left at their last values that gave a finite loss.")
                    warnings.warn(history["stopped"], DivergenceWarning, stacklevel=2)
                    return history
                total += loss * len(X_batch)
                if l2:
                    dWs = [dW + l2 * W for dW, W in zip(dWs, self.weights)]
                if l1:  # L1: a constant pull of every weight towards 0
                    dWs = [dW + l1 * np.sign(W) for dW, W in zip(dWs, self.weights)]
                previous = (self.weights, self.biases)
                params = optimizer.step(self.weights + self.biases, dWs + dbs)
                self.weights, self.biases = params[:L], params[L:]
            history["loss"].append(total / n)
            if validation is not None:
                history["val_loss"].append(self.loss(X_val, Y_val))
                history["val_accuracy"].append(self.accuracy(X_val, Y_val))
            if on_epoch is not None:
                on_epoch(epoch, self)
        return history
