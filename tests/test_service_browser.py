"""Grading as submissions arrive, as a student sees it in the browser: a real JupyterLab in headless
Chromium, nbgrader's own Assignment List panel, and the course's grading service (`nn-grade serve`)
with one worker (`nn-grade worker`) running, for real.

The student fetches seminar 1 with the panel's Fetch button, puts a solved notebook in place (the
sample with one bug: 90 of 100 points), presses Submit, then presses Fetch Feedback until the
feedback comes: no instructor does anything in between. The feedback fetched into the student's
folder says "90 of 100 autograded points" and holds no hidden test code, and the panel shows
"(view feedback)" beside the submission.
On failure the test keeps a screenshot in build/browser-screenshots/.
"""
import shutil
import time

import pytest

import browser
from browser import driver, screenshot_on_failure  # noqa: F401 (fixtures)
from service_harness import Processes, inbound, make_course, sample, state_of

pytestmark = [pytest.mark.nbgrader, pytest.mark.browser, pytest.mark.service,
              pytest.mark.skipif(not browser.available(), reason=browser.MISSING)]
STUDENT = "alice"
COURSE_ID = "nn-from-scratch"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course with seminar1 released into its exchange, its service and one worker running."""
    course = make_course(tmp_path_factory.mktemp("served-browser"))
    processes = Processes(course)
    processes.service(), processes.worker()
    yield course
    processes.stop_all()


@pytest.fixture(scope="module")
def student_dir(course, tmp_path_factory):
    """The student's own folder, JupyterLab's root: nbgrader's assignment list reads its config here.
    The submissions' cache (what Fetch Feedback looks up) stays in the test's folders too."""
    student = tmp_path_factory.mktemp("student-home")
    (student / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(course / 'exchange')!r}\n"
        f"c.Exchange.cache = {str(tmp_path_factory.mktemp('nbgrader-cache'))!r}\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.student_id = {STUDENT!r}\n")
    return student


@pytest.fixture(scope="module")
def lab(student_dir, tmp_path_factory):
    lab = browser.JupyterLab(student_dir, tmp_path_factory.mktemp("student-jupyter"))
    yield lab
    lab.stop()


def button(driver, listing, label, click=False):
    """Whether seminar1's row in the panel's list `listing` has an enabled button `label`; clicked
    if `click` (found and clicked in one go: the panel redraws its lists whole)."""
    return driver.execute_script(
        "const list = document.getElementById(arguments[0]);"
        "if (!list) return null;"
        "const rows = Array.from(list.querySelectorAll(':scope > .list_item'))"
        "  .filter(row => row.innerText.includes('seminar1'));"
        "for (const row of rows) for (const b of row.querySelectorAll('button'))"
        "  if (b.innerText.trim() === arguments[1] && !b.disabled) { if (arguments[2]) b.click(); return true; }"
        "return false;", listing, label, click)


def submitted_row(driver):
    return driver.execute_script(
        "const row = document.querySelector('#submitted_assignments_list > .list_item');"
        "return row ? row.innerText : '';")


def tail(path):
    return path.read_text(errors="replace")[-2000:] if path.exists() else "(none)"


def press(driver, listing, label, timeout=60):
    browser.wait_for(lambda: button(driver, listing, label, click=True), timeout, what=f"{label} in #{listing}")


def test_a_student_submits_in_the_assignment_list_and_fetches_the_feedback_the_service_releases(
        course, student_dir, lab, driver, screenshot_on_failure):
    driver.get(lab.url("lab"))
    browser.wait_for(lambda: driver.execute_script(
        "return !!(window.jupyterapp && window.jupyterapp.commands.hasCommand('nbgrader:open-assignment-list'))"),
        what="JupyterLab with nbgrader's Assignment List")
    driver.execute_script("window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    browser.wait_for(lambda: driver.execute_script(
        "const b = document.getElementById('course_list_default'); return b && b.innerText.trim()") == COURSE_ID,
        what="the panel's course")

    # Released assignments: Fetch
    press(driver, "released_assignments_list", "Fetch")
    browser.wait_for(lambda: button(driver, "fetched_assignments_list", "Submit"), timeout=60,
                     what="seminar1 among the downloaded assignments")
    fetched = student_dir / "seminar1" / "seminar1.ipynb"
    assert fetched.is_file() and (student_dir / "seminar1" / "data.npz").is_file()
    assert "raise NotImplementedError()" in fetched.read_text()  # the release, stubs and all

    # The student's work, solved but for one bug, then Downloaded assignments: Submit
    shutil.copy(sample("one-bug"), fetched)
    press(driver, "fetched_assignments_list", "Submit")
    browser.wait_for(lambda: button(driver, "submitted_assignments_list", "Fetch Feedback"), timeout=60,
                     what="seminar1 among the submitted assignments")
    keys = [path.name for path in inbound(course).iterdir() if path.name.startswith(f"{STUDENT}+seminar1+")]
    assert len(keys) == 1, keys

    # Submitted assignments: Fetch Feedback, again until the service has graded it and released feedback
    feedback = lambda: sorted((student_dir / "seminar1" / "feedback").glob("*/seminar1.html"))  # noqa: E731
    released = lambda: list((course / "exchange" / COURSE_ID / "feedback").glob("*.html"))  # noqa: E731
    deadline, presses = time.monotonic() + 120, 0
    while not feedback():
        assert time.monotonic() < deadline, (
            f"no feedback after {presses} presses of Fetch Feedback in 120 s; the service's state: "
            f"{state_of(course, keys[0])}\nservice.log:\n{tail(course / 'service.log')}\n"
            f"worker.log:\n{tail(course / 'worker.log')}")
        press(driver, "submitted_assignments_list", "Fetch Feedback")
        presses += 1
        # the panel lists the submissions again once the server has fetched what there was
        browser.wait_for(lambda: button(driver, "submitted_assignments_list", "Fetch Feedback"), timeout=60,
                         what="the list after Fetch Feedback")
        if not feedback():
            try:  # before pressing again: until the exchange has feedback, or a few seconds
                browser.wait_for(released, timeout=3, what="feedback in the exchange")
            except TimeoutError:
                pass

    assert len(feedback()) == 1, feedback()
    page = feedback()[0].read_text()
    assert "90 of 100 autograded points" in page and "mse_loss_values" in page
    assert "BEGIN HIDDEN TESTS" not in page
    row = state_of(course, keys[0])
    assert row.state == "graded" and row.score == 90, row

    # the panel says the feedback is here, and its link shows it in the file browser
    text = browser.wait_for(lambda: "(view feedback)" in submitted_row(driver) and submitted_row(driver),
                            timeout=30, what="(view feedback) beside the submission")
    timestamp = feedback()[0].parent.name
    assert timestamp in text and "feedback available to fetch" not in text
    driver.execute_script(
        "Array.from(document.querySelectorAll('#submitted_assignments_list a'))"
        ".find(a => a.innerText.includes('view feedback')).click()")
    browser.wait_for(lambda: driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-DirListing-itemText')).some("
        "e => e.innerText.trim() === 'seminar1.html')"), timeout=30, what="the feedback in the file browser")
    # No error on the server, even for a press before any feedback was released: the service made
    # the exchange's feedback folder when it started (without it nbgrader fails, telling no one).
    assert "Traceback" not in lab.log(), lab.log()[-3000:]
