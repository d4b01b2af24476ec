"""Validate predicts the grade: `nbgrader validate`, run as a student runs it (in a folder of their
own, without the course's nbgrader_config.py), says "Success" exactly when grading gives every
visible test its points. Checked with real nbgrader on the samples and on crafted notebooks.
"""
import json
import shutil
import sys

import nbformat
import pytest

import hostile
from conftest import ROOT, nbgrader, run_tool

pytestmark = pytest.mark.nbgrader
SUCCESS = "Success! Your notebook passes all the tests."
HELPER_NLL = '''class NLLLoss:
    """Uses log_softmax, defined in a cell of its own above."""

    def forward(self, X, y):
        self.y = y
        self.log_p = log_softmax(X)
        return float(-np.mean(self.log_p[np.arange(len(y)), y]))

    def backward(self):
        gradient = np.exp(self.log_p)
        gradient[np.arange(len(self.y)), self.y] -= 1
        return gradient / len(self.y)
'''
HELPER_CELL = '''def log_softmax(X):
    shifted = X - X.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

print("a helper cell, with output of its own")
'''
SEED_SIGMOID = '''class Sigmoid:
    def forward(self, X):
        self.Y = 1 / (1 + np.exp(-X))
        return self.Y

    def backward(self, dLdy):
        return dLdy * self.Y * (1 - self.Y)

    def step(self, learning_rate):
        pass
'''


def with_helper_cell():
    """NLLLoss calls a helper from its own cell; Sigmoid is the seed's 1 / (1 + exp(-X))."""
    nb = hostile.correct()
    hostile.cell(nb, "nll_loss").source = HELPER_NLL
    hostile.cell(nb, "sigmoid").source = SEED_SIGMOID
    nb.cells.insert(nb.cells.index(hostile.cell(nb, "nll_loss")), nbformat.v4.new_code_cell(HELPER_CELL))
    return nb


def with_unsolved_part():
    nb = hostile.correct()
    hostile.cell(nb, "mse_loss").source = "class MSELoss:\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    return nb


def with_wrong_answer():
    nb = hostile.correct()
    cell = hostile.cell(nb, "linear")
    cell.source = cell.source.replace("return dLdy @ self.W.T", "return dLdy @ self.W")
    return nb


CRAFTED = {"helper-cell": with_helper_cell, "unsolved-part": with_unsolved_part, "wrong-answer": with_wrong_answer}
SAMPLES = ["sample-correct", "sample-untouched", "sample-one-bug"]


def notebook_of(name):
    """A sample as it was submitted, whole; a crafted notebook without the later experiments (its
    change is in an answer, and the samples already validate the experiments)."""
    if name in CRAFTED:
        return hostile.without_the_later_experiments(CRAFTED[name]())
    return nbformat.read(ROOT / "submitted" / name / "seminar1" / "seminar1.ipynb", as_version=4)


def visible_tests():
    nb = nbformat.read(ROOT / "source" / "seminar1" / "seminar1.ipynb", as_version=4)
    return {cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells
            if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"
            and "BEGIN HIDDEN TESTS" not in cell.source}


def run_as_a_student(name, folder):
    """Validate in a student's own folder (the notebook and data.npz, no course configuration),
    then grade the same notebook."""
    path = folder / "seminar1.ipynb"
    nbformat.write(notebook_of(name), path)
    shutil.copy(ROOT / "release" / "seminar1" / "data.npz", folder)
    validated = nbgrader("validate", path, cwd=folder).stdout
    graded = json.loads(run_tool(sys.executable, "-m", "checks.engine.cli", "grade-file", path,
                                 "--assignment", "seminar1", "--course-dir", ROOT, "--json").stdout)
    return {"validate": validated, "grade": graded}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every notebook validated and graded, three at a time (validate runs the whole notebook, and a
    third run takes up the time the suite's other process spends waiting)."""
    from concurrent.futures import ThreadPoolExecutor
    names = SAMPLES + list(CRAFTED)
    folders = [tmp_path_factory.mktemp(name) for name in names]
    with ThreadPoolExecutor(3) as pool:
        return dict(zip(names, pool.map(run_as_a_student, names, folders)))


EXPECTED_VERDICT = {"sample-correct": True, "helper-cell": True, "sample-untouched": False,
                    "sample-one-bug": False, "unsolved-part": False, "wrong-answer": False}


@pytest.mark.parametrize("name", SAMPLES + list(CRAFTED))
def test_validate_succeeds_exactly_when_every_visible_test_gets_its_points(name, runs):
    run = runs[name]
    cells = run["grade"]["cells"]
    visible_lost = sorted(cell for cell in visible_tests() if not cells[cell]["passed"])
    succeeded = SUCCESS in run["validate"]
    assert succeeded == (not visible_lost), (visible_lost, run["validate"][-2000:])
    assert succeeded == EXPECTED_VERDICT[name], run["validate"][-2000:]  # the case the notebook means


def test_a_helper_in_its_own_cell_and_a_warning_cost_nothing(runs):
    graded = runs["helper-cell"]["grade"]
    assert graded["total"] == 100, {c: d["message"] for c, d in graded["cells"].items() if not d["passed"]}
    report = " ".join(graded["report"])
    assert "`log_softmax` from your cell after `sigmoid_stability_hidden`" in report
