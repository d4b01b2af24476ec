"""The course's side of grading: what the instructor's notebook says is graded, and how.

A Course holds, in notebook order, the read-only cells (imports, constants, given code),
the answer cells with the names each defines, and the test cells with their points and
the answer each grades (a test cell's grade_id starts with its answer's grade_id).
"""
import ast
import re
from dataclasses import dataclass

from ..i18n import ENGLISH, language_of

HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*(\n|$)",
                           re.MULTILINE | re.DOTALL)


@dataclass
class Answer:
    grade_id: str
    names: list          # top-level names the course's answer defines (class Linear -> "Linear")


@dataclass
class Test:
    grade_id: str
    source: str          # the course's code, hidden tests included
    points: float
    answer: str          # grade_id of the answer it grades ("" if none matches)

    @property
    def released_source(self):
        """What students see: the source without its hidden region."""
        return HIDDEN_REGION.sub("", self.source)


@dataclass
class Course:
    """What grading needs from the instructor's notebook, in notebook order."""
    setup: list          # [(grade_id, source)] read-only code cells: imports, constants
    answers: list        # [Answer]
    tests: list          # [Test]
    order: list          # grade_ids of all these cells, in notebook order
    language: str = ENGLISH  # the edition's, from a `# language: xx` line of a read-only cell

    @classmethod
    def from_cells(cls, cells):
        """cells: (cell_type, grade_id, source, flags) in notebook order, flags from nbgrader metadata."""
        setup, answers, tests, order = [], [], [], []
        for cell_type, grade_id, source, flags in cells:
            if cell_type != "code":
                continue
            order.append(grade_id)
            if flags.get("solution") and not flags.get("grade"):
                answers.append(Answer(grade_id, defined_names(source)))
            elif flags.get("grade"):
                tests.append(Test(grade_id, source, float(flags.get("points") or 0), ""))
            elif flags.get("locked"):
                setup.append((grade_id, source))
        for test in tests:
            owners = [a.grade_id for a in answers if test.grade_id.startswith(a.grade_id + "_")]
            test.answer = max(owners, key=len) if owners else ""
        return cls(setup, answers, tests, order, language_of(source for _, source in setup))

    @classmethod
    def from_notebook(cls, notebook):
        return cls.from_cells([(cell.cell_type, cell.metadata["nbgrader"].get("grade_id", ""),
                                cell.source, cell.metadata["nbgrader"])
                               for cell in notebook.cells if "nbgrader" in cell.metadata])

    def parts(self):
        """[(answer grade_id, [Test])] in notebook order of the answers."""
        order = [a.grade_id for a in self.answers] + [""]
        groups = {key: [] for key in order}
        for test in self.tests:
            groups[test.answer].append(test)
        return [(key, groups[key]) for key in order if groups[key]]



def defined_names(source):
    """Top-level classes and functions a cell defines, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
