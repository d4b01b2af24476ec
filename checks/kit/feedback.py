"""Failures a student can act on: what was expected, what was observed, on which input.

A failure is a verdict, and a verdict is the grader's: once a check has failed during a call
of student code (in a method of the check's own objects that the student's code called back,
say), that call fails with it, whatever the student's code did with the exception (caught
it, swallowed it, or let it out under another name).
"""
import contextvars
import linecache
import os
import traceback

import numpy as np

from ..protocol.wire import Proxy, StudentError, StudentProcessEnded, StudentTimeout, UncrossableValue
from ..protocol import words
from ..i18n import t

# Frames in these directories are the grader's, never the student's.
_LIBRARY_DIRS = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) + os.sep
    for module in (np, traceback)
) + (os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,)


# The calls of student code that are under way, innermost last: each keeps the first verdict
# given while it ran.
_OPEN_CALLS = contextvars.ContextVar("open_calls", default=())


class _OpenCall:
    __slots__ = ("verdict",)

    def __init__(self):
        self.verdict = None


class GradingFailure(AssertionError):
    """A check found a mistake; the message is the whole feedback. Made during calls of
    student code, it is the verdict of each of them that has none yet."""

    def __init__(self, message):
        super().__init__(message)
        for open_call in _OPEN_CALLS.get():
            if open_call.verdict is None:
                open_call.verdict = message


def fail(message):
    raise GradingFailure(message)


def attribute(obj, name, what, hint=""):
    """obj.name, or a failure that names the missing attribute."""
    try:
        return getattr(obj, name)
    except AttributeError:
        fail(t("{what} has no attribute `{name}`{hint}", what=what, name=name, hint=hint))


def where_in_student_code(tb):
    """'line 12: return dLdy @ self.W' for the innermost frame outside numpy and checks."""
    frames = [frame for frame in traceback.extract_tb(tb)
              if not os.path.abspath(frame.filename).startswith(_LIBRARY_DIRS)]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or linecache.getline(frame.filename, frame.lineno)).strip()
    return t(" (line {line} of {function}: {code})", line=frame.lineno, function=frame.name, code=line) if line else ""


# numpy's words for arrays whose shapes do not fit together (matmul, broadcasting, dot).
SHAPE_ERROR_WORDS = ("mismatch in its core dimension", "could not be broadcast", "not aligned",
                     "shapes", "shape mismatch")


def call(what, function, *args, unstable_hint=None, shapes=None, **kwargs):
    """Call student code; turn any exception into a GradingFailure that names `what`.

    unstable_hint: advice for a FloatingPointError, raised when the caller runs the
    code under np.errstate(over="raise", ...) to catch overflow.
    shapes: for a ValueError about shapes (a matmul or broadcast that does not fit), the
    shapes the call works with and those it should produce, in words.
    A check that failed while the call ran (in code of the check's that the student's code
    called) decides the call's outcome, whatever the student's code did with that failure.
    """
    open_call = _OpenCall()
    token = _OPEN_CALLS.set(_OPEN_CALLS.get() + (open_call,))
    try:
        result = function(*args, **kwargs)
    except Exception as error:  # the student's code may raise anything
        outcome = error
    else:
        outcome = None
    finally:
        _OPEN_CALLS.reset(token)
    if open_call.verdict is not None:
        raise GradingFailure(open_call.verdict)
    if outcome is None:
        return result
    raise _failure(what, outcome, unstable_hint, shapes) from None


def _failure(what, error, unstable_hint, shapes):
    """The GradingFailure that says what a call of student code raised, in words."""
    if isinstance(error, GradingFailure):
        return error
    if isinstance(error, StudentTimeout):
        return GradingFailure(t("{what} did not finish in time (an endless loop, or far too slow); "
                                "it was stopped", what=what))
    if isinstance(error, StudentProcessEnded):
        return GradingFailure(t("{what}: {why}", what=what, why=error.message))
    message = str(error).strip() or t("(no message)")
    if unstable_hint and isinstance(error, FloatingPointError):
        return GradingFailure(t("{what} is numerically unstable ({message}): {hint}", what=what,
                                message=message, hint=unstable_hint))
    if isinstance(error, UncrossableValue):  # "returned an array of dtype object, which ..."
        return GradingFailure(t("{what} {message}: return numbers, or numpy arrays of numbers", what=what,
                                message=words.uncrossable_in_words(error.fields)))
    if isinstance(error, StudentError):  # raised in the sandboxed student process
        type_name, where = error.type_name, f" ({words.where_in_words(error.where)})" if error.where else ""
    else:
        type_name, where = type(error).__name__, where_in_student_code(error.__traceback__)
    if shapes and isinstance(error, ValueError) and any(w in message for w in SHAPE_ERROR_WORDS):
        return GradingFailure(t("{what} multiplied or added arrays whose shapes do not fit{where}: "
                                "{shapes} (numpy said: {numpy})", what=what, where=where, shapes=shapes,
                                numpy=message.splitlines()[0]))
    return GradingFailure(t("{what} raised {error}: {message}{where}", what=what, error=type_name,
                            message=message, where=where))


def _object_kinds():
    return {"function": t("a function"), "method": t("a method"), "builtin_function_or_method": t("a function"),
            "generator": t("a generator (did you write `yield`?)"), "type": t("a class"),
            "module": t("a module")}


def describe(value):
    """Short description of a value for a message: shape and dtype for arrays, the kind of an object."""
    if isinstance(value, np.ndarray):
        return t("an array of shape {shape} and dtype {dtype}", shape=value.shape, dtype=value.dtype)
    if isinstance(value, Proxy):  # an object that stayed in the student's process
        kind = value._type_name
        return _object_kinds().get(kind) or t("an object of type {kind}", kind=kind)
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 80 else text[:77] + '...'}"
