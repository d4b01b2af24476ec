"""The course files: the notebook's cells, release/, data.npz and the samples stay consistent."""
import re
import shutil
import sys

import nbformat
import pytest

from checks.seminar1 import HIDDEN_CHECKS
from conftest import ROOT, copy_course, nbgrader

sys.path.insert(0, str(ROOT / "tools"))
import make_data  # noqa: E402
import make_samples  # noqa: E402
import sync_solutions  # noqa: E402

pytestmark = pytest.mark.course
SOURCE = ROOT / "source" / "seminar1" / "seminar1.ipynb"
RELEASE = ROOT / "release" / "seminar1" / "seminar1.ipynb"
ANSWERS = list(sync_solutions.solutions.ANSWER_CELLS)
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)


def graded_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [(cell, cell.metadata["nbgrader"]) for cell in notebook.cells
            if "nbgrader" in cell.metadata]


def test_answer_cells_are_the_reference_solutions():
    notebook = nbformat.read(SOURCE, as_version=4)
    missing, extra, changed = sync_solutions.differences(notebook)
    assert (missing, extra, changed) == ([], [], []), "run tools/sync_solutions.py"


def test_answer_cells_follow_the_contract():
    answers = {meta["grade_id"]: cell for cell, meta in graded_cells(SOURCE)
               if meta.get("solution") and not meta.get("grade")}
    assert list(answers) == ANSWERS  # the public grade_ids, in order
    for grade_id, cell in answers.items():
        defined = re.findall(r"^(?:class|def) (\w+)", cell.source, re.MULTILINE)
        assert defined == [sync_solutions.solutions.ANSWER_CELLS[grade_id].__name__], grade_id


def test_test_cells_name_their_answer_and_points_add_up():
    tests = [(cell, meta) for cell, meta in graded_cells(SOURCE)
             if meta.get("grade") and not meta.get("solution")]
    manual = [meta for _, meta in graded_cells(SOURCE) if meta.get("grade") and meta.get("solution")]
    assert sum(meta["points"] for _, meta in tests) == 100
    assert {meta["grade_id"]: meta["points"] for meta in manual} == {"lr_discussion": 5, "mse_discussion": 5}
    hidden_ids = []
    for cell, meta in tests:
        grade_id = meta["grade_id"]
        assert meta["locked"], grade_id
        assert any(grade_id.startswith(answer + "_") for answer in ANSWERS), grade_id
        hidden = HIDDEN.search(cell.source)
        if hidden:
            hidden_ids.append(grade_id)
            assert f'grade("{grade_id}",' in hidden.group(1), f"{grade_id} must run its own check"
    assert sorted(hidden_ids) == sorted(HIDDEN_CHECKS)
    for answer in ANSWERS:
        own = [(cell, meta) for cell, meta in tests if meta["grade_id"].startswith(answer + "_")]
        assert any(HIDDEN.search(cell.source) for cell, _ in own), f"{answer} has no hidden test"
        assert any(not HIDDEN.search(cell.source) for cell, _ in own), f"{answer} has no visible test"


def test_visible_tests_need_only_numpy():
    for cell, meta in graded_cells(SOURCE):
        if meta.get("grade") and not meta.get("solution"):
            visible = HIDDEN.sub("", cell.source)
            assert "checks" not in visible and "solutions" not in visible, meta["grade_id"]


def test_release_has_no_solutions_and_no_hidden_tests():
    text = RELEASE.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "checks.", "import solutions"):
        assert marker not in text, marker
    release_cells = {meta["grade_id"]: cell for cell, meta in graded_cells(RELEASE)}
    for cell, meta in graded_cells(SOURCE):
        released = release_cells[meta["grade_id"]].source
        for region in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
            for line in region.splitlines():
                if len(line.strip()) > 6:
                    assert line not in released, f"{meta['grade_id']} leaks: {line.strip()}"
        if meta.get("solution") and cell.cell_type == "code":
            assert "raise NotImplementedError()" in released


def test_data_file_is_what_the_generator_makes():
    assert make_data.file_matches_generator(ROOT / "source" / "seminar1" / "data.npz")
    assert make_data.file_matches_generator(ROOT / "release" / "seminar1" / "data.npz")


def test_sample_submissions_are_current():
    for student, notebook in make_samples.samples().items():
        assert make_samples.path_of(student).read_text() == nbformat.writes(notebook) + "\n", student


@pytest.mark.nbgrader
def test_release_is_current(tmp_path):
    copy_course(tmp_path, with_samples=False)
    nbgrader("generate_assignment", "seminar1", "--force", cwd=tmp_path)
    for name in ("seminar1.ipynb", "data.npz"):
        fresh = (tmp_path / "release" / "seminar1" / name).read_bytes()
        assert fresh == (ROOT / "release" / "seminar1" / name).read_bytes(), (
            f"release/seminar1/{name} is stale: run `python3 tasks.py release`")
    assert sorted(p.name for p in (ROOT / "release" / "seminar1").iterdir()) == ["data.npz", "seminar1.ipynb"]


@pytest.mark.nbgrader
def test_instructor_notebook_validates(tmp_path):
    # validate exits 0 even when tests fail (nbgrader #1908): read what it says.
    shutil.copytree(ROOT / "source" / "seminar1", tmp_path / "seminar1")
    result = nbgrader("validate", tmp_path / "seminar1" / "seminar1.ipynb", cwd=tmp_path)
    assert "Success! Your notebook passes all the tests." in result.stdout, result.stdout[-3000:]
