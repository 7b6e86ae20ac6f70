"""Scoring a classifier's predictions."""

import numpy as np

from .checks import class_labels, positive_int, real_array


def accuracy(y_true, y_pred):
    """Return the fraction of predictions equal to the true labels."""
    y_true, y_pred = real_array(y_true, "y_true"), real_array(y_pred, "y_pred")
    if y_true.shape != y_pred.shape or y_true.size == 0:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}; "
                         "give one prediction per sample")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes=None):
    """Return C with C[i, j] = the number of samples of class i predicted as class j."""
    y_true = class_labels(y_true, np.size(y_true), np.inf, "y_true", "y_true")
    y_pred = class_labels(y_pred, np.size(y_pred), np.inf, "y_pred", "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}; "
                         "give one prediction per sample")
    k = int(max(y_true.max(), y_pred.max())) + 1
    if n_classes is not None and positive_int(n_classes, "n_classes", example=10) < k:
        raise ValueError(f"n_classes is {n_classes} but the labels go up to {k - 1}; use n_classes={k} or more")
    k = n_classes or k
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C
