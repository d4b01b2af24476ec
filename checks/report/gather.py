"""What the report is made from: the class's grades in nbgrader's gradebook and what grading
found, as data, in the ledger of `nn-grade grade` (checks/engine/batch/ledger.py).

The gradebook gives the course as it was graded (its test cells, the part each grades, their
points, the written answers), every submission's points per cell and the students' names; the
ledger's latest verdict per student gives its status and, per test cell, how it failed
(checks/engine/results.py). Both are read with a few queries, not object by object, so that a
class of hundreds is read in a second.
"""
import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from pathlib import Path

from ..engine.batch.ledger import LEDGER_TABLE, Ledger
from ..engine.batch.outcome import FAILED, NOT_GRADED, TIMED_OUT
from ..engine.batch.students import misplaced, student_folders
from ..engine.course import Course
from ..engine.written import written_pending


class CannotReport(Exception):
    """The report cannot be made: the message says why, in one line."""


@dataclass
class TestCell:
    grade_id: str
    part: str            # the grade_id of the answer it grades ("" for none)
    points: float


@dataclass
class Part:
    grade_id: str        # the answer cell's grade_id: "linear"
    names: list          # what the answer defines: ["Linear"]
    points: float

    @property
    def label(self):
        """The answer's grade_id, and what it defines when that reads otherwise ("train", "mlp (make_mlp)")."""
        plain = [name.replace("_", "").lower() for name in self.names]
        same = plain == [self.grade_id.replace("_", "").lower()]
        return self.grade_id if same or not self.names else f"{self.grade_id} ({', '.join(self.names)})" \
            if self.grade_id else "other"


@dataclass
class Submission:
    """One student's graded submission of one assignment (an edition of the seminar)."""
    assignment: str
    student: str
    name: str                      # from the gradebook, else the id
    language: str                  # of the edition's messages
    status: str                    # the ledger's verdict: graded, timed out; "" when nn-grade has none
    scores: dict                   # {test grade_id: (score, max_score)}
    written: dict                  # {written answer grade_id: whether it waits for the instructor}
    cells: dict = None             # {test grade_id: result as data} (failed ones), None without a result

    @property
    def score(self):
        return sum(score for score, _ in self.scores.values())

    @property
    def lost(self):
        return sum(maximum - score for score, maximum in self.scores.values())


@dataclass
class Ungraded:
    """A submission with no grade to count, or one whose grade may change."""
    assignment: str
    student: str
    name: str
    status: str
    reason: str


@dataclass
class ClassResults:
    assignments: list
    tests: list                    # [TestCell], in notebook order
    parts: list                    # [Part], in notebook order
    written: dict                  # {written answer grade_id: points}
    submissions: list              # [Submission], graded ones
    ungraded: list = field(default_factory=list)   # [Ungraded]
    without_results: int = 0       # graded submissions the ledger has no results for

    @property
    def max_score(self):
        return sum(test.points for test in self.tests)


def course_of(gradebook, assignment):
    """(Course, {grade_id: points}, {written grade_id: points}) as the gradebook holds the assignment."""
    from nbgrader.api import MissingEntry

    try:
        notebooks = gradebook.find_assignment(assignment).notebooks
    except MissingEntry:
        raise CannotReport(f"the gradebook has no assignment {assignment!r}: run `nbgrader "
                           f"generate_assignment {assignment}` and `nn-grade grade {assignment}` first") from None
    cells, points, written = [], {}, {}
    for notebook in notebooks:
        grade_cells = {cell.name: cell for cell in notebook.grade_cells}
        solution_cells = {cell.name for cell in notebook.solution_cells}
        for cell in notebook.source_cells:
            graded = grade_cells.get(cell.name)
            flags = {"grade": graded is not None, "solution": cell.name in solution_cells,
                     "locked": bool(cell.locked), "points": graded.max_score if graded else 0}
            cells.append((cell.cell_type, cell.name, cell.source, flags))
            if graded is not None:
                (points if graded.cell_type == "code" else written)[cell.name] = float(graded.max_score)
    return Course.from_cells(cells), points, written


