"""Feedback a student reads anywhere, and logs an instructor reads without noise.

The one-bug sample is autograded and its feedback generated with real nbgrader and the
course's config; the HTML is then read as a student's browser would get it, offline.
"""
import shutil

import pytest
from nbgrader.api import Gradebook

from checks.engine.feedback import to_mathml
from conftest import ROOT, copy_course, generated_in, nbgrader

STUDENT = "sample-one-bug"
UNANSWERED = "sample-untouched"  # its written answers as handed out


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("feedback"), with_samples=False)
    for student in (STUDENT, UNANSWERED):
        shutil.copytree(ROOT / "submitted" / student, course / "submitted" / student)
    generated_in(course)
    autograde = nbgrader("autograde", "seminar1", "--force", cwd=course)
    nbgrader("generate_feedback", "seminar1", "--force", cwd=course)
    return {"dir": course, "autograde_log": autograde.stdout + autograde.stderr}


def feedback(course, student=STUDENT):
    return (course / "feedback" / student / "seminar1" / "seminar1.html").read_text()


@pytest.mark.nbgrader
def test_maths_is_typeset_without_a_script_or_a_network(course):
    html = feedback(course["dir"])
    assert html.count("<math") > 40
    assert "mathjax" not in html.lower() and "cdn." not in html
    assert "$\\pm$" not in html and "\\frac" not in html  # no TeX left for a script to typeset


@pytest.mark.nbgrader
def test_written_answers_wait_for_the_instructor_instead_of_scoring_zero(course):
    html = feedback(course["dir"])
    assert "90 / 100 autograded points" in html.replace(".0 ", " ")
    assert "written answers (10.0 points): <span class=\"pending\">not graded yet</span>" in html
    assert "Score: 0.0 / 5.0" not in html and "not graded yet (5.0 points)" in html


@pytest.mark.nbgrader
def test_the_summary_names_every_test_and_long_messages_wrap(course):
    html = feedback(course["dir"])
    for grade_id in ("check_gradient_square", "linear_backward_hidden", "mse_loss_hidden", "train_converges"):
        assert f'<a href="#{grade_id}">Test <code>{grade_id}</code></a>' in html
    assert ">Test cell<" not in html
    assert "white-space: pre-wrap" in html


@pytest.mark.nbgrader
def test_an_unanswered_written_answer_is_zero_with_no_answer_not_waiting(course):
    html = feedback(course["dir"], UNANSWERED)
    assert "not graded yet" not in html
    assert html.count('<span class="lost">no answer: 0.0 / 5.0</span>') == 4  # in the summary and at each answer
    assert "written answers: 0.0 / 10.0" in html


@pytest.mark.nbgrader
def test_a_graded_written_answer_shows_its_score(course):
    course_dir = course["dir"]
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for name, score in (("lr_discussion", 4), ("mse_discussion", 5)):
            grade = gradebook.find_grade(name, "seminar1", "seminar1", STUDENT)
            grade.manual_score = score
        gradebook.db.commit()
    nbgrader("generate_feedback", "seminar1", "--force", cwd=course_dir)
    html = feedback(course_dir)
    assert "written answers: 9.0 / 10.0" in html and "not graded yet" not in html


@pytest.mark.nbgrader
def test_autograde_logs_no_warning_that_is_not_about_the_course(course):
    assert "has changed" not in course["autograde_log"], course["autograde_log"][-3000:]
    assert "WARNING" not in course["autograde_log"], course["autograde_log"][-3000:]


def test_maths_in_code_and_prices_is_left_alone():
    text = "Cost $5 and $6. Code `$x$` and\n```\n$y$\n```\nbut $x^2$ and $$\\frac{a}{b}$$."
    out = to_mathml(text)
    assert "Cost $5 and $6." in out and "`$x$`" in out and "\n$y$\n" in out
    assert out.count("<math") == 2 and 'display="block"' in out
