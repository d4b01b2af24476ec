"""Grading integrity: crafted submissions, autograded by real nbgrader in one parallel batch.

Each crafted student is correct except for one attack or accident; the test asserts
the exact score of every test cell (only the cells of the part under attack may lose
points) and what the grading report says. The course copy uses a 4 s cell limit to
keep the hangs short.
"""
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

import hostile
from conftest import ROOT, copy_course, generated_in, nbgrader, run_tool
from test_end_to_end import POINTS

pytestmark = pytest.mark.nbgrader
CELL_TIMEOUT, SUBMISSION_TIMEOUT = 4, 40


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("hostile"), with_samples=False)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.GradeInSandbox.cell_timeout = {CELL_TIMEOUT}\n"
                     f"c.GradeInSandbox.submission_timeout = {SUBMISSION_TIMEOUT}\n"
                     f"c.Execute.timeout = {CELL_TIMEOUT}  # for a comparison with NN_GRADING=plain\n")
    generated_in(course)
    paths = {"secrets": [ROOT / "checks" / "seminar1.py", ROOT / "solutions" / "seminar1" / "layers.py",
                         course / "gradebook.db", course / "source" / "seminar1" / "seminar1.ipynb",
                         course / "submitted" / "warns" / "seminar1" / "seminar1.ipynb"]}
    expected = {}
    for student, make in hostile.CRAFTED.items():
        notebook, zero = make(paths)
        hostile.write(course, student, notebook)
        expected[student] = {cell: 0 if cell in zero else points for cell, points in POINTS.items()}
    # The class is graded the way instructors grade it, by nn-grade grade: nbgrader's
    # autograde in three workers at once, so a hostile student also runs beside others (and the
    # hangs' waits overlap).
    # The nbgrader CLI's own batch is tested below and in test_end_to_end.py.
    result = run_tool(sys.executable, "-m", "checks.engine.cli", "grade", "seminar1", "--workers", "3",
                      "--no-feedback", cwd=course, check=False)
    return {"dir": course, "expected": expected, "autograde": result}


def scores(course, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission("seminar1", student)
        return {grade.name: grade.auto_score for notebook in submission.notebooks
                for grade in notebook.grades if grade.cell.cell_type == "code"}


def autograded(course, student):
    return nbformat.read(course / "autograded" / student / "seminar1" / "seminar1.ipynb", as_version=4)


def report(course, student):
    return autograded(course, student).cells[0].source


def outputs_text(course, student):
    return "\n".join(str(output) for cell in autograded(course, student).cells
                     for output in cell.get("outputs", []))


def test_batch_finishes_cleanly(course):
    result = course["autograde"]
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]  # nobody failed


@pytest.mark.parametrize("student", list(hostile.CRAFTED))
def test_only_the_attacked_part_loses_points(course, student):
    assert scores(course["dir"], student) == course["expected"][student]


@pytest.mark.parametrize("student, words", [
    ("hang-loop", "did not finish"), ("hang-ignoring-sigint", "did not finish"),
    ("sleeps", "did not finish"), ("os-exit", "exit code 3"), ("segfault", "SIGSEGV"),
])
def test_hangs_and_crashes_are_explained(course, student, words):
    assert words in outputs_text(course["dir"], student)


def test_broken_answer_cells_are_reported(course):
    assert "`mse_loss`" in report(course["dir"], "dies-while-loading")
    assert "did not finish running" in report(course["dir"], "hangs-while-loading")
    assert "SystemExit: bye" in outputs_text(course["dir"], "sys-exit")


def test_borrowing_the_reference_is_explained(course):
    text = report(course["dir"], "borrows-reference")
    assert "`linear` imports `solutions`" in text and "`sigmoid` imports `solutions`" in text
    assert "cannot be imported while grading" in outputs_text(course["dir"], "borrows-reference")
    assert "imports `checks`" in report(course["dir"], "patches-grader")


def test_tampering_is_reported(course):
    text = report(course["dir"], "tampers-correct")
    for words in ("`linear_forward` was edited", "`linear_backward` was edited",
                  "`sigmoid_hidden` was deleted", "`nll_loss_values` carries tags",
                  "`mse_loss_values` had its grading metadata changed", "Cells were moved",
                  "Answer cell `train` is missing", "the cell that defines `train` was graded"):
        assert words in text, words
    text = report(course["dir"], "tampers-wrong")
    assert "`mse_loss_values` was edited" in text and "`mse_loss_hidden` carries tags" in text


