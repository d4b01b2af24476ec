"""nn-grade report: what the class got wrong, checked against the mistake catalogues.

A class made from the catalogues (tests/mistake_class.py: every mistake made by one student, the
students alternating between the English and the Russian edition), the samples (correct,
untouched, the one-bug student in both editions), hostile students (a hang, a process that
exits, SystemExit) and two submissions that cannot be graded, graded once for real by `nn-grade
grade --workers 2`. The report's table must hold exactly what running the same answers through
the checks in-process predicts: every group of failures, its students, its cells and its points,
for every seminar; each catalogue mistake's student must be in it with the catalogue's words.
"""
import csv
import json
import re
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

import mistake_class
from conftest import BIN, ROOT, copy_course, generate_assignments, run_tool
from mistake_class import InProcess, answers_of, course, mistake_students, notebook_of

from checks.engine.cli import main as nn_grade
from checks.report.failures import (EXCEPTION, MISTAKE, NOT_WRITTEN, PROCESS_ENDED, RAISED, RAISED_AT, CALL_ENDED,
                                    CALL_STOPPED, TIMEOUT, VISIBLE, Failure, classify, message_key, said_in)

SEMINARS = course.seminars()
SAMPLES = ["sample-correct", "sample-untouched", "sample-one-bug"]
# A check_gradient that hangs on a 3 x 4 array, which only the hidden test gives it: one test stopped
# for time, at the course's own cell limit (a lower one would stop slow but right answers on a busy
# machine, such as a Linear whose backward loops over samples, trained for 1000 epochs).
HANGS_ONCE = """
_check_gradient = check_gradient


def check_gradient(func, X, gradient):
    while X.shape == (3, 4):
        pass
    return _check_gradient(func, X, gradient)"""
# Hostile students of seminar 1 (tests/hostile.py, and the one above), and what the report must make of
# their cells.
HOSTILE = {
    "hangs-once": {"check_gradient_hidden": Failure(TIMEOUT, "")},
    "os-exit": {"mse_loss_values": Failure(PROCESS_ENDED, ""), "mse_loss_hidden": Failure(PROCESS_ENDED, "")},
    "sys-exit": {"check_gradient_square": Failure(EXCEPTION, "SystemExit"),
                 "check_gradient_hidden": Failure(EXCEPTION, "SystemExit")},
}


def name_the_samples(course_dir):
    """The class list's names, as `nbgrader db student import submitted/roster.csv` gives them."""
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook, \
            open(ROOT / "submitted" / "roster.csv") as roster:
        for row in csv.DictReader(roster):
            gradebook.update_or_create_student(row["id"], first_name=row["first_name"], last_name=row["last_name"])


def write(course_dir, student, assignment, notebook):
    path = course_dir / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)


