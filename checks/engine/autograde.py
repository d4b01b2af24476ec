"""nbgrader integration: grade in a sandbox instead of executing the notebook.

nbgrader_config.py puts two preprocessors into `nbgrader autograde`:
- DetectTampering, first of the sanitizing steps: compares the submitted notebook with
  the gradebook (edited, emptied, deleted or re-tagged test cells, changed metadata,
  missing answer cells, reordered cells) and keeps what it found for the report;
- GradeInSandbox, in place of nbgrader's Execute: runs the course's test cells against
  the student's answer cells (checks/engine/grader.py) and writes each test cell's outputs,
  from which nbgrader's SaveAutoGrades takes the scores as usual: an error output
  scores 0, none scores the cell's points. It also puts a grading report at the top of
  the notebook, which generate_feedback shows to the student.
A notebook always gets a grade: a hang, a crash or a dead process costs the tests that
were running, never the submission.
"""
import atexit
import dataclasses

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float, Integer, List

from ..i18n import ENGLISH, speaking, t
from .course import HIDDEN_REGION, Course
from .configuration import GradingConfig
from .grader import SubmissionGrader
from .notebook import grade_id_of
from .sandbox import isolation_in_words
from .student_code import StudentCode
from .remote import Zygotes

# nbgrader grades a class one notebook after another in this process: each notebook finds
# a sandbox started ahead, with numpy imported and no student code run in it.
_ZYGOTES = Zygotes(spare=True)


def close_spare_sandboxes():
    """Stop the sandbox started ahead for a next notebook, and remove what it left. Run at exit;
    a process that ends without running atexit (a forked grading worker, which ends with
    os._exit) calls it itself when it has graded its last notebook."""
    _ZYGOTES.close()


atexit.register(close_spare_sandboxes)

REPORT_KEY = "nn_grading"
COURSE_KEY = "nn_grading_course"  # resources: the gradebook's course, read once per notebook
_announced = set()


def _read_gradebook(db_url, assignment, notebook_name):
    """(Course, canonical cells) from the instructor's notebook as generate_assignment stored it
    (hidden tests included). canonical: grade_id -> {cell_type, nbgrader metadata, release source}."""
    with Gradebook(db_url) as gradebook:
        notebook = gradebook.find_notebook(notebook_name, assignment)
        grade_cells = {cell.name: cell for cell in notebook.grade_cells}
        solution_cells = {cell.name for cell in notebook.solution_cells}
        cells, canonical = [], {}
        for cell in notebook.source_cells:
            flags = {"grade": cell.name in grade_cells, "grade_id": cell.name,
                     "locked": bool(cell.locked), "schema_version": 3,
                     "solution": cell.name in solution_cells, "task": False}
            if cell.name in grade_cells:
                flags["points"] = grade_cells[cell.name].max_score
            cells.append((cell.cell_type, cell.name, cell.source, flags))
            canonical[cell.name] = {"cell_type": cell.cell_type, "nbgrader": flags,
                                    "source": HIDDEN_REGION.sub("", cell.source), "full_source": cell.source}
    return Course.from_cells(cells), canonical


def _normalised(source):
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


