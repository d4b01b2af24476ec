"""The instructor in a terminal: nothing lost, nothing silent, clear errors instead of tracebacks.

One course copy with the correct sample graded once (with feedback); the tests then regrade,
misplace and mistype on it, and call the commands wrongly.
"""
import csv
import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from checks.engine.batch import in_shard
from conftest import ROOT, copy_course, generated_in, nbgrader, run_tool, tool_environment

pytestmark = [pytest.mark.nbgrader, pytest.mark.batch]
NN_GRADE = [sys.executable, "-m", "checks.engine.cli"]


def nn_grade(*args, cwd=ROOT):
    return run_tool(*NN_GRADE, *args, cwd=cwd, check=False)


def read_csv(course, name="grades-seminar1.csv"):
    with open(course / name, newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("terminal"), with_samples=False)
    shutil.copytree(ROOT / "submitted" / "sample-correct", course / "submitted" / "sample-correct")
    generated_in(course)
    first = nn_grade("grade", "seminar1", cwd=course)
    assert first.returncode == 0, first.stdout
    return course


def test_a_stopped_regrade_keeps_the_last_feedback_and_grade_and_is_retried(course):
    feedback = course / "feedback" / "sample-correct" / "seminar1" / "seminar1.html"
    autograded = course / "autograded" / "sample-correct" / "seminar1" / "seminar1.ipynb"
    before = feedback.read_bytes(), autograded.read_bytes()
    stopped = nn_grade("grade", "seminar1", "--force", "--student", "sample-correct",
                       "--student-timeout", "0.5", cwd=course)
    assert stopped.returncode == 1
    assert "will be retried on the next run; the grade of an earlier run, 100/100, stands" in stopped.stdout
    assert (feedback.read_bytes(), autograded.read_bytes()) == before  # nothing lost
    row = read_csv(course)["sample-correct"]
    assert row["status"] == "graded" and row["auto_score"] == "100" and "a regrade was stopped" in row["notes"]
    assert not (course / ".nn-grade-kept" / "seminar1" / "sample-correct").exists()

    retried = nn_grade("grade", "seminar1", cwd=course)  # no --force: the stopped one is graded again
    assert "1 to grade, 0 unchanged" in retried.stdout and retried.returncode == 0
    assert "a regrade was stopped" not in read_csv(course)["sample-correct"]["notes"]


def test_folders_that_hold_no_gradable_submission_are_named_with_the_reason(course):
    (course / "submitted" / "dave").mkdir()
    shutil.copy(ROOT / "release" / "seminar1" / "seminar1.ipynb", course / "submitted" / "dave")
    (course / "submitted" / "erin" / "Seminar1").mkdir(parents=True)
    shutil.copy(ROOT / "release" / "seminar1" / "seminar1.ipynb", course / "submitted" / "erin" / "Seminar1")
    try:
        result = nn_grade("grade", "seminar1", cwd=course)
        assert result.returncode == 1  # the instructor has something to look at
        assert "dave" in result.stdout and "seminar1.ipynb lies directly in submitted/dave/" in result.stdout
        assert "found Seminar1 in submitted/erin/: the folder must be named seminar1/ exactly" in result.stdout
        rows = read_csv(course)
        assert rows["dave"]["status"] == "not graded" and "lies directly in" in rows["dave"]["notes"]
        assert rows["erin"]["status"] == "not graded"
    finally:
        shutil.rmtree(course / "submitted" / "dave")
        shutil.rmtree(course / "submitted" / "erin")


def test_a_mistyped_student_is_an_error_and_leaves_the_grades_alone(course):
    before = (course / "grades-seminar1.csv").read_text()
    result = nn_grade("grade", "seminar1", "--student", "sample-corect", cwd=course)
    assert result.returncode == 2
    assert "no submitted/sample-corect; did you mean sample-correct?" in result.stdout
    assert (course / "grades-seminar1.csv").read_text() == before
    assert "sample-corect" not in before


