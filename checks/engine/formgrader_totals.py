"""The formgrader's students view: each student's total counts one edition of each seminar.

A seminar is an assignment in each language (seminar1, seminar1_ru: see the README, "The Russian
edition"), all in one gradebook, and a student takes one of them. nbgrader's students view
adds every assignment of the gradebook into each student's maximum (both editions of both
seminars: "out of 450"). This Jupyter server extension answers the view's two requests
(/formgrader/api/students and /formgrader/api/student/<id>) with nbgrader's own data, the
totals counted per seminar: its maximum once (the editions are worth the same, a test holds
them equal), and the student's best submission of its editions. It is enabled with the
project's installation (jupyter-config/, installed into etc/jupyter) and loads before nbgrader's
formgrader, whose handlers for the same two addresses it precedes.
"""
import json

from tornado import web

from ..i18n import ENGLISH, LANGUAGES


def seminar_of(assignment, assignments):
    """The seminar an assignment is an edition of: seminar1 for seminar1_ru (when seminar1 is an
    assignment too), the assignment itself otherwise."""
    base, _, language = assignment.rpartition("_")
    return base if base in assignments and language in LANGUAGES and language != ENGLISH else assignment


def one_edition_totals(gradebook):
    """({student: score}, maximum): each seminar counted once."""
    maxima = {assignment.name: assignment.max_score for assignment in gradebook.assignments}
    seminars = {name: seminar_of(name, maxima) for name in maxima}
    maximum = sum(max(maxima[name] for name in maxima if seminars[name] == seminar)
                  for seminar in set(seminars.values()))
    scores = {}
    for student in gradebook.students:
        best = {}
        for submission in student.submissions:
            seminar = seminars.get(submission.assignment.name)
            best[seminar] = max(best.get(seminar, 0.0), submission.score or 0.0)
        scores[student.id] = sum(best.values())
    return scores, maximum


def _counted_once(student, scores, maximum):
    if student is not None and student["id"] in scores:
        student.update(score=scores[student["id"]], max_score=maximum)
    return student


def _handlers():
    # Imported when the server loads the extension: nbgrader's server code is no part of grading.
    from nbgrader.server_extensions.formgrader.apihandlers import StudentCollectionHandler, StudentHandler
    from nbgrader.server_extensions.formgrader.base import check_notebook_dir, check_xsrf

    class Students(StudentCollectionHandler):
        @web.authenticated
        @check_xsrf
        @check_notebook_dir
        def get(self):
            students = self.api.get_students()
            with self.api.gradebook as gradebook:
                scores, maximum = one_edition_totals(gradebook)
            self.write(json.dumps([_counted_once(student, scores, maximum) for student in students]))

    class Student(StudentHandler):
        @web.authenticated
        @check_xsrf
        @check_notebook_dir
        def get(self, student_id):
            student = self.api.get_student(student_id)
            if student is None:
                raise web.HTTPError(404)
            with self.api.gradebook as gradebook:
                scores, maximum = one_edition_totals(gradebook)
            self.write(json.dumps(_counted_once(student, scores, maximum)))

    return [(r"/formgrader/api/students", Students), (r"/formgrader/api/student/([^/]+)", Student)]


def _jupyter_server_extension_points():
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp):
    from jupyter_server.utils import url_path_join

    base_url = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [(url_path_join(base_url, path), handler) for path, handler in _handlers()])
    serverapp.log.info("nn-from-scratch: the formgrader's students' totals count one edition per seminar")