def sample(student, assignment):
    return nbformat.read(ROOT / "submitted" / student / assignment / f"{assignment}.ipynb", as_version=4)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The class, graded; the reports of every seminar; what the catalogues and the checks predict."""
    import hostile
    started = time.monotonic()
    course_dir = copy_course(tmp_path_factory.mktemp("class-report"), with_samples=False)
    assignments = [a for base in SEMINARS for a in [base] + course.editions_of(base)]
    generate_assignments(course_dir, assignments)
    name_the_samples(course_dir)
    notebooks = {}   # (assignment, student) -> notebook, for the predictions
    students = {}
    for base in SEMINARS:
        for student in mistake_students(base):
            notebooks[student.assignment, student.id] = notebook_of(student)
            students[student.assignment, student.id] = student
        for edition in [base] + course.editions_of(base):
            for student in SAMPLES if edition == base else ["sample-one-bug"]:
                notebooks[edition, student] = sample(student, edition)
    for (assignment, student), notebook in notebooks.items():
        write(course_dir, student, assignment, notebook)
    for student in HOSTILE:
        made = hostile.append(hostile.correct(), "check_gradient", HANGS_ONCE) if student == "hangs-once" \
            else hostile.CRAFTED[student]({})[0]
        hostile.write(course_dir, student, made)
    write(course_dir, "corrupt", "seminar1", sample("sample-correct", "seminar1"))
    (course_dir / "submitted" / "corrupt" / "seminar1" / "seminar1.ipynb").write_text("{not json")
    (course_dir / "submitted" / "misplaced").mkdir()
    shutil.copy(ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb",
                course_dir / "submitted" / "misplaced" / "seminar1.ipynb")
    print(f"\nclass report: the class made in {time.monotonic() - started:.0f} s")

    def grade():
        return {assignment: run_tool(BIN / "nn-grade", "grade", assignment, "--workers", "2", "--no-feedback",
                                     cwd=course_dir, check=False) for assignment in assignments}
    # The predictions are made while the class is graded: the workers leave a core idle between students.
    with ThreadPoolExecutor(max_workers=1) as pool:
        grading = pool.submit(grade)
        predicted = {base: predicted_rows(notebooks, base) for base in SEMINARS}
        grading = grading.result()
    graded_at = time.monotonic()
    reports = {}
    for base in SEMINARS:
        editions = [base] + course.editions_of(base)
        output = course_dir / f"report-{base}.html"
        assert nn_grade(["report", *editions, "--course-dir", str(course_dir), "--output", str(output)]) == 0
        with open(output.with_suffix(".csv"), newline="") as handle:
            reports[base] = {"html": output.read_text(), "rows": list(csv.DictReader(handle))}
    print(f"class report: graded in {graded_at - started:.0f} s, reports in {time.monotonic() - graded_at:.1f} s")
    return {"dir": course_dir, "students": students, "reports": reports, "grading": grading, "predicted": predicted}


def predicted_rows(notebooks, base):
    """{(kind, part, id or test cell): (students, test cells, points)} as the report's CSV must hold them,
    from running each notebook's answers through the checks in-process."""
    checks, points = InProcess(base), course.facts_of(base).POINTS
    part_of = {cell: answer for answer in checks.names for cell in checks.notebook.cells_of(answer)}
    failures = {}
    for (assignment, student), notebook in notebooks.items():
        if course.base_of(assignment) == base:
            found = checks.failures(answers_of(notebook, assignment))
            failures[assignment, student] = {cell: classify(result) for cell, result in found.items()}
    if base == "seminar1":
        failures.update({("seminar1", student): cells for student, cells in HOSTILE.items()})
    rows = {}
    for (assignment, student), cells in failures.items():
        for cell, failure in cells.items():
            key = (failure.kind, part_of[cell], cell if failure.kind == VISIBLE else failure.key)
            who, where, lost = rows.setdefault(key, (set(), set(), [0]))
            who.add(f"{assignment}/{student}")
            where.add(cell)
            lost[0] += points[cell]
    return {key: (sorted(who), sorted(where), lost[0]) for key, (who, where, lost) in rows.items()}


def report_rows(graded, base):
    return {(row["kind"], row["part"], row["test_cells"] if row["kind"] == VISIBLE else row["id"]):
            (sorted(row["student_ids"].split()), sorted(row["test_cells"].split()), float(row["points_lost"]))
            for row in graded["reports"][base]["rows"]}


# ---------------------------------------------------------------- the class, graded

def slow(test):
    """The tests of the graded class: real nbgrader, a whole class graded in parallel."""
    return pytest.mark.nbgrader(pytest.mark.batch(test))


@slow
def test_the_class_is_graded(graded):
    for assignment, result in graded["grading"].items():
        # The corrupt notebook fails and the misplaced one is not graded (in any assignment); nobody else.
        counts = (r"1 failed, \d+ graded, 1 not graded, 1 timed out" if assignment == "seminar1"
                  else r"\d+ graded, 1 not graded")
        assert result.returncode == 1 and re.search(f"^{counts}$", result.stdout, re.M), result.stdout[-2000:]


@slow
@pytest.mark.parametrize("base", SEMINARS)
def test_every_failure_is_counted_as_the_checks_predict(graded, base):
    """Exact: each group (named mistake, visible test, kind of hole) with its students, its cells and the
    points it cost, across both editions."""
    predicted, reported = graded["predicted"][base], report_rows(graded, base)
    assert {key for key in reported if key not in predicted} == set()
    assert {key for key in predicted if key not in reported} == set()
    for key in predicted:
        assert reported[key] == predicted[key], key


