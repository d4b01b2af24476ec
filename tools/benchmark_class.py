"""Benchmark of grading a whole class: serial `nbgrader autograde` against `nn-grade grade`.

    python3 tasks.py bench-class [--students 40] [--repeats 1] [--feedback] [--no-plain]

In a temporary copy of the course it generates N submissions (a mix of correct,
buggy and untouched notebooks, made from the samples), then times, in this one run
and in turn:
- stock `nbgrader autograde seminar1 --force`, as any nbgrader course runs it: nbgrader's own
  Execute over the whole notebook (NN_GRADING=plain), serial; what a user would pick instead;
- `nbgrader autograde seminar1 --force`: nbgrader's serial batch, with the course's
  configuration (the sandboxed grader of checks/engine/autograde.py);
- `nn-grade grade seminar1 --force --no-feedback` with 1 worker and with 2 workers;
- with --feedback also `nbgrader autograde` + `nbgrader generate_feedback` against
  `nn-grade grade` with feedback and 2 workers.
It prints seconds per submission and submissions per minute (medians over the
repeats, each repeat running every command once, in turn), the speed-up over
nbgrader, and the overhead per submission beyond executing the notebook: the
command's seconds per submission minus the median time that executing one notebook
takes (the student's answer cells and the course's tests, in the sandbox, measured
in-process here). It checks that every command gives every submission the same score
in every test cell as serial nbgrader, and exits 1 if not. Last, the floor: the hidden
checks' own work for one submission (every hidden check of the reference answers,
in-process, no sandbox), measured in the same run, and how far nn-grade is from it. The last
line names every target missed (at most 4x the floor; stock nbgrader at least 8x slower; the
same scores), and the exit status is 1 when one was (0 when all were met).
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
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
PLAIN = "stock nbgrader autograde (NN_GRADING=plain)"
sys.path.insert(0, str(ROOT / "tools"))
from targets import positive_int, report_targets  # noqa: E402

# A bug is one textual change of the correct sample's answers: (label, old, new).
BUGS = [
    ("linear-bias-rows", "self.dLdb = dLdy.sum(axis=0)", "self.dLdb = dLdy.sum(axis=1)"),
    ("sigmoid-no-chain", "return dLdy * self.Y * (1 - self.Y)", "return self.Y * (1 - self.Y)"),
    ("nll-not-averaged", "return dLdX / n_samples", "return dLdX"),
]


def class_mix(count):
    """[(student, kind)]: 40% correct, 10% untouched, the rest spread over the bugs."""
    kinds = ["correct"] * round(count * 0.4) + ["untouched"] * round(count * 0.1)
    buggy = ["one-bug"] + [label for label, _, _ in BUGS]
    kinds += [buggy[i % len(buggy)] for i in range(count - len(kinds))]
    return [(f"student-{i:03d}-{kind}", kind) for i, kind in enumerate(kinds)]


def write_submissions(course, count):
    samples = ROOT / "submitted"
    correct = (samples / "sample-correct" / "seminar1" / "seminar1.ipynb").read_text()
    for student, kind in class_mix(count):
        folder = course / "submitted" / student / "seminar1"
        folder.mkdir(parents=True)
        if kind in ("correct", "untouched", "one-bug"):
            text = (samples / f"sample-{kind}" / "seminar1" / "seminar1.ipynb").read_text()
        else:
            _, old, new = next(bug for bug in BUGS if bug[0] == kind)
            assert old in correct, f"the bug {kind} no longer applies to the correct sample"
            text = correct.replace(old, new)
        (folder / "seminar1.ipynb").write_text(text)


def environment():
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}


def timed_command(course, *command):
    started = time.perf_counter()
    result = subprocess.run([str(part) for part in command], cwd=course, env=environment(),
                            capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: nbgrader or nn-grade found a failure to report
        sys.exit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout[-2000:]}"
                 f"{result.stderr[-2000:]}")
    return seconds


def cell_scores(course):
    """student -> {test cell: score}, from the gradebook."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {submission.student.id: {grade.name: grade.auto_score
                                        for notebook in submission.notebooks for grade in notebook.grades
                                        if grade.cell.cell_type == "code"}
                for submission in gradebook.find_assignment("seminar1").submissions}


