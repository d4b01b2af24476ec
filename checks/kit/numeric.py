"""Numerical derivatives: the independent oracle for every backward pass."""
import numpy as np

EPS = 1e-6


def numerical_gradient(func, X, eps=EPS):
    """d func / d X by central differences, entry by entry.

    func: callable, func(X) -> scalar; X: float array of any shape (restored after use).
    Returns an array of X's shape. Error O(eps^2) plus rounding O(|func| 1e-16 / eps).
    """
    X = np.asarray(X, dtype=np.float64)
    gradient = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        original = X[index]
        X[index] = original + eps
        f_plus = float(func(X))
        X[index] = original - eps
        f_minus = float(func(X))
        X[index] = original
        gradient[index] = (f_plus - f_minus) / (2 * eps)
    return gradient


def directional_derivative(func, X, direction, eps=EPS):
    """(func(X + eps V) - func(X - eps V)) / (2 eps) ~ <grad func(X), V>: two calls for any size."""
    X = np.asarray(X, dtype=np.float64)
    return (float(func(X + eps * direction)) - float(func(X - eps * direction))) / (2 * eps)


def relative_error(actual, expected):
    """max |actual - expected| / max(max |actual|, max |expected|), 0 when both are 0."""
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    scale = max(np.max(np.abs(actual), initial=0.0), np.max(np.abs(expected), initial=0.0))
    if scale == 0.0:
        return 0.0
    return float(np.max(np.abs(actual - expected)) / scale)


def projection_gradient_error(func, X, gradient, n_directions=3, seed=0):
    """Relative error of <gradient, V> against numerical directional derivatives.

    Random directions V make this cheap for large X and sensitive to every entry.
    """
    rng = np.random.RandomState(seed)
    worst = 0.0
    for _ in range(n_directions):
        direction = rng.randn(*np.shape(X))
        analytic = float(np.sum(np.asarray(gradient) * direction))
        numerical = directional_derivative(func, X, direction)
        scale = max(abs(analytic), abs(numerical), 1e-12)
        worst = max(worst, abs(analytic - numerical) / scale)
    return worst