@slow
@pytest.mark.parametrize("base", SEMINARS)
def test_each_catalogued_mistake_is_in_the_report_with_its_words(graded, base):
    """Every entry of the catalogue: its student is counted in a group of its cell, and what grading told
    the student, said again in English from its id, holds the catalogue's words."""
    from checks.engine.batch.ledger import Ledger
    rows = graded["reports"][base]["rows"]
    ledger = Ledger(f"sqlite:///{graded['dir'] / 'gradebook.db'}")
    messages = {}
    for assignment in [base] + course.editions_of(base):
        for student, verdict in ledger.verdicts(assignment).items():
            for result in json.loads(verdict.result).values():
                for cell, data in result["cells"].items():
                    messages[assignment, student, cell] = data.get("message")
    mistakes = 0
    for (assignment, student), made in graded["students"].items():
        if course.base_of(assignment) != base:
            continue
        for answer, mistake, cell, words in made.mistakes:
            mistakes += 1
            who = f"{assignment}/{student}"
            assert any(who in row["student_ids"].split() and cell in row["test_cells"].split() for row in rows), \
                (mistake, cell)
            message = messages[assignment, student, cell]
            if message.get("id") or assignment == base:  # a visible test's own words are its edition's
                english = said_in(message, "en")
                assert re.search(words, english, re.DOTALL), (mistake, english)
    assert mistakes == len(mistake_class.catalogue_of(base).MUTANTS)


@slow
def test_a_mistake_counts_with_the_same_mistake_in_the_other_edition(graded):
    row = next(row for row in graded["reports"]["seminar1"]["rows"]
               if "seminar1/sample-one-bug" in row["student_ids"].split())
    assert row["kind"] == MISTAKE and row["part"] == "mse_loss" and row["test_cells"] == "mse_loss_hidden"
    assert "seminar1_ru/sample-one-bug" in row["student_ids"].split()
    assert row["message"].startswith("dL/dX (returned by MSELoss.backward) is half the right value")
    untouched = {row["part"]: row["student_ids"] for row in graded["reports"]["seminar1"]["rows"]
                 if row["kind"] == NOT_WRITTEN}
    assert untouched == {answer: "seminar1/sample-untouched" for answer in InProcess("seminar1").names}


@slow
def test_the_page_names_what_was_not_graded_and_who(graded):
    page = graded["reports"]["seminar1"]["html"]
    assert "seminar1.ipynb is unreadable" in page
    assert "seminar1.ipynb lies directly in submitted/misplaced/" in page
    assert "timed out" in page and "stopped for time: check_gradient_hidden" in page
    assert "Ben Onebug" in page and "Cleo Untouched" in page            # names from the gradebook
    assert page.count("data:image/png;base64,") == 2 and "http" not in page.replace("http-equiv", "")
    assert "lr_discussion" in page and "mse_discussion" in page        # the written answers to grade


@slow
def test_mistakes_in_the_instructors_language(graded, tmp_path):
    output = tmp_path / "ru.html"
    run_tool(BIN / "nn-grade", "report", "seminar1", "seminar1_ru", "--language", "ru", "--output", output,
             cwd=graded["dir"])   # the command as installed
    with open(output.with_suffix(".csv"), newline="") as handle:
        row = next(row for row in csv.DictReader(handle) if "seminar1/sample-one-bug" in row["student_ids"])
    assert row["message"].startswith("dL/dX (результат MSELoss.backward): половина верного значения")


# ---------------------------------------------------------------- the page in a browser

@slow
@pytest.mark.browser
def test_the_page_in_a_browser(graded, tmp_path_factory):
    """Offline, in headless Chromium: the plots are drawn, the tables sorted, the students named."""
    import browser
    if not browser.available():
        pytest.skip(browser.MISSING)
    driver = browser.chromium(tmp_path_factory.mktemp("chromium-profile"))
    try:
        driver.get((graded["dir"] / "report-seminar1.html").as_uri())
        images = driver.execute_script("return [...document.images].map(i => [i.complete, i.naturalWidth]);")
        assert len(images) == 2 and all(done and width > 300 for done, width in images), images

        students = [int(text) for text in driver.execute_script(
            "const t = document.getElementById('mistakes').nextElementSibling.nextElementSibling;"
            "return [...t.tBodies[0].rows].map(r => r.cells[4].innerText);")]
        assert len(students) > 40 and students == sorted(students, reverse=True)
        means = driver.execute_script(
            "const t = document.querySelector('#scores ~ table');"
            "return [...t.tBodies[0].rows].map(r => [parseFloat(r.cells[5].innerText), "
            "parseFloat(r.cells[2].innerText)]);")
        shares = [mean / points for mean, points in means]   # the mean is shown to 2 decimals
        assert all(later >= earlier - 0.01 for earlier, later in zip(shares, shares[1:])), shares
        # The README's screenshots (build/browser-screenshots/readme-class-report-*.png; copied into
        # docs/ when the page changes).
        shots = ROOT / "build" / "browser-screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        driver.set_window_size(1280, 900)
        driver.save_screenshot(str(shots / "readme-class-report-scores.png"))
        driver.get((graded["dir"] / "report-seminar1.html").as_uri() + "#mistakes")
        driver.save_screenshot(str(shots / "readme-class-report-mistakes.png"))
        driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true);")
        text = driver.find_element("tag name", "body").text
        assert "Ben Onebug · seminar1_ru" in text and "Cleo Untouched" in text
    finally:
        driver.quit()


