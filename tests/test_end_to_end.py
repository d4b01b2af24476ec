"""The whole nbgrader pipeline, for real, on the sample submissions in a copy of the course."""
import csv
import sys

import pytest
from nbgrader.api import Gradebook

from conftest import ROOT, nbgrader, nbgrader_steps, run_tool

sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
import make_samples  # noqa: E402

pytestmark = pytest.mark.nbgrader

# Every autograded test cell of each assignment, with its points: the public grading contract, one
# per seminar in its facts (solutions/<seminar>/course.py).
CONTRACT = {seminar: course.facts_of(seminar).POINTS for seminar in course.seminars()}
# An edition in another language is graded by the same cells, worth the same points.
CONTRACT.update({edition: CONTRACT[base] for base in list(CONTRACT) for edition in course.editions_of(base)})
ASSIGNMENTS = sorted(CONTRACT)


def expected_scores(assignment):
    """student -> {test cell: points}: the correct sample gets everything, the untouched
    one nothing, and the one-bug sample loses exactly the cells its seminar's facts say its bug
    costs (BUG_LOSES), all of them cells of its buggy answer."""
    points = CONTRACT[assignment]
    expected = {"sample-correct": dict(points), "sample-untouched": {cell: 0 for cell in points}}
    answer, loses = make_samples.bug(assignment)[0], course.facts_of(assignment).BUG_LOSES
    assert loses and all(cell in points and cell.startswith(answer + "_") for cell in loses), loses
    expected[make_samples.BUGGY_STUDENT] = {cell: 0 if cell in loses else value for cell, value in points.items()}
    return expected


POINTS, EXPECTED = CONTRACT["seminar1"], expected_scores("seminar1")  # the engine tests' course


@pytest.fixture(scope="module")
def graded_course(generated_course):
    nbgrader_steps(generated_course, "autograde", ASSIGNMENTS)
    return generated_course


@pytest.fixture(scope="module")
def fed_back_course(graded_course):
    """The graded course with every assignment's feedback generated."""
    nbgrader_steps(graded_course, "generate_feedback", ASSIGNMENTS)
    return graded_course


def scores(course_dir, assignment):
    """student -> {test cell grade_id: autograded score}."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        result = {}
        for student in expected_scores(assignment):
            submission = gradebook.find_submission(assignment, student)
            result[student] = {grade.name: grade.auto_score
                               for notebook in submission.notebooks for grade in notebook.grades
                               if grade.cell.cell_type == "code"}
        return result


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_points_sum_to_100(assignment):
    assert sum(CONTRACT[assignment].values()) == 100


def test_every_assignment_has_a_contract():
    assert ASSIGNMENTS == course.assignments()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exact_scores_per_test_cell(graded_course, assignment):
    assert scores(graded_course, assignment) == expected_scores(assignment)


@pytest.fixture(scope="module")
def exported(fed_back_course):
    """Every assignment's rows of `nbgrader export` (one run exports the whole gradebook)."""
    nbgrader("export", "--to", "grades.csv", cwd=fed_back_course)
    with open(fed_back_course / "grades.csv") as file:
        return list(csv.DictReader(file))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_export_and_grade_table(fed_back_course, exported, assignment):
    graded_course = fed_back_course
    expected = expected_scores(assignment)
    for student in expected:
        assert (graded_course / "feedback" / student / assignment / f"{assignment}.html").exists()
    rows = {row["student_id"]: row for row in exported if row["assignment"] == assignment}
    assert {student: float(rows[student]["raw_score"]) for student in expected} == {
        student: float(sum(cells.values())) for student, cells in expected.items()}
    table = run_tool(sys.executable, ROOT / "tools" / "grade_table.py", assignment,
                     "--course-dir", graded_course).stdout
    lines = {line.split()[0]: line.split() for line in table.splitlines()[2:] if line.strip()}
    n_written = len(make_samples.written_answers(assignment))
    assert lines["sample-correct"][-4:] == ["100", str(n_written), "to", "grade"]
    for student, cells in expected.items():
        assert lines[student][-4] == f"{sum(cells.values()):g}", student


EDITIONS = [assignment for assignment in ASSIGNMENTS if course.edition_of(assignment)[1] != "en"]


