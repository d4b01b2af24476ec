"""The course files: each assignment's notebook cells, release/, data and samples stay consistent."""
import re
import shutil
import sys

import nbformat
import pytest

from conftest import ROOT, nbgrader

sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
import make_data  # noqa: E402
import make_samples  # noqa: E402
import sync_course  # noqa: E402

pytestmark = pytest.mark.course
ASSIGNMENTS = course.assignments()
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.DOTALL)
SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)
# Autograded points of every assignment, and the written answers graded by hand.
AUTOGRADED_POINTS = 100
WRITTEN = {seminar: course.facts_of(seminar).WRITTEN for seminar in course.seminars()}


def graded_cells(path):
    notebook = nbformat.read(path, as_version=4)
    return [(cell, cell.metadata["nbgrader"]) for cell in notebook.cells
            if "nbgrader" in cell.metadata]


def test_the_course_has_its_seminars():
    assert ASSIGNMENTS[:1] == ["seminar1"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generated_cells_match_their_sources(assignment):
    notebook = nbformat.read(course.source_notebook(assignment), as_version=4)
    assert sync_course.differences(notebook, assignment) == ([], []), "run tools/sync_course.py"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_cells_follow_the_contract(assignment):
    answers = {meta["grade_id"]: cell for cell, meta in graded_cells(course.source_notebook(assignment))
               if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code"}
    reference = course.solutions_of(assignment).ANSWER_CELLS
    assert list(answers) == list(reference)  # the public grade_ids, in order
    for grade_id, cell in answers.items():
        defined = re.findall(r"^(?:class|def) (\w+)", cell.source, re.MULTILINE)
        assert defined == [reference[grade_id].__name__], grade_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_test_cells_name_their_answer_and_points_add_up(assignment):
    cells = graded_cells(course.source_notebook(assignment))
    answer_ids = list(course.solutions_of(assignment).ANSWER_CELLS)
    tests = [(cell, meta) for cell, meta in cells if meta.get("grade") and not meta.get("solution")]
    manual = [meta for _, meta in cells if meta.get("grade") and meta.get("solution")]
    assert sum(meta["points"] for _, meta in tests) == AUTOGRADED_POINTS
    assert {meta["grade_id"]: meta["points"] for meta in manual} == WRITTEN[course.base_of(assignment)]
    hidden_ids = []
    for cell, meta in tests:
        grade_id = meta["grade_id"]
        assert meta["locked"], grade_id
        assert any(grade_id.startswith(answer + "_") for answer in answer_ids), grade_id
        if HIDDEN.search(cell.source):
            hidden_ids.append(grade_id)
    assert sorted(hidden_ids) == sorted(course.checks_of(assignment).hidden.checks)
    for answer in answer_ids:
        own = [(cell, meta) for cell, meta in tests if meta["grade_id"].startswith(answer + "_")]
        assert any(HIDDEN.search(cell.source) for cell, _ in own), f"{answer} has no hidden test"
        assert any(not HIDDEN.search(cell.source) for cell, _ in own), f"{answer} has no visible test"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_tests_need_only_numpy(assignment):
    for cell, meta in graded_cells(course.source_notebook(assignment)):
        if meta.get("grade") and not meta.get("solution"):
            visible = HIDDEN.sub("", cell.source)
            assert "checks" not in visible and "solutions" not in visible, meta["grade_id"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_and_no_hidden_tests(assignment):
    release = course.release_notebook(assignment)
    text = release.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "checks.", "import solutions"):
        assert marker not in text, marker
    release_cells = {meta["grade_id"]: cell for cell, meta in graded_cells(release)}
    for cell, meta in graded_cells(course.source_notebook(assignment)):
        released = release_cells[meta["grade_id"]].source
        for region in SOLUTION.findall(cell.source) + HIDDEN.findall(cell.source):
            for line in region.splitlines():
                if len(line.strip()) > 6:
                    assert line not in released, f"{meta['grade_id']} leaks: {line.strip()}"
        if meta.get("solution") and cell.cell_type == "code":
            # Every stub names its task (checks/engine/release.py): no bare NotImplementedError.
            assert 'raise NotImplementedError("' in released and "NotImplementedError()" not in released, \
                meta["grade_id"]


@pytest.mark.parametrize("assignment", sorted(make_data.GENERATED))
def test_data_files_are_what_the_generators_make(assignment):
    for name, generate in make_data.GENERATED[assignment].items():
        for folder in ("source", "release"):
            assert make_data.file_matches(ROOT / folder / assignment / name, generate()), f"{folder}/{name}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_sample_submissions_are_current(assignment):
    for student, notebook in make_samples.samples(assignment).items():
        assert make_samples.path_of(student, assignment).read_text() == make_samples.text_of(notebook), student


def with_python_version_of(fresh, committed):
    """A freshly generated release notebook with the Python version of the committed one: the release
    carries the version of the kernel that generated it (checks/engine/release.py), and a machine
    with another Python 3.11.x makes a release that differs in nothing else."""
    fresh_nb, committed_nb = nbformat.reads(fresh.decode(), as_version=4), nbformat.reads(committed.decode(), as_version=4)
    version = committed_nb.metadata.get("language_info", {}).get("version")
    if version is None or "language_info" not in fresh_nb.metadata:
        return fresh
    fresh_nb.metadata.language_info.version = version
    return (nbformat.writes(fresh_nb) + "\n").encode()


@pytest.mark.nbgrader
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_current(generated_course, assignment):
    released = sorted(p.name for p in (ROOT / "release" / assignment).iterdir())
    assert released == sorted(p.name for p in (ROOT / "source" / assignment).iterdir())
    for name in released:
        fresh = (generated_course / "release" / assignment / name).read_bytes()
        committed = (ROOT / "release" / assignment / name).read_bytes()
        if name.endswith(".ipynb"):
            fresh = with_python_version_of(fresh, committed)
        assert fresh == committed, f"release/{assignment}/{name} is stale: run `python3 tasks.py release {assignment}`"


def test_a_release_made_with_another_python_is_current_all_the_same():
    committed = (ROOT / "release" / "seminar1" / "seminar1.ipynb").read_bytes()
    other = nbformat.reads(committed.decode(), as_version=4)
    other.metadata.language_info.version = "3.11.0"
    assert with_python_version_of((nbformat.writes(other) + "\n").encode(), committed) == committed
    other.cells[0].source += " "
    assert with_python_version_of((nbformat.writes(other) + "\n").encode(), committed) != committed


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    """Each instructor notebook through `nbgrader validate`, three at a time (each runs a whole notebook,
    and a third run takes up the time the suite's other process spends waiting)."""
    from concurrent.futures import ThreadPoolExecutor

    def validate(assignment):
        folder = tmp_path_factory.mktemp(assignment)
        shutil.copytree(ROOT / "source" / assignment, folder / assignment)
        return nbgrader("validate", folder / assignment / f"{assignment}.ipynb", cwd=folder).stdout

    with ThreadPoolExecutor(3) as pool:
        return dict(zip(ASSIGNMENTS, pool.map(validate, ASSIGNMENTS)))


@pytest.mark.nbgrader
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_instructor_notebook_validates(validated, assignment):
    # validate exits 0 even when tests fail (nbgrader #1908): read what it says.
    assert "Success! Your notebook passes all the tests." in validated[assignment], validated[assignment][-3000:]


def test_a_stub_names_its_method_and_part():
    from checks.engine.release import named_stubs
    source = ("class Linear:\n    def forward(self, X):\n        # YOUR CODE HERE\n        raise NotImplementedError()\n\n"
              "    def backward(self, dLdy):\n        raise NotImplementedError()\n\n\n"
              "def train(network):\n    raise NotImplementedError()")
    named = named_stubs(source, "Part 2")
    assert 'raise NotImplementedError("Linear.forward (Part 2) is not written yet")' in named
    assert 'raise NotImplementedError("Linear.backward (Part 2) is not written yet")' in named
    assert 'raise NotImplementedError("train (Part 2) is not written yet")' in named
    assert named.count("\n") == source.count("\n")


def test_the_class_benchmark_can_still_build_its_class(tmp_path):
    """bench-class is not run by the suite (it takes minutes): its class of submissions is."""
    import benchmark_class
    benchmark_class.write_submissions(tmp_path, 12)
    notebooks = sorted(tmp_path.glob("submitted/*/seminar1/seminar1.ipynb"))
    assert len(notebooks) == 12 and all(nbformat.read(path, as_version=4).cells for path in notebooks)
