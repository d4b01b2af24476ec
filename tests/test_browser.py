"""What students and instructors see in the browser: a real JupyterLab, driven by headless Chromium.

- A student, in a folder of their own without the course's configuration and without the
  formgrader: a wrong answer's visible test names the mistake on the page, and Validate
  says which test fails, or "Success" for a solved notebook.
- An instructor, in the course directory: the formgrader lists the class by name and shows a
  submission without its hidden tests, and feedback shows its maths (no network needed) and
  no hidden test code.
- An instructor grading by hand, offline: the grading page typesets its maths and its help and
  keyboard shortcuts work, long messages wrap, the student's figures are there beside the
  written answers; a score and a comment with maths, feedback generated and released from
  Manage Submissions; the students' totals count one edition per seminar; a release notebook
  opens unmodified.
On failure the test keeps a screenshot in build/browser-screenshots/; the hand-grading test
keeps the README's screenshots there too (build/browser-screenshots/readme-*.png).
"""
import base64
import io
import json
import shutil
import time

import nbformat
import pytest
from nbgrader.api import Gradebook

import browser
import hostile
from browser import SCREENSHOTS, driver, screenshot_on_failure  # noqa: F401 (fixtures)
from conftest import BIN, ROOT, copy_course, generate_assignments, nbgrader, run_tool

pytestmark = [pytest.mark.nbgrader, pytest.mark.browser,
              pytest.mark.skipif(not browser.available(), reason=browser.MISSING)]


FIGURES = "sample-figures"  # the correct sample, as submitted after running its experiments


def write_student_with_figures(course):
    """The correct sample with the outputs a student's run leaves in the learning-rate sweep's cell
    (the plot the written answer lr_discussion refers to), and two outputs that could run a script
    on the instructor's page."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 2, figsize=(7, 2.4))
    axes[0].plot([0, 1, 2], [1.1, 0.6, 0.2])
    axes[1].plot([0, 1, 2], [0.3, 0.8, 0.99])
    axes[1].set_title("accuracy (the right-hand plot)")
    png = io.BytesIO()
    figure.savefig(png, format="png")
    plt.close(figure)
    notebook = json.loads((ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb").read_text())
    sweep = next(cell for cell in notebook["cells"] if "".join(cell["source"]).startswith("n_epochs = 1000\nsweep"))
    sweep["execution_count"] = 12
    sweep["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "rate 0.1: median loss 1.02\n"},
        {"output_type": "display_data", "metadata": {},
         "data": {"image/png": base64.b64encode(png.getvalue()).decode(), "text/plain": "<Figure>",
                  "text/html": "<b id='student-html'>html</b><script>window.studentScript = 1</script>"}},
        {"output_type": "display_data", "metadata": {}, "data": {"application/javascript": "window.studentScript = 2"}}]
    folder = course / "submitted" / FIGURES / "seminar1"
    shutil.copytree(ROOT / "submitted" / "sample-correct" / "seminar1", folder)
    (folder / "seminar1.ipynb").write_text(json.dumps(notebook, indent=1))
    with open(course / "submitted" / "roster.csv", "a") as roster:
        roster.write(f"{FIGURES},Dana,Figures,\n")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """The course with its samples graded (feedback included), both editions of seminar 1 in the
    gradebook, and a student's own folder."""
    course = copy_course(tmp_path_factory.mktemp("browser-course"))
    write_student_with_figures(course)
    generate_assignments(course, ["seminar1", "seminar1_ru"])
    nbgrader("db", "student", "import", "submitted/roster.csv", cwd=course)
    run_tool(BIN / "nn-grade", "grade", "seminar1", cwd=course)
    student = tmp_path_factory.mktemp("student")
    shutil.copy(ROOT / "release" / "seminar1" / "data.npz", student)
    # The answers and tests are what these tests look at; tests/test_validate.py validates whole notebooks.
    solved = hostile.without_the_later_experiments(hostile.correct())
    for name in ("solved.ipynb", "working.ipynb"):
        nbformat.write(solved, student / name)
    return {"dir": course, "student": student}


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
    """Click Validate in the current notebook's own toolbar (a tab restored from an earlier visit has
    one too), once JupyterLab has laid it out; the text of the dialog that answers."""
    def click_once():
        return driver.execute_script(
            "const panel = window.jupyterapp.shell.currentWidget;"
            "const button = [...panel.toolbar.node.querySelectorAll('button, .jp-ToolbarButtonComponent')]"
            "  .find(b => b.innerText.trim() === 'Validate' && b.getClientRects().length > 0);"
            "if (!button) return false; button.click(); return true;")

    browser.wait_for(click_once, what="the Validate button")
    return browser.wait_for(lambda: next((text for text in browser.texts(driver, ".jp-Dialog")
                                          if "Validat" in text and "\n" in text), None),
                            timeout=120, what="Validate's dialog")


