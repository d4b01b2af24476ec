"""What the wire protocol says as data, in the reader's language (checks.i18n): the grader's side.

The protocol carries facts, never sentences: which piece of student code is which (a cell's
label, "answer:linear"), where an error was raised ({"line", "cell", "function", "code"}), how
a process ended ({"signal": "SIGKILL"}, {"exit_code": 3}), which value could not cross
(UncrossableValue.fields) and how a loop over samples was seen (LoopOverSamples.fields).
Here they become words, once, where a student reads them.
"""
from ..i18n import t

# The kinds of student code the grader loads; a cell's label is "<kind>:<grade_id>".
ANSWER = "answer"  # an answer cell: "answer:linear"
HELPER = "helper"  # definitions taken from the student's cell after a cell of the course's ("helper:" at the top)
GIVEN = "given"    # a read-only cell of the course's


def cell_label(kind, ref):
    """The label the grader gives a piece of student code, which the wire carries as its file name."""
    return f"{kind}:{ref}"


def _kind_and_ref(label):
    kind, _, ref = str(label).partition(":")
    return kind, ref


def cell_in_words(label):
    """A cell as it stands after "line 4 of": "answer cell `linear`"."""
    kind, ref = _kind_and_ref(label)
    if kind == ANSWER:
        return t("answer cell `{cell}`", cell=ref)
    if kind == GIVEN:
        return t("read-only cell `{cell}`", cell=ref)
    if kind == HELPER and not ref:
        return t("your cell after `the top of the notebook`")
    if kind == HELPER:
        return t("your cell after `{cell}`", cell=ref)
    return str(label)


def cell_as_subject(label):
    """A cell as the subject of a sentence: "the answer cell `linear`", "your cell after ..."."""
    kind, ref = _kind_and_ref(label)
    if kind == ANSWER:
        return t("the answer cell `{cell}`", cell=ref)
    if kind == GIVEN:
        return t("the read-only cell `{cell}`", cell=ref)
    return cell_in_words(label)


def where_in_words(where):
    """'line 4 of answer cell `linear`, in forward: return X @ W' for a `where` of the wire."""
    if not where:
        return ""
    cell = cell_in_words(where.get("cell", ""))
    if where.get("function"):
        return t("line {line} of {cell}, in {function}: {code}", line=where.get("line"), cell=cell,
                 function=where["function"], code=where.get("code", ""))
    return t("line {line} of {cell}: {code}", line=where.get("line"), cell=cell, code=where.get("code", ""))


def ending_in_words(ending):
    """How a process ended ({"signal": ...}, {"exit_code": ...}, {} while it runs)."""
    if "signal" in ending:
        return t("killed by signal {signal}", signal=ending["signal"])
    if "exit_code" in ending:
        return t("exit code {code}", code=ending["exit_code"])
    return t("still running")


def uncrossable_in_words(fields):
    """What could not cross, and which way (UncrossableValue.fields)."""
    value = _value_in_words(fields.get("value") or {})
    if fields.get("direction") == "returned":
        return t("returned {value}, which cannot be sent back as data", value=value)
    if fields.get("direction") == "passed" and fields.get("peer") == "grader":
        return t("passed {value} to the grader's code, which cannot be sent as data", value=value)
    if fields.get("direction") == "passed":
        return t("passed {value} to the student's code, which cannot be sent as data", value=value)
    return value


def _value_in_words(value):
    kind, shape = value.get("kind"), tuple(value.get("shape") or ())
    if kind == "object array":
        return t("an array of shape {shape} and dtype object (numbers of mixed types, or arrays of different "
                 "lengths, put together)", shape=shape)
    if kind == "too large":
        return t("an array of shape {shape} and dtype {dtype} ({size} MiB), more than the {limit} MiB a value "
                 "may take", shape=shape, dtype=value.get("dtype"), size=f"{value.get('mib', 0):,.1f}",
                 limit=value.get("limit_mib"))
    if kind == "too deep":
        return t("a value nested more than {depth} levels deep", depth=value.get("depth"))
    return t("a numpy scalar of type {type}", type=value.get("type"))


def loop_in_words(fields):
    """How a loop over samples was seen (LoopOverSamples.fields)."""
    if fields.get("how") == "indexed":
        return t("indexed its input row by row ({index})", index=fields.get("index", ""))
    return t("iterated over the rows of its input")