# ---------------------------------------------------------------- wrong commands

def test_wrong_commands_get_one_line_and_status_2(tmp_path, capsys):
    from nbgrader.api import Gradebook
    shutil.copytree(ROOT / "source" / "seminar1", tmp_path / "source" / "seminar1",
                    ignore=shutil.ignore_patterns("*.npz"))
    (tmp_path / "source" / "seminar2").mkdir()
    Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}").close()
    cases = [
        (["report", "seminar9"], "error: no source/seminar9 in"),
        (["report", "seminar1"], "error: the gradebook has no assignment 'seminar1': run `nbgrader "
                                 "generate_assignment"),
        (["report", "seminar1", "--output", str(tmp_path / "nowhere" / "r.html")], "error: cannot write the report: "
                                                                                   "no folder"),
        (["report", "seminar1", "--output", str(tmp_path / "source")], "error: cannot write the report: "),
        (["report", "seminar1", "--db", f"sqlite:///{tmp_path / 'missing.db'}"], "error: no gradebook"),
        (["report", "seminar1", "--db", "nodb://here"], "error: --db: nodb://here: SQLAlchemy has no database kind"),
    ]
    for argv, words in cases:
        assert nn_grade(argv + ["--course-dir", str(tmp_path)]) == 2, argv
        out = capsys.readouterr().out
        assert out.startswith(words) and out.count("\n") == 1, (argv, out)
    assert not list(tmp_path.glob("report-*")) and not list(tmp_path.glob(".*probe"))


# ---------------------------------------------------------------- the words, without grading

def test_the_wrappers_the_report_recognises_are_the_catalogues():
    """The templates that wrap an unexplained failure are messages of checks/ (the Russian catalogue
    holds every one, tests/test_translation.py): renamed there, they must be renamed here."""
    from checks.i18n.ru import MESSAGES
    assert {RAISED, RAISED_AT, CALL_STOPPED, CALL_ENDED} <= set(MESSAGES)


def test_a_mistakes_key_is_its_id_with_the_ids_inside_it():
    from checks.engine.results import message_data
    from checks.i18n import speaking, t
    with speaking("ru"):
        message = t("{what} {phrase}: relative error {error:.1e}",
                    what=t("dL/dX (returned by {name})", name="Linear"), phrase=t("has the opposite sign"), error=0.5)
    data = message_data(message)
    assert message_key(data) == "dL/dX (returned by {name}) has the opposite sign: relative error {error:.1e}"
    failed = {"status": "failed", "error": "GradingFailure", "message": data}
    assert classify(failed) == Failure(MISTAKE, message_key(data))
    assert said_in(data, "en") == "dL/dX (returned by Linear) has the opposite sign: relative error 5.0e-01"
    assert said_in(data, "ru") == str(message)


@pytest.mark.parametrize("cell, failure", [
    ({"status": "timeout", "error": "Timeout", "message": {"text": "...", "id": "x"}}, Failure(TIMEOUT, "")),
    ({"status": "failed", "error": "AssertionError", "message": {"text": "wrong shape", "id": None}},
     Failure(VISIBLE, "")),
    ({"status": "failed", "error": "NotImplementedError", "message": {"text": "...", "id": RAISED_AT}},
     Failure(NOT_WRITTEN, "")),
    ({"status": "failed", "error": "GradingFailure", "message": {"text": "...", "id": RAISED, "fields": {
        "what": "Linear(3, 5)", "error": "KeyError", "message": "'W'", "where": ""}}}, Failure(EXCEPTION, "KeyError")),
    ({"status": "failed", "error": "TypeError", "message": {"text": "object of type 'float' has no len()", "id": None}},
     Failure(EXCEPTION, "TypeError")),
])
def test_failures_no_message_names_are_sorted_by_kind(cell, failure):
    assert classify(cell) == failure
