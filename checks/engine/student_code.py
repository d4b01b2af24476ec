"""Which of a submission's code grading runs: a static reading of the student's cells.

The answer cells run; of the student's other cells only the definitions the answers use
(functions, classes, imports, constants, found with symtable), never the rest (training
runs, plots); a definition that would replace an answer or a read-only cell's is never
taken. Imports of the grader's own packages are found before anything runs.
"""
import ast
import symtable
from dataclasses import dataclass, field

from ..i18n import speaking, t
from .course import defined_names
from .notebook import grade_id_of
from ..protocol.words import ANSWER, HELPER, cell_as_subject, cell_in_words, cell_label


def borrowed_modules(source, blocked):
    """Blocked modules (the reference solutions, the grader) that a cell imports."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("__import__", "import_module")):
            names = [node.args[0].value]  # __import__("solutions"), importlib.import_module("checks")
        for name in names:
            if name.split(".")[0] in blocked and name.split(".")[0] not in found:
                found.append(name.split(".")[0])
    return found



@dataclass
class StudentCell:
    """Code of the student's that the grader loads, in notebook order."""
    label: str           # "answer:linear", "helper:nll_loss_values" (checks/protocol/words.py)
    source: str
    answer: str = ""     # the answer's grade_id; "" for definitions taken from another cell
    names: list = field(default_factory=list)  # for those: the names taken

    @property
    def subject(self):
        """The cell as the subject of a sentence: "the answer cell `linear`", "your cell after ..."."""
        return cell_as_subject(self.label)

    @property
    def consequence(self):
        return t("its tests fail") if self.answer else t("the definitions taken from it were not loaded")


@dataclass
class StudentCode:
    """What grading runs of a submission: answer cells, and the definitions they use from the
    student's other cells (helpers), in notebook order; and notes for the report."""
    cells: list
    notes: list
    taken: dict = field(default_factory=dict)  # {label of the student's cell: names taken from it}

    @property
    def answers(self):
        """{answer grade_id: the student's source}."""
        return {cell.answer: cell.source for cell in self.cells if cell.answer}

    @classmethod
    def from_notebook(cls, nb, course):
        with speaking(course.language):
            return cls._from_notebook(nb, course)

    @classmethod
    def _from_notebook(cls, nb, course):
        notes = []
        code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
        answer_of = {}  # index in code_cells -> answer grade_id
        for answer in course.answers:
            index = next((i for i, c in enumerate(code_cells) if grade_id_of(c) == answer.grade_id), None)
            if index is None and answer.names:
                # The id was lost (cell deleted and retyped, metadata edited): take the last
                # cell that is not a test and defines the answer's name.
                test_ids = {t.grade_id for t in course.tests}
                candidates = [i for i, c in enumerate(code_cells) if grade_id_of(c) not in test_ids
                              and i not in answer_of and answer.names[0] in defined_names(c.source)]
                if candidates:
                    index = candidates[-1]
                    notes.append(t("No cell has the id `{cell}`: the cell that defines `{name}` was graded as "
                                   "that answer.", cell=answer.grade_id, name=answer.names[0]))
            if index is not None:
                answer_of[index] = answer.grade_id
        course_ids = {grade_id for grade_id in course.order}
        others = {i: c for i, c in enumerate(code_cells)
                  if i not in answer_of and grade_id_of(c) not in course_ids}
        helpers = helper_definitions(
            [code_cells[i].source for i in sorted(answer_of)],
            {i: c.source for i, c in others.items()},
            provided=set().union(*(top_level_names(source) for _, source in course.setup),
                                 *(top_level_names(code_cells[i].source) for i in answer_of),
                                 *(answer.names for answer in course.answers)))
        cells = []
        for i, c in enumerate(code_cells):
            if i in answer_of:
                cells.append(StudentCell(cell_label(ANSWER, answer_of[i]), c.source, answer=answer_of[i]))
            elif i in helpers:
                source, names = helpers[i]
                cells.append(StudentCell(cell_label(HELPER, _previous_id(code_cells, i, nb)),
                                         source, names=names))
        taken = [t("{names} from {cell}", names=", ".join(f"`{n}`" for n in cell.names),
                   cell=cell_in_words(cell.label)) for cell in cells if not cell.answer]
        if taken:
            notes.append(t("Your answers use definitions from your other cells; they were loaded for the tests "
                           "(definitions only, the rest of those cells did not run): {taken}.",
                           taken="; ".join(taken)))
        return cls(cells, notes, {cell.label: list(cell.names) for cell in cells if not cell.answer})


def _previous_id(code_cells, index, nb):
    """The grade_id of the nearest cell above code_cells[index] that has one ("the top" if none)."""
    position = next(i for i, c in enumerate(nb.cells) if c is code_cells[index])
    for cell in reversed(nb.cells[:position]):
        if grade_id_of(cell):
            return grade_id_of(cell)
    return ""  # the top of the notebook


