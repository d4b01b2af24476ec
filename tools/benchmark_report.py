"""Benchmark of the class report: `nn-grade report` for a class of 500 graded students.

    python3 tasks.py bench-report [--students 500] [--repeats 3]

In a temporary copy of the course it grades the three samples of seminar 1 for real (`nn-grade
grade`), then makes the class of N by copying them: each student after the samples is a copy of
one (correct, one bug, untouched, in turn), its rows copied in the gradebook's database (the
submission, its notebook, a grade and a comment per cell) and in the ledger (the verdict with
the structured result). Grading 500 submissions would take minutes and say nothing more about
the report, which reads only those rows. It prints the median time of the whole command (a new
process each run: nbgrader's and matplotlib's imports included) against its budget, and exits 1
when the budget is missed.
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tools"))
from targets import positive_int, report_targets  # noqa: E402

ASSIGNMENT = "seminar1"
SAMPLES = ("sample-correct", "sample-one-bug", "sample-untouched")
BUDGET = 10.0  # seconds for the report of 500: "in seconds", on the 2-core development machine


def run(*command, cwd):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", MPLBACKEND="Agg")
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command[:3]))} failed ({result.returncode}):\n{result.stdout[-2000:]}"
                 f"\n{result.stderr[-2000:]}")
    return result


def copy_rows(database, table, where, values, changes):
    """Copy the rows of `table` that match `where` (values), with the columns in `changes` replaced;
    returns {old id: new id} when the table has an id column."""
    rows = database.execute(f"SELECT * FROM {table} WHERE {where}", values)
    columns = [description[0] for description in rows.description]
    ids = {}
    for row in rows.fetchall():
        record = dict(zip(columns, row))
        if "id" in record and table != "student":
            ids[record["id"]] = record["id"] = uuid.uuid4().hex
        record.update({column: change(record[column]) if callable(change) else change
                       for column, change in changes.items()})
        database.execute(f"INSERT INTO {table} ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
                         list(record.values()))
    return ids


def make_class(database, students):
    """The class of `students`: the graded samples and copies of them, in turn."""
    for number in range(students - len(SAMPLES)):
        sample, student = SAMPLES[number % len(SAMPLES)], f"student-{number:03d}"
        copy_rows(database, "student", "id = ?", [sample], {"id": student, "first_name": "Student",
                                                            "last_name": f"{number:03d}"})
        assignments = copy_rows(database, "submitted_assignment", "student_id = ?", [sample], {"student_id": student})
        for old_assignment, new_assignment in assignments.items():
            notebooks = copy_rows(database, "submitted_notebook", "assignment_id = ?", [old_assignment],
                                  {"assignment_id": new_assignment})
            for old_notebook, new_notebook in notebooks.items():
                for table in ("grade", "comment"):
                    copy_rows(database, table, "notebook_id = ?", [old_notebook], {"notebook_id": new_notebook})
        database.execute("INSERT INTO nn_grade_log (assignment, student, fingerprint, status, reason, score, "
                         "max_score, manual_pending, seconds, shard, host, finished_at, result) "
                         "SELECT assignment, ?, fingerprint, status, reason, score, max_score, manual_pending, "
                         "seconds, shard, host, finished_at, result FROM nn_grade_log WHERE student = ?",
                         [student, sample])
    database.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=positive_int, default=500, help="the class's size (default: 500)")
    parser.add_argument("--repeats", type=positive_int, default=3, help="runs of the report (default: 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "source" / ASSIGNMENT, course / "source" / ASSIGNMENT)
        for sample in SAMPLES:
            shutil.copytree(ROOT / "submitted" / sample / ASSIGNMENT, course / "submitted" / sample / ASSIGNMENT)
        run(BIN / "nbgrader", "generate_assignment", ASSIGNMENT, "--force", cwd=course)
        run(BIN / "nn-grade", "grade", ASSIGNMENT, "--no-feedback", cwd=course)
        with sqlite3.connect(course / "gradebook.db") as database:
            make_class(database, args.students)
        times = []
        for _ in range(args.repeats):
            started = time.monotonic()
            out = run(BIN / "nn-grade", "report", ASSIGNMENT, cwd=course).stdout
            times.append(time.monotonic() - started)
        html = course / f"report-{ASSIGNMENT}.html"
        size = html.stat().st_size
        print(out.splitlines()[0])
    median = statistics.median(times)
    print(f"  nn-grade report, {args.students} graded students (copies of the samples), median of {args.repeats}: "
          f"{median:5.2f} s  budget {BUDGET:g} s  {'ok' if median <= BUDGET else 'MISSED'}  "
          f"(page {size / 1e6:.1f} MB)")
    sys.exit(report_targets([] if median <= BUDGET else [f"the report of {args.students} took {median:.2f} s"]))


if __name__ == "__main__":
    main()
