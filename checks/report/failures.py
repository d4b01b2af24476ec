"""What each failed test cell says, sorted: the named mistakes, the visible tests' own asserts,
and the failures no catalogued message names; and the class's failures grouped by them.

A hidden check's failure is a message made with checks.i18n.t: its id is the English template,
so a mistake has the same id in every edition. A template may hold other messages in its fields
("{what} {phrase}: relative error ..." with the phrase "is half the right value: ..."): the
mistake is the whole, so its key is the template with each nested message's own key in place
of its field. Plain fields (numbers, shapes, names) are left out: they differ from student to
student for one mistake.

Some templates only wrap what no check explains: an exception the student's code raised (the
stub's NotImplementedError among them), a call stopped for time, a process that ended. Those
failures, and verdicts whose message has no id, are the catalogue's holes, grouped by kind.
"""
import string
from collections import Counter
from dataclasses import dataclass, field

from ..i18n import speaking, t

MISTAKE = "named mistake"
VISIBLE = "visible test's assert"
NOT_WRITTEN = "not written"
EXCEPTION = "exception"
TIMEOUT = "timeout"
NOT_RUN = "not run"
PROCESS_ENDED = "process ended"
NO_ID = "verdict without a message id"

# Kinds of the failures that no catalogued message names, in the order the report shows them.
HOLES = (EXCEPTION, NO_ID, TIMEOUT, NOT_RUN, PROCESS_ENDED, NOT_WRITTEN)
HOLE_WORDS = {
    EXCEPTION: "an exception that no check explains (raised by the student's code or by a test on what it got)",
    NO_ID: "a check's verdict whose message has no id: a message to give one (checks.i18n.t)",
    TIMEOUT: "stopped for time (an endless loop, or far too slow)",
    NOT_RUN: "the notebook's time was up before the test ran",
    PROCESS_ENDED: "the student's process ended under the test (a crash, os._exit, memory)",
    NOT_WRITTEN: "the part's stub still raises NotImplementedError: the student did not attempt it",
}

# The templates that wrap a failure without naming a mistake (checks/kit/feedback.py,
# checks/engine/grader.py); tests/test_report.py holds them to the catalogue of messages.
RAISED = "{what} raised {error}: {message}{where}"
RAISED_AT = "{message}\n(at {where})"
CALL_STOPPED = "{what} did not finish in time (an endless loop, or far too slow); it was stopped"
CALL_ENDED = "{what}: {why}"
STATUS_KINDS = {"timeout": TIMEOUT, "not run": NOT_RUN, "process ended": PROCESS_ENDED}


@dataclass(frozen=True)
class Failure:
    """How one test cell failed: its kind and a key that is the same in every edition."""
    kind: str
    key: str      # a mistake's message key; the exception's name; "" for the other kinds


def message_key(message):
    """The message's id with the keys of the messages in its fields in their place; None without an id."""
    template = (message or {}).get("id")
    if not template:
        return None
    fields = message.get("fields") or {}
    pieces = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        pieces.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        nested = fields.get(name)
        if isinstance(nested, dict) and nested.get("id"):
            pieces.append(message_key(nested))
        else:
            pieces.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return "".join(pieces)


def classify(cell):
    """The Failure of a failed cell's result as data (checks/engine/results.py, CellResult.to_json)."""
    status = cell.get("status")
    if status in STATUS_KINDS:
        return Failure(STATUS_KINDS[status], "")
    message, error = cell.get("message") or {}, cell.get("error") or ""
    template = message.get("id")
    fields = message.get("fields") or {}
    if template == CALL_STOPPED:
        return Failure(TIMEOUT, "")
    if template == CALL_ENDED:
        return Failure(PROCESS_ENDED, "")
    if template == RAISED:
        error = str(fields.get("error") or error)
    elif template == RAISED_AT or (template is None and error not in ("GradingFailure", "AssertionError")):
        pass  # the exception is the cell's error
    elif template is None:
        return Failure(VISIBLE if error == "AssertionError" else NO_ID, "")
    else:
        return Failure(MISTAKE, message_key(message))
    return Failure(NOT_WRITTEN if error == "NotImplementedError" else EXCEPTION,
                   "" if error == "NotImplementedError" else error)


def said_in(message, language):
    """A message as data, said again in `language` from its id and fields; its own text when it
    has no id, or when its fields no longer fit the template."""
    template = (message or {}).get("id")
    if not template:
        return (message or {}).get("text", "")
    fields = {name: said_in(value, language) if isinstance(value, dict) else value
              for name, value in (message.get("fields") or {}).items()}
    try:
        with speaking(language):
            return str(t(template, **fields))
    except (KeyError, IndexError, ValueError, TypeError):
        return message.get("text", "")


@dataclass
class Group:
    """The failures of the class that share a kind, a part and a key: who, where, what it cost."""
    kind: str
    part: str
    key: str
    cells: set = field(default_factory=set)
    lost: dict = field(default_factory=dict)       # {(assignment, student): points lost}
    messages: list = field(default_factory=list)   # [(submission, message as data)], as they came

    @property
    def students(self):
        return len(self.lost)

    @property
    def points(self):
        return sum(self.lost.values())

    def example(self, language):
        """One message of the group in `language`: from a student of that edition when there is one
        (a visible test's words are the notebook's, in its edition's language)."""
        chosen = next(((s, m) for s, m in self.messages if s.language == language), self.messages[0])
        return said_in(chosen[1], language)

    def texts(self, language, limit=3):
        """([(text, how many read it)], how many messages of other editions are left out): the distinct
        words of the messages in `language` (of every edition when none is), most read first."""
        mine = [m for s, m in self.messages if s.language == language] or [m for _, m in self.messages]
        return Counter(said_in(m, language) for m in mine).most_common(limit), len(self.messages) - len(mine)


def group_failures(submissions, tests):
    """[Group] of every failed cell of the submissions that have results."""
    part_of = {test.grade_id: test.part for test in tests}
    groups = {}
    for submission in submissions:
        for grade_id, cell in sorted((submission.cells or {}).items()):
            failure = classify(cell)
            part = part_of.get(grade_id, "")
            key = (failure.kind, part, grade_id if failure.kind == VISIBLE else failure.key)
            group = groups.setdefault(key, Group(*key))
            score, maximum = submission.scores.get(grade_id, (0.0, 0.0))
            who = (submission.assignment, submission.student)
            group.cells.add(grade_id)
            group.lost[who] = group.lost.get(who, 0.0) + (maximum - score)
            group.messages.append((submission, cell.get("message") or {}))
    return list(groups.values())