# Calls a constant may make: numpy, math and a few builtins, never the student's own functions
# (a training run assigned to a name is not a definition).
CONSTANT_CALL_ROOTS = {"np", "numpy", "math"}
CONSTANT_BUILTINS = {"range", "len", "float", "int", "bool", "str", "tuple", "list", "dict", "set",
                     "abs", "min", "max", "sum", "round", "zip", "enumerate", "sorted", "frozenset"}


def _call_root(func):
    while isinstance(func, ast.Attribute):
        func = func.value
    return func.id if isinstance(func, ast.Name) else None


def is_constant_expression(node):
    """Literals, names, arithmetic, lambdas and calls of numpy, math or simple builtins."""
    for child in ast.walk(node):
        if isinstance(child, ast.Call):
            root = _call_root(child.func)
            is_builtin = isinstance(child.func, ast.Name) and root in CONSTANT_BUILTINS
            if not (is_builtin or (isinstance(child.func, ast.Attribute) and root in CONSTANT_CALL_ROOTS)):
                return False
        elif isinstance(child, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return False
    return True


def definition_names(statement):
    """Names a top-level statement defines if it is a definition (an import, a function, a class,
    a constant), else None."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, ast.Import):
        return [(alias.asname or alias.name.split(".")[0]) for alias in statement.names]
    if isinstance(statement, ast.ImportFrom):
        if any(alias.name == "*" for alias in statement.names):
            return None
        return [alias.asname or alias.name for alias in statement.names]
    if isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = []
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.append(node.id)
                elif not isinstance(node, (ast.Tuple, ast.List, ast.Store)):
                    return None  # x.attr = ..., x[0] = ...: changes state, defines nothing
        return names if is_constant_expression(statement.value) else None
    return None


def global_references(code):
    """Names a piece of code reads from the notebook's namespace: referenced, and neither
    local to a function (a parameter, a variable) nor bound by the code itself."""
    try:
        table = symtable.symtable(code, "<cell>", "exec")
    except SyntaxError:
        return set()
    names, tables = set(), [table]
    while tables:
        table = tables.pop()
        tables.extend(table.get_children())
        names.update(symbol.get_name() for symbol in table.get_symbols()
                     if symbol.is_referenced() and symbol.is_global() and not symbol.is_local())
    return names


def top_level_names(source):
    """Every name a cell binds at its top level: definitions, imports, assignments, loop variables."""
    try:
        table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return set()
    return {symbol.get_name() for symbol in table.get_symbols() if symbol.is_assigned() or symbol.is_imported()}


def helper_definitions(answer_sources, other_sources, provided):
    """{index: (source, names)} of the definitions in the student's other cells that the answers
    need, directly or through other such definitions.

    answer_sources: the answer cells' code; other_sources: {index: source} of the student's
    other code cells; provided: names the course's read-only cells and the answers define
    (never taken from elsewhere, so a scratch copy of `Linear` cannot replace the answer).
    The source keeps only the lines of the statements taken, the others blanked, so line
    numbers in messages stay those of the cell.
    """
    definitions = []  # (index, statement, names)
    trees = {}
    for index, source in other_sources.items():
        try:
            trees[index] = ast.parse(source)
        except SyntaxError:
            continue
        shared = _lines_shared_by_statements(trees[index])
        for statement in trees[index].body:
            names = definition_names(statement)
            if names and not shared & _lines_of(statement):  # `x = 1; train()` is not a definition
                definitions.append((index, statement, names))
    needed = set().union(*(global_references(source) for source in answer_sources))
    taken = set()
    while True:
        new = [d for d, (_, _, names) in enumerate(definitions)
               if d not in taken and needed & (set(names) - provided)]
        if not new:
            break
        for d in new:
            taken.add(d)
            needed |= global_references(ast.unparse(definitions[d][1]))
    helpers = {}
    for index in sorted({definitions[d][0] for d in taken}):
        statements = [definitions[d] for d in sorted(taken) if definitions[d][0] == index]
        keep = set().union(*(_lines_of(statement) for _, statement, _ in statements))
        lines = other_sources[index].splitlines()
        source = "\n".join(line if number in keep else "" for number, line in enumerate(lines, 1))
        names = list(dict.fromkeys(n for _, _, names in statements for n in names if n not in provided))
        helpers[index] = (source, names)
    return helpers


def _lines_of(statement):
    """Line numbers of a statement, its decorators included."""
    first = min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list", [])])
    return set(range(first, statement.end_lineno + 1))


def _lines_shared_by_statements(tree):
    """Lines on which two top-level statements meet (`a = 1; b()`)."""
    seen, shared = set(), set()
    for statement in tree.body:
        lines = _lines_of(statement)
        shared |= seen & lines
        seen |= lines
    return shared
