"""From scores to classes, and how often the classes are right."""
import numpy as np


def predict(network, X):
    """The predicted class of each sample: the index of the largest of its scores network.forward(X).

    X: (N, d) -> returns an integer array (N,) of classes in [0, C), for scores of shape (N, C).
    """
    # Part 6 (predict)
    ### BEGIN SOLUTION
    # Softmax keeps the order of the scores, so the largest score is the most probable class.
    return np.argmax(network.forward(X), axis=1)
    ### END SOLUTION


def accuracy(y_true, y_pred):
    """The fraction of samples whose predicted class is the true one, a float in [0, 1].

    y_true, y_pred: integer arrays (N,).
    """
    # Part 6 (accuracy)
    ### BEGIN SOLUTION
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        # (N,) == (N, 1) would broadcast to an (N, N) table and give a meaningless number.
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}")
    return float(np.mean(y_true == y_pred))
    ### END SOLUTION
