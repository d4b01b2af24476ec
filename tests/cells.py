"""Run one test cell of a notebook in-process, with the reference answers or some replaced.

Visible and hidden test cells alike: the cell's source (hidden region included) runs in a
namespace made of the notebook's read-only setup cells and the answers, as in the
instructor's notebook. This is what grading computes, without the sandbox, so a test of
a mutant can say which cells it fails and with which message.
"""
import contextlib
import io
from dataclasses import dataclass

import nbformat

from conftest import ROOT


@dataclass
class Outcome:
    passed: bool
    message: str = ""   # the failure's message, "" when passed
    output: str = ""    # what the cell printed (advice included)


class Notebook:
    """The test cells, setup cells and reference answers of one assignment."""

    def __init__(self, assignment):
        import sys
        sys.path.insert(0, str(ROOT / "tools"))
        import course
        cells = nbformat.read(course.source_notebook(assignment), as_version=4).cells
        self.solutions = course.solutions_of(assignment)
        self.setup, self.tests = [], {}
        for cell in cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or not meta:
                continue
            if meta.get("grade") and not meta.get("solution"):
                self.tests[meta["grade_id"]] = cell.source
            elif meta.get("locked") and not meta.get("solution"):
                self.setup.append(cell.source)

    def cells_of(self, answer):
        """The test cells of an answer grade_id, visible and hidden, in notebook order."""
        return [grade_id for grade_id in self.tests if grade_id.startswith(answer + "_")]

    def run(self, grade_id, replace=None):
        """Run one test cell with the reference answers, `replace` ({name: object}) swapped in."""
        namespace = {"__name__": "__main__"}
        with contextlib.redirect_stdout(io.StringIO()):
            for source in self.setup:
                exec(source, namespace)
        namespace.update({obj.__name__: obj for obj in self.solutions.ANSWER_CELLS.values()})
        namespace.update(replace or {})
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):
                exec(compile(self.tests[grade_id], f"<test cell {grade_id}>", "exec"), namespace)
        except Exception as error:  # a failing test: AssertionError, GradingFailure, or a crash
            message = str(error) if isinstance(error, AssertionError) else f"{type(error).__name__}: {error}"
            return Outcome(False, message, output.getvalue())
        return Outcome(True, "", output.getvalue())

    def failures(self, answer, replace):
        """{grade_id: message} of the answer's test cells that fail with `replace`."""
        outcomes = {grade_id: self.run(grade_id, replace) for grade_id in self.cells_of(answer)}
        return {grade_id: outcome.message for grade_id, outcome in outcomes.items() if not outcome.passed}


def graded_whole(folder, submissions, notebook_with, grade):
    """{name: grade(path)} for each submission (name -> {answer grade_id: source}), written as a whole
    notebook in `folder` by notebook_with(answers) and graded once, two at a time (a grading mostly
    waits on its student process)."""
    from concurrent.futures import ThreadPoolExecutor
    paths = {}
    for name, answers in submissions.items():
        paths[name] = folder / f"{name}.ipynb"
        nbformat.write(notebook_with(answers), paths[name])
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(paths, pool.map(grade, paths.values())))


def style_rounds(alternatives):
    """The catalogue's other correct styles, [(answer, description, source), ...], as rounds of notebooks:
    round k holds the k-th style of every answer that has one, so each style is graded once."""
    by_answer = {}
    for answer, _, source in alternatives:
        by_answer.setdefault(answer, []).append(source)
    return [{answer: sources[k] for answer, sources in by_answer.items() if k < len(sources)}
            for k in range(max(len(sources) for sources in by_answer.values()))]


def release_stubs(assignment, answers):
    """{answer grade_id: source} of the release's stubs (what a student starts from) for the answers named."""
    release = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in release.cells
            if cell.metadata.get("nbgrader", {}).get("grade_id") in answers}


class ChecksOf:
    """A seminar's hidden checks beside its reference answers (its `solutions` package), as the tests of
    its checks call them."""

    def __init__(self, hidden, solutions):
        self.hidden, self.solutions = hidden, solutions

    def answers_for(self, grade_id, replace=None):
        """The answers a hidden check takes: the reference's, with some replaced by name."""
        replace = replace or {}
        return [replace.get(name, getattr(self.solutions, name)) for name in self.hidden.checks[grade_id].answers]

    def answer_name(self, answer):
        """The name the answer cell defines (the `linear` cell: `Linear`)."""
        return self.solutions.ANSWER_CELLS[answer].__name__

    def checks_of(self, answer):
        """The hidden checks that take the answer cell's object: its own, and any that train with it."""
        return [grade_id for grade_id, check in self.hidden.checks.items() if self.answer_name(answer) in check.answers]

    def own_checks(self, answer):
        """The hidden checks of the answer's own part (their grade_ids start with the answer's)."""
        return [grade_id for grade_id in self.hidden.checks if grade_id.startswith(answer + "_")]
