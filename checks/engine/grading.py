"""Grade one submitted notebook: the course's tests against the student's answer cells.

What runs where:
- the student's answer cells (and only those) run in a sandboxed process, a fresh
  one for each part of the notebook (the test cells of one answer);
- the test cells run in this process, from the course's own copy (never the copy in
  the submission), with the answers' names bound to proxies of the student's
  objects; so all comparisons use this process's numpy, which student code never
  touched.
A part whose code hangs, crashes or ends its process loses only the tests that were
running; the next test starts a fresh process. Everything that happened is collected
in a report for the student.
"""
import ast
import contextlib
import io
import json
import re
import symtable
import time
import traceback
import warnings
from dataclasses import dataclass, field

from ..kit.i18n import ENGLISH, language_of, speaking, t
from .remote import BLOCKED_MODULES, ZygoteGone, Zygotes
from .student import install_lazy_modules
from .wire import StudentError, StudentProcessEnded, StudentTimeout
from .words import label_in_words, subject_in_words, where_in_words

HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*(\n|$)",
                           re.MULTILINE | re.DOTALL)
TEST_FILE_PREFIX = "<test cell "


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


@dataclass
class Settings:
    cell_timeout: float = 10.0        # seconds for one test cell (or one answer cell to load)
    submission_timeout: float = 300.0  # seconds for all the tests of one notebook
    seed: int = 0                     # the student's RNGs are seeded with it before each test
    blocked_modules: tuple = BLOCKED_MODULES


@dataclass
class CellResult:
    passed: bool
    stdout: str = ""
    ename: str = ""
    evalue: str = ""
    context: list = field(default_factory=list)   # lines shown above the error (visible tests)
    seconds: float = 0.0  # how long the test took, answers' loading excluded
    exchanges: int = 0    # round trips between the grader and the student's process it made

    def outputs(self):
        """nbgrader/nbformat outputs: a stdout stream, then an error if the test failed."""
        outputs = []
        if self.stdout:
            outputs.append({"output_type": "stream", "name": "stdout", "text": self.stdout})
        if not self.passed:
            outputs.append({"output_type": "error", "ename": self.ename, "evalue": self.evalue,
                            "traceback": self.context + [f"{self.ename}: {self.evalue}"]})
        return outputs


@dataclass
class Report:
    notes: list = field(default_factory=list)

    def add(self, note):
        if note not in self.notes:
            self.notes.append(note)