def notebook_execution_seconds(course, students):
    """Median time to execute one notebook as grading does it: answers and tests, sandboxed."""
    from checks.engine.course import Course
    from checks.engine.grader import SubmissionGrader
    from checks.engine.student_code import StudentCode
    from checks.engine.sandbox import Sandbox, grader_package_dirs

    source = Course.from_notebook(nbformat.read(course / "source" / "seminar1" / "seminar1.ipynb",
                                                as_version=4))
    times = []
    for student in students:
        notebook = nbformat.read(course / "submitted" / student / "seminar1" / "seminar1.ipynb", as_version=4)
        code = StudentCode.from_notebook(notebook, source)
        sandbox = Sandbox(hidden=[str(course)] + grader_package_dirs())
        started = time.perf_counter()
        SubmissionGrader(source, code, sandbox).grade()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def hidden_checks_seconds(repeats=5):
    """Median time of the hidden checks' own work for one submission, in-process."""
    import solutions.seminar1 as reference
    from checks.seminar1 import grade, hidden

    def once():
        started = time.perf_counter()
        for grade_id, check in hidden.checks.items():
            grade(grade_id, *[getattr(reference, name) for name in check.answers])
        return time.perf_counter() - started
    return statistics.median(once() for _ in range(repeats))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=positive_int, default=40, help="submissions to grade (at least 1)")
    parser.add_argument("--repeats", type=positive_int, default=1, help="runs of each command (at least 1)")
    parser.add_argument("--feedback", action="store_true", help="also time grading with feedback")
    parser.add_argument("--no-plain", action="store_true",
                        help="leave out stock nbgrader (it runs every notebook whole: minutes)")
    args = parser.parse_args()
    nbgrader, nn_grade = BIN / "nbgrader", BIN / "nn-grade"
    commands = {} if args.no_plain else {
        PLAIN: ["env", "NN_GRADING=plain", nbgrader, "autograde", "seminar1", "--force", "--log-level=ERROR"]}
    commands |= {
        "nbgrader autograde (serial)": [nbgrader, "autograde", "seminar1", "--force", "--log-level=ERROR"],
        "nn-grade grade, 1 worker": [nn_grade, "grade", "seminar1", "--force", "--no-feedback",
                                     "--workers", "1"],
        "nn-grade grade, 2 workers": [nn_grade, "grade", "seminar1", "--force", "--no-feedback",
                                      "--workers", "2"],
    }
    if args.feedback:
        commands["nbgrader autograde + generate_feedback"] = [
            "sh", "-c", f"{nbgrader} autograde seminar1 --force --log-level=ERROR; "
                        f"{nbgrader} generate_feedback seminar1 --force --log-level=ERROR"]
        commands["nn-grade grade + feedback, 2 workers"] = [nn_grade, "grade", "seminar1", "--force",
                                                           "--workers", "2"]
    baseline = "nbgrader autograde (serial)"

    with tempfile.TemporaryDirectory() as directory:
        course = Path(directory)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "source", course / "source")
        write_submissions(course, args.students)
        subprocess.run([str(nbgrader), "generate_assignment", "seminar1", "--force", "--log-level=ERROR"],
                       cwd=course, env=environment(), check=True, capture_output=True)
        seconds = {name: [] for name in commands}
        scores, mismatches = {}, []
        for repeat in range(args.repeats):
            for name, command in commands.items():
                print(f"  repeat {repeat + 1}/{args.repeats}: {name} ...", flush=True)
                seconds[name].append(timed_command(course, *command))
                got = cell_scores(course)
                if len(got) != args.students:
                    mismatches.append(f"{name}: {len(got)} of {args.students} submissions graded")
                if name == PLAIN:  # compared below: stock nbgrader grades warnings and stderr its own way
                    scores[PLAIN] = got
                    continue
                scores.setdefault(baseline, got)
                if got != scores[baseline]:
                    differ = sorted(s for s in scores[baseline] if got.get(s) != scores[baseline][s])
                    mismatches.append(f"{name}: scores differ from nbgrader for {', '.join(differ)}")
        execution = notebook_execution_seconds(course, [s for s, _ in class_mix(args.students)][::4])
        floor = hidden_checks_seconds()

    n = args.students
    print(f"\n{n} submissions ({', '.join(sorted({kind for _, kind in class_mix(n)}))}), "
          f"{os.cpu_count()} cores, median of {args.repeats} run(s) of each command")
    print(f"  {'command':42s} {'s/submission':>12s} {'per minute':>10s} {'speed-up':>9s} {'overhead':>9s}")
    base = statistics.median(seconds[baseline]) / n
    for name, times in seconds.items():
        per = statistics.median(times) / n
        reference = base if "feedback" not in name else \
            statistics.median(seconds["nbgrader autograde + generate_feedback"]) / n
        # Overhead is a serial figure: with 2 workers, notebooks overlap.
        overhead = "-" if "2 workers" in name else f"{per - execution:.2f}s"
        print(f"  {name:42s} {per:12.2f} {60 / per:10.1f} {reference / per:8.2f}x {overhead:>9s}"
              f"   (runs: {', '.join(f'{t:.1f}' for t in times)} s)")
    print(f"  executing one notebook in the sandbox (answers and tests), median: {execution:.2f} s;"
          " overhead = s/submission minus this")
    one_worker = statistics.median(seconds["nn-grade grade, 1 worker"]) / n
    missed = []
    print(f"  the hidden checks' own work for one submission (in-process), median: {floor:.2f} s; "
          f"nn-grade grade with 1 worker takes {one_worker / floor:.1f}x that (target: at most 4x)")
    if one_worker / floor > 4:
        missed.append(f"nn-grade grade with 1 worker takes {one_worker / floor:.1f}x the floor (at most 4x)")
    if PLAIN in seconds:
        plain = statistics.median(seconds[PLAIN]) / n
        print(f"  stock nbgrader takes {plain / one_worker:.1f}x nn-grade grade with 1 worker per submission "
              f"(target: at least 8x)")
        if plain / one_worker < 8:
            missed.append(f"stock nbgrader takes only {plain / one_worker:.1f}x nn-grade grade (at least 8x)")
        differ = sorted(s for s in scores[baseline] if scores[PLAIN].get(s) != scores[baseline][s])
        print("  stock nbgrader's scores: " + (
            "identical" if not differ else f"differ for {len(differ)} submissions ({', '.join(differ[:4])} ...)"))
    print("  scores: " + ("identical to serial nbgrader for every submission and test cell" if not mismatches
                          else "DIFFERENT: " + "; ".join(mismatches)))
    if mismatches:
        missed.append("the same scores as serial nbgrader")
    sys.exit(report_targets(missed))


if __name__ == "__main__":
    main()
