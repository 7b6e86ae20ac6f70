"""Scoring a classifier's predictions."""

import numpy as np


def accuracy(y_true, y_pred):
    """Return the fraction of predictions equal to the true labels."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Return C with C[i, j] = the number of samples of class i predicted as class j."""
    y_true, y_pred = np.asarray(y_true, dtype=int), np.asarray(y_pred, dtype=int)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}; "
                         "give one prediction per sample")
    k = n_classes or int(max(y_true.max(), y_pred.max())) + 1
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C
