"""What grading loads of a submission: the answer cells, and the definitions they use from the
student's other cells, as in the notebook; never the rest of those cells."""
import nbformat

from checks.engine.course import Course
from checks.engine.student_code import StudentCode

COURSE_NOTEBOOK = [
    ("code", "setup", "import numpy as np", {"locked": True}),
    ("code", "loss", "class Loss:\n    pass", {"solution": True}),
    ("code", "loss_values", "assert Loss", {"grade": True, "locked": True, "points": 1}),
    ("code", "train", "def train():\n    pass", {"solution": True}),
    ("code", "train_history", "assert train", {"grade": True, "locked": True, "points": 1}),
]
COURSE = Course.from_cells([(kind, grade_id, source, dict(flags, grade_id=grade_id))
                            for kind, grade_id, source, flags in COURSE_NOTEBOOK])


def submission(answers, *others):
    """A notebook with the course's cells (answers replaced) and the student's own cells, each
    `others` entry (after grade_id, source) inserted below that cell."""
    nb = nbformat.v4.new_notebook()
    for kind, grade_id, source, flags in COURSE_NOTEBOOK:
        cell = nbformat.v4.new_code_cell(answers.get(grade_id, source))
        cell.metadata["nbgrader"] = dict(flags, grade_id=grade_id)
        nb.cells.append(cell)
        nb.cells += [nbformat.v4.new_code_cell(text) for after, text in others if after == grade_id]
    return nb


def loaded(nb):
    code = StudentCode.from_notebook(nb, COURSE)
    return [(cell.label, cell.source, cell.names) for cell in code.cells if not cell.answer], code.notes


def test_a_helper_an_import_and_a_constant_are_taken_the_rest_of_the_cell_is_not():
    nb = submission({"loss": "class Loss:\n    def forward(self, X):\n        return sp.logsumexp(X) * SCALE + shift(X)"},
                    ("loss", "import scipy.special as sp\nSCALE = 2 * np.log(3)\n\ndef shift(X):\n    return X - OFFSET\n"
                             "OFFSET = float(1)\nlosses = train()\nplt.plot(losses)\nunused = 5"))
    helpers, notes = loaded(nb)
    [(label, source, names)] = helpers
    assert label == "helper:loss" and names == ["sp", "SCALE", "shift", "OFFSET"]
    assert "train()" not in source and "plt" not in source and "unused" not in source
    assert source.count("\n") == nb.cells[2].source.count("\n")  # line numbers kept
    assert "`sp`, `SCALE`, `shift`, `OFFSET` from your cell after `loss`" in notes[0]


def test_nothing_is_taken_when_answers_use_nothing_from_other_cells():
    nb = submission({}, ("train_history", "def make_network():\n    return 1\nlosses = train()"))
    assert loaded(nb) == ([], [])


def test_an_answers_own_name_and_its_local_variables_are_never_taken_from_elsewhere():
    nb = submission({"train": "def train(X):\n    losses = [X]\n    return Loss, losses"},
                    ("train_history", "class Loss:\n    broken = True\nlosses = [1, 2]\nX = np.ones(3)"))
    assert loaded(nb) == ([], [])


def test_a_call_of_the_students_code_is_not_a_constant():
    nb = submission({"train": "def train():\n    return HISTORY, A"},
                    ("loss", "HISTORY = train()\nA = 1; train()\nB = np.zeros(3)"))
    assert loaded(nb) == ([], [])


def test_definitions_are_loaded_in_notebook_order_with_the_answers():
    nb = submission({"train": "def train():\n    return helper()"},
                    ("setup", "def helper():\n    return 1"), ("train_history", "def helper():\n    return 2"))
    code = StudentCode.from_notebook(nb, COURSE)
    assert [cell.label for cell in code.cells] == [
        "helper:setup", "answer:loss", "answer:train", "helper:train_history"]
