"""The student's own outputs, kept where the instructor grades and the student reads feedback.

Grading runs only the answer cells (checks/engine/autograde.py), so the experiments' figures a
written question refers to ("use the right-hand plot") would be missing from the autograded
notebook, the formgrader and the feedback. KeepSubmittedOutputs takes the place of nbgrader's
ClearOutput among the sanitizing steps: a test cell's outputs are cleared (grading writes them),
every other code cell keeps the outputs the student submitted. The templates mark them as
submitted, not re-run (templates/nn_formgrade, templates/nn_feedback).

The outputs are the student's, and the formgrader shows them on the instructor's Jupyter
page: only kinds that cannot carry a script are kept (text, streams, errors, PNG and JPEG
images whose data is plain base64), without their metadata, and a notebook keeps at most
MAX_KEPT_CHARACTERS of them.
"""
import re

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer

from ..i18n import speaking, t
from .autograde import COURSE_KEY

SAFE_IMAGES = ("image/png", "image/jpeg")
BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")
MAX_KEPT_CHARACTERS = 4_000_000  # about forty figures


def is_test_cell(cell):
    meta = cell.metadata.get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def safe_output(output):
    """The output with only what cannot run in a browser, or None when nothing of it is left."""
    kind = output.get("output_type")
    if kind == "stream":
        return nbformat.v4.new_output("stream", name=output.get("name", "stdout"), text=str(output.get("text", "")))
    if kind == "error":
        return nbformat.v4.new_output("error", ename=str(output.get("ename", "")), evalue=str(output.get("evalue", "")),
                                      traceback=[str(line) for line in output.get("traceback", [])])
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        kept = {mime: data[mime] for mime in SAFE_IMAGES
                if isinstance(data.get(mime), str) and BASE64.match(data[mime])}
        if isinstance(data.get("text/plain"), (str, list)):
            text = data["text/plain"]
            kept["text/plain"] = text if isinstance(text, str) else "".join(map(str, text))
        if not kept:
            return None
        if kind == "execute_result":
            return nbformat.v4.new_output("execute_result", data=kept, execution_count=output.get("execution_count"))
        return nbformat.v4.new_output("display_data", data=kept)
    return None


def size_of(output):
    if output.output_type == "stream":
        return len(output.text)
    if output.output_type == "error":
        return sum(map(len, output.traceback)) + len(output.evalue)
    return sum(len(value) for value in output.data.values())


class KeepSubmittedOutputs(NbGraderPreprocessor):
    """A sanitizing step in nbgrader's ClearOutput's place: see the module docstring."""

    max_characters = Integer(MAX_KEPT_CHARACTERS,
                             help="Characters of the student's outputs a notebook keeps, in all.").tag(config=True)

    def preprocess(self, nb, resources):
        course = resources.get(COURSE_KEY)  # DetectTampering read it from the gradebook
        with speaking(course.language if course is not None else None):
            return self._keep(nb, resources)

    def _keep(self, nb, resources):
        budget = self.max_characters
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for field in ("collapsed", "scrolled"):
                cell.metadata.pop(field, None)
            if is_test_cell(cell):
                cell.outputs, cell.execution_count = [], None
                continue
            kept, left_out = [], 0
            for output in cell.get("outputs", []):
                safe = safe_output(output)
                if safe is None:
                    continue
                if size_of(safe) > budget:
                    left_out += 1
                    continue
                budget -= size_of(safe)
                kept.append(safe)
            if left_out:
                kept.append(nbformat.v4.new_output("stream", name="stdout", text=t(
                    "(outputs left out here: a notebook keeps {megabytes} MB of its outputs)",
                    megabytes=f"{self.max_characters / 1e6:g}") + "\n"))
            cell.outputs = kept
        return nb, resources
