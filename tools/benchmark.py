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
  budget 0.5 s per submission;
- `nn-grade grade-file` on the correct sample of each seminar, on a quiet machine and beside two
  CPU-burning processes: a busy machine slows grading, and must not slow it by much more than
  it slows the checks' own work;
- what each test cell costs through the sandbox against the same cell in-process, with the
  reference answers: at most 2x for every cell whose own work is measurable (10 ms or more).
Each figure is the median of N runs (default 3), measured in this one process. The last line
names every target missed, and the exit status is 1 when one was (0 when all were met).
"""
import argparse
import contextlib
import io
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

sys.path.insert(0, str(ROOT / "tools"))
import course as course_files  # noqa: E402
from checks.seminar1 import grade, hidden  # noqa: E402
from targets import busy_machine, positive_int, report_targets  # noqa: E402

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
    from checks.engine.course import Course
    from checks.engine.grader import SubmissionGrader
    from checks.engine.student_code import StudentCode
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


def grade_file_of(assignment):
    """`nn-grade grade-file` on one seminar's correct sample."""
    def grade_file():
        path = ROOT / "submitted" / "sample-correct" / assignment / f"{assignment}.ipynb"
        result = subprocess.run([str(BIN / "nn-grade"), "grade-file", str(path), "--assignment", assignment,
                                 "--course-dir", str(ROOT)], capture_output=True, text=True)
        assert result.returncode == 0 and "total: 100/100" in result.stdout, result.stdout[-2000:]
    return grade_file


def cell_costs(assignment, repeats):
    """{test cell: (median seconds in-process, median seconds through the sandbox)} for the correct
    sample: in-process, the cell's code with the reference answers (as the notebook runs it); through
    the sandbox, the grader's own timing of the cell (the answers' loading excluded in both)."""
    from checks.engine.course import Course
    from checks.engine.grader import SubmissionGrader
    from checks.engine.student_code import StudentCode
    from checks.engine.sandbox import Sandbox, grader_package_dirs
    notebook = nbformat.read(course_files.source_notebook(assignment), as_version=4)
    course = Course.from_notebook(notebook)
    answers = {obj.__name__: obj for obj in course_files.solutions_of(assignment).ANSWER_CELLS.values()}
    setup = {"__name__": "__main__"}
    with contextlib.redirect_stdout(io.StringIO()):
        for _, source in course.setup:
            exec(source, setup)
    in_process = {test.grade_id: [] for test in course.tests}
    for _ in range(repeats):
        for test in course.tests:
            namespace = dict(setup, **answers)
            code = compile(test.source, f"<test cell {test.grade_id}>", "exec")
            with contextlib.redirect_stdout(io.StringIO()):
                in_process[test.grade_id].append(timed(lambda: exec(code, namespace)))
    submission = nbformat.read(ROOT / "submitted" / "sample-correct" / assignment / f"{assignment}.ipynb",
                               as_version=4)
    code = StudentCode.from_notebook(submission, course)
    sandbox = Sandbox(hidden=[str(ROOT)] + grader_package_dirs())
    sandboxed = {test.grade_id: [] for test in course.tests}
    for _ in range(repeats):
        for grade_id, result in SubmissionGrader(course, code, sandbox).grade().items():
            assert result.passed, f"{assignment}: the correct sample failed {grade_id}"
            sandboxed[grade_id].append(result.seconds)
    return {grade_id: (statistics.median(in_process[grade_id]), statistics.median(sandboxed[grade_id]))
            for grade_id in in_process}


def print_cell_costs(assignment, costs, measurable=0.010, limit=2.0):
    """The seminar's totals, every measurable cell's ratio (worst first), and the small cells in one line."""
    total_here, total_sandbox = (sum(cost[k] for cost in costs.values()) for k in (0, 1))
    print(f"  {assignment}: {len(costs)} test cells, in-process {total_here:.3f} s, through the sandbox "
          f"{total_sandbox:.3f} s ({total_sandbox / total_here:.2f}x)")
    large = {cell: cost for cell, cost in costs.items() if cost[0] >= measurable}
    for cell, (here, there) in sorted(large.items(), key=lambda item: -item[1][1] / item[1][0]):
        verdict = "ok" if there <= limit * here else "OVER"
        print(f"    {cell:38s} {here * 1000:7.1f} ms -> {there * 1000:7.1f} ms  {there / here:5.2f}x  "
              f"(at most {limit:g}x)  {verdict}")
    small = {cell: cost for cell, cost in costs.items() if cost[0] < measurable}
    if small:
        print(f"    {len(small)} cells under {measurable * 1000:g} ms in-process: "
              f"{sum(c[0] for c in small.values()) * 1000:.1f} ms in all -> "
              f"{sum(c[1] for c in small.values()) * 1000:.1f} ms through the sandbox")
    return [cell for cell, (here, there) in large.items() if there > limit * here]


def median(function, repeats):
    times = [timed(function) for _ in range(repeats)]
    return statistics.median(times), times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=positive_int, default=3, help="runs per figure (at least 1)")
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
            *[(f"run-all, solved {seminar} notebook",
               median(lambda seminar=seminar: run_all_instructor_notebook(seminar), args.repeats),
               float(course_files.facts_of(seminar).RUN_ALL_BUDGET)) for seminar in course_files.seminars()],
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
    for assignment in course_files.seminars():
        quiet = median(grade_file_of(assignment), args.repeats)
        with busy_machine():
            busy = median(grade_file_of(assignment), args.repeats)
        rows += [(f"nn-grade grade-file, {assignment}, quiet machine", quiet, None),
                 (f"nn-grade grade-file, {assignment}, 2 CPU burners", busy, None)]
    print(f"benchmark: median of {args.repeats} runs on {os.cpu_count()} cores")
    missed = []
    for name, (value, times), budget in rows:
        within = "" if budget is None else f"  budget {budget:>4g} s  {'ok' if value < budget else 'OVER'}"
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"  {name:50s} {value:6.2f} s{within}   (runs: {runs})")
        if budget is not None and value >= budget:
            missed.append(f"{name}: {value:.2f} s against a budget of {budget:g} s")
    print(f"what a test cell costs through the sandbox against in-process (median of {max(args.repeats, 5)} runs):")
    for assignment in course_files.seminars():
        over = print_cell_costs(assignment, cell_costs(assignment, max(args.repeats, 5)))
        missed += [f"{assignment} {cell}: more than 2x its in-process time through the sandbox" for cell in over]
    sys.exit(report_targets(missed))


if __name__ == "__main__":
    main()
