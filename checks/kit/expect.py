"""Expectations of hidden checks: each compares what student code gave with what it
should give, and fails with a message that names the quantity, the gap and the input."""
import numpy as np

from .feedback import describe, fail
from ..i18n import t
from .numeric import relative_error

GRADIENT_RTOL = 1e-5  # central differences in float64 agree to ~1e-8 on the checks' inputs


def seeded(seed):
    """The checks' own random inputs: RandomState, whose stream numpy keeps stable."""
    return np.random.RandomState(seed)


def shape_note(**arrays):
    """' (on X of shape (6, 3), W of shape (3, 5))': which input a message is about."""
    parts = ", ".join(t("{name} of shape {shape}", name=name, shape=np.shape(value))
                      for name, value in arrays.items())
    return t(" (on {arrays})", arrays=parts)


def as_array(what, value):
    """The value as a float ndarray, or a failure saying what came back instead."""
    if value is None:
        fail(t("{what} is None: did you forget `return`?", what=what))
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(t("{what} is {value}, expected a numpy array", what=what, value=describe(value)))
    return array


def expect_shape(what, value, shape, on_input=""):
    array = as_array(what, value)
    shape = tuple(shape)
    if array.shape != shape:
        if len(shape) == 2 and array.shape == shape[::-1]:
            fail(t("{what} has shape {shape}, the transpose of the expected {expected}{on_input}",
                   what=what, shape=array.shape, expected=shape, on_input=on_input))
        fail(t("{what} has shape {shape}, expected {expected}{on_input}", what=what, shape=array.shape,
               expected=shape, on_input=on_input))
    return array


def expect_scalar(what, value, on_input=""):
    """A float from a Python or numpy scalar (or a 0-d / size-1 array)."""
    array = as_array(what, value)
    if array.size != 1:
        fail(t("{what} is {value}, expected one number{on_input}", what=what,
               value=describe(np.asarray(value)), on_input=on_input))
    return float(array.reshape(()))


def scalar_multiple(actual, expected, rtol=1e-6):
    """c when actual = c * expected for one number c, else None (also when expected is all zero)."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape or not np.all(np.isfinite(actual)):
        return None
    norm = float(np.sum(expected * expected))
    if norm == 0.0:
        return None
    c = float(np.sum(actual * expected)) / norm
    return c if relative_error(actual, c * expected) <= rtol else None


def explain(actual, expected, alternatives=None, factors=None):
    """What a wrong value is, in words, when it is a known wrong version of the right one.

    alternatives: {phrase: value a known mistake gives}; factors: {c: phrase} for values that
    are c times the right one (the sign flipped is -1). Returns the phrase that fits, a plain
    "is c times the right value" for another multiple, or "" when nothing fits.
    """
    actual = np.asarray(actual, dtype=np.float64)
    for phrase, value in (alternatives or {}).items():
        value = np.asarray(value, dtype=np.float64)
        if value.shape == actual.shape and relative_error(actual, value) <= 1e-6:
            return phrase
    c = scalar_multiple(actual, expected)
    if c is None or abs(c - 1) <= 1e-6:
        return ""
    for factor, phrase in {-1.0: t("has the opposite sign"), **(factors or {})}.items():
        if abs(c - factor) <= 1e-6 * abs(factor):
            return phrase
    if actual.size == 1:  # any wrong number is a multiple of the right one: that says nothing
        return ""
    if abs(c) < 1e-12:
        return t("is zero everywhere")
    return t("is {c:.4g} times the right value", c=c)


def expect_close(what, actual, expected, on_input="", rtol=1e-6, atol=1e-9, alternatives=None,
                 factors=None):
    """actual ~ expected entrywise; the message names the mistake (see `explain`) or the worst entry."""
    actual = expect_shape(what, actual, np.shape(expected), on_input)
    expected = np.asarray(expected, dtype=np.float64)
    if not np.all(np.isfinite(actual)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(actual))[0])
        fail(t("{what} is not finite at entry {entry} ({value}){on_input}", what=what, entry=bad,
               value=actual[bad], on_input=on_input))
    gap = np.abs(actual - expected)
    allowed = atol + rtol * np.abs(expected)
    if np.any(gap > allowed):
        worst = np.unravel_index(np.argmax(gap - allowed), gap.shape) if gap.ndim else ()
        phrase = explain(actual, expected, alternatives, factors) or t("is wrong")
        if worst:
            fail(t("{what} {phrase}: at entry {entry} got {got:.6g}, expected {expected:.6g}{on_input}",
                   what=what, phrase=phrase, entry=tuple(int(i) for i in worst), got=actual[worst],
                   expected=expected[worst], on_input=on_input))
        fail(t("{what} {phrase}: got {got:.6g}, expected {expected:.6g}{on_input}", what=what, phrase=phrase,
               got=actual[worst], expected=expected[worst], on_input=on_input))
    return actual


def expect_gradient(what, actual, expected, on_input="", alternatives=None, factors=None):
    """A gradient against its numerical estimate: shape, finiteness, relative error; the message
    names the mistake when it is a known one (see `explain`)."""
    actual = expect_shape(what, actual, np.shape(expected), on_input)
    if not np.all(np.isfinite(actual)):
        fail(t("{what} is not finite{on_input}", what=what, on_input=on_input))
    error = relative_error(actual, expected)
    if error > GRADIENT_RTOL:
        worst = np.unravel_index(np.argmax(np.abs(actual - expected)), np.shape(expected))
        worst = tuple(int(i) for i in worst)
        phrase = explain(actual, expected, alternatives, factors) or t("disagrees with the numerical gradient")
        fail(t("{what} {phrase}: relative error {error:.1e} (entry {entry}: got {got:.6g}, expected "
               "{expected:.6g}){on_input}", what=what, phrase=phrase, error=error, entry=worst,
               got=actual[worst], expected=expected[worst], on_input=on_input))
    return actual


def expect_unchanged(what, before, after):
    """The caller's array is as it was before `what` ran."""
    if np.shape(before) != np.shape(after) or not np.allclose(after, before, rtol=0, atol=1e-12):
        fail(t("{what} changed its input array: leave the caller's data as it was "
               "(work on a copy, or build a new array)", what=what))


def advise(message):
    """Advice in a passing test's output: the answer keeps its points, the student reads why."""
    print(t("Advice: {message}", message=message))


def strictly(function, *args):
    """Run with overflow, invalid and divide-by-zero raising FloatingPointError; underflow is fine."""
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):
        return function(*args)
