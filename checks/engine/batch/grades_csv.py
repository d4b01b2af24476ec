"""grades-<assignment>.csv: one row per student of the run's class, with the gradebook's scores."""
import csv
import os
from pathlib import Path

from ..written import written_pending, written_unanswered
from .outcome import FAILED

COLUMNS = ["assignment", "student_id", "status", "auto_score", "auto_max_score",
           "written_answers_to_grade", "notes"]


def written_grades(submission):
    """nbgrader's grades of the submission's written answers (markdown cells graded by hand)."""
    return [grade for notebook in submission.notebooks for grade in notebook.grades
            if grade.cell.cell_type == "markdown"]


def scores_of(submission):
    """(autograded points, their maximum, written answers waiting to be graded by hand). A written
    answer left as handed out is not waiting: nbgrader scored it 0 (see unanswered_of)."""
    pending = sum(1 for grade in written_grades(submission) if written_pending(grade))
    return submission.code_score, submission.max_code_score, pending


def unanswered_of(submission):
    """The grade_ids of the written answers the student left as handed out."""
    return [grade.name for grade in written_grades(submission) if written_unanswered(grade)]


def gradebook_scores(db_url, assignment):
    """{student: (code_score, max_code_score, written answers pending)} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {submission.student.id: scores_of(submission)
                for submission in gradebook.find_assignment(assignment).submissions}


def gradebook_unanswered(db_url, assignment):
    """{student: written answers left unanswered, as a note: 'no answer: lr_discussion (0 points)'}."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {submission.student.id: f"no answer: {', '.join(names)} (0 points)"
                for submission in gradebook.find_assignment(assignment).submissions
                if (names := unanswered_of(submission))}


def unwritable(path):
    """Why the grades cannot be written to `path`, or None."""
    path = Path(path)
    if path.is_dir():
        return f"{path} is a folder: give a file, such as {path / 'grades.csv'}"
    if not path.parent.is_dir():
        return f"{path}: there is no folder {path.parent}"
    if not os.access(path.parent, os.W_OK):
        return f"{path}: the folder {path.parent} is not writable"
    return None


def write_csv(path, assignment, rows):
    """rows: [(student, status, score, max_score, pending, notes)]; written whole, then renamed,
    so a reader never sees half a file (nor a half-written file left beside it)."""
    temporary = Path(f"{path}.part")
    try:
        with open(temporary, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for student, status, score, max_score, pending, notes in sorted(rows):
                failed = status == FAILED or score is None
                writer.writerow([assignment, student, status,
                                 "" if failed else f"{score:g}", "" if failed else f"{max_score:g}",
                                 0 if failed else pending, notes])
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
