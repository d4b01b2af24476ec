"""nn-grade: grade a class, or one notebook.

    nn-grade grade ASSIGNMENT [--course-dir DIR] [--workers N] [--force] [--student S ...]
    nn-grade grade-file NOTEBOOK --assignment ASSIGNMENT [--course-dir DIR] [--json]
    nn-grade serve | worker [--course-dir DIR] [--broker URL];  nn-grade status ASSIGNMENT
    nn-grade report ASSIGNMENT [EDITION ...] [--course-dir DIR] [--db URL] [--output FILE]

grade grades every submitted student of an assignment of the course directory with
nbgrader, in parallel, then writes feedback and grades-<assignment>.csv (checks/engine/batch/).
grade-file grades one notebook without a gradebook (checks/engine/gradefile.py).
report writes what the class got wrong, as HTML and CSV (checks/report/).
Exit status: 0 done, 1 some students not graded, 2 a usage error or a file that cannot
be graded, 130 interrupted.
"""
import argparse
import json
import sys
from pathlib import Path


def _version():
    from importlib import metadata
    try:
        return metadata.version("nn-from-scratch")
    except metadata.PackageNotFoundError:
        return "unknown"


def _positive(kind, what):
    """An argparse type: a number > 0 of the given kind, or a message saying why not."""
    def convert(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{what} must be more than 0, not {text}")
        return value
    return convert


class _NotCourse(argparse.Action):
    """--course is nbgrader's course id; here the directory is --course-dir."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error(f"{option_string} is not an option here: give the course directory as "
                     f"--course-dir {values} (nbgrader's --course is the course id)")


def _course_dir_options(parser):
    parser.add_argument("--course-dir", default=".", type=Path, metavar="DIR",
                        help="the course directory, with source/ and nbgrader_config.py (default: here)")
    parser.add_argument("--course", action=_NotCourse, help=argparse.SUPPRESS)


def parser():
    main = argparse.ArgumentParser(prog="nn-grade", description=__doc__.splitlines()[0],
                                   epilog="Run `nn-grade COMMAND --help` for a command's options.")
    main.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    many = commands.add_parser(
        "grade", help="autograde every submission of an assignment, in parallel, and write grades-ASSIGNMENT.csv",
        description="Autograde every student in submitted/ with nbgrader (the course's config), in "
                    "parallel; re-runs grade only new or changed submissions.")
    many.add_argument("assignment", help="the assignment, a folder of source/ (such as seminar1)")
    _course_dir_options(many)
    many.add_argument("--workers", type=_positive(int, "--workers"), default=None, metavar="N",
                      help="grading processes running at once (default: one per core)")
    many.add_argument("--force", action="store_true",
                      help="regrade unchanged submissions too (with --student: only those)")
    many.add_argument("--student", action="append", default=[], metavar="ID",
                      help="grade only this student, a folder of submitted/ (repeatable)")
    many.add_argument("--shard", metavar="I/N", help="grade only this machine's share of the students, "
                                                     "such as 1/3, with a shared --db")
    many.add_argument("--db", default="", metavar="URL",
                      help="the gradebook's database URL, such as postgresql+psycopg2://... "
                           "(default: the course's nbgrader setting, or sqlite:///gradebook.db)")
    many.add_argument("--no-feedback", action="store_true", help="do not write feedback HTML")
    many.add_argument("--csv", type=Path, metavar="FILE",
                      help="where to write the grades (default: grades-ASSIGNMENT.csv in the course directory; "
                           "nbgrader export writes grades.csv)")
    many.add_argument("--student-timeout", type=_positive(float, "--student-timeout"), default=900.0,
                      metavar="SECONDS", help="seconds before grading one student is stopped as stuck "
                                              "and retried on the next run (default: 900)")

    _report_command(commands)
    _service_commands(commands)

    one = commands.add_parser(
        "grade-file", help="grade one notebook file, without a course set-up",
        description="Grade one notebook with the tests of source/ASSIGNMENT/ASSIGNMENT.ipynb, in the "
                    "same sandbox and with the same scores as nbgrader autograde.")
    one.add_argument("notebook", type=Path, help="the notebook file to grade")
    one.add_argument("--assignment", required=True, help="the assignment, a folder of source/")
    _course_dir_options(one)
    one.add_argument("--json", action="store_true",
                     help="print the result as JSON: cells, total, max_total, report")
    one.add_argument("--cell-timeout", type=_positive(float, "--cell-timeout"), default=None,
                     metavar="SECONDS", help="seconds for one test cell (default: the course's "
                                             "c.GradeInSandbox.cell_timeout, else 10)")
    return main


def _service_commands(commands):
    """serve, worker, status: grading as submissions arrive (checks/service/)."""
    def broker(command):
        command.add_argument("--broker", default="", metavar="URL",
                             help="the queue: redis://HOST:6379/0 for workers on several machines "
                                  "(default: filesystem://, folders under the course, for one machine)")

    serve = commands.add_parser(
        "serve", help="grade each submission as it arrives in the exchange, and release its feedback",
        description="Watch the exchange's inbound folder, send each submission to the workers, record "
                    "their results with nbgrader and release the feedback (policy: c.GradingService).")
    _course_dir_options(serve)
    broker(serve)
    serve.add_argument("--db", default="", metavar="URL",
                       help="the gradebook's database URL (default: the course's nbgrader setting)")
    worker = commands.add_parser(
        "worker", help="grade the jobs of the service's queue (here or on another machine)",
        description="A worker of the grading queue: grades each job in the sandbox with this copy of the "
                    "course and sends the result back; refuses jobs of another version of the course.")
    _course_dir_options(worker)
    broker(worker)
    worker.add_argument("--concurrency", type=_positive(int, "--concurrency"), default=1, metavar="N",
                        help="jobs graded at once (default: 1)")
    status = commands.add_parser(
        "status", help="what the service did with each student's submissions",
        description="Each student's newest submission of an assignment: queued, grading (a worker "
                    "has it), held, recording, graded, superseded or failed, with its times and points.")
    status.add_argument("assignment", help="the assignment, a folder of source/")
    _course_dir_options(status)


def _run_service_command(args):
    if args.command == "status":
        from ..service.status import render, rows_of
        table = rows_of(args.course_dir, args.assignment)
        if table is None:
            print(f"error: no grading service has run in {args.course_dir.resolve()} (nn-grade serve)")
            return 2
        print(render(table))
        return 0
    if not (args.course_dir / "source").is_dir():
        print(f"error: {args.course_dir.resolve()} has no source/ folder: --course-dir must be the course directory")
        return 2
    from ..service import serve
    try:
        if args.command == "serve":
            serve.serve(args.course_dir, args.broker, args.db, out=sys.stdout)
        else:
            serve.run_worker(args.course_dir, args.broker, args.concurrency)
    except ValueError as error:  # a wrong c.GradingService setting, for one
        print(f"error: {error}")
        return 2
    return 0


def _report_command(commands):
    """report: what the class got wrong, after grading (checks/report/)."""
    from ..i18n import ENGLISH, LANGUAGES
    report = commands.add_parser(
        "report", help="what the class got wrong: an HTML report and a CSV, from the grading results",
        description="Write the class report of an assignment (and of its editions, counted together): "
                    "scores, the named mistakes and who made them, the failures no message names, who "
                    "lost most, what was not graded, the written answers to grade.")
    report.add_argument("assignments", nargs="+", metavar="ASSIGNMENT",
                        help="the assignment, then its editions in other languages to count with it "
                             "(such as seminar1 seminar1_ru)")
    _course_dir_options(report)
    report.add_argument("--db", default="", metavar="URL",
                        help="the gradebook's database URL, as for grade (default: the course's)")
    report.add_argument("--output", type=Path, metavar="FILE",
                        help="the HTML file, the CSV beside it (default: report-ASSIGNMENT.html in the course "
                             "directory)")
    report.add_argument("--language", choices=LANGUAGES, default=ENGLISH,
                        help="the language the mistakes are shown in (default: en)")


def main(argv=None):
    """The command; its output goes quiet when its reader leaves (`| head`), and a Ctrl-C outside
    grading (which saves what it graded itself) ends it with a line instead of a traceback."""
    from .terminal import QuietWhenClosed

    sys.stdout = QuietWhenClosed(sys.stdout)
    try:
        return _command(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _command(argv):
    arguments = parser()
    args = arguments.parse_args(argv)
    if args.command == "report":
        from .. import report
        return report.run(report.Options(tuple(args.assignments), args.course_dir, args.db, args.output,
                                         args.language))
    if args.command in ("serve", "worker", "status"):
        return _run_service_command(args)
    if args.command == "grade":
        from . import batch
        try:
            shard = batch.parse_shard(args.shard) if args.shard else None
        except ValueError as error:
            arguments.error(str(error))
        return batch.run(batch.Options(
            assignment=args.assignment, course_dir=args.course_dir, workers=args.workers or 0,
            force=args.force, students=tuple(args.student), shard=shard, db_url=args.db,
            feedback=not args.no_feedback, csv_path=args.csv, student_timeout=args.student_timeout))
    from .gradefile import grade_file, print_text
    result = grade_file(args.notebook, args.assignment, args.course_dir, cell_timeout=args.cell_timeout)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_text(result)
    return 2 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main())
