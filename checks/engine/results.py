"""What grading one notebook gave, as data.

Grading returns a SubmissionResult: for each test cell its status, the message the student
reads and what it is (its template, the message's stable id, and its fields), the time it
took and the round trips it made; for the notebook the report's notes, the definitions
taken from the student's other cells, and what the sandbox saw. nbgrader gets outputs made
from it (`CellResult.outputs`); the batch, the queue service and the class report record
and read it as it is (`to_json`), instead of reading sentences back.
"""
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    PASSED = "passed"
    FAILED = "failed"                # the test found a mistake, or the student's code raised
    TIMEOUT = "timeout"              # stopped at its deadline, wherever the deadline passed
    NOT_RUN = "not run"              # the notebook's time was up before it
    PROCESS_ENDED = "process ended"  # the process running the student's code ended under it


STOPPED_FOR_TIME = (Status.TIMEOUT, Status.NOT_RUN)

# What nbgrader shows as the error's name for the engine's own outcomes.
ERROR_NAMES = {Status.TIMEOUT: "Timeout", Status.NOT_RUN: "NotRun", Status.PROCESS_ENDED: "ProcessEnded"}


def message_data(message):
    """{"text", "id", "fields"} of a message: a Text (checks.i18n) keeps its template, the
    message's stable id, and its fields; a plain string (a visible test's assert) has no id."""
    data = {"text": str(message), "id": getattr(message, "template", None)}
    fields = getattr(message, "fields", None)
    if fields:
        data["fields"] = {name: message_data(value) if hasattr(value, "template") else _plain(value)
                          for name, value in fields.items()}
    return data


def _plain(value):
    """A field as JSON holds it: numbers (numpy's too) and strings as they are, anything else in
    words."""
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return str(value)


@dataclass
class CellResult:
    """One test cell's outcome."""
    status: Status
    message: str = ""     # what the student reads; a Text knows its template and fields
    error: str = ""       # the error's name as nbgrader shows it: GradingFailure, AssertionError, Timeout, ...
    context: list = field(default_factory=list)  # the visible test's line that failed
    stdout: str = ""      # what the test and the student's code printed
    seconds: float = 0.0  # how long the test took, the answers' loading excluded
    exchanges: int = 0    # round trips between the grader and the student's process

    @classmethod
    def failed(cls, status, message, error=None, context=None):
        return cls(status, message, error or ERROR_NAMES.get(status, "Error"), list(context or []))

    @property
    def passed(self):
        return self.status is Status.PASSED

    def outputs(self):
        """nbgrader/nbformat outputs: a stdout stream, then an error if the test failed."""
        outputs = []
        if self.stdout:
            outputs.append({"output_type": "stream", "name": "stdout", "text": self.stdout})
        if not self.passed:
            outputs.append({"output_type": "error", "ename": self.error, "evalue": str(self.message),
                            "traceback": self.context + [f"{self.error}: {self.message}"]})
        return outputs

    def to_json(self, outputs=False):
        """As data; with `outputs`, also what the cell shows (its stdout and context), so the result
        can be written into the notebook where it was not computed."""
        data = {"status": self.status.value, "seconds": round(self.seconds, 4), "exchanges": self.exchanges}
        if not self.passed:
            data.update(error=self.error, message=message_data(self.message))
        if outputs:
            data.update(stdout=self.stdout, context=list(self.context))
        return data

    @classmethod
    def from_json(cls, data):
        """The CellResult of to_json(outputs=True): its words as the student read them."""
        message = data.get("message") or {}
        return cls(Status(data["status"]), str(message.get("text", "")), str(data.get("error", "")),
                   [str(line) for line in data.get("context", [])], str(data.get("stdout", "")),
                   float(data.get("seconds", 0.0)), int(data.get("exchanges", 0)))


@dataclass
class SubmissionResult(Mapping):
    """A whole notebook's outcome; as a mapping, {test grade_id: CellResult} in notebook order."""
    cells: dict
    notes: list = field(default_factory=list)   # the report's notes, in order
    taken: dict = field(default_factory=dict)   # definitions taken: {the student's cell: [names]}
    language: str = "en"
    sandbox: dict = field(default_factory=dict)  # how isolated the student's code ran (Sandbox.isolation)
    warnings: list = field(default_factory=list)  # missing isolation, for the instructor
    leftover_processes: int = 0
    printed: int = 0                            # characters the student's code printed

    def __getitem__(self, grade_id):
        return self.cells[grade_id]

    def __iter__(self):
        return iter(self.cells)

    def __len__(self):
        return len(self.cells)

    @property
    def stopped_for_time(self):
        """grade_ids of the tests stopped for time: a timeout, or not run for lack of time."""
        return [grade_id for grade_id, cell in self.cells.items() if cell.status in STOPPED_FOR_TIME]

    def to_json(self, outputs=False):
        return {"cells": {grade_id: cell.to_json(outputs) for grade_id, cell in self.cells.items()},
                "notes": [message_data(note) for note in self.notes], "taken": self.taken,
                "language": self.language, "sandbox": self.sandbox, "warnings": list(self.warnings),
                "leftover_processes": self.leftover_processes, "printed": self.printed}

    @classmethod
    def from_json(cls, data):
        """The SubmissionResult of to_json(outputs=True), its messages and notes as words."""
        return cls({grade_id: CellResult.from_json(cell) for grade_id, cell in data["cells"].items()},
                   notes=[str(note.get("text", "")) for note in data.get("notes", [])],
                   taken={str(label): list(names) for label, names in (data.get("taken") or {}).items()},
                   language=str(data.get("language", "en")), sandbox=dict(data.get("sandbox") or {}),
                   warnings=[str(warning) for warning in data.get("warnings", [])],
                   leftover_processes=int(data.get("leftover_processes", 0)), printed=int(data.get("printed", 0)))
