"""Grade one notebook file without a gradebook or an nbgrader course set-up.

The tests come from the instructor's notebook, source/<assignment>/<assignment>.ipynb of the
course directory, and run exactly as in `nbgrader autograde`: the same sandbox and limits,
built from the course's nbgrader_config.py by the same factory (checks/engine/configuration.py),
the same hidden tests, the same scores. This is the path a learning platform takes for
instant feedback, so it avoids nbformat, whose import alone takes seconds: notebooks are JSON.
"""
import dataclasses
import textwrap
from pathlib import Path

from .configuration import course_grading_config
from .course import Course
from .grader import SubmissionGrader
from .notebook import grade_id_of, read_notebook
from .student_code import StudentCode


class CannotGrade(Exception):
    """The command was given something it cannot grade: the message says what and why."""


def course_notebook(course_dir, assignment):
    """source/<assignment>/<assignment>.ipynb of the course, or CannotGrade saying what is wrong."""
    course_dir = Path(course_dir)
    source = course_dir / "source"
    if not source.is_dir():
        raise CannotGrade(f"{course_dir.resolve()} has no source/ folder: --course-dir must be the course "
                          "directory (the folder with source/ and nbgrader_config.py)")
    path = source / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        known = sorted(p.parent.name for p in source.glob("*/*.ipynb") if p.stem == p.parent.name)
        raise CannotGrade(f"the course has no assignment {assignment!r} (no {path}); "
                          f"its assignments: {', '.join(known) or 'none'}")
    return path


def answer_ids(notebook):
    """The grade_ids of a notebook's cells that carry nbgrader metadata."""
    return {grade_id_of(cell) for cell in notebook.cells} - {None}


def another_assignments_notebook(submission, course, course_dir, assignment):
    """The assignment of the course whose answer cells the submission has, when it has none of
    `assignment`'s (a seminar 1 notebook given with --assignment seminar2); else None."""
    found = answer_ids(submission)
    if not found or any(answer.grade_id in found for answer in course.answers):
        return None
    for other in sorted(Path(course_dir, "source").glob("*/*.ipynb")):
        if other.stem != other.parent.name or other.stem == assignment:
            continue
        try:
            if {a.grade_id for a in Course.from_notebook(read_notebook(other)).answers} & found:
                return other.stem
        except ValueError:  # not a course notebook: not this one
            continue
    return None


def grade_file(notebook_path, assignment, course_dir, cell_timeout=None):
    """Grade one notebook file; returns the result as a JSON-ready dict ("error" when it could
    not be graded: a missing course, assignment or file, an unreadable notebook).
    cell_timeout: instead of the course's."""
    result = {"notebook": str(notebook_path), "assignment": assignment}
    try:
        course = Course.from_notebook(read_notebook(course_notebook(course_dir, assignment)))
        path = Path(notebook_path)
        if path.is_dir():
            raise CannotGrade(f"{path} is a folder: give the notebook file, such as {path / (assignment + '.ipynb')}")
        if not path.exists():
            raise CannotGrade(f"{path}: no such file")
        try:
            submission = read_notebook(path)
        except (OSError, ValueError) as error:
            raise CannotGrade(f"the notebook could not be read: {error}") from None
        other = another_assignments_notebook(submission, course, course_dir, assignment)
        if other:
            raise CannotGrade(f"{path} is a notebook of {other}, not of {assignment}: none of {assignment}'s "
                              f"answer cells is in it, and {other}'s are; grade it with --assignment {other}")
    except CannotGrade as error:
        result["error"] = str(error)
        return result
    config = course_grading_config(course_dir)
    if cell_timeout is not None:
        config = dataclasses.replace(config, cell_timeout=cell_timeout)
    sandbox = config.sandbox(Path(course_dir).resolve())
    if sandbox.warnings and config.require_isolation:
        result["error"] = "grading refused: " + "; ".join(sandbox.warnings)
        return result
    code = StudentCode.from_notebook(submission, course)
    outcome = SubmissionGrader(course, code, sandbox, config.settings()).grade()
    cells = {}
    for test in course.tests:
        cell = outcome[test.grade_id]
        cells[test.grade_id] = {"points": test.points if cell.passed else 0.0, "max_points": test.points,
                                "passed": cell.passed, "status": cell.status.value,
                                "message": "" if cell.passed else f"{cell.error}: {cell.message}"}
    result.update(cells=cells, total=sum(c["points"] for c in cells.values()),
                  max_total=sum(c["max_points"] for c in cells.values()),
                  report=[str(note) for note in outcome.notes], sandbox=sandbox.describe(),
                  warnings=outcome.warnings, result=outcome.to_json())
    return result


def print_text(result, width=100):
    """Each test cell's points, and each failure's whole message, wrapped under it."""
    print(f"{result['notebook']} ({result['assignment']})")
    if "error" in result:
        print(textwrap.fill(f"NOT GRADED: {result['error']}", width, initial_indent="  ",
                            subsequent_indent="    "))
        return
    name_width = max(len(grade_id) for grade_id in result["cells"])
    for grade_id, cell in result["cells"].items():
        print(f"  {grade_id:{name_width}}  {cell['points']:g}/{cell['max_points']:g}")
        if not cell["passed"]:
            for paragraph in cell["message"].splitlines():
                print(textwrap.fill(paragraph, width, initial_indent="      ", subsequent_indent="      "))
    print(f"  total: {result['total']:g}/{result['max_total']:g}")
    for note in result["report"]:
        print(textwrap.fill(f"note: {note}", width, initial_indent="  ", subsequent_indent="    "))
    for warning in result["warnings"]:
        print(textwrap.fill(f"warning: {warning}", width, initial_indent="  ", subsequent_indent="    "))
