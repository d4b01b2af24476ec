"""The instructor in a terminal: nothing lost, nothing silent, clear errors instead of tracebacks.

One course copy with the correct sample graded once (with feedback); the tests then regrade,
misplace and mistype on it, and call the commands wrongly.
"""
import csv
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, copy_course, nbgrader, run_tool

pytestmark = [pytest.mark.nbgrader, pytest.mark.batch]
NN_GRADE = [sys.executable, "-m", "checks.engine.cli"]


def nn_grade(*args, cwd=ROOT):
    return run_tool(*NN_GRADE, *args, cwd=cwd, check=False)


def read_csv(course):
    with open(course / "grades.csv", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("terminal"), with_samples=False)
    shutil.copytree(ROOT / "submitted" / "sample-correct", course / "submitted" / "sample-correct")
    nbgrader("generate_assignment", "seminar1", "--force", cwd=course)
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
    before = (course / "grades.csv").read_text()
    result = nn_grade("grade", "seminar1", "--student", "sample-corect", cwd=course)
    assert result.returncode == 2
    assert "no submitted/sample-corect; did you mean sample-correct?" in result.stdout
    assert (course / "grades.csv").read_text() == before
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
])
def test_a_wrong_command_gets_a_clear_message_not_a_traceback(args, words):
    result = nn_grade(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert words in result.stdout + result.stderr
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