class DetectTampering(NbGraderPreprocessor):
    """First sanitizing step: note what the student changed in cells they should not touch,
    and give nbgrader a well-formed notebook.

    nbgrader itself drops a whole submission on some edits (a cell id that is not in the
    gradebook, a deleted test cell after a deleted answer cell). So every cell with a
    course id gets the course's grading metadata back, cells with unknown or repeated ids
    become plain cells, and deleted test cells are put back; the notes go to the report.
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course, canonical = _read_gradebook(info["db_url"], info["assignment"], info["notebook"])
        resources[COURSE_KEY] = course
        with speaking(course.language):
            return self._sanitise(nb, resources, course, canonical)

    def _sanitise(self, nb, resources, course, canonical):
        notes = []
        by_id = {}
        for cell in nb.cells:
            grade_id = grade_id_of(cell) if "nbgrader" in cell.get("metadata", {}) else None
            if "nbgrader" not in cell.get("metadata", {}):
                continue
            if grade_id not in canonical:
                notes.append(t("A cell had the unknown id `{cell}`: it was treated as an ordinary cell.",
                               cell=grade_id))
                del cell.metadata["nbgrader"]
            elif grade_id in by_id:
                notes.append(t("The cell id `{cell}` appears twice; the first cell was used.", cell=grade_id))
                del cell.metadata["nbgrader"]
            elif cell.cell_type != canonical[grade_id]["cell_type"]:
                notes.append(t("Cell `{cell}` was changed into a {kind} cell.", cell=grade_id, kind=cell.cell_type))
                del cell.metadata["nbgrader"]
            else:
                by_id[grade_id] = cell

        for test in course.tests:
            cell = by_id.get(test.grade_id)
            if cell is None:
                notes.append(t("Test cell `{cell}` was deleted: the course's test was run anyway.", cell=test.grade_id))
                continue
            if _normalised(cell.source) != _normalised(test.released_source):
                notes.append(t("Test cell `{cell}` was edited: the course's version was run instead.",
                               cell=test.grade_id))
            if cell.metadata.get("tags"):
                notes.append(t("Test cell `{cell}` carries tags {tags}: tags are ignored when grading.",
                               cell=test.grade_id, tags=list(cell.metadata["tags"])))
        for grade_id, source in course.setup:
            cell = by_id.get(grade_id)
            if cell is not None and _normalised(cell.source) != _normalised(source):
                notes.append(t("Read-only cell `{cell}` was edited: the course's version was used.", cell=grade_id))
        for answer in course.answers:
            if answer.grade_id not in by_id:
                notes.append(t("Answer cell `{cell}` is missing (deleted, or its id changed).", cell=answer.grade_id))
        for grade_id, cell in by_id.items():
            wanted = canonical[grade_id]["nbgrader"]
            current = cell.metadata["nbgrader"]
            if any(current.get(key) != value for key, value in wanted.items()):
                notes.append(t("Cell `{cell}` had its grading metadata changed: the course's settings were used.",
                               cell=grade_id))
            checksum = current.get("checksum")
            cell.metadata["nbgrader"] = dict(wanted, **({"checksum": checksum} if checksum else {}))
            if wanted["locked"]:
                # The course's own code, hidden tests included: nbgrader's OverwriteCells would
                # put it back anyway, logging "checksum has changed" for every hidden-test cell.
                cell.source = canonical[grade_id]["full_source"]

        submitted_order = [g for g in by_id if g in canonical]
        if submitted_order != [g for g in canonical if g in by_id]:
            notes.append(t("Cells were moved: grading does not depend on their order."))
        _put_back_missing_cells(nb, canonical, by_id, course)
        nb.metadata[REPORT_KEY] = {"tampering": notes}
        return nb, resources


def _put_back_missing_cells(nb, canonical, by_id, course):
    """Insert deleted test and read-only cells (never an answer) after their predecessor."""
    answers = {a.grade_id for a in course.answers}
    previous_index = -1
    for grade_id, spec in canonical.items():
        if grade_id in by_id:
            previous_index = next(i for i, c in enumerate(nb.cells) if c is by_id[grade_id])
            continue
        if grade_id in answers:
            continue
        flags = spec["nbgrader"]
        if flags["solution"]:  # a written answer: never show the instructor's text
            source = t("(this answer cell was deleted)")
        else:
            source = spec["source"]
        if spec["cell_type"] == "code":
            cell = nbformat.v4.new_code_cell(source)
        else:
            cell = nbformat.v4.new_markdown_cell(source)
        cell.metadata["nbgrader"] = dict(flags)
        nb.cells.insert(previous_index + 1, cell)
        by_id[grade_id] = cell
        previous_index += 1


_DEFAULTS = GradingConfig()


class GradeInSandbox(NbGraderPreprocessor):
    """Replaces nbgrader's Execute in autograde: see the module docstring. Its settings are a
    course's GradingConfig (checks/engine/configuration.py), defaults included."""

    cell_timeout = Float(_DEFAULTS.cell_timeout,
                         help="Seconds for one test cell, or for one answer cell to load.").tag(config=True)
    submission_timeout = Float(_DEFAULTS.submission_timeout, help="Seconds for all tests of one notebook.").tag(config=True)
    memory_limit_mb = Integer(_DEFAULTS.memory_limit_mb, help="Address-space cap of the student's process.").tag(config=True)
    max_processes = Integer(_DEFAULTS.max_processes,
                            help="Processes the student's code may run at once.").tag(config=True)
    use_bwrap = Bool(_DEFAULTS.use_bwrap,
                     help="Isolate the file system, network and PIDs with bubblewrap.").tag(config=True)
    use_cgroups = Bool(_DEFAULTS.use_cgroups, help="Cap processes and memory with a cgroup.").tag(config=True)
    require_isolation = Bool(_DEFAULTS.require_isolation,
                             help="Refuse to grade when a mechanism is missing.").tag(config=True)
    hidden_paths = List(list(_DEFAULTS.hidden_paths), help="More paths student code must not see.").tag(config=True)

    def grading_config(self):
        return GradingConfig(**{item.name: getattr(self, item.name) for item in dataclasses.fields(GradingConfig)})

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course = resources.get(COURSE_KEY) or \
            _read_gradebook(info["db_url"], info["assignment"], info["notebook"])[0]
        supplied = _SUPPLIED.pop((info["assignment"], info["student"], info["notebook"]), None)
        if supplied is not None:  # graded elsewhere (a worker of the grading service): record it as it is
            return self._record(nb, resources, supplied, course)
        config = self.grading_config()
        coursedir = getattr(getattr(self.parent, "parent", None), "coursedir", None)
        sandbox = config.sandbox(coursedir.root if coursedir is not None else None, info["db_url"])
        for warning in sandbox.warnings:
            if warning not in _announced:
                _announced.add(warning)
                self.log.warning("sandbox: %s", warning)
        if sandbox.warnings and config.require_isolation:
            raise RuntimeError("grading refused: " + "; ".join(sandbox.warnings))

        code = StudentCode.from_notebook(nb, course)
        result = SubmissionGrader(course, code, sandbox, config.settings(), zygotes=_ZYGOTES).grade()
        return self._record(nb, resources, result, course)

    @staticmethod
    def _record(nb, resources, result, course):
        """Write a result into the notebook (outputs and report), and keep it for the caller."""
        info = resources["nbgrader"]
        result.notes = nb.metadata.get(REPORT_KEY, {}).get("tampering", []) + result.notes
        write_results(nb, result, course)
        insert_report(nb, result.notes, result.sandbox, result.warnings, course.language)
        nb.metadata.pop(REPORT_KEY, None)
        _RESULTS[info["assignment"], info["student"], info["notebook"]] = result
        return nb, resources


