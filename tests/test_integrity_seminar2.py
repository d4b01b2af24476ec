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
from hostile import KILL_EVERYTHING
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


def with_cells(**appended):
    """The correct sample with code appended to several answer cells: {grade_id: code}."""
    nb = nbformat.read(CORRECT, as_version=4)
    for grade_id, code in appended.items():
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        cell.source += "\n\n" + code.strip("\n")
    return nb


ITERATE = [cell for cell in POINTS if cell.startswith("iterate_minibatches_")]
FIT_OWN = ["fit_hidden", "fit_history_hidden"]

# A ReLU that outputs zeros (so honest training cannot learn), and a fit that trains honestly and then
# swaps the network's forward for a nearest-neighbour lookup over the batches it saw.
RELU_OF_ZEROS = """
def _zeros(self, X):
    self.positive = np.zeros(np.shape(X), dtype=bool)
    return np.zeros(np.shape(X))
ReLU.forward = _zeros"""
FIT_SWAPS_FORWARD = """
_honest_fit = fit
def fit(network, loss, batches, validate, learning_rate, n_epochs):
    seen = []
    def remembering():
        epoch = batches()
        if not seen:
            seen.extend(epoch)
        return epoch
    history = _honest_fit(network, loss, remembering, validate, learning_rate, n_epochs)
    X_seen = np.concatenate([np.reshape(X, (len(X), -1)) for X, _ in seen])
    y_seen = np.concatenate([np.ravel(y) for _, y in seen])
    def nearest_neighbour(X):
        nearest = np.argmin(((X[:, None, :] - X_seen[None, :, :]) ** 2).sum(axis=2), axis=1)
        scores = np.full((len(X), 10), -10.0)
        scores[np.arange(len(X)), y_seen[nearest].astype(int) % 10] = 10.0
        return scores
    try:
        network.forward = nearest_neighbour
    except Exception:
        pass
    return history"""
# X and y shuffled with two different orders (so honest training cannot learn), and a fit that trains on
# the validation set, from the digits file or from the objects it is handed.
ITERATE_MISPAIRED = """
def iterate_minibatches(X, y, batch_size, rng):
    order, other = rng.permutation(len(X)), rng.permutation(len(X))
    return [(X[order[k:k + batch_size]], y[other[k:k + batch_size]]) for k in range(0, len(X), batch_size)]"""
FIT_ON_OTHER_DATA = """
_honest_fit = fit
def fit(network, loss, batches, validate, learning_rate, n_epochs):
    X_val = y_val = None
    for place in ("digits.npz", "../digits.npz", "release/seminar2/digits.npz"):
        try:
            with np.load(place) as data:
                X_val, y_val = data["X_val"], data["y_val"]
            break
        except Exception:
            pass
    if X_val is None:
        found = getattr(batches, "__globals__", {})
        X_val, y_val = found.get("X_val"), found.get("y_val")
    if X_val is None:
        return _honest_fit(network, loss, batches, validate, learning_rate, n_epochs)
    history = {"train_loss": [], "val_accuracy": []}
    for _ in range(n_epochs):
        batches()
        for start in range(0, len(X_val), 32):
            history_loss = loss.forward(network.forward(X_val[start:start + 32]), y_val[start:start + 32])
            network.backward(loss.backward())
            network.step(learning_rate)
        history["train_loss"].append(float(history_loss))
        history["val_accuracy"].append(float(validate()))
    return history"""
# A fit that first calls the network with the wrong shapes and swallows what comes back, the check's
# verdict included, then trains honestly.
FIT_SWALLOWS_VERDICT = """
_honest_fit = fit
def fit(network, loss, batches, validate, learning_rate, n_epochs):
    try:
        network.forward(np.zeros((2, 7)))
    except BaseException:
        pass
    return _honest_fit(network, loss, batches, validate, learning_rate, n_epochs)"""

# student -> (notebook, the cells that must score 0)
CRAFTED = {
    "relu-kills-everything": (with_appended("relu", KILL_EVERYTHING), []),
    "fit-swaps-forward": (with_cells(relu=RELU_OF_ZEROS, fit=FIT_SWAPS_FORWARD), RELU + FIT_CONVERGES),
    "fit-trains-on-other-data": (with_cells(iterate_minibatches=ITERATE_MISPAIRED, fit=FIT_ON_OTHER_DATA),
                                 ["iterate_minibatches_epoch", "iterate_minibatches_hidden"] + FIT_CONVERGES),
    "fit-swallows-verdict": (with_cells(fit=FIT_SWALLOWS_VERDICT), FIT_OWN),
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
    result = run_tool(sys.executable, "-m", "checks.engine.cli", "grade", "seminar2", "--workers", "3",
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
    assert "fit must train the network it is given, on those batches only" in graded["outputs"]["fit-trains-on-other-data"]
    assert "did not converge" in graded["outputs"]["fit-swaps-forward"]
    assert "fit called network.forward with arguments of shapes ((2, 7))" in graded["outputs"]["fit-swallows-verdict"]
    assert "raised GradingFailure" not in graded["outputs"]["fit-swallows-verdict"]


def test_a_timeout_is_named_in_the_report(graded):
    """ReLU.backward loops: every test it stops is a timeout, named in the report for the student."""
    assert "Stopped for time (8 s a test): `relu_backward`, `relu_backward_hidden`, `fit_converges`" \
        in graded["reports"]["relu-hangs"]


def test_the_graders_files_are_unchanged(graded):
    assert graded["after"] == graded["before"]
