"""The whole nbgrader pipeline, for real, on the sample submissions in a copy of the course."""
import csv
import sys

import pytest
from nbgrader.api import Gradebook

from conftest import ROOT, copy_course, nbgrader, run_tool

pytestmark = pytest.mark.nbgrader

POINTS = {  # every autograded test cell, with its points: the public grading contract
    "check_gradient_square": 3, "check_gradient_hidden": 7,
    "linear_forward": 3, "linear_backward": 3, "linear_step": 2, "linear_init_hidden": 3,
    "linear_forward_hidden": 3, "linear_backward_hidden": 6, "linear_step_hidden": 3,
    "sigmoid_values": 3, "sigmoid_hidden": 4, "sigmoid_stability_hidden": 3,
    "nll_loss_values": 4, "nll_loss_forward_hidden": 4, "nll_loss_backward_hidden": 5,
    "nll_loss_stability_hidden": 4,
    "neural_network_chain": 3, "neural_network_hidden": 7,
    "train_history": 3, "train_hidden": 7, "train_converges": 10,
    "mse_loss_values": 3, "mse_loss_hidden": 7,
}
EXPECTED = {
    "sample-correct": dict(POINTS),
    "sample-untouched": {cell: 0 for cell in POINTS},
    "sample-mse-bug": {cell: (0 if cell.startswith("mse_loss_") else points)
                       for cell, points in POINTS.items()},
}


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("course"))
    nbgrader("generate_assignment", "seminar1", "--force", cwd=course)
    nbgrader("autograde", "seminar1", "--force", cwd=course)
    return course


def scores(course):
    """student -> {test cell grade_id: autograded score}."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        result = {}
        for student in EXPECTED:
            submission = gradebook.find_submission("seminar1", student)
            result[student] = {grade.name: grade.auto_score
                               for notebook in submission.notebooks for grade in notebook.grades
                               if grade.cell.cell_type == "code"}
        return result


def test_points_sum_to_100():
    assert sum(POINTS.values()) == 100


def test_exact_scores_per_test_cell(graded_course):
    assert scores(graded_course) == EXPECTED


def test_feedback_export_and_grade_table(graded_course):
    nbgrader("generate_feedback", "seminar1", "--force", cwd=graded_course)
    for student in EXPECTED:
        assert (graded_course / "feedback" / student / "seminar1" / "seminar1.html").exists()
    nbgrader("export", "--to", "grades.csv", cwd=graded_course)
    with open(graded_course / "grades.csv") as file:
        rows = {row["student_id"]: row for row in csv.DictReader(file)}
    assert {student: float(rows[student]["raw_score"]) for student in EXPECTED} == {
        "sample-correct": 100.0, "sample-untouched": 0.0, "sample-mse-bug": 90.0}
    table = run_tool(sys.executable,
                     ROOT / "tools" / "grade_table.py", "seminar1", "--course", graded_course).stdout
    lines = {line.split()[0]: line.split() for line in table.splitlines()[2:]}
    assert lines["sample-correct"][-4:] == ["100", "2", "to", "grade"]
    assert lines["sample-mse-bug"][7:9] == ["0", "90"]