def _grades(gradebook, assignment):
    """{student: (name, {grade cell: (score, max_score, cell_type, pending)})} in one query; pending: a
    written answer waiting for the instructor (checks/engine/written.py)."""
    from nbgrader.api import (Assignment, Grade, GradeCell, Student, SubmittedAssignment,
                              SubmittedNotebook)

    query = (gradebook.db.query(Student.id, Student.first_name, Student.last_name, GradeCell.name,
                                GradeCell.cell_type, GradeCell.max_score, Grade.score, Grade.manual_score,
                                Grade.auto_score)
             .join(SubmittedAssignment, SubmittedAssignment.student_id == Student.id)
             .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
             .join(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
             .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
             .join(GradeCell, GradeCell.id == Grade.cell_id)
             .filter(Assignment.name == assignment))
    grades = {}
    for student, first, last, cell, cell_type, max_score, score, manual, auto in query:
        name = " ".join(part for part in (first, last) if part) or student
        pending = written_pending(SimpleNamespace(manual_score=manual, auto_score=auto))
        grades.setdefault(student, (name, {}))[1][cell] = (float(score or 0.0), float(max_score), cell_type, pending)
    return grades


def _names(gradebook):
    return {student.id: " ".join(part for part in (student.first_name, student.last_name) if part) or student.id
            for student in gradebook.students}


def _ledger_verdicts(db_url, assignment):
    """{student: the latest verdict row}, or {} when no `nn-grade grade` ever wrote to this gradebook
    (the report must not create the table)."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    try:
        if not sa.inspect(engine).has_table(LEDGER_TABLE):
            return {}
    finally:
        engine.dispose()
    return Ledger(db_url).verdicts(assignment)


def _failed_cells(result_text):
    """{test grade_id: result as data} of the cells that did not pass, from a ledger row's result."""
    if not result_text:
        return None
    try:
        notebooks = json.loads(result_text)
    except ValueError:
        return None
    cells, language = {}, "en"
    for result in notebooks.values():
        language = result.get("language", language)
        cells.update({grade_id: cell for grade_id, cell in result.get("cells", {}).items()
                      if cell.get("status") != "passed"})
    return cells, language


def gather(course_dir, assignments, db_url):
    """The ClassResults of the assignments (a seminar and its editions, whose tests must agree)."""
    from nbgrader.api import Gradebook

    course_dir = Path(course_dir)
    with Gradebook(db_url) as gradebook:
        courses = {assignment: course_of(gradebook, assignment) for assignment in assignments}
        first = assignments[0]
        course, points, written = courses[first]
        for assignment in assignments[1:]:
            if courses[assignment][1] != points:
                raise CannotReport(f"{assignment}'s test cells or points differ from {first}'s: a report "
                                   f"covers one seminar, in one or more editions")
        grades = {assignment: _grades(gradebook, assignment) for assignment in assignments}
        names = _names(gradebook)
    graded_by = dict(course.parts())   # {answer grade_id: [Test]}, "" for tests of no answer
    parts = [Part(key, next((a.names for a in course.answers if a.grade_id == key), []),
                  sum(points.get(test.grade_id, 0.0) for test in graded_by[key])) for key in graded_by]
    tests = [TestCell(test.grade_id, test.answer, points[test.grade_id]) for test in course.tests
             if test.grade_id in points]
    results = ClassResults(list(assignments), tests, parts, written, [])
    for assignment in assignments:
        verdicts = _ledger_verdicts(db_url, assignment)
        language = courses[assignment][0].language
        for student, (name, cells) in sorted(grades[assignment].items()):
            verdict = verdicts.get(student)
            if verdict is not None and verdict.status == FAILED:
                results.ungraded.append(Ungraded(assignment, student, name, FAILED, verdict.reason))
                continue
            failed = _failed_cells(verdict.result) if verdict is not None else None
            if failed is None:
                results.without_results += 1
            submission = Submission(
                assignment, student, name, failed[1] if failed else language,
                verdict.status if verdict is not None else "",
                {cell: (score, maximum) for cell, (score, maximum, kind, _) in cells.items() if kind == "code"},
                {cell: pending for cell, (_, _, kind, pending) in cells.items() if kind == "markdown"},
                failed[0] if failed else None)
            results.submissions.append(submission)
            if verdict is not None and verdict.status == TIMED_OUT:
                results.ungraded.append(Ungraded(assignment, student, name, TIMED_OUT,
                                                 verdict.reason or "a test was stopped for time"))
        for student, verdict in sorted(verdicts.items()):
            if student not in grades[assignment] and verdict.status == FAILED:
                results.ungraded.append(Ungraded(assignment, student, names.get(student, student), FAILED,
                                                 verdict.reason))
        seen = {s.student for s in results.submissions} | {u.student for u in results.ungraded}
        for student in student_folders(course_dir):
            # A student takes one edition: a folder that holds nothing of this one but is another's is fine.
            if student in grades[assignment] or student in verdicts or student in seen:
                continue
            why = misplaced(course_dir, student, assignment)
            if why or (course_dir / "submitted" / student / assignment).is_dir():
                results.ungraded.append(Ungraded(assignment, student, names.get(student, student), NOT_GRADED,
                                                 why or f"not graded yet: run `nn-grade grade {assignment}`"))
    return results
