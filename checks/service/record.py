"""A worker's result into the course: the gradebook, the autograded notebook, the feedback.

This is the seam the service shares with `nn-grade grade`: the submission goes where nbgrader's
collect puts it (submitted/<student>/<assignment>/, timestamp and secret included), then the
batch's own unit of work runs, nbgrader's autograde and generate_feedback in this process
(checks/engine/batch/workers.py: grade_student, assess), except that the autograde step records
the result the worker sent (checks/engine/autograde.py: supply_result) instead of grading again.
So the gradebook, late penalties, the autograded notebook and the feedback are nbgrader's own.

Then the feedback is released to that student through the exchange, as nbgrader's
release_feedback does (a file named by the hash of the submission's secret and the notebook),
in the form the policy allows at the time: the score, the visible tests' messages, or all.
"""
import html
import os
import shutil
from pathlib import Path

from ..engine.course import HIDDEN_REGION, Course
from ..engine.notebook import read_notebook
from ..engine.results import SubmissionResult
from ..i18n import speaking, t


def copy_to_submitted(course_dir, submission):
    """The submission's folder as nbgrader's collect leaves it: submitted/<student>/<assignment>/."""
    target = Path(course_dir) / "submitted" / submission.student / submission.assignment
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(submission.folder, target)
    return target


def record(api, course_dir, db_url, submission, result):
    """Record a worker's result with nbgrader's autograde and write the feedback: the Outcome
    (checks/engine/batch/outcome.py), as `nn-grade grade` would have it."""
    from ..engine import autograde
    from ..engine.batch.workers import assess, grade_student

    copy_to_submitted(course_dir, submission)
    for notebook, data in result["results"].items():
        autograde.supply_result(submission.assignment, submission.student, notebook, SubmissionResult.from_json(data))
    done = grade_student(api, submission.assignment, submission.student, feedback=True)
    return assess(done, course_dir, db_url, submission.assignment)


def language_of(course_dir, assignment):
    """The language of an assignment's edition (its notebooks' `# language:` line; English if none)."""
    notebooks = sorted((Path(course_dir) / "source" / assignment).glob("*.ipynb"))
    return Course.from_notebook(read_notebook(notebooks[0])).language if notebooks else "en"


def points_of(course_dir, assignment, notebook):
    """{test grade_id: (points, hidden)} of one of the assignment's notebooks."""
    course = Course.from_notebook(read_notebook(Path(course_dir) / "source" / assignment / f"{notebook}.ipynb"))
    return {test.grade_id: (test.points, bool(HIDDEN_REGION.search(test.source))) for test in course.tests}


def reduced_feedback(result, points, kind, deadline):
    """The feedback a student sees before the deadline (kind "score" or "visible"), as a page: the
    score, and for "visible" every test with its points, the visible tests' messages."""
    cells = result["cells"]
    score = sum(value for grade_id, (value, _) in points.items() if cells.get(grade_id, {}).get("status") == "passed")
    total = sum(value for value, _ in points.values())
    with speaking(result.get("language", "en")):
        lines = [f"<h1>{html.escape(t('Your feedback so far'))}</h1>",
                 f"<p>{html.escape(t('{score:g} of {total:g} autograded points.', score=score, total=total))}</p>",
                 f"<p>{html.escape(_until_deadline(kind, deadline))}</p>"]
        if kind == "visible":
            lines.append(f"<table><tr><th>{html.escape(t('Test'))}</th><th>{html.escape(t('autograded points'))}"
                         "</th><th></th></tr>")
            for grade_id, (value, hidden) in points.items():
                cell = cells.get(grade_id, {})
                got = value if cell.get("status") == "passed" else 0
                message = "" if hidden or cell.get("status") == "passed" else (cell.get("message") or {}).get("text", "")
                lines.append(f"<tr><td><code>{html.escape(grade_id)}</code></td><td>{got:g} / {value:g}</td>"
                             f"<td><pre>{html.escape(str(message))}</pre></td></tr>")
            lines.append("</table>")
        language = result.get("language", "en")
    body = "\n".join(lines)
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><style>body{{font-family:sans-serif;'
            f'max-width:60em;margin:2em auto}}pre{{white-space:pre-wrap;margin:0}}td,th{{text-align:left;'
            f'padding:.2em .6em;vertical-align:top}}</style></head><body>\n{body}\n</body></html>\n')


def _until_deadline(kind, deadline):
    if deadline is None:
        return (t("Before the deadline you see your score; the tests' results come with the whole feedback after it.")
                if kind == "score" else
                t("Before the deadline you see the visible tests' messages and the hidden tests' points; their "
                  "messages come with the whole feedback after it."))
    when = deadline.strftime("%Y-%m-%d %H:%M UTC")
    return (t("Before the deadline ({deadline}) you see your score; the tests' results come with the whole feedback "
              "after it.", deadline=when) if kind == "score" else
            t("Before the deadline ({deadline}) you see the visible tests' messages and the hidden tests' points; "
              "their messages come with the whole feedback after it.", deadline=when))


def held_notice(language, attempts, hours):
    """The page a student gets for a submission past their graded attempts."""
    with speaking(language):
        text = t("You have used your {attempts} graded attempts of the last {hours:g} hours. This submission is kept, "
                 "and graded when an attempt frees up or at the deadline.", attempts=attempts, hours=hours)
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"></head><body>\n'
            f"<p>{html.escape(text)}</p>\n</body></html>\n")


def make_feedback_folder(feedback_folder):
    """The exchange's feedback folder, as nbgrader's release_feedback makes it: rwx--x--x, so a
    student reaches the file whose name they can compute, and cannot list anyone else's. The
    service makes it when it starts: nbgrader's Fetch Feedback fails, saying nothing to the
    student, while the folder is missing."""
    feedback_folder.mkdir(parents=True, exist_ok=True)
    os.chmod(feedback_folder, 0o711)


def release(feedback_folder, submission, notebook, page):
    """Release a page as the feedback of one notebook of a submission: where `nbgrader
    fetch_feedback` looks for it (named by the hash of the submission's secret), written whole."""
    from nbgrader.utils import notebook_hash

    secret = (submission.folder / "submission_secret.txt").read_text()
    make_feedback_folder(feedback_folder)
    target = feedback_folder / f"{notebook_hash(secret=secret, notebook_id=notebook)}.html"
    partial = target.with_suffix(".part")
    partial.write_text(page, encoding="utf-8")
    os.chmod(partial, 0o644)
    os.replace(partial, target)
    return target
