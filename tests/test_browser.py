"""What students and instructors see in the browser: a real JupyterLab, driven by headless Chromium.

- A student, in a folder of their own without the course's configuration and without the
  formgrader: a wrong answer's visible test names the mistake on the page, and Validate
  says which test fails, or "Success" for a solved notebook.
- An instructor, in the course directory: the formgrader lists the class by name and shows a
  submission without its hidden tests, and feedback shows its maths (no network needed) and
  no hidden test code.
On failure the test keeps a screenshot in build/browser-screenshots/.
"""
import shutil

import pytest
from nbgrader.api import Gradebook

import browser
from conftest import BIN, ROOT, copy_course, nbgrader, run_tool

pytestmark = [pytest.mark.nbgrader, pytest.mark.browser,
              pytest.mark.skipif(not browser.available(), reason=browser.MISSING)]
SCREENSHOTS = ROOT / "build" / "browser-screenshots"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course with its samples graded (feedback included), and a student's own folder."""
    course = copy_course(tmp_path_factory.mktemp("browser-course"))
    nbgrader("generate_assignment", "seminar1", "--force", cwd=course)
    nbgrader("db", "student", "import", "submitted/roster.csv", cwd=course)
    run_tool(BIN / "nn-grade", "grade", "seminar1", cwd=course)
    student = tmp_path_factory.mktemp("student")
    shutil.copy(ROOT / "release" / "seminar1" / "data.npz", student)
    shutil.copy(ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb", student / "solved.ipynb")
    shutil.copy(ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb", student / "working.ipynb")
    return {"dir": course, "student": student}


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    chrome = browser.chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chrome
    chrome.quit()


@pytest.fixture
def screenshot_on_failure(request, driver):
    yield
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}.png"
        driver.save_screenshot(str(path))
        print(f"screenshot: {path}")


@pytest.fixture(scope="module")
def student_lab(course, tmp_path_factory):
    lab = browser.JupyterLab(course["student"], tmp_path_factory.mktemp("student-jupyter"), student=True)
    yield lab
    lab.stop()


@pytest.fixture(scope="module")
def instructor_lab(course, tmp_path_factory):
    lab = browser.JupyterLab(course["dir"], tmp_path_factory.mktemp("instructor-jupyter"))
    yield lab
    lab.stop()


def click_validate(driver):
    from selenium.webdriver.common.by import By
    button = browser.wait_for(lambda: [b for b in driver.find_elements(
        By.CSS_SELECTOR, ".jp-NotebookPanel-toolbar button, .jp-NotebookPanel-toolbar .jp-ToolbarButtonComponent")
        if b.text.strip() == "Validate" and b.is_displayed() and b.size["width"] > 0], what="the Validate button")
    button[0].click()
    return browser.wait_for(lambda: next((d.text for d in driver.find_elements(By.CSS_SELECTOR, ".jp-Dialog")
                                          if "Validat" in d.text and "\n" in d.text), None),
                            timeout=120, what="Validate's dialog")


def test_a_wrong_answer_is_named_on_the_page_and_by_validate(driver, student_lab, screenshot_on_failure):
    driver.get(student_lab.url("lab/tree/working.ipynb"))
    notebook = browser.Notebook(driver)
    linear = notebook.index("linear")
    notebook.edit(linear, notebook.source(linear).replace("return dLdy @ self.W.T", "return dLdy @ self.W"))
    for index in range(linear + 1):  # the setup cells, then the answer
        notebook.run(index)
    test = notebook.index("linear_backward")
    notebook.run(test)
    output = notebook.output(test)
    assert "AssertionError: Linear.backward: shapes do not fit" in output
    assert "dL/dX = dL/dY @ W.T is (2, 3)" in output.replace("\n", " ")
    dialog = click_validate(driver)
    assert "The following cell failed" in dialog and "layer.backward(dLdy)" in dialog


def test_validate_says_success_for_a_solved_notebook(driver, student_lab, screenshot_on_failure):
    driver.get(student_lab.url("lab/tree/solved.ipynb"))
    browser.Notebook(driver)
    assert "Success! Your notebook passes all the tests." in click_validate(driver)


def test_a_student_lab_has_no_formgrader(driver, student_lab, screenshot_on_failure):
    driver.get(student_lab.url("lab/tree/solved.ipynb"))
    browser.Notebook(driver)
    menus = driver.execute_script("return Array.from(document.querySelectorAll('.lm-MenuBar-itemLabel'))"
                                  ".map(e => e.innerText)")
    assert "Nbgrader" not in menus and "Formgrader" not in driver.page_source
    assert "Create Assignment" not in driver.find_element("css selector", "body").text


def test_the_formgrader_lists_the_class_by_name_and_shows_a_submission(driver, instructor_lab, course,
                                                                      screenshot_on_failure):
    driver.get(instructor_lab.url("formgrader/manage_students"))
    text = browser.wait_for(lambda: "Correct, Ada" in driver.page_source and driver.find_element(
        "css selector", "body").text, what="the formgrader's list of students")
    assert "None, None" not in text
    with Gradebook(f"sqlite:///{course['dir'] / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("seminar1", "seminar1", "sample-one-bug").id
    driver.get(instructor_lab.url(f"formgrader/submissions/{submission}/"))
    page = browser.wait_for(lambda: "Grading report" in driver.page_source and driver.find_element(
        "css selector", "body").text, what="the submission in the formgrader")
    assert "mse_loss_hidden" in driver.page_source and "BEGIN HIDDEN TESTS" not in driver.page_source
    assert "Seminar 1" in page
    log = instructor_lab.log()
    assert "does not exist" not in log and "Traceback" not in log, log[-3000:]


def test_feedback_shows_its_maths_and_no_hidden_test_code(driver, course, screenshot_on_failure):
    driver.get((course["dir"] / "feedback" / "sample-one-bug" / "seminar1" / "seminar1.html").as_uri())
    sizes = driver.execute_script("return Array.from(document.querySelectorAll('math')).map("
                                  "m => m.getBoundingClientRect().width)")
    assert len(sizes) > 40 and min(sizes) > 0  # typeset, and shown: each formula takes room
    prose = driver.execute_script("return Array.from(document.querySelectorAll('.text_cell_render'))"
                                  ".map(e => e.innerText).join(' ')")
    assert "$" not in prose  # no TeX left waiting for a script
    text = driver.find_element("css selector", "body").text
    for secret in ("BEGIN HIDDEN TESTS", "checks.seminar1", 'grade("', "numerical_gradient("):
        assert secret not in driver.page_source
    assert "mse_loss_hidden" in text and "is half the right value" in text
    wrap = driver.execute_script("const pre = document.querySelector('.output_error pre, div.output_subarea pre');"
                                 "return pre && getComputedStyle(pre).whiteSpace;")
    assert wrap == "pre-wrap"
