"""How the engine names a student's cells in the messages a student reads, in their language.

The grader labels each piece of student code it loads ("answer cell `linear`", "your cell
after `nll_loss_values`", "read-only cell `setup`"); the label goes into the student's
process as the cell's file name, so it comes back in the `where` of an error ("line 4 of
answer cell `linear`, in forward: return X @ W"). These functions say such a `where` in the
current language (checks.kit.i18n): in English exactly as the wire protocol wrote it.
"""
import re

from ..kit.i18n import t

LABEL = re.compile(r"^(?P<kind>answer cell|your cell after|read-only cell) `(?P<ref>[^`]*)`$")
WHERE = re.compile(r"^line (?P<line>\d+) of (?P<cell>(?:answer cell|your cell after|read-only cell) `[^`]*`)"
                   r"(?:, in (?P<function>[^:]+?))?: (?P<code>.*)$", re.DOTALL)


def label_in_words(label):
    """A cell's label as it stands after "line 4 of" ("answer cell `linear`")."""
    match = LABEL.match(label)
    if not match:
        return label
    kind, ref = match.group("kind"), match.group("ref")
    if kind == "answer cell":
        return t("answer cell `{cell}`", cell=ref)
    if kind == "read-only cell":
        return t("read-only cell `{cell}`", cell=ref)
    if ref == "the top of the notebook":
        return t("your cell after `the top of the notebook`")
    return t("your cell after `{cell}`", cell=ref)


def where_in_words(where):
    """'line 4 of answer cell `linear`, in forward: return X @ W' in the current language."""
    match = WHERE.match(where or "")
    if not match:
        return where
    cell = label_in_words(match.group("cell"))
    if match.group("function"):
        return t("line {line} of {cell}, in {function}: {code}", line=match.group("line"), cell=cell,
                 function=match.group("function"), code=match.group("code"))
    return t("line {line} of {cell}: {code}", line=match.group("line"), cell=cell, code=match.group("code"))


def subject_in_words(label):
    """A cell's label as the subject of a sentence: "the answer cell `linear`", "your cell after ..."."""
    match = LABEL.match(label)
    if match and match.group("kind") == "answer cell":
        return t("the answer cell `{cell}`", cell=match.group("ref"))
    if match and match.group("kind") == "read-only cell":
        return t("the read-only cell `{cell}`", cell=match.group("ref"))
    return label_in_words(label)