# Results graded elsewhere, to be recorded by the next autograde of that notebook in this process:
# the grading service's worker grades, the service records through nbgrader's own autograde.
_SUPPLIED = {}


def supply_result(assignment, student, notebook, result):
    """Have the next autograde of (assignment, student, notebook) in this process record `result`
    (a SubmissionResult graded elsewhere) instead of grading."""
    _SUPPLIED[assignment, student, notebook] = result


# What GradeInSandbox gave for each notebook it graded in this process, until taken: nn-grade's
# workers run autograde in-process and record the result as it is.
_RESULTS = {}


def take_results(assignment, student):
    """{notebook: SubmissionResult} of the last grading of a student's assignment in this process."""
    keys = [key for key in _RESULTS if key[:2] == (assignment, student)]
    return {key[2]: _RESULTS.pop(key) for key in keys}


def write_results(nb, results, course):
    """Each test cell gets its outputs, and its released source back: nbgrader restored the
    hidden tests into the notebook, and feedback must not show them (nbgrader #917)."""
    released = {test.grade_id: test.released_source for test in course.tests}
    for cell in nb.cells:
        grade_id = grade_id_of(cell)
        if cell.cell_type == "code" and grade_id in results:
            cell.outputs = [nbformat.from_dict(output) for output in results[grade_id].outputs()]
            cell.execution_count = None
            cell.source = released.get(grade_id, cell.source)


def insert_report(nb, notes, sandbox, warnings, language=ENGLISH):
    """The grading report at the top of the notebook, in the edition's language. sandbox: how
    isolated the student's code ran (Sandbox.isolation()); its warnings, written for the
    instructor, stay as the sandbox wrote them."""
    with speaking(language):
        lines = [t("### Grading report"), "",
                 t("Only your answer cells were run, each part of the notebook in a fresh, isolated process "
                   "({sandbox}); the tests came from the course, not from this notebook.",
                   sandbox=isolation_in_words(sandbox)), ""]
        lines += [f"- {note}" for note in notes] or [t("- Nothing unusual happened.")]
        lines += [t("- Warning for the instructor: {warning}", warning=warning) for warning in warnings]
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("\n".join(lines)))
