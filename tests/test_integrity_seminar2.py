"""Grading integrity holds for seminar 2 as for seminar 1: crafted submissions built from seminar 2's
correct sample, graded together by `nn-grade grade` in one parallel batch with real nbgrader.

Each attacks one answer; every test cell of the other answers keeps its points, the attacked
one loses exactly its cells, and the grader's own files are byte-identical afterwards.
"""
import hashlib
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from conftest import ROOT, copy_course, nbgrader, run_tool
from test_end_to_end import CONTRACT

pytestmark = [pytest.mark.nbgrader, pytest.mark.batch]
POINTS = CONTRACT["seminar2"]
CORRECT = ROOT / "submitted" / "sample-correct" / "seminar2" / "seminar2.ipynb"
RELU = [cell for cell in POINTS if cell.startswith("relu_")]
TANH = [cell for cell in POINTS if cell.startswith("tanh_")]
ELU = [cell for cell in POINTS if cell.startswith("elu_")]
FIT_CONVERGES = ["fit_converges"]  # trains the student's ReLU, batches and fit together


def with_appended(grade_id, code):
    nb = nbformat.read(CORRECT, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source += "\n\n" + code.strip("\n")
    return nb


# student -> (notebook, the cells that must score 0)
CRAFTED = {
    "relu-hangs": (with_appended("relu", """
def _forever(self, dLdy):
    while True:
        pass
ReLU.backward = _forever"""), ["relu_backward", "relu_backward_hidden"] + FIT_CONVERGES),
    "tanh-exits": (with_appended("tanh", """
import os
def _exit(self, X):
    os._exit(3)
Tanh.forward = _exit"""), TANH),
    "elu-patches-numpy": (with_appended("elu", """
import numpy
numpy.allclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
def _wrong(self, dLdy):
    return 2 * dLdy
ELU.backward = _wrong"""), ["elu_backward", "elu_backward_hidden"]),
    "relu-borrows": (with_appended("relu", """
from solutions.seminar2 import ReLU"""), RELU + FIT_CONVERGES),
    "writes-grader-files": (with_appended("tanh", f"""
for _path in {[str(ROOT / 'checks' / 'seminar2.py'), str(ROOT / 'solutions' / 'seminar2' / 'activations.py')]!r}:
    try:
        with open(_path, "a") as _file:
            _file.write("# changed by a student")
    except OSError:
        pass"""), []),
}


def fingerprint():
    paths = sorted((ROOT / "checks").rglob("*.py")) + sorted((ROOT / "solutions").rglob("*.py"))
    return {str(path): hashlib.sha256(path.read_bytes()).hexdigest() for path in paths}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("seminar2-integrity"), with_samples=False)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.GradeInSandbox.cell_timeout = 8\n")  # a hang costs 8 s; a slow machine keeps its margin
    nbgrader("generate_assignment", "seminar2", "--force", cwd=course)
    for student, (notebook, _) in [("honest", (nbformat.read(CORRECT, as_version=4), []))] + list(CRAFTED.items()):
        path = course / "submitted" / student / "seminar2" / "seminar2.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
        for data in (ROOT / "release" / "seminar2").glob("*.npz"):
            (path.parent / data.name).write_bytes(data.read_bytes())
    before = fingerprint()
    result = run_tool(sys.executable, "-m", "checks.engine.cli", "grade", "seminar2", "--workers", "2",
                      "--no-feedback", cwd=course, check=False)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {submission.student.id: {grade.name: grade.auto_score for notebook in submission.notebooks
                                          for grade in notebook.grades if grade.cell.cell_type == "code"}
                  for submission in gradebook.find_assignment("seminar2").submissions}
    autograded = {student: nbformat.read(course / "autograded" / student / "seminar2" / "seminar2.ipynb",
                                         as_version=4) for student in scores}
    reports = {student: nb.cells[0].source for student, nb in autograded.items()}
    outputs = {student: "\n".join(str(output) for cell in nb.cells for output in cell.get("outputs", []))
               for student, nb in autograded.items()}
    return {"result": result, "scores": scores, "reports": reports, "outputs": outputs, "before": before,
            "after": fingerprint()}


def test_the_batch_grades_everyone(graded):
    assert graded["result"].returncode == 0, graded["result"].stdout[-3000:]
    assert graded["scores"]["honest"] == POINTS


@pytest.mark.parametrize("student", list(CRAFTED))
def test_only_the_attacked_part_loses_points(graded, student):
    lost = CRAFTED[student][1]
    assert graded["scores"][student] == {cell: 0 if cell in lost else points for cell, points in POINTS.items()}


def test_the_feedback_says_what_happened(graded):
    assert "imports `solutions`" in graded["reports"]["relu-borrows"]
    assert "did not finish" in graded["outputs"]["relu-hangs"]
    assert "exit code 3" in graded["outputs"]["tanh-exits"]


def test_the_graders_files_are_unchanged(graded):
    assert graded["after"] == graded["before"]