def test_a_wrong_answer_is_named_on_the_page_and_by_validate(driver, student_lab, screenshot_on_failure):
    driver.get(student_lab.url("lab/tree/working.ipynb"))
    notebook = browser.Notebook(driver, "working.ipynb")
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
    browser.Notebook(driver, "solved.ipynb")
    assert "Success! Your notebook passes all the tests." in click_validate(driver)


def test_a_student_lab_has_no_formgrader(driver, student_lab, screenshot_on_failure):
    driver.get(student_lab.url("lab/tree/solved.ipynb"))
    browser.Notebook(driver, "solved.ipynb")
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


def submission_page(driver, lab, course, student):
    """The formgrader's grading page of a student's seminar 1, once MathJax has typeset it (the page's
    script marks that: MathJax.loaded)."""
    with Gradebook(f"sqlite:///{course['dir'] / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("seminar1", "seminar1", student).id
    driver.get(lab.url("api/status"))  # signed in first, as an instructor is: the page's own requests need it
    driver.get(lab.url(f"formgrader/submissions/{submission}/"))
    browser.wait_for(lambda: driver.execute_script("return !!(window.MathJax && MathJax.loaded)"),
                     what="the grading page, typeset")
    return submission


def readme_screenshot(driver, name):
    """A screenshot the README shows (copied from here into docs/ when the page changes)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"readme-{name}.png"))


def test_the_grading_page_typesets_its_maths_and_its_shortcuts_work_offline(driver, instructor_lab, course,
                                                                           screenshot_on_failure):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    submission = submission_page(driver, instructor_lab, course, "sample-one-bug")
    assert driver.execute_script("return document.querySelectorAll('.MathJax').length") > 40
    loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert loaded and all(url.startswith(instructor_lab.base) for url in loaded), loaded  # nothing from a CDN
    errors = [entry["message"] for entry in driver.get_log("browser") if "is not defined" in entry["message"]]
    assert not errors, errors

    driver.find_element(By.CSS_SELECTOR, ".help").click()  # the "?" in the corner
    help_text = browser.wait_for(lambda: next((text for text in browser.texts(driver, ".modal")
                                               if "Keyboard shortcuts" in text), None), what="the help")
    assert "Defocus and save the current score or comment input" in help_text
    driver.execute_script("$('.modal').modal('hide'); $('.modal').remove(); $('.modal-backdrop').remove();")
    driver.execute_script("$('input.score').first().focus()")
    ActionChains(driver).send_keys(Keys.ESCAPE).perform()
    assert browser.wait_for(lambda: driver.execute_script("return document.activeElement === document.body"),
                            timeout=5, what="Esc to leave the input")
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert browser.wait_for(lambda: driver.execute_script(
        "return document.activeElement.classList.contains('tabbable')"), timeout=5, what="Enter to go back to it")
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(".").key_up(Keys.CONTROL).perform()
    # The formgrader orders submissions by their random ids: after the last one, "next" is the list of them.
    browser.wait_for(lambda: "/formgrader/submissions/" in driver.current_url and submission not in driver.current_url
                     or "next%3D%2Fformgrader%2Fsubmissions%2F" in driver.current_url
                     or driver.current_url.rstrip("/").endswith("/formgrader/gradebook/seminar1/seminar1"),
                     what="Ctrl+. to open the next submission")


def test_long_failure_messages_wrap_in_the_grading_view(driver, instructor_lab, course, screenshot_on_failure):
    submission_page(driver, instructor_lab, course, "sample-one-bug")
    errors = driver.execute_script("return Array.from(document.querySelectorAll('.output_error pre'))"
                                   ".map(pre => [getComputedStyle(pre).whiteSpace, pre.innerText]);")
    assert errors and all(wrap == "pre-wrap" for wrap, _ in errors)
    assert any("is half the right value" in text for _, text in errors)
    assert driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert driver.execute_script("return Array.from(document.querySelectorAll('.output_error pre'))"
                                 ".every(pre => pre.scrollWidth <= pre.clientWidth + 1)")


def figures_and_written_answer(driver):
    """(figures shown, whether a figure comes before the written answer lr_discussion, labels)."""
    return driver.execute_script("""
        const images = Array.from(document.querySelectorAll('img[src^="data:image/png"]'))
            .filter(img => img.getBoundingClientRect().width > 100);
        const answer = document.getElementById('lr_discussion') || document.querySelector('a[name="lr_discussion"]');
        const before = images.some(img => answer && (img.compareDocumentPosition(answer) & Node.DOCUMENT_POSITION_FOLLOWING));
        const labels = Array.from(document.querySelectorAll('.as-submitted')).map(e => e.innerText);
        return [images.length, before, labels];""")


def test_the_students_figures_are_beside_the_written_answer_where_it_is_graded_and_in_the_feedback(
        driver, instructor_lab, course, screenshot_on_failure):
    submission_page(driver, instructor_lab, course, FIGURES)
    shown, before_answer, labels = figures_and_written_answer(driver)
    assert shown == 1 and before_answer
    assert "Output as the student submitted it: grading did not re-run this cell." in labels
    assert "rate 0.1: median loss 1.02" in driver.find_element("css selector", "body").text
    assert driver.execute_script("return [window.studentScript, document.getElementById('student-html')]") == [None, None]

    driver.get((course["dir"] / "feedback" / FIGURES / "seminar1" / "seminar1.html").as_uri())
    shown, before_answer, labels = figures_and_written_answer(driver)
    assert shown == 1 and before_answer
    assert "Output as you submitted it: grading did not re-run this cell." in labels
    assert driver.execute_script("return window.studentScript") is None


def test_an_instructor_grades_by_hand_and_releases_feedback(driver, instructor_lab, course, screenshot_on_failure):
    """The README's steps: a score and a comment with maths in the grading page, then Generate and
    Release Feedback in Manage Submissions; the student's feedback shows both, the maths typeset."""
    from selenium.webdriver.common.by import By

    submission_page(driver, instructor_lab, course, FIGURES)
    browser.wait_for(lambda: driver.execute_script(  # the page's grade and comment boxes, bound to the gradebook
        "return !!$('#lr_discussion-comment').attr('placeholder')"), what="the grading boxes")
    score = driver.find_element(By.ID, "lr_discussion")
    score.clear()
    score.send_keys("4")
    comment = driver.find_element(By.ID, "lr_discussion-comment")
    comment.send_keys("Right about the plateau. At the largest rates the step $\\eta$ times the curvature "
                      "passes 2: say so.")
    driver.execute_script("$(arguments[0]).trigger('change'); $(arguments[1]).trigger('change');", score, comment)
    with Gradebook(f"sqlite:///{course['dir'] / 'gradebook.db'}") as gradebook:
        saved = lambda: (gradebook.db.expire_all(),  # noqa: E731
                         gradebook.find_grade("lr_discussion", "seminar1", "seminar1", FIGURES).manual_score,
                         gradebook.find_comment("lr_discussion", "seminar1", "seminar1", FIGURES).manual_comment)
        browser.wait_for(lambda: saved()[1] == 4 and "$\\eta$" in (saved()[2] or ""), timeout=20,
                         what="the score and the comment saved")
    driver.execute_script("document.activeElement.blur();")
    time.sleep(1)  # the page scrolls to the box it left, in half a second
    driver.execute_script("$('body, html').stop();"  # the student's figure, then the answer graded
                          "document.querySelector('.as-submitted').scrollIntoView({block: 'start'});"
                          "window.scrollBy(0, -70);")
    time.sleep(0.3)
    readme_screenshot(driver, "hand-grading")

    driver.get(instructor_lab.url("formgrader/manage_submissions/seminar1"))
    for link, done in (("generate-feedback", "Successfully generated feedback"),
                       ("release-feedback", "Successfully released feedback")):
        browser.wait_for(lambda: browser.click_in_row(driver, [FIGURES, "2025-09-15"], f"td.{link} a"),
                         what=f"the {link} link of the submission with its timestamp")
        message = browser.wait_for(lambda: next((text for text in browser.texts(driver, ".modal") if text.strip()),
                                                None), timeout=120, what=done)
        assert done in message, message
        if link == "release-feedback":
            time.sleep(0.5)  # the dialog fades in
            readme_screenshot(driver, "release-feedback")
        driver.execute_script("$('.modal').modal('hide'); $('.modal').remove(); $('.modal-backdrop').remove();")
    assert len(list((course["dir"] / "exchange" / "nn-from-scratch" / "feedback").glob("*.html"))) == 1

    driver.get((course["dir"] / "feedback" / FIGURES / "seminar1" / "seminar1.html").as_uri())
    comment = driver.find_element(By.CSS_SELECTOR, ".panel-footer")
    assert "Right about the plateau" in comment.text and "$" not in comment.text
    widths = driver.execute_script("return Array.from(arguments[0].querySelectorAll('math'))"
                                   ".map(m => m.getBoundingClientRect().width)", comment)
    assert widths and min(widths) > 0  # typeset as MathML, and shown
    assert "4.0 / 5.0" in driver.find_element(By.CSS_SELECTOR, "body").text
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", comment)
    readme_screenshot(driver, "feedback")


def test_a_students_total_counts_one_edition_of_each_seminar(driver, instructor_lab, course, screenshot_on_failure):
    driver.get(instructor_lab.url("formgrader/manage_students"))
    rows = browser.wait_for(lambda: [text for text in browser.texts(driver, "tr") if "Ada" in text],
                            what="the formgrader's students")
    assert rows[0].endswith("/ 110"), rows  # seminar1 and seminar1_ru are both in the gradebook: not 220


def test_a_release_notebook_opens_unmodified(driver, instructor_lab, course, screenshot_on_failure):
    path = course["dir"] / "release" / "seminar1" / "seminar1.ipynb"
    before = path.read_bytes()
    driver.get(instructor_lab.url("lab/tree/release/seminar1/seminar1.ipynb"))
    browser.Notebook(driver, "release/seminar1/seminar1.ipynb")
    browser.wait_for(lambda: driver.execute_script(
        "const p = window.jupyterapp.shell.currentWidget; return p.sessionContext.session.kernel.status === 'idle'"
        " && !!p.model.getMetadata('language_info').version;"), what="the kernel, ready")
    assert driver.execute_script("return window.jupyterapp.shell.currentWidget.context.model.dirty") is False
    assert not driver.find_elements("css selector", ".jp-mod-current.jp-mod-dirty")  # the tab's dot
    opened = path.stat().st_mtime_ns
    driver.execute_script("return window.jupyterapp.commands.execute('docmanager:save')")
    browser.wait_for(lambda: path.stat().st_mtime_ns != opened, timeout=30, what="JupyterLab's save")
    assert path.read_bytes() == before  # JupyterLab's own save writes the same bytes
