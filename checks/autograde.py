"""nbgrader integration: grade in a sandbox instead of executing the notebook.

nbgrader_config.py puts two preprocessors into `nbgrader autograde`:
- DetectTampering, first of the sanitizing steps: compares the submitted notebook with
  the gradebook (edited, emptied, deleted or re-tagged test cells, changed metadata,
  missing answer cells, reordered cells) and keeps what it found for the report;
- GradeInSandbox, in place of nbgrader's Execute: runs the course's test cells against
  the student's answer cells (checks/grading.py) and writes each test cell's outputs,
  from which nbgrader's SaveAutoGrades takes the scores as usual: an error output
  scores 0, none scores the cell's points. It also puts a grading report at the top of
  the notebook, which generate_feedback shows to the student.
A notebook always gets a grade: a hang, a crash or a dead process costs the tests that
were running, never the submission.
"""
import os
import sys

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List

from .grading import HIDDEN_REGION, Course, Settings, SubmissionGrader, defined_names
from .sandbox import Limits, Sandbox

REPORT_KEY = "nn_grading"
_announced = set()


def _course_from_gradebook(db_url, assignment, notebook_name):
    """The instructor's notebook as stored by generate_assignment (hidden tests included)."""
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_notebook(notebook_name, assignment)
        grade_cells = {cell.name: cell for cell in notebook.grade_cells}
        solution_cells = {cell.name for cell in notebook.solution_cells}
        cells = []
        for cell in notebook.source_cells:
            flags = {"solution": cell.name in solution_cells, "grade": cell.name in grade_cells,
                     "locked": bool(cell.locked),
                     "points": grade_cells[cell.name].max_score if cell.name in grade_cells else 0}
            cells.append((cell.cell_type, cell.name, cell.source, flags))
    return Course.from_cells(cells)