def test_student_code_cannot_read_the_tests(course):
    assert "FOUND" not in outputs_text(course["dir"], "reads-tests")


def test_feedback_never_shows_hidden_test_code(course):
    nbgrader("generate_feedback", "seminar1", "--force", "--student", "tampers-wrong", cwd=course["dir"])
    html = (course["dir"] / "feedback" / "tampers-wrong" / "seminar1" / "seminar1.html").read_text()
    assert "returned by MSELoss.backward) is 2 times the right value" in html  # the message is there
    for secret in ("BEGIN HIDDEN TESTS", "checks.seminar1", 'grade(&quot;', "numerical_gradient("):
        assert secret not in html, secret


def test_resources_are_reported(course):
    assert re.search(r"printed [\d,]{11,} characters", report(course["dir"], "floods-output"))
    assert "MemoryError" in report(course["dir"], "allocates")
    assert "process(es) running; they were stopped" in report(course["dir"], "spawns")


def test_no_process_is_left_behind(course):
    assert course["autograde"].returncode == 0
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    for leftover in ("sleep 4242", "sleep 4243", "worker.py"):
        assert leftover not in listing, leftover


def test_time_per_submission_is_bounded(course, tmp_path):
    """A notebook whose every answer hangs stops at the submission limit plus one cell."""
    nb = hostile.correct()
    for grade_id, cls, method in [("linear", "Linear", "__init__"), ("sigmoid", "Sigmoid", "forward"),
                                  ("nll_loss", "NLLLoss", "forward"), ("mse_loss", "MSELoss", "forward"),
                                  ("neural_network", "NeuralNetwork", "__init__")]:
        hostile.override(nb, grade_id, cls, method, "(self, *args):\n    while True:\n        pass")
    hostile.append(nb, "check_gradient", "def check_gradient(*args):\n    while True:\n        pass")
    hostile.append(nb, "train", "def train(*args):\n    while True:\n        pass")
    hostile.write(course["dir"], "hangs-everywhere", nb)
    # A limit of its own, well under the module's: the hangs would take 7 answers x their test cells x
    # CELL_TIMEOUT, so a submission limit is what stops them; this one must, as the bound is under
    # SUBMISSION_TIMEOUT.
    limit = 2 * CELL_TIMEOUT
    started = time.monotonic()
    nbgrader("autograde", "seminar1", "--force", "--student", "hangs-everywhere",
             f"--GradeInSandbox.submission_timeout={limit}", cwd=course["dir"])
    elapsed = time.monotonic() - started
    assert elapsed < limit + CELL_TIMEOUT + 25 < SUBMISSION_TIMEOUT, elapsed
    assert set(scores(course["dir"], "hangs-everywhere").values()) == {0}


def test_broken_files_are_reported_by_name(course):
    course_dir = course["dir"]
    for student, content in (("corrupt", "{not json"), ("empty", "")):
        path = course_dir / "submitted" / student / "seminar1" / "seminar1.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(content)
    renamed = course_dir / "submitted" / "renamed" / "seminar1"
    renamed.mkdir(parents=True)
    shutil.copy(hostile.CORRECT, renamed / "my_seminar.ipynb")
    nbgrader("db", "student", "add", "missing", cwd=course_dir)
    hostile.write(course_dir, "honest", hostile.correct())
    for student in ("corrupt", "empty", "renamed", "honest"):
        nbgrader("autograde", "seminar1", "--student", student, cwd=course_dir, check=False)
    table = run_tool("python", ROOT / "tools" / "grade_table.py", "seminar1", "--course-dir", course_dir).stdout
    assert "corrupt: seminar1.ipynb is unreadable" in table
    assert "empty: seminar1.ipynb is empty" in table
    assert "renamed: no seminar1.ipynb (found: my_seminar.ipynb)" in table
    assert "missing: no submission" in table
    assert set(scores(course_dir, "honest").values()) != {0}
    assert sum(scores(course_dir, "honest").values()) == 100
