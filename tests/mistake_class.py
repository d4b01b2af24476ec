"""A class made from the mistake catalogues, for the class report's tests.

Every mistake of the catalogues (tests/mutants.py, tests/mutants_seminar2.py,
tests/mutants_seminar3.py) is made by exactly one student: the correct sample with that answer
replaced by the mistake. Parts are graded on their own, so a student makes at most one mistake per
part, the k-th of each part's list (as tests/test_seminar2_checks.py grades them in rounds): 20
notebooks for seminar 1's 65 wrong answers, 12 for seminar 2's 61, 9 for seminar 3's 41, instead of
one notebook each. Every other student takes the Russian edition, so that each edition's messages
are counted by the same ids.

Seminar 2's and 3's mutants are answer sources already. Seminar 1's are objects, mostly subclasses of
the reference (`class LinearNoTranspose(ref.Linear)`): as a student's answer cell, such a
mutant is the reference answer followed by the mutant under the answer's name (`class
Linear(Linear)`), with the catalogue's helpers it calls; `build` makes the same object from that
source in-process, so what grading sees and what the prediction runs are the same code.

`predicted` says what each test cell of a notebook must give, by running the cells in-process
(tests/cells.py's way, without the sandbox) with the student's answers built from its cells.
"""
import ast
import inspect
import re
import sys
from dataclasses import dataclass, field

import nbformat
import numpy as np

from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402

import mutants  # noqa: E402
import mutants_seminar2  # noqa: E402
import mutants_seminar3  # noqa: E402
from sync_course import expected_cells, without_markers  # noqa: E402

# The seminars whose catalogues hold answer sources: seminar -> its catalogue module.
SOURCE_CATALOGUES = {"seminar2": mutants_seminar2, "seminar3": mutants_seminar3}


def catalogue_of(base):
    """The module of a seminar's mistake catalogue."""
    return SOURCE_CATALOGUES.get(base, mutants)


@dataclass
class Student:
    id: str
    assignment: str                 # seminar1, or its edition seminar1_ru
    answers: dict                   # {answer grade_id: source} replacing the correct sample's
    mistakes: list = field(default_factory=list)   # the catalogue's entries this student makes


def correct_sample(assignment):
    return nbformat.read(ROOT / "submitted" / "sample-correct" / assignment / f"{assignment}.ipynb", as_version=4)


def notebook_of(student):
    notebook = correct_sample(student.assignment)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in student.answers:
            cell.source = student.answers[grade_id]
    return notebook


# ---------------------------------------------------------------- seminar 1: objects into sources

def _helpers(obj, seen=None):
    """The catalogue's own functions and classes that obj's source names, those they name first."""
    seen = seen if seen is not None else []
    tree = ast.parse(inspect.getsource(obj))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id != obj.__name__:
            helper = getattr(mutants, node.id, None)
            if (inspect.isfunction(helper) or inspect.isclass(helper)) and helper.__module__ == mutants.__name__ \
                    and helper not in seen:
                _helpers(helper, seen)
                seen.append(helper)
    return seen


def seminar1_source(answer, wrong):
    """The answer cell a student with this mistake hands in."""
    import solutions.seminar1 as reference
    name = reference.ANSWER_CELLS[answer].__name__
    mistake = re.sub(rf"\b{re.escape(wrong.__name__)}\b", name, inspect.getsource(wrong).rstrip())
    # The reference answer keeps a second name, for a mutant that calls it (`ref.train(...)`).
    mistake = re.sub(r"\bref\.", "", re.sub(rf"\bref\.{name}\b", f"_reference_{name}", mistake))
    pieces = [without_markers(expected_cells("seminar1")[answer][0]), f"_reference_{name} = {name}"]
    pieces += [inspect.getsource(helper).rstrip() for helper in _helpers(wrong)]
    return "\n\n\n".join(pieces + [mistake])


def build(base, answer, source):
    """The object an answer cell's source defines, exec'd beside what the notebook gives it."""
    if base in SOURCE_CATALOGUES:
        return SOURCE_CATALOGUES[base].build(answer, source)
    import solutions.seminar1 as reference
    from solutions.seminar1.gradcheck import EPS
    namespace = {"np": np, "EPS": EPS}
    exec(compile(source, f"<{answer} answer>", "exec"), namespace)
    return namespace[reference.ANSWER_CELLS[answer].__name__]


