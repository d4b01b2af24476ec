"""A student's last good results are kept until new ones replace them.

nbgrader's autograde and generate_feedback (with --force) delete a student's autograded
notebook and feedback before writing new ones. Before a regrade, they are moved aside into
`.nn-grade-kept/<assignment>/<student>/`; a regrade that ends without a verdict (stopped for
time, a worker that died) or with a failure puts them back, and a new verdict removes them.
A run that was killed meanwhile puts back, on its next start, what the regrade did not replace.
"""
import shutil
from pathlib import Path

KEPT = ".nn-grade-kept"
OUTPUTS = ("autograded", "feedback")


def _places(course_dir, assignment, student, outputs=OUTPUTS):
    """(output folder, where it is kept) for the student's autograded notebook and feedback."""
    kept = Path(course_dir) / KEPT / assignment / student
    return [(Path(course_dir) / kind / student / assignment, kept / kind) for kind in outputs]


def keep(course_dir, assignment, student, outputs=OUTPUTS):
    """Move the student's current outputs aside before grading them again: those the regrade
    replaces (without feedback, a regrade leaves the feedback where it is)."""
    for output, kept in _places(course_dir, assignment, student, outputs):
        if output.exists():
            if kept.exists():
                shutil.rmtree(kept)
            kept.parent.mkdir(parents=True, exist_ok=True)
            output.rename(kept)


def put_back(course_dir, assignment, student):
    """The regrade gave nothing better: the kept outputs replace whatever it left."""
    for output, kept in _places(course_dir, assignment, student):
        if kept.exists():
            if output.exists():
                shutil.rmtree(output)
            output.parent.mkdir(parents=True, exist_ok=True)
            kept.rename(output)
    _remove_empty(Path(course_dir) / KEPT / assignment / student)


def discard(course_dir, assignment, student):
    """A new verdict replaced the kept outputs."""
    shutil.rmtree(Path(course_dir) / KEPT / assignment / student, ignore_errors=True)
    _remove_empty(Path(course_dir) / KEPT / assignment / student)


def recover(course_dir, assignment):
    """After a killed run: a kept output comes back where the regrade left none; where it
    left one, that student has no verdict for it and is graded again anyway."""
    folder = Path(course_dir) / KEPT / assignment
    if not folder.is_dir():
        return
    for student in sorted(p.name for p in folder.iterdir() if p.is_dir()):
        for output, kept in _places(course_dir, assignment, student):
            if kept.exists() and not output.exists():
                output.parent.mkdir(parents=True, exist_ok=True)
                kept.rename(output)
        discard(course_dir, assignment, student)


def _remove_empty(folder):
    """The student's folder, the assignment's and .nn-grade-kept itself, each if it is empty."""
    for path in (folder, folder.parent, folder.parent.parent):
        try:
            path.rmdir()
        except FileNotFoundError:
            continue
        except OSError:  # not empty: another student's outputs are kept there
            return
