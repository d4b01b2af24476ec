"""Failures a student can act on: what was expected, what was observed, on which input."""
import linecache
import os
import traceback

import numpy as np

from ..engine.wire import Proxy, StudentError, StudentProcessEnded, StudentTimeout, UncrossableValue

# Frames in these directories are the grader's, never the student's.
_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (np, traceback)
) + (os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,)


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


# numpy's words for arrays whose shapes do not fit together (matmul, broadcasting, dot).
SHAPE_ERROR_WORDS = ("mismatch in its core dimension", "could not be broadcast", "not aligned",
                     "shapes", "shape mismatch")


def call(what, function, *args, unstable_hint=None, shapes=None, **kwargs):
    """Call student code; turn any exception into a GradingFailure that names `what`.

    unstable_hint: advice for a FloatingPointError, raised when the caller runs the
    code under np.errstate(over="raise", ...) to catch overflow.
    shapes: for a ValueError about shapes (a matmul or broadcast that does not fit), the
    shapes the call works with and those it should produce, in words.
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
        if isinstance(error, UncrossableValue):  # "returned an array of dtype object, which ..."
            raise GradingFailure(f"{what} {message}: return numbers, or numpy arrays of numbers") from None
        if isinstance(error, StudentError):  # raised in the sandboxed student process
            type_name, where = error.type_name, f" ({error.where})" if error.where else ""
        else:
            type_name, where = type(error).__name__, where_in_student_code(error.__traceback__)
        if shapes and isinstance(error, ValueError) and any(w in message for w in SHAPE_ERROR_WORDS):
            raise GradingFailure(f"{what} multiplied or added arrays whose shapes do not fit{where}: "
                                 f"{shapes} (numpy said: {message.splitlines()[0]})") from None
        raise GradingFailure(f"{what} raised {type_name}: {message}{where}") from None


_OBJECT_KINDS = {"function": "a function", "method": "a method", "builtin_function_or_method": "a function",
                 "generator": "a generator (did you write `yield`?)", "type": "a class",
                 "module": "a module"}


def describe(value):
    """Short description of a value for a message: shape and dtype for arrays, the kind of an object."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, Proxy):  # an object that stayed in the student's process
        kind = value._type_name
        return _OBJECT_KINDS.get(kind, f"an object of type {kind}")
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 80 else text[:77] + '...'}"
