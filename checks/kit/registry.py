"""Hidden checks, each declared once: its grade_id, its points, the answers it grades and
what it checks, in words a student reads.

    hidden = HiddenChecks(__name__)

    @hidden.check(points=6)
    def linear_backward_hidden(Linear):
        '''dL/dX, dL/dW and dL/db against numerical gradients, for random upstream gradients.'''
        ...

    grade = hidden.grade

The function's name is the grade_id of its test cell, its parameters are the names of
the answers the cell passes to it, and its docstring is the statement the notebook
shows above the hidden region. tools/sync_course.py writes each hidden test cell (its
source and its points) from this declaration, and a test fails when a notebook differs.
"""
import inspect
import textwrap
from dataclasses import dataclass

from .feedback import GradingFailure
from ..i18n import ENGLISH, speaking, t

CELL_WIDTH = 100


@dataclass(frozen=True)
class HiddenCheck:
    grade_id: str
    points: float
    answers: tuple      # names of the answers the test cell passes, in order
    statement: str      # what the check checks, as the notebook states it
    function: object


class HiddenChecks:
    """The hidden checks of one seminar, by grade_id, in the order they were declared."""

    def __init__(self, module_name):
        self.module_name = module_name
        self.checks = {}

    def check(self, points):
        """Decorator: register the function as the hidden check of its test cell."""
        def register(function):
            grade_id = function.__name__
            if grade_id in self.checks:
                raise ValueError(f"two hidden checks named {grade_id}")
            if not function.__doc__:
                raise ValueError(f"{grade_id} needs a docstring: it is what the notebook states")
            self.checks[grade_id] = HiddenCheck(
                grade_id, points, tuple(inspect.signature(function).parameters),
                " ".join(inspect.cleandoc(function.__doc__).split()), function)
            return function
        return register

    def cell_source(self, grade_id, language=ENGLISH, statement=None):
        """The source of the hidden test cell: the statement, then the hidden call.

        language, statement: for an edition in another language (tools/translate.py), the
        statement in that language; the call then asks for the check's messages in it.
        """
        check = self.checks[grade_id]
        with speaking(language):
            heading = t("Hidden tests ({points:g} points).", points=check.points)
        statement = textwrap.wrap(f"{heading} {statement or check.statement}", width=CELL_WIDTH - 2)
        arguments = [f'"{grade_id}"', *check.answers] + ([f'language="{language}"'] if language != ENGLISH else [])
        call = f'grade({", ".join(arguments)})'
        return "\n".join([f"# {line}" for line in statement]
                         + ["### BEGIN HIDDEN TESTS", f"from {self.module_name} import grade", call,
                            "### END HIDDEN TESTS"])

    def grade(self, grade_id, *answers, language=None):
        """Run the hidden check of one test cell; a failure shows only its message.

        language: the edition's ("ru" in the Russian notebook's hidden cells), in which the
        check writes its messages; None keeps the current one (the grader's, English by default).
        The check's own frames are dropped from the traceback: the student needs the
        message, not the grader's internals.
        """
        __tracebackhide__ = True  # IPython leaves this frame out of tracebacks
        check = self.checks[grade_id]
        if len(answers) != len(check.answers):
            raise TypeError(f"{grade_id} grades {', '.join(check.answers)}; got {len(answers)} answer(s)")
        with speaking(language):
            try:
                check.function(*answers)
            except GradingFailure as failure:
                raise GradingFailure(failure.args[0]) from None  # the message as made: a Text keeps its id
