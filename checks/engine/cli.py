"""Command line of the grader.

    nn-grade grade ASSIGNMENT [--workers N] [--force] [--shard i/n] [--db URL]
    nn-grade grade-file path/to/notebook.ipynb --assignment ASSIGNMENT [--course DIR] [--json]

grade grades every submitted student of an assignment of the course directory with
nbgrader, in parallel, then writes feedback and grades.csv: see checks/engine/batch.py.

grade-file grades one notebook without a gradebook or an nbgrader course set-up: the
tests come from the instructor's notebook, source/<assignment>/<assignment>.ipynb of
the course directory, and run exactly as in `nbgrader autograde` (the same sandbox,
the same hidden tests, the same scores). It prints each test cell's points and the
total, as text or as JSON. Exit status: 0 graded, 2 the notebook could not be read.
"""
import argparse
import json
import sys
from pathlib import Path

import nbformat

from . import batch
from .grading import Course, Settings, StudentCode, SubmissionGrader
from .sandbox import Sandbox, grader_package_dirs


def grade_file(notebook_path, assignment, course_dir, cell_timeout=10.0, submission_timeout=300.0):
    """Grade one notebook file; returns the result as a JSON-ready dict."""
    source = Path(course_dir) / "source" / assignment / f"{assignment}.ipynb"
    course = Course.from_notebook(nbformat.read(source, as_version=4))
    result = {"notebook": str(notebook_path), "assignment": assignment}
    try:
        submission = nbformat.read(notebook_path, as_version=4)
    except Exception as error:  # any unreadable file is reported, not raised
        result["error"] = f"the notebook could not be read: {type(error).__name__}: {error}"
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


def _print_text(result):
    print(f"{result['notebook']} ({result['assignment']})")
    if "error" in result:
        print(f"  NOT GRADED: {result['error']}")
        return
    width = max(len(grade_id) for grade_id in result["cells"])
    for grade_id, cell in result["cells"].items():
        line = f"  {grade_id:{width}}  {cell['points']:g}/{cell['max_points']:g}"
        if not cell["passed"]:
            line += f"  {cell['message'].splitlines()[0][:120]}"
        print(line)
    print(f"  total: {result['total']:g}/{result['max_total']:g}")
    for note in result["report"]:
        print(f"  note: {note}")
    for warning in result["warnings"]:
        print(f"  warning: {warning}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="nn-grade", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    many = commands.add_parser("grade", help="autograde every submission of an assignment, in parallel")
    many.add_argument("assignment")
    many.add_argument("--course", default=".", help="the course directory (with source/, submitted/); "
                                                     "default: here")
    many.add_argument("--workers", type=int, default=0, help="grading processes (default: one per core)")
    many.add_argument("--force", action="store_true", help="regrade unchanged submissions too")
    many.add_argument("--student", action="append", default=[], help="grade only this student (repeatable)")
    many.add_argument("--shard", help="i/n: grade only this machine's share of the students")
    many.add_argument("--db", default="", help="the gradebook's database URL (default: the course's "
                                               "nbgrader setting, or sqlite:///gradebook.db)")
    many.add_argument("--no-feedback", action="store_true", help="do not write feedback HTML")
    many.add_argument("--csv", help="where to write the grades (default: grades.csv in the course)")
    many.add_argument("--student-timeout", type=float, default=900.0,
                      help="seconds before one student's grading is stopped as stuck (default 900)")
    one = commands.add_parser("grade-file", help="grade one notebook file, without a course set-up")
    one.add_argument("notebook")
    one.add_argument("--assignment", required=True)
    one.add_argument("--course", default=".", help="the course directory (with source/); default: here")
    one.add_argument("--json", action="store_true", help="print the result as JSON")
    one.add_argument("--cell-timeout", type=float, default=10.0)
    args = parser.parse_args(argv)
    if args.command == "grade":
        try:
            shard = batch.parse_shard(args.shard) if args.shard else None
        except ValueError as error:
            parser.error(str(error))
        return batch.run(batch.Options(
            assignment=args.assignment, course_dir=Path(args.course), workers=args.workers,
            force=args.force, students=tuple(args.student), shard=shard, db_url=args.db,
            feedback=not args.no_feedback, csv_path=args.csv, student_timeout=args.student_timeout))
    result = grade_file(args.notebook, args.assignment, args.course, cell_timeout=args.cell_timeout)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_text(result)
    return 2 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