def mistakes_of(base):
    """[(answer, mistake, source, grade_id, words)]: the catalogue, each mistake as an answer source;
    entries that share a wrong answer (a mistake caught by a hidden and a visible test) share one."""
    if base in SOURCE_CATALOGUES:
        catalogue = SOURCE_CATALOGUES[base]
        return [(case[0], case[1], catalogue.mutant_source(case), case[3], case[4]) for case in catalogue.MUTANTS]
    sources = {}
    return [(answer, mistake, sources.setdefault(id(wrong), seminar1_source(answer, wrong)), grade_id, words)
            for answer, mistake, wrong, grade_id, words in mutants.MUTANTS]


def mistake_students(base):
    """The students of the catalogue's mistakes: the k-th wrong answer of each part in the k-th
    notebook, the notebooks alternating between the English assignment and its Russian edition.
    Entries of the catalogue that share a wrong answer (a mistake that a hidden and a visible test
    catch) are one mistake of one student."""
    editions = [base] + course.editions_of(base)
    by_answer = {}
    for answer, mistake, source, grade_id, words in mistakes_of(base):
        wrong = by_answer.setdefault(answer, {}).setdefault(source, [])
        wrong.append((answer, mistake, grade_id, words))
    rounds = max(len(wrong) for wrong in by_answer.values())
    students = []
    for k in range(rounds):
        student = Student(f"{base}-round-{k:02d}", editions[k % len(editions)], {})
        for answer, wrong in by_answer.items():
            if k < len(wrong):
                source, entries = list(wrong.items())[k]
                student.answers[answer] = source
                student.mistakes += entries
        students.append(student)
    return students


# ---------------------------------------------------------------- what grading must find

def answers_of(notebook, assignment):
    """{answer grade_id: source} of the answer cells where a notebook differs from the correct sample."""
    correct = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in correct_sample(assignment).cells
               if cell.metadata.get("nbgrader", {}).get("solution") and cell.cell_type == "code"}
    return {grade_id: cell.source for cell in notebook.cells
            if (grade_id := cell.metadata.get("nbgrader", {}).get("grade_id")) in correct
            and cell.source != correct[grade_id]}


class InProcess:
    """The test cells of a seminar's English notebook run in this process (as tests/cells.py runs
    them), with some answers replaced: which cells fail, and with what."""

    def __init__(self, base):
        from cells import Notebook
        self.base, self.notebook = base, Notebook(base)
        self.module = course.checks_of(base)
        self.checks = self.module.hidden.checks
        self.names = {answer: obj.__name__ for answer, obj in self.notebook.solutions.ANSWER_CELLS.items()}

    def fresh(self):
        """What the notebook's read-only cells define, made again, and the checks' cached data read
        again: in this process, a student's code gets the very arrays (not copies, as through the
        sandbox), so an answer that changes its input in place must not change the next student's."""
        import contextlib
        import io

        for value in vars(self.module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()
        self.namespace = {"__name__": "__main__"}
        with contextlib.redirect_stdout(io.StringIO()):
            for source in self.notebook.setup:
                exec(source, self.namespace)
        self.namespace.update({obj.__name__: obj for obj in self.notebook.solutions.ANSWER_CELLS.values()})

    def cells_for(self, answers):
        """The test cells a change of these answers can fail: their parts' cells, and the hidden checks
        that take them (a convergence test trains every brick)."""
        names = {self.names[answer] for answer in answers}
        cells = {grade_id for answer in answers for grade_id in self.notebook.cells_of(answer)}
        cells |= {grade_id for grade_id, check in self.checks.items() if names & set(check.answers)}
        return [grade_id for grade_id in self.notebook.tests if grade_id in cells]

    def raised(self, grade_id, replace):
        """The exception the test cell raises with `replace` ({name: object}) swapped in, or None."""
        import contextlib
        import io

        namespace = dict(self.namespace, **replace)
        np.random.seed(0)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(self.notebook.tests[grade_id], f"<test cell {grade_id}>", "exec"), namespace)
        except Exception as error:  # what the test cell found, or what the answer raised
            return error
        return None

    def failures(self, answers):
        """{test grade_id: the cell's result as data} of the cells that fail with these answer sources."""
        from checks.engine.results import message_data

        replace = {self.names[answer]: build(self.base, answer, source) for answer, source in answers.items()}
        found = {}
        for grade_id in self.cells_for(answers):
            self.fresh()
            error = self.raised(grade_id, replace)
            if error is not None:
                # As the grader words it (checks/engine/grader.py, _failure).
                message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
                found[grade_id] = {"status": "failed", "error": type(error).__name__,
                                   "message": message_data(message)}
        return found
