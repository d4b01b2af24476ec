"""Expectations of hidden checks: each compares what student code gave with what it
should give, and fails with a message that names the quantity, the gap and the input."""
import numpy as np

from .feedback import describe, fail
from .numeric import relative_error

GRADIENT_RTOL = 1e-5  # central differences in float64 agree to ~1e-8 on the checks' inputs


def seeded(seed):
    """The checks' own random inputs: RandomState, whose stream numpy keeps stable."""
    return np.random.RandomState(seed)


def shape_note(**arrays):
    """' (on X of shape (6, 3), W of shape (3, 5))': which input a message is about."""
    parts = ", ".join(f"{name} of shape {np.shape(value)}" for name, value in arrays.items())
    return f" (on {parts})"


def as_array(what, value):
    """The value as a float ndarray, or a failure saying what came back instead."""
    if value is None:
        fail(f"{what} returned None: did you forget `return`?")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(f"{what} returned {describe(value)}, expected a numpy array")
    return array


def expect_shape(what, value, shape, on_input=""):
    array = as_array(what, value)
    if array.shape != tuple(shape):
        fail(f"{what} has shape {array.shape}, expected {tuple(shape)}{on_input}")
    return array


def expect_scalar(what, value, on_input=""):
    """A float from a Python or numpy scalar (or a 0-d / size-1 array)."""
    array = as_array(what, value)
    if array.size != 1:
        fail(f"{what} is {describe(np.asarray(value))}, expected one number{on_input}")
    return float(array.reshape(()))


def expect_close(what, actual, expected, on_input="", rtol=1e-6, atol=1e-9):
    """actual ~ expected entrywise; the message names the worst entry."""
    actual = expect_shape(what, actual, np.shape(expected), on_input)
    expected = np.asarray(expected, dtype=np.float64)
    if not np.all(np.isfinite(actual)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(actual))[0])
        fail(f"{what} is not finite at entry {bad} ({actual[bad]}){on_input}")
    gap = np.abs(actual - expected)
    allowed = atol + rtol * np.abs(expected)
    if np.any(gap > allowed):
        worst = np.unravel_index(np.argmax(gap - allowed), gap.shape) if gap.ndim else ()
        index = f" at entry {tuple(int(i) for i in worst)}" if worst else ""
        fail(f"{what} is wrong{index}: got {actual[worst]:.6g}, expected {expected[worst]:.6g}{on_input}")
    return actual


def expect_gradient(what, actual, expected, on_input=""):
    """A gradient against its numerical estimate: shape, finiteness, relative error."""
    actual = expect_shape(what, actual, np.shape(expected), on_input)
    if not np.all(np.isfinite(actual)):
        fail(f"{what} is not finite{on_input}")
    error = relative_error(actual, expected)
    if error > GRADIENT_RTOL:
        worst = np.unravel_index(np.argmax(np.abs(actual - expected)), np.shape(expected))
        worst = tuple(int(i) for i in worst)
        fail(f"{what} disagrees with the numerical gradient: relative error {error:.1e} "
             f"(entry {worst}: got {actual[worst]:.6g}, expected {expected[worst]:.6g}){on_input}")
    return actual


def expect_unchanged(what, before, after):
    """The caller's array is as it was before `what` ran."""
    if np.shape(before) != np.shape(after) or not np.allclose(after, before, rtol=0, atol=1e-12):
        fail(f"{what} changed its input array: leave the caller's data as it was "
             "(work on a copy, or build a new array)")


def strictly(function, *args):
    """Run with overflow, invalid and divide-by-zero raising FloatingPointError; underflow is fine."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        return function(*args)