def _grade_id(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _normalised(source):
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


class DetectTampering(NbGraderPreprocessor):
    """Notes what a student changed in cells they should not touch (before nbgrader restores them)."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course = _course_from_gradebook(info["db_url"], info["assignment"], info["notebook"])
        notes = []
        by_id = {}
        for cell in nb.cells:
            grade_id = _grade_id(cell)
            if grade_id:
                if grade_id in by_id:
                    notes.append(f"The cell id `{grade_id}` appears twice; the first cell was used.")
                by_id.setdefault(grade_id, cell)
        for test in course.tests:
            cell = by_id.get(test.grade_id)
            if cell is None:
                notes.append(f"Test cell `{test.grade_id}` was deleted: the course's test was run anyway.")
                continue
            if _normalised(cell.source) != _normalised(test.released_source):
                notes.append(f"Test cell `{test.grade_id}` was edited: the course's version was run instead.")
            flags = cell.metadata.get("nbgrader", {})
            if not flags.get("grade") or flags.get("solution") or float(flags.get("points") or 0) != test.points:
                notes.append(f"Test cell `{test.grade_id}` had its grading metadata changed: "
                             "the course's settings were used.")
            if cell.metadata.get("tags"):
                notes.append(f"Test cell `{test.grade_id}` carries tags {list(cell.metadata['tags'])}: "
                             "tags are ignored when grading.")
        for grade_id, source in course.setup:
            cell = by_id.get(grade_id)
            if cell is not None and _normalised(cell.source) != _normalised(source):
                notes.append(f"Read-only cell `{grade_id}` was edited: the course's version was used.")
        for answer in course.answers:
            cell = by_id.get(answer.grade_id)
            if cell is None:
                notes.append(f"Answer cell `{answer.grade_id}` is missing (deleted, or its id changed).")
            elif not cell.metadata.get("nbgrader", {}).get("solution"):
                notes.append(f"Answer cell `{answer.grade_id}` had its grading metadata changed.")
        known = set(course.order)
        submitted_order = [g for g in by_id if g in known]
        if submitted_order != [g for g in course.order if g in by_id]:
            notes.append("Cells were moved: grading does not depend on their order.")
        nb.metadata[REPORT_KEY] = {"tampering": notes}
        return nb, resources


class GradeInSandbox(NbGraderPreprocessor):
    """Replaces nbgrader's Execute in autograde: see the module docstring."""

    cell_timeout = Float(10.0, help="Seconds for one test cell, or for one answer cell to load.").tag(config=True)
    submission_timeout = Float(300.0, help="Seconds for all tests of one notebook.").tag(config=True)
    memory_limit_mb = Integer(2048, help="Address-space cap of the student's process.").tag(config=True)
    max_processes = Integer(64, help="Processes the student's code may run at once.").tag(config=True)
    use_bwrap = Bool(True, help="Isolate the file system, network and PIDs with bubblewrap.").tag(config=True)
    use_cgroups = Bool(True, help="Cap processes and memory with a cgroup.").tag(config=True)
    require_isolation = Bool(False, help="Refuse to grade when a mechanism is missing.").tag(config=True)
    hidden_paths = List([], help="More paths student code must not see.").tag(config=True)

    def _hidden(self, db_url):
        hidden = [os.path.dirname(os.path.abspath(sys.modules[name].__file__))
                  for name in ("checks", "solutions") if name in sys.modules]
        coursedir = getattr(getattr(self.parent, "parent", None), "coursedir", None)
        if coursedir is not None:
            hidden.append(os.path.abspath(coursedir.root))
        if db_url.startswith("sqlite:///"):
            hidden.append(os.path.abspath(db_url[len("sqlite:///"):]))
        return hidden + list(self.hidden_paths)

    def preprocess(self, nb, resources):
        import solutions  # noqa: F401  (so that its directory is hidden too)
        info = resources["nbgrader"]
        course = _course_from_gradebook(info["db_url"], info["assignment"], info["notebook"])
        limits = Limits(memory_bytes=self.memory_limit_mb * 2**20, max_processes=self.max_processes)
        sandbox = Sandbox(hidden=self._hidden(info["db_url"]), limits=limits,
                          use_bwrap=self.use_bwrap, use_cgroups=self.use_cgroups)
        for warning in sandbox.warnings:
            if warning not in _announced:
                _announced.add(warning)
                self.log.warning("sandbox: %s", warning)
        if sandbox.warnings and self.require_isolation:
            raise RuntimeError("grading refused: " + "; ".join(sandbox.warnings))

        sources, notes = answer_sources(nb, course)
        settings = Settings(cell_timeout=self.cell_timeout, submission_timeout=self.submission_timeout)
        grader = SubmissionGrader(course, sources, sandbox, settings)
        results = grader.grade()
        write_results(nb, results)
        tampering = nb.metadata.get(REPORT_KEY, {}).get("tampering", [])
        insert_report(nb, tampering + notes + grader.report.notes, sandbox)
        nb.metadata.pop(REPORT_KEY, None)
        return nb, resources


def answer_sources(nb, course):
    """{answer grade_id: the student's source}, and notes on answers found another way."""
    sources, notes = {}, []
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for answer in course.answers:
        cell = next((c for c in cells if _grade_id(c) == answer.grade_id), None)
        if cell is None and answer.names:
            # The id was lost (cell deleted and retyped, metadata edited): take the last
            # cell that is not a test and defines the answer's name.
            test_ids = {t.grade_id for t in course.tests}
            candidates = [c for c in cells if _grade_id(c) not in test_ids
                          and answer.names[0] in defined_names(c.source)]
            if candidates:
                cell = candidates[-1]
                notes.append(f"No cell has the id `{answer.grade_id}`: the cell that defines "
                             f"`{answer.names[0]}` was graded as that answer.")
        if cell is not None:
            sources[answer.grade_id] = cell.source
    return sources, notes


def write_results(nb, results):
    for cell in nb.cells:
        grade_id = _grade_id(cell)
        if cell.cell_type == "code" and grade_id in results:
            cell.outputs = [nbformat.from_dict(output) for output in results[grade_id].outputs()]
            cell.execution_count = None


def insert_report(nb, notes, sandbox):
    lines = ["### Grading report", "",
             f"Only your answer cells were run, each part of the notebook in a fresh, isolated process "
             f"({sandbox.describe()}); the tests came from the course, not from this notebook.", ""]
    lines += [f"- {note}" for note in notes] or ["- Nothing unusual happened."]
    lines += [f"- Warning for the instructor: {warning}" for warning in sandbox.warnings]
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("\n".join(lines)))
