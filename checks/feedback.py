"""Failures a student can act on: what was expected, what was observed, on which input."""
import linecache
import os
import traceback

import numpy as np

from .worker import StudentError, StudentProcessEnded, StudentTimeout

_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (np, traceback)
) + (os.path.dirname(os.path.abspath(__file__)) + os.sep,)


class GradingFailure(AssertionError):
    """A check found a mistake; the message is the whole feedback."""


def fail(message):
    raise GradingFailure(message)


def where_in_student_code(tb):
    """'line 12: return dLdy @ self.W' for the innermost frame outside numpy and checks."""
    frames = [frame for frame in traceback.extract_tb(tb)
              if not os.path.abspath(frame.filename).startswith(_LIBRARY_DIRS)]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return f" (line {frame.lineno} of {frame.name}: {line})" if line else ""


def call(what, function, *args, unstable_hint=None, **kwargs):
    """Call student code; turn any exception into a GradingFailure that names `what`.

    unstable_hint: advice for a FloatingPointError, raised when the caller runs the
    code under np.errstate(over="raise", ...) to catch overflow.
    """
    try:
        return function(*args, **kwargs)
    except GradingFailure:
        raise
    except StudentTimeout:
        raise GradingFailure(f"{what} did not finish in time (an endless loop, or far too slow); "
                             "it was stopped") from None
    except StudentProcessEnded as ended:
        raise GradingFailure(f"{what}: {ended.message}") from None
    except Exception as error:  # the student's code may raise anything
        message = str(error).strip() or "(no message)"
        if unstable_hint and isinstance(error, FloatingPointError):
            raise GradingFailure(f"{what} is numerically unstable ({message}): {unstable_hint}") from None
        if isinstance(error, StudentError):  # raised in the sandboxed student process
            type_name, where = error.type_name, f" ({error.where})" if error.where else ""
        else:
            type_name, where = type(error).__name__, where_in_student_code(error.__traceback__)
        raise GradingFailure(f"{what} raised {type_name}: {message}{where}") from None


def describe(value):
    """Short description of a value for a message: shape and dtype for arrays."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


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
