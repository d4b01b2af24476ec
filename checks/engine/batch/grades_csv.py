"""grades.csv: one row per student of the run's class, with the gradebook's scores."""
import csv
import os
from pathlib import Path

from .outcome import FAILED

COLUMNS = ["assignment", "student_id", "status", "auto_score", "auto_max_score",
           "written_answers_to_grade", "notes"]


def scores_of(submission):
    """(autograded points, their maximum, written answers not yet graded by hand)."""
    pending = sum(1 for notebook in submission.notebooks for grade in notebook.grades
                  if grade.cell.cell_type == "markdown" and grade.manual_score is None)
    return submission.code_score, submission.max_code_score, pending


def gradebook_scores(db_url, assignment):
    """{student: (code_score, max_code_score, written answers pending)} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gradebook:
        return {submission.student.id: scores_of(submission)
                for submission in gradebook.find_assignment(assignment).submissions}


def write_csv(path, assignment, rows):
    """rows: [(student, status, score, max_score, pending, notes)]; written whole, then renamed,
    so a reader never sees half a file."""
    temporary = Path(f"{path}.part")
    with open(temporary, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for student, status, score, max_score, pending, notes in sorted(rows):
            failed = status == FAILED or score is None
            writer.writerow([assignment, student, status,
                             "" if failed else f"{score:g}", "" if failed else f"{max_score:g}",
                             0 if failed else pending, notes])
    os.replace(temporary, path)
