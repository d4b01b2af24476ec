"""What seminars 2 and 3's mistake catalogues share: each mutant is its seminar's reference answer cell
with edits applied, (old, new) replacements that each match the reference exactly once."""
import inspect
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from sync_course import without_markers  # noqa: E402


class Catalogue:
    """The answer cells of one seminar's reference package (`reference`, with its ANSWER_CELLS)."""

    def __init__(self, reference):
        self.reference = reference

    def reference_source(self, answer):
        """The reference answer cell as a student would write it (solution markers removed)."""
        return without_markers(inspect.getsource(self.reference.ANSWER_CELLS[answer]).rstrip("\n"))

    def edited(self, answer, edits):
        """The reference answer with each (old, new) replacement applied; each old must occur once."""
        source = self.reference_source(answer)
        for old, new in edits:
            count = source.count(old)
            if count != 1:
                raise ValueError(f"{answer}: {old!r} occurs {count} times in the reference")
            source = source.replace(old, new)
        return source

    def answer_name(self, answer):
        """The name the answer cell defines."""
        return self.reference.ANSWER_CELLS[answer].__name__

    def mutant_source(self, case):
        """A catalogue entry (answer, mistake, edits, check, words) as the answer cell's source."""
        answer, _, edits, _, _ = case
        return self.edited(answer, edits)

    @staticmethod
    def keywords(case):
        """The words the message of the entry's check must contain, as a pattern."""
        return re.compile(case[4])
