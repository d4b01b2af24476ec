"""The grading task of a worker: a job in, a result out, both JSON.

A worker holds a copy of the course (its source/, nbgrader_config.py and this project
installed), never the exchange or the gradebook: the job carries the submission. It grades
each notebook as `nn-grade grade-file` does (the same sandbox and settings, from the course's
configuration: checks/engine/configuration.py), and refuses a job whose course fingerprint is not
its own, saying so, rather than grade it with other hidden tests.
"""
import atexit
import socket
import time
from pathlib import Path

from ..engine.batch.fingerprints import course_fingerprint
from ..engine.configuration import course_grading_config
from ..engine.course import Course
from ..engine.grader import SubmissionGrader
from ..engine.notebook import parse_notebook, read_notebook
from ..engine.remote import Zygotes
from ..engine.student_code import StudentCode
from . import jobs
from .queue import GRADE_TASK

# A worker process grades one job after another: each finds a sandbox started ahead.
_ZYGOTES = Zygotes(spare=True)
atexit.register(_ZYGOTES.close)


class CourseOfTheWorker:
    """What a worker knows of its course, read once: fingerprints and instructor notebooks."""

    def __init__(self, course_dir):
        self.course_dir = Path(course_dir).resolve()
        self.config = course_grading_config(self.course_dir)
        self._fingerprints, self._courses = {}, {}

    def fingerprint(self, assignment):
        if assignment not in self._fingerprints:
            self._fingerprints[assignment] = course_fingerprint(self.course_dir, assignment)
        return self._fingerprints[assignment]

    def course(self, assignment, notebook):
        """The Course of one of the assignment's notebooks (source/<assignment>/<notebook>.ipynb)."""
        key = (assignment, notebook)
        if key not in self._courses:
            self._courses[key] = Course.from_notebook(
                read_notebook(self.course_dir / "source" / assignment / f"{notebook}.ipynb"))
        return self._courses[key]


def grade_job(job, course):
    """The result of a job (jobs.graded or jobs.refused), graded with the worker's course."""
    worker, started = socket.gethostname(), time.monotonic()
    assignment = str(job.get("assignment", ""))
    if job.get("kind") != jobs.JOB or not (course.course_dir / "source" / assignment).is_dir():
        return jobs.refused(job, f"this worker's course has no assignment {assignment!r}", worker)
    if job.get("fingerprint") != course.fingerprint(assignment):
        return jobs.refused(job, "this worker's course differs from the service's (other hidden tests, grading "
                                 "code or settings): update the worker's copy of the course", worker)
    sandbox = course.config.sandbox(course.course_dir)
    results = {}
    for name, text in job.get("notebooks", {}).items():
        if not (course.course_dir / "source" / assignment / f"{name}.ipynb").is_file():
            continue  # not a notebook of the assignment: nbgrader grades none such either
        instructor = course.course(assignment, name)
        try:
            notebook = parse_notebook(text, f"{name}.ipynb")
        except ValueError as error:
            return jobs.refused(job, f"unreadable: {error}", worker)
        code = StudentCode.from_notebook(notebook, instructor)
        result = SubmissionGrader(instructor, code, sandbox, course.config.settings(), zygotes=_ZYGOTES).grade()
        results[name] = result.to_json(outputs=True)
    return jobs.graded(job, results, worker, time.monotonic() - started)


def register(app, course_dir):
    """The grading task, on a Celery application, for a worker of the course in course_dir."""
    course = CourseOfTheWorker(course_dir)

    @app.task(name=GRADE_TASK)
    def grade(job):
        return grade_job(job, course)

    return grade