def defined_names(source):
    """Top-level classes and functions a cell defines, in order."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [node.name for node in tree.body
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]


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


class NotebookNode(dict):
    """A notebook's JSON as nested dicts whose keys read as attributes (cell.source), as
    nbformat gives them, without nbformat's import cost (seconds: its schema validation)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def _nodes(value):
    if isinstance(value, dict):
        return NotebookNode({key: _nodes(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_nodes(item) for item in value]
    return value


def read_notebook(path):
    """A version 4 notebook file; ValueError saying why when it is not one."""
    try:
        with open(path, encoding="utf-8") as file:
            data = json.load(file)
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not text: {error}") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not a notebook (not JSON: {error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or data.get("nbformat") != 4:
        raise ValueError(f"{path} is not a version 4 notebook")
    notebook = _nodes(data)
    for cell in notebook.cells:
        if not isinstance(cell, dict) or "cell_type" not in cell:
            raise ValueError(f"{path} has a cell without a type")
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
        cell.setdefault("source", "")
        cell.setdefault("metadata", NotebookNode())
    return notebook


def grade_id_of(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


@dataclass
class StudentCell:
    """Code of the student's that the grader loads, in notebook order."""
    label: str           # "answer cell `linear`", "your cell after `nll_loss_values`"
    source: str
    answer: str = ""     # the answer's grade_id; "" for definitions taken from another cell
    names: list = field(default_factory=list)  # for those: the names taken

    @property
    def subject(self):
        """The cell as the subject of a sentence: "the answer cell `linear`", "your cell after ..."."""
        return subject_in_words(self.label)

    @property
    def consequence(self):
        return t("its tests fail") if self.answer else t("the definitions taken from it were not loaded")


@dataclass
class StudentCode:
    """What grading runs of a submission: answer cells, and the definitions they use from the
    student's other cells (helpers), in notebook order; and notes for the report."""
    cells: list
    notes: list

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
                cells.append(StudentCell(f"answer cell `{answer_of[i]}`", c.source, answer=answer_of[i]))
            elif i in helpers:
                source, names = helpers[i]
                cells.append(StudentCell(f"your cell after `{_previous_id(code_cells, i, nb)}`",
                                         source, names=names))
        taken = [t("{names} from {cell}", names=", ".join(f"`{n}`" for n in cell.names),
                   cell=label_in_words(cell.label)) for cell in cells if not cell.answer]
        if taken:
            notes.append(t("Your answers use definitions from your other cells; they were loaded for the tests "
                           "(definitions only, the rest of those cells did not run): {taken}.",
                           taken="; ".join(taken)))
        return cls(cells, notes)


def _previous_id(code_cells, index, nb):
    """The grade_id of the nearest cell above code_cells[index] that has one ("the top" if none)."""
    position = next(i for i, c in enumerate(nb.cells) if c is code_cells[index])
    for cell in reversed(nb.cells[:position]):
        if grade_id_of(cell):
            return grade_id_of(cell)
    return "the top of the notebook"


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


class MissingAnswer:
    """Bound to an answer's name when the student's cell does not define it."""

    def __init__(self, name, reason):
        self._name, self._reason = name, reason

    def _fail(self, *args, **kwargs):
        raise NameError(t("{name} is not defined: {reason}", name=self._name, reason=self._reason))

    __call__ = _fail

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        self._fail()

    def __repr__(self):
        return f"<{self._name}: not defined>"


class SubmissionGrader:
    """Grades one submission; `grade` returns {test grade_id: CellResult} and fills `report`."""

    def __init__(self, course, code, sandbox, settings=None, zygotes=None):
        """code: the StudentCode of the submission (an answer it lacks is a missing cell);
        zygotes: where the sandboxed processes come from (a grader of many notebooks keeps
        one with a spare, see remote.Zygotes)."""
        self.course, self.code, self.sandbox = course, code, sandbox
        self.zygotes = zygotes or Zygotes()
        self.zygote = None
        self.sources = code.answers
        self.settings = settings or Settings()
        self.report = Report()
        self.skipped = {}          # label of a student cell -> why it is not loaded
        self.load_errors = {}      # label of a student cell -> what its top-level code raised
        self.output_total = 0
        self.leftover_processes = 0
        self.stopped_for_time = []  # grade_ids of the tests stopped at their deadline
        self.not_run = []           # grade_ids of the tests left when the notebook's time was up
        self.trusted_base = None

    # -- the student's side
    def _start(self):
        """A fresh student process with the setup cells and the student's code loaded."""
        while True:
            process = self._fork()
            try:
                process.deadline_in(self.settings.cell_timeout)
                for grade_id, source in self.course.setup:
                    process.exec_cell(f"read-only cell `{grade_id}`", source)
                for cell in self.code.cells:
                    if cell.label in self.skipped:
                        continue
                    process.deadline_in(self.settings.cell_timeout)
                    error = process.exec_cell(cell.label, cell.source)
                    if isinstance(error, (StudentTimeout, StudentProcessEnded)):
                        why = (t("did not finish running within {seconds:g} s", seconds=self.settings.cell_timeout)
                               if isinstance(error, StudentTimeout)
                               else t("was running when its process ended ({how})", how=process.how_it_ended))
                        self.skipped[cell.label] = t("{cell} {why}; {consequence}", cell=cell.subject, why=why,
                                                     consequence=cell.consequence)
                        raise _Restart
                    if error is not None:
                        where = f" ({where_in_words(error.where)})" if error.where else ""
                        self.load_errors[cell.label] = f"{error.type_name}: {error.message}{where}"
                return process
            except _Restart:
                process.kill()

    def _fork(self):
        """A fresh process for the next part, from this submission's zygote (a new zygote if
        student code killed the last one)."""
        for _ in range(3):
            if self.zygote is None or not self.zygote.alive:
                self.zygote = self.zygotes.take(self.sandbox, self.settings.blocked_modules)
            try:
                return self.zygote.fork()
            except ZygoteGone:
                self.zygote = None
        raise StudentProcessEnded("ProcessEnded", t("the sandbox for your code could not be started"))

    def _bind_answers(self, process):
        namespace = {}
        for answer in self.course.answers:
            for name in answer.names:
                reason = self._why_missing(answer)
                if reason is None:
                    try:
                        process.deadline_in(self.settings.cell_timeout)
                        namespace[name] = process.lookup(name)
                        continue
                    except NameError:
                        reason = t("the answer cell `{cell}` does not define it", cell=answer.grade_id)
                        label = f"answer cell `{answer.grade_id}`"
                        if label in self.load_errors:
                            reason += t(" (the cell raised {error})", error=self.load_errors[label])
                    except StudentError as error:  # the process died or hung meanwhile
                        reason = t("looking it up failed ({why})", why=error.message)
                namespace[name] = MissingAnswer(name, reason)
        return namespace

    def _why_missing(self, answer):
        label = f"answer cell `{answer.grade_id}`"
        if label in self.skipped:
            return self.skipped[label]
        if answer.grade_id not in self.sources:
            return t("the notebook has no answer cell `{cell}`", cell=answer.grade_id)
        return None

    # -- the grader's side
    def _trusted_namespace(self):
        if self.trusted_base is None:
            self.trusted_base = {"__name__": "__main__"}
            # The setup cells import matplotlib for the notebook's plots; tests never plot, so
            # it is imported only if something really uses it (0.4 s saved per grader).
            install_lazy_modules()
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for grade_id, source in self.course.setup:
                    exec(compile(source, f"<setup cell {grade_id}>", "exec"), self.trusted_base)
        return dict(self.trusted_base)

    def _run_test(self, test, process, answers):
        namespace = self._trusted_namespace()
        namespace.update(answers)
        filename = f"{TEST_FILE_PREFIX}{test.grade_id}>"
        stdout = io.StringIO()
        started, exchanges = time.monotonic(), process.connection.exchanges
        process.deadline_in(self.settings.cell_timeout)
        try:
            process.seed(self.settings.seed)
            with contextlib.redirect_stdout(stdout), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # warnings never fail a test
                exec(compile(test.source, filename, "exec"), namespace)
        except Exception as error:
            result = self._failure(test, error)
        else:
            result = CellResult(True)
        if process.stopped_for_time:
            # Wherever the deadline passed (in a call the check made, or in one student code made
            # back to the check), the test was stopped for time, whatever the check made of it.
            result = self._timeout(result)
            self.stopped_for_time.append(test.grade_id)
        result.stdout = stdout.getvalue()[:20000]
        result.seconds = time.monotonic() - started
        result.exchanges = process.connection.exchanges - exchanges
        self._collect_output(process, result)
        return result

    def _timeout(self, result):
        message = t("your code did not finish within {seconds:g} s (an endless loop, or far too slow); it was stopped",
                    seconds=self.settings.cell_timeout)
        if result.ename not in ("", "Timeout", "ProcessEnded") and result.evalue:
            message += "\n" + t("(the test said: {message})", message=result.evalue)
        return CellResult(False, ename="Timeout", evalue=message, context=result.context)

    def _failure(self, test, error):
        if isinstance(error, StudentTimeout):
            return CellResult(False, ename="Timeout", evalue=t(
                "your code did not finish within {seconds:g} s (an endless loop, or far too slow); it was stopped",
                seconds=self.settings.cell_timeout))
        if isinstance(error, StudentProcessEnded):
            return CellResult(False, ename="ProcessEnded", evalue=t("{why} while this test ran", why=error.message))
        if isinstance(error, StudentError):
            where = t("\n(at {where})", where=where_in_words(error.where)) if error.where else ""
            return CellResult(False, ename=error.type_name, evalue=f"{error.message}{where}",
                              context=self._context(test, error))
        return CellResult(False, ename=type(error).__name__, evalue=str(error),
                          context=self._context(test, error))

    @staticmethod
    def _context(test, error):
        """The visible test line that failed; nothing from a hidden region."""
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if f.filename == f"{TEST_FILE_PREFIX}{test.grade_id}>"]
        if not frames:
            return []
        lineno = frames[-1].lineno
        lines = test.source.splitlines()
        hidden_lines = set()
        for match in HIDDEN_REGION.finditer(test.source):
            start = test.source.count("\n", 0, match.start()) + 1
            hidden_lines.update(range(start, start + match.group(0).count("\n") + 1))
        if lineno in hidden_lines or lineno > len(lines):
            return []
        return [t("in test cell `{cell}`, line {line}: {code}", cell=test.grade_id, line=lineno,
                  code=lines[lineno - 1].strip())]

    def _collect_output(self, process, result):
        if not process.alive:
            return
        try:
            process.deadline_in(5)
            output = process.take_output()
        except StudentError:
            return
        self.output_total += int(output.get("total", 0))
        text = str(output.get("text", ""))
        if text:
            shown = text[:2000]
            result.stdout += t("--- printed by your code ---\n{text}", text=shown)
            if int(output.get("total", 0)) > len(shown):
                result.stdout += t("\n... ({count} more characters not shown)", count=int(output["total"]) - len(shown))
            result.stdout += "\n"

    def _finish(self, process):
        process.stop()
        self.leftover_processes += process.leftovers

    # -- the whole notebook
    def grade(self):
        """Grade every test, in the edition's language (the report's notes and the engine's messages)."""
        with speaking(self.course.language):
            return self._grade()

    def _grade(self):
        results = {}
        started = time.monotonic()
        for cell in self.code.cells:
            borrowed = borrowed_modules(cell.source, self.settings.blocked_modules)
            if borrowed:
                what = t("this part is not graded; its tests fail") if cell.answer else cell.consequence
                self.skipped[cell.label] = t(
                    "{cell} imports {modules} (the course's reference solutions or grader): answers must be your "
                    "own code, so {what}", cell=cell.subject, modules=", ".join(f"`{m}`" for m in borrowed),
                    what=what)
        for _, tests in self.course.parts():
            process = None
            answers = {}
            for test in tests:
                if time.monotonic() - started > self.settings.submission_timeout:
                    results[test.grade_id] = CellResult(False, ename="NotRun", evalue=t(
                        "not run: grading this notebook took longer than {seconds:g} s in all",
                        seconds=self.settings.submission_timeout))
                    self.not_run.append(test.grade_id)
                    continue
                if process is None or not process.alive:
                    try:
                        process = self._start()
                    except StudentProcessEnded as error:  # no sandbox would start: a grader fault
                        results[test.grade_id] = CellResult(False, ename="ProcessEnded", evalue=error.message)
                        process = None
                        continue
                    answers = self._bind_answers(process)
                results[test.grade_id] = self._run_test(test, process, answers)
            if process is not None:
                self._finish(process)
        if self.zygote is not None:
            self.zygote.kill()  # the next notebook gets a zygote that has run no student code
        self._summarise()
        return results

    def _summarise(self):
        for why in self.skipped.values():
            self.report.add(f"{why[0].upper()}{why[1:]}.")
        if self.stopped_for_time:
            self.report.add(t("Stopped for time ({seconds:g} s a test): {tests}; they count 0 for now. A busy "
                              "machine can be the cause, so the next grading run grades this notebook again.",
                              seconds=self.settings.cell_timeout,
                              tests=", ".join(f"`{grade_id}`" for grade_id in self.stopped_for_time)))
        if self.not_run:
            self.report.add(t("Not run, because grading this notebook took longer than {seconds:g} s in all: {tests}; "
                              "the next grading run grades this notebook again.",
                              seconds=self.settings.submission_timeout,
                              tests=", ".join(f"`{grade_id}`" for grade_id in self.not_run)))
        for label, error in self.load_errors.items():
            self.report.add(t("Running the {cell} raised {error}.", cell=label_in_words(label), error=error))
        if self.output_total > 0:
            self.report.add(t("Your answers printed {count:,} characters while being tested; "
                              "each test shows at most the first 2,000.", count=self.output_total))
        if self.leftover_processes:
            self.report.add(t("Your code left {count} process(es) running; they were stopped.",
                              count=self.leftover_processes))


class _Restart(Exception):
    pass