def test_no_rate_is_claimed_when_nothing_was_graded(course):
    for name in ("broken-1", "broken-2"):
        (course / "submitted" / name / "seminar1").mkdir(parents=True)
        (course / "submitted" / name / "seminar1" / "seminar1.ipynb").write_text("{not json")
    try:
        result = nn_grade("grade", "seminar1", "--student", "broken-1", "--student", "broken-2", cwd=course)
        assert "2 failed" in result.stdout
        assert "per submission" not in result.stdout and "per minute" not in result.stdout
    finally:
        for name in ("broken-1", "broken-2"):
            shutil.rmtree(course / "submitted" / name)


NOTEBOOK = ROOT / "submitted" / "sample-one-bug" / "seminar1" / "seminar1.ipynb"


@pytest.mark.parametrize("args, words", [
    (["grade-file", NOTEBOOK, "--assignment", "seminar1", "--course-dir", "/nonexistent"],
     "has no source/ folder: --course-dir must be the course directory"),
    (["grade-file", NOTEBOOK, "--assignment", "seminar9"], "the course has no assignment 'seminar9'"),
    (["grade-file", ROOT / "submitted", "--assignment", "seminar1"], "is a folder: give the notebook file"),
    (["grade-file", ROOT / "no-such.ipynb", "--assignment", "seminar1"], "no such file"),
    (["grade-file", NOTEBOOK, "--assignment", "seminar1", "--course", "path/to/course"],
     "give the course directory as --course-dir path/to/course"),
    (["grade", "seminar1", "--workers", "0"], "--workers must be more than 0"),
    (["grade", "seminar1", "--workers", "-1"], "--workers must be more than 0"),
    (["grade", "seminar1", "--student-timeout", "0"], "--student-timeout must be more than 0"),
    (["grade-file", NOTEBOOK, "--assignment", "seminar1", "--cell-timeout", "-1"], "--cell-timeout must be more than 0"),
    (["grade", "seminar9"], "no source/seminar9"),
    (["grade-file", NOTEBOOK, "--assignment", "seminar2"],
     "is a notebook of seminar1, not of seminar2: none of seminar2's answer cells is in it, and seminar1's are; "
     "grade it with --assignment seminar1"),
])
def test_a_wrong_command_gets_a_clear_message_not_a_traceback(args, words):
    result = nn_grade(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert words in " ".join((result.stdout + result.stderr).split())  # as the terminal wraps it or not
    assert "Traceback" not in result.stdout + result.stderr


def test_grade_file_from_another_directory_says_where_the_course_is(tmp_path):
    result = nn_grade("grade-file", NOTEBOOK, "--assignment", "seminar1", cwd=tmp_path)
    assert result.returncode == 2 and "--course-dir must be the course directory" in result.stdout


def test_grade_file_prints_whole_failure_messages():
    out = nn_grade("grade-file", NOTEBOOK, "--assignment", "seminar1").stdout
    assert "is half the right value: the derivative" in out
    assert "of (x - y)^2 is 2 (x - y)" in out  # the rest of the message, on the next line


def test_help_names_every_option_with_its_units_and_there_is_a_version():
    for command in ("grade", "grade-file"):
        text = nn_grade(command, "--help").stdout
        assert "SECONDS" in text and "--course-dir DIR" in text
        options = [line.split()[0] for line in text.splitlines() if line.strip().startswith("--")]
        assert options and all(option != "--course" for option in options)
    version = nn_grade("--version")
    assert version.returncode == 0 and version.stdout.startswith("nn-grade ")


def test_tasks_help_runs_nothing_and_an_unknown_command_is_named():
    for args, words in ((["release", "--help"], "usage: python3 tasks.py release [ASSIGNMENT ...]"),
                        (["pipeline", "-h"], "usage: python3 tasks.py pipeline"),
                        (["help"], "python3 tasks.py bench-class")):
        result = subprocess.run([sys.executable, ROOT / "tasks.py", *args], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and words in result.stdout, result.stdout
        assert "rebuilt" not in result.stdout and "installing" not in result.stdout
    unknown = subprocess.run([sys.executable, ROOT / "tasks.py", "relase"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "unknown command 'relase'" in unknown.stderr


def test_a_run_leaves_nothing_in_the_course_but_its_outputs(course):
    assert not (course / ".nn-grade-kept").exists()  # the last good outputs are kept during a run only
    ignored = subprocess.run(["git", "check-ignore", "-q", ".nn-grade-kept/"], cwd=ROOT).returncode
    assert ignored == 0  # and a killed run's, until the next run puts them back, is not for git


def test_regrading_without_feedback_keeps_the_feedback(course):
    feedback = course / "feedback" / "sample-correct" / "seminar1" / "seminar1.html"
    before = feedback.read_bytes()
    result = nn_grade("grade", "seminar1", "--force", "--no-feedback", cwd=course)
    assert result.returncode == 0, result.stdout
    assert feedback.read_bytes() == before and not (course / ".nn-grade-kept").exists()


def test_the_grades_file_is_the_assignments_and_nbgrader_export_writes_its_own(course):
    ours = course / "grades-seminar1.csv"
    assert ours.exists() and not (course / "grades.csv").exists()
    before = ours.read_bytes()
    nbgrader("export", cwd=course)
    assert (course / "grades.csv").exists() and ours.read_bytes() == before


def test_feedback_is_released_from_the_command_line_with_the_submission_time(course):
    """The samples are submitted as nbgrader's collect leaves a submission (timestamp.txt and
    submission_secret.txt beside the notebook): the gradebook has the time, release_feedback works."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert str(gradebook.find_submission("seminar1", "sample-correct").timestamp).startswith("2025-09-15 10:00")
    released = nbgrader("release_feedback", "seminar1", cwd=course)
    assert released.returncode == 0 and "Traceback" not in released.stderr
    assert len(list((course / "exchange" / "nn-from-scratch" / "feedback").glob("*.html"))) == 1


@pytest.mark.parametrize("args, words", [
    (["--csv", "no-such-folder/grades.csv"], "--csv: no-such-folder/grades.csv: there is no folder no-such-folder"),
    (["--csv", "submitted"], "--csv: submitted is a folder: give a file, such as submitted/grades.csv"),
    (["--db", "foo://server/gradebook"], "--db: foo://server/gradebook: SQLAlchemy has no database kind 'foo'"),
    (["--db", "postgresql://"], "reads a bare postgresql:// as psycopg 3, which is not installed: write "
                                "postgresql+psycopg2://"),
    (["--db", "postgresql+psycopg2://grader@127.0.0.1:1/gradebook"],
     "--db: cannot reach the database postgresql+psycopg2://grader@127.0.0.1:1/gradebook: connection to server"),
])
def test_a_wrong_output_or_database_is_one_line_before_grading_starts(course, args, words):
    result = nn_grade("grade", "seminar1", "--force", *args, cwd=course)
    out = result.stdout + result.stderr
    assert result.returncode == 2 and words in out, out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out
    assert not list(course.glob("*.part"))  # nothing half-written left beside it


def test_output_into_a_closed_pipe_neither_stops_grading_nor_prints_a_traceback(course):
    grades = course / "grades-seminar1.csv"
    grades.unlink()
    command = " ".join([*NN_GRADE, "grade", "seminar1", "--force", "--no-feedback"])
    result = subprocess.run(["bash", "-c", f"set -o pipefail; {command} | head -1"], cwd=course,
                            env=tool_environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.startswith("grading seminar1"), result.stdout + result.stderr
    assert result.stderr == ""
    assert read_csv(course)["sample-correct"]["status"] == "graded"  # graded to the end


def test_ctrl_c_three_times_ends_with_the_grades_saved_and_nothing_lost(course):
    """Interrupted while regrading sample-correct (the second of three): the interruptions after the
    first wait for the run to save what it has and put back what it was regrading."""
    feedback = course / "feedback" / "sample-correct" / "seminar1"
    before = (feedback / "seminar1.html").read_bytes()
    for extra in ("aaa-extra", "zzz-extra"):
        shutil.copytree(ROOT / "submitted" / "sample-one-bug", course / "submitted" / extra)
    try:
        command = subprocess.Popen([*NN_GRADE, "grade", "seminar1", "--force", "--workers", "1"], cwd=course,
                                   env=tool_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        lines = []
        for line in command.stdout:
            lines.append(line)
            if line.lstrip().startswith("["):
                for _ in range(3):
                    command.send_signal(signal.SIGINT)
                break
        lines += command.stdout.readlines()
        out = "".join(lines)
        assert command.wait(60) == 130, out
        assert "Traceback" not in out and "KeyboardInterrupt" not in out, out
        assert "run the same command again" in out
        assert (feedback / "seminar1.html").read_bytes() == before
        assert not (course / ".nn-grade-kept").exists()
    finally:
        for extra in ("aaa-extra", "zzz-extra"):
            shutil.rmtree(course / "submitted" / extra, ignore_errors=True)


def test_a_shards_grades_file_has_every_verdict_so_far(course):
    """Each machine's file names the students other shards graded too, as the README says."""
    shard = "2/2" if in_shard("sample-correct", (1, 2)) else "1/2"
    result = nn_grade("grade", "seminar1", "--shard", shard, "--csv", "shard.csv", cwd=course)
    assert result.returncode == 0, result.stdout
    assert read_csv(course, "shard.csv")["sample-correct"]["status"] == "graded"


def test_a_notebook_one_folder_too_deep_or_not_a_notebook_is_named_as_such(course):
    deep = course / "submitted" / "deep" / "seminar1" / "seminar1"
    deep.mkdir(parents=True)
    shutil.copy(NOTEBOOK, deep)
    (course / "submitted" / "cells" / "seminar1").mkdir(parents=True)
    (course / "submitted" / "cells" / "seminar1" / "seminar1.ipynb").write_text(json.dumps({"cells": 5}))
    try:
        result = nn_grade("grade", "seminar1", "--student", "deep", "--student", "cells", "--no-feedback", cwd=course)
        assert "seminar1.ipynb is in submitted/deep/seminar1/seminar1/, a folder too deep: nbgrader reads " \
               "submitted/deep/seminar1/seminar1.ipynb" in result.stdout, result.stdout
        assert "seminar1.ipynb is unreadable: it is not a version 4 notebook" in result.stdout
        assert "TypeError" not in result.stdout
    finally:
        shutil.rmtree(course / "submitted" / "deep")
        shutil.rmtree(course / "submitted" / "cells")


def test_the_advice_for_an_assignment_missing_from_the_gradebook_works_as_printed(tmp_path):
    """Pasted into a shell without .venv/bin on PATH; the committed release stays (a failed
    generate_assignment would have deleted it)."""
    course = copy_course(tmp_path, with_samples=False)
    shutil.copytree(ROOT / "release" / "seminar1", course / "release" / "seminar1")
    advice = nn_grade("grade", "seminar1", cwd=course)
    assert advice.returncode == 2 and "`" in advice.stdout, advice.stdout
    command = advice.stdout.split("`")[1]
    pasted = subprocess.run(["bash", "-c", command], cwd=course, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")})
    assert pasted.returncode == 0, pasted.stdout + pasted.stderr
    assert (course / "release" / "seminar1" / "seminar1.ipynb").exists()
    again = nn_grade("grade", "seminar1", cwd=course)
    assert again.returncode == 0 and "grading seminar1: 0 submissions" in again.stdout, again.stdout


@pytest.mark.parametrize("command, words", [
    ([sys.executable, ROOT / "tools" / "sync_course.py", "nosuch"], "error: no assignment nosuch: the course has"),
    ([sys.executable, ROOT / "tools" / "make_samples.py", "nosuch"], "error: no assignment nosuch: the course has"),
    ([sys.executable, ROOT / "tools" / "grade_table.py", "nosuch"], "error: no assignment nosuch in"),
    ([sys.executable, ROOT / "tasks.py", "pipeline", "nosuch"], "error: no assignment nosuch: the course has"),
    ([sys.executable, ROOT / "tasks.py", "bench", "--repeats", "0"], "argument --repeats: at least 1, not 0"),
    ([sys.executable, ROOT / "tasks.py", "bench-class", "--students", "0"], "argument --students: at least 1, not 0"),
])
def test_a_tool_given_a_wrong_argument_says_so_in_a_line_and_exits_2(command, words):
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=600)
    assert result.returncode == 2 and words in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_benchmark_names_the_targets_it_missed_and_says_so_in_its_exit_status(capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    from targets import report_targets
    assert report_targets([]) == 0 and capsys.readouterr().out == "every target met\n"
    missed = ["sandbox overhead per submission: 0.75 s against a budget of 0.5 s"]
    assert report_targets(missed) == 1
    assert capsys.readouterr().out == f"MISSED 1 target(s): {missed[0]}\n"
