"""Grade one notebook file without a gradebook or an nbgrader course set-up.

The tests come from the instructor's notebook, source/<assignment>/<assignment>.ipynb of the
course directory, and run exactly as in `nbgrader autograde` (the same sandbox, the same
hidden tests, the same scores). This is the path a learning platform takes for instant
feedback, so it avoids nbformat, whose import alone takes seconds: notebooks are JSON.
"""
import textwrap
from pathlib import Path

from .grading import Course, Settings, StudentCode, SubmissionGrader, read_notebook
from .sandbox import Sandbox, grader_package_dirs


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


def grade_file(notebook_path, assignment, course_dir, cell_timeout=10.0, submission_timeout=300.0):
    """Grade one notebook file; returns the result as a JSON-ready dict ("error" when it could
    not be graded: a missing course, assignment or file, an unreadable notebook)."""
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
    except CannotGrade as error:
        result["error"] = str(error)
        return result
    code = StudentCode.from_notebook(submission, course)
    sandbox = Sandbox(hidden=[str(Path(course_dir).resolve())] + grader_package_dirs())
    grader = SubmissionGrader(course, code, sandbox, Settings(cell_timeout=cell_timeout,
                                                            submission_timeout=submission_timeout))
    outcomes = grader.grade()
    cells = {}
    for test in course.tests:
        outcome = outcomes[test.grade_id]
        cells[test.grade_id] = {"points": test.points if outcome.passed else 0.0, "max_points": test.points,
                                "passed": outcome.passed,
                                "message": "" if outcome.passed else f"{outcome.ename}: {outcome.evalue}"}
    result.update(cells=cells, total=sum(c["points"] for c in cells.values()),
                  max_total=sum(c["max_points"] for c in cells.values()),
                  report=code.notes + grader.report.notes, sandbox=sandbox.describe(),
                  warnings=sandbox.warnings)
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
