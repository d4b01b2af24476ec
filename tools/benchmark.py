"""Benchmark of seminar 1: prints the figures behind the course's time budgets.

    python3 tasks.py bench [--repeats N]

- run-all of the solved instructor notebook (kernel start included), budget 20 s; of seminar 2's
  (its experiments train 32 small networks on the digits), budget 30 s;
- `nbgrader autograde` of one solved submission through the CLI, budget 15 s;
- the hidden tests' own work on a correct answer, in-process, budget 3 s;
- `nn-grade grade-file` on the correct sample, end to end (what a learning platform calls for
  instant feedback), budget 1.5 s;
- grading one correct submission (the course's sandboxed grader, no nbgrader) with the
  full sandbox and with plain processes: their difference is the sandbox's overhead,
  budget 0.5 s per submission.
Each figure is the median of N runs (default 3), measured in this one process.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import solutions.seminar1 as solutions  # noqa: E402
from checks.seminar1 import grade, hidden  # noqa: E402

BIN = Path(sys.executable).parent


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run_all_instructor_notebook(assignment="seminar1"):
    folder = ROOT / "source" / assignment
    notebook = nbformat.read(folder / f"{assignment}.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    errors = [cell for cell in notebook.cells if cell.cell_type == "code"
              and any(output.output_type == "error" for output in cell.outputs)]
    assert not errors, "the solved notebook raised an error"


def bare_kernel_start():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()


def autograde_one(course):
    result = subprocess.run(
        [str(BIN / "nbgrader"), "autograde", "seminar1", "--student", "sample-correct", "--force",
         "--log-level=ERROR"], cwd=course, capture_output=True, text=True,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"})
    assert result.returncode == 0, result.stderr[-2000:]


def hidden_checks():
    for grade_id, check in hidden.checks.items():
        grade(grade_id, *[getattr(solutions, name) for name in check.answers])


def grade_submission(isolated):
    from checks.engine.grading import Course, StudentCode, SubmissionGrader
    from checks.engine.sandbox import Sandbox
    course = Course.from_notebook(nbformat.read(ROOT / "source" / "seminar1" / "seminar1.ipynb", as_version=4))
    submission = nbformat.read(ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb",
                               as_version=4)
    code = StudentCode.from_notebook(submission, course)
    sandbox = Sandbox(hidden=[str(ROOT)], use_bwrap=isolated, use_cgroups=isolated)
    results = SubmissionGrader(course, code, sandbox).grade()
    assert all(result.passed for result in results.values()), "the correct sample lost points"


def grade_file_command():
    """`nn-grade grade-file` on the correct sample, end to end: the command's start included."""
    result = subprocess.run(
        [str(BIN / "nn-grade"), "grade-file", str(ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb"),
         "--assignment", "seminar1", "--course-dir", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0 and "total: 100/100" in result.stdout, result.stdout[-2000:]


def median(function, repeats):
    times = [timed(function) for _ in range(repeats)]
    return statistics.median(times), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.setdefault("MPLBACKEND", "Agg")

    with tempfile.TemporaryDirectory() as directory:
        course = Path(directory)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "source", course / "source")
        shutil.copytree(ROOT / "submitted" / "sample-correct", course / "submitted" / "sample-correct")
        subprocess.run([str(BIN / "nbgrader"), "generate_assignment", "seminar1", "--force",
                        "--log-level=ERROR"], cwd=course, check=True)
        rows = [
            ("kernel start (nbclient, one trivial cell)", median(bare_kernel_start, args.repeats), None),
            ("run-all, solved instructor notebook", median(run_all_instructor_notebook, args.repeats), 20.0),
            ("run-all, solved seminar 2 notebook",
             median(lambda: run_all_instructor_notebook("seminar2"), args.repeats), 30.0),
            ("autograde CLI, one solved submission", median(lambda: autograde_one(course), args.repeats), 15.0),
            ("hidden tests' own work (in-process)", median(hidden_checks, max(args.repeats, 5)), 3.0),
            ("nn-grade grade-file, one solved notebook", median(grade_file_command, max(args.repeats, 5)), 1.5),
        ]
        sandboxed = median(lambda: grade_submission(True), max(args.repeats, 5))
        plain = median(lambda: grade_submission(False), max(args.repeats, 5))
        rows += [("grading one submission, full sandbox", sandboxed, None),
                 ("grading one submission, plain processes", plain, None)]
        overhead = (sandboxed[0] - plain[0], [a - b for a, b in zip(sandboxed[1], plain[1])])
        rows.append(("sandbox overhead per submission", overhead, 0.5))
    print(f"seminar 1 benchmark: median of {args.repeats} runs on {os.cpu_count()} cores")
    for name, (value, times), budget in rows:
        within = "" if budget is None else f"  budget {budget:>4g} s  {'ok' if value < budget else 'OVER'}"
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {name:44s} {value:6.2f} s{within}   (runs: {runs})")


if __name__ == "__main__":
    main()
