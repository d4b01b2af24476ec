"""Code of the course's that runs where the student's code runs.

When grading, a student's answers live in a sandboxed process and every call between the
grader and that process is a round trip, whose cost follows the machine's load rather than
the student's code. A check that needs many calls (a training loop: several per step) runs
them beside the student's code instead: it defines the course's own pieces there, hands
them the student's answers, and afterwards checks what came of it by itself. In-process
(the notebook's own tests, the kit's tests) the same code simply runs here.

What is defined beside the student's code runs in the student's process, so a determined
student can change it: a check that uses it verifies the outcome on its own (replays the
training, measures with its own forward pass), never trusts it. Only code that students may
read anyway belongs there (the bricks a notebook gives them).
"""
import inspect
import textwrap
import types

from ..protocol.wire import Proxy, define_beside as _define_in_process_of, items_of as _items_of


def source_of(*objects):
    """The source of classes and functions of the course's, as one module that imports numpy."""
    return "\n\n".join(["import numpy as np"] + [textwrap.dedent(inspect.getsource(obj)) for obj in objects])


def define_beside(answer, source, **values):
    """Run `source` where `answer` lives, in a namespace of its own holding `values` (data:
    arrays, numbers, lists); returns {name: object} of what it defines (not the modules it
    imports), to be called as the answers are."""
    if isinstance(answer, Proxy):
        return _define_in_process_of(answer, source, values)
    namespace = {"__name__": "given_by_the_test", **values}
    exec(compile(source, "<given by the test>", "exec"), namespace)
    return {name: value for name, value in namespace.items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)}


def items_of(iterable):
    """Every item of an iterable (a student's generator of batches) as a list, in one round
    trip when it lives in the student's process."""
    return _items_of(iterable) if isinstance(iterable, Proxy) else list(iterable)


def class_name(value):
    """The name of a value's class, wherever the value lives."""
    return value._type_name if isinstance(value, Proxy) else type(value).__name__
