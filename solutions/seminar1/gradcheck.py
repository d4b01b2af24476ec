"""Numerical gradient check: the tool that tests every other answer."""
import numpy as np

EPS = 1e-6


def check_gradient(func, X, gradient):
    """Largest absolute gap between an analytic gradient and central differences.

    For every entry: d func / d X[i] ~ (func(X + EPS e_i) - func(X - EPS e_i)) / (2 EPS).

    func: callable, func(X) -> scalar.
    X: float array of any shape, e.g. (n, m); it is perturbed one entry at a time
       and left exactly as it was.
    gradient: array of X's shape, the analytic d func / d X.
    Returns: float, max |numerical - gradient| over all entries.
    """
    ### BEGIN SOLUTION
    if not np.issubdtype(X.dtype, np.floating):
        # An integer array would silently round X +- EPS back to X.
        raise TypeError(f"X must hold floats, got dtype {X.dtype}")
    numerical = np.zeros(X.shape)
    for index in np.ndindex(X.shape):
        original = X[index]
        X[index] = original + EPS
        f_plus = func(X)
        X[index] = original - EPS
        f_minus = func(X)
        X[index] = original  # restore the saved value: adding EPS back can round
        numerical[index] = (f_plus - f_minus) / (2 * EPS)
    return float(np.max(np.abs(numerical - gradient)))
    ### END SOLUTION