@pytest.mark.parametrize("assignment", EDITIONS)
def test_an_editions_feedback_speaks_its_language(fed_back_course, assignment):
    """The one-bug student of the Russian edition reads the failure of their buggy answer, the
    grading report and the labels in Russian; the same student's English feedback stays English."""
    import html
    import re
    from checks.i18n import speaking, t
    base, language = course.edition_of(assignment)
    student = make_samples.BUGGY_STUDENT

    def text(name):
        page = (fed_back_course / "feedback" / student / name / f"{name}.html").read_text()
        return page, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())

    page, words = text(assignment)
    assert f'<html lang="{language}">' in page
    english_page, english_words = text(base)
    for label in ("autograded points", "Test", "Your written answer", "not graded yet"):
        with speaking(language):
            translated = t(label)
        assert translated != label and translated in words and label not in words, label
        assert label in english_words
    with speaking(language):
        report = t("### Grading report").lstrip("# ")
    assert report in words and "Grading report" in english_words
    failures = re.findall(r"GradingFailure: (.{0,200})", words)
    assert failures, "the buggy answer's hidden test shows no failure"
    assert all(re.search("[а-яА-Я]{4}", failure) for failure in failures), failures
    assert all(not re.search("[а-яА-Я]", failure) for failure in re.findall(r"GradingFailure: (.{0,200})",
                                                                             english_words))


def test_grade_file_grades_with_the_courses_own_limits(tmp_path):
    """One factory builds the grader from the course's nbgrader_config.py: with a memory limit and
    a cell timeout of its own, `nn-grade grade-file` and `nbgrader autograde` give the same scores,
    and those are not the default limits' scores."""
    import json

    import hostile
    from conftest import BIN, copy_course, generated_in
    course_dir = copy_course(tmp_path, with_samples=False)
    with open(course_dir / "nbgrader_config.py", "a") as config:
        config.write("\nc.GradeInSandbox.cell_timeout = 1.5\nc.GradeInSandbox.memory_limit_mb = 400\n")
    generated_in(course_dir)
    # A Sigmoid whose first forward of the visible test's one row of three takes 2.5 s (over 1.5 s, under
    # the default 10 s; one test waits, not every test of Sigmoid), and an MSELoss whose forward holds
    # 512 MB (over 400 MB with the ~110 MB of Python and numpy, well under the default 2 GB) while it computes.
    notebook = hostile.override(hostile.correct(), "sigmoid", "Sigmoid", "forward", """(self, X):
    import time
    if X.shape == (1, 3) and not getattr(Sigmoid, "warm", False):
        Sigmoid.warm = True
        time.sleep(2.5)
    exp_neg_abs = np.exp(-np.abs(X))
    self.Y = np.where(X >= 0, 1 / (1 + exp_neg_abs), exp_neg_abs / (1 + exp_neg_abs))
    return self.Y""")
    hostile.override(notebook, "mse_loss", "MSELoss", "forward", """(self, X, Y):
    held = np.ones(2**29 // 8)
    self.diff = X - Y
    return float(np.sum(self.diff ** 2) / len(X)) + 0 * held[0]""")
    path = hostile.write(course_dir, "limits", notebook)
    nbgrader("autograde", "seminar1", "--force", cwd=course_dir)
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        autograded = {grade.name: grade.auto_score for nb in gradebook.find_submission("seminar1", "limits").notebooks
                      for grade in nb.grades if grade.cell.cell_type == "code"}

    def grade_file(course):
        result = run_tool(BIN / "nn-grade", "grade-file", path, "--assignment", "seminar1", "--course-dir", course,
                          "--json")
        cells = json.loads(result.stdout)["cells"]
        return {grade_id: cell["points"] for grade_id, cell in cells.items()}, \
            {grade_id: cell.get("message") for grade_id, cell in cells.items()}

    def differences(points, messages, expected):
        """What a failure shows: each cell graded otherwise, with its message."""
        return {grade_id: (points.get(grade_id), expected[grade_id], messages.get(grade_id))
                for grade_id in expected if points.get(grade_id) != expected[grade_id]}

    points, messages = grade_file(course_dir)
    assert points == autograded, differences(points, messages, autograded)
    lost = {grade_id for grade_id, value in autograded.items() if value == 0}
    assert "sigmoid_values" in lost and {"mse_loss_values", "mse_loss_hidden"} <= lost, lost
    points, messages = grade_file(ROOT)  # the repository's own course keeps the default limits
    assert points == POINTS, differences(points, messages, POINTS)
