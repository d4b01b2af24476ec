"""nbgrader settings of the course. nbgrader reads this file from the current
directory: run every nbgrader command from the repository root."""
import os
import secrets
import sys

from nbgrader.preprocessors import ClearSolutions

c = get_config()  # noqa: F821 (nbgrader provides get_config)

c.CourseDirectory.course_id = "nn-from-scratch"

# nbgrader starts `alembic` (a new gradebook) and the kernel starts `python` by name: the ones of
# the installation running nbgrader come first, so `.venv/bin/nbgrader ...` works without
# .venv/bin on PATH (a failed generate_assignment would delete the tracked release/<assignment>).
_bin = os.path.dirname(sys.executable)
if os.environ.get("PATH", "").split(os.pathsep)[0] != _bin:
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

# Per-cell limit while autograding or validating (nbgrader's default is 30 s).
# The slowest cell of a correct solution takes about 3 s on a 2-core machine.
c.Execute.timeout = 30

# Stubs name what to do; the hidden tests and solutions are removed from release/. Each
# stub's error then names its task, "Linear.backward (Part 2) is not written yet"
# (checks/engine/release.py), right after nbgrader's ClearSolutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

from nbgrader.converters import GenerateAssignment  # noqa: E402

from checks.engine.release import KernelLanguageInfo, NameStubs  # noqa: E402

# Last, the metadata JupyterLab writes when the kernel starts, so that a release notebook opens
# unchanged (checks/engine/release.py).
_steps = GenerateAssignment.class_traits()["preprocessors"].default()  # nbgrader's own steps
c.GenerateAssignment.preprocessors = [*_steps[:_steps.index(ClearSolutions) + 1], NameStubs,
                                      *_steps[_steps.index(ClearSolutions) + 1:], KernelLanguageInfo]

# A test cell the student deleted is put back from the gradebook instead of
# leaving the cell ungraded (nbgrader #1770).
c.OverwriteCells.add_missing_cells = True

# nbgrader skips cells tagged "skip-execution" by default, so a student could tag
# the test cells and get full marks. No cell of this course needs skipping: the
# tag is drawn afresh for every run, so no one can know it in advance.
c.Execute.skip_cells_with_tag = "skip-" + secrets.token_hex(16)

# Autograde never runs student code in nbgrader's own kernel: checks.engine.autograde grades
# each submission in a sandbox (see the README, "Grading integrity"), and notes what a
# student changed in cells they should not touch. nbgrader's Execute is replaced; the
# other steps are nbgrader's defaults.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, DeduplicateIds, LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

from checks.engine.autograde import DetectTampering, GradeInSandbox  # noqa: E402
from checks.engine.outputs import KeepSubmittedOutputs  # noqa: E402

# NN_GRADING=plain keeps nbgrader's own steps: only to show what they let through
# (see the README, "Grading integrity"). nbgrader's CheckCellMetadata (twice, 0.1 s each) is
# left out: DetectTampering gives every cell with a course id the gradebook's metadata and
# takes it from every other cell, so the metadata is the course's by construction, and the
# grading steps write outputs, never metadata. nbformat validates with fastjsonschema, the
# same schema, several times faster than jsonschema. KeepSubmittedOutputs in ClearOutput's place
# keeps the student's own figures beside the written answers that refer to them (test cells'
# outputs are cleared: grading writes them).
os.environ.setdefault("NBFORMAT_VALIDATOR", "fastjsonschema")
if os.environ.get("NN_GRADING") != "plain":
    c.Autograde.sanitize_preprocessors = [
        DetectTampering, KeepSubmittedOutputs, DeduplicateIds, OverwriteKernelspec, OverwriteCells]
    c.Autograde.autograde_preprocessors = [
        GradeInSandbox, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
        AssignLatePenalties]

# Seconds for one test cell (or for one answer cell to load), and for a whole notebook.
c.GradeInSandbox.cell_timeout = 10
c.GradeInSandbox.submission_timeout = 300

# Feedback: each test named with its points, written answers not graded yet marked as such,
# maths typeset as MathML so it shows without a network (checks/engine/feedback.py).
from checks.engine.feedback import configure as configure_feedback  # noqa: E402

configure_feedback(c)

# The formgrader's grading page: MathJax from the course's installation (jupyter-server-mathjax),
# not a CDN, so maths and the keyboard shortcuts work offline; long messages wrapped; the
# student's own outputs marked as submitted (checks/engine/formgrader.py).
from checks.engine.formgrader import configure as configure_formgrader  # noqa: E402

configure_formgrader(c)

# The formgrader looks for an exchange directory (nbgrader's default is /srv/nbgrader/exchange)
# and warns on every page when it is missing; this course hands out release/ directly.
c.Exchange.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "exchange")
os.makedirs(c.Exchange.root, exist_ok=True)
