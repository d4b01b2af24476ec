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
import re
import time
import traceback
import warnings
from dataclasses import dataclass, field

from .remote import BLOCKED_MODULES, StudentProcess
from .worker import StudentError, StudentProcessEnded, StudentTimeout

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
        return cls(setup, answers, tests, order)

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


def grade_id_of(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def answer_sources(nb, course):
    """{answer grade_id: the student's source}, and notes on answers found another way."""
    sources, notes = {}, []
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    for answer in course.answers:
        cell = next((c for c in cells if grade_id_of(c) == answer.grade_id), None)
        if cell is None and answer.names:
            # The id was lost (cell deleted and retyped, metadata edited): take the last
            # cell that is not a test and defines the answer's name.
            test_ids = {t.grade_id for t in course.tests}
            candidates = [c for c in cells if grade_id_of(c) not in test_ids
                          and answer.names[0] in defined_names(c.source)]
            if candidates:
                cell = candidates[-1]
                notes.append(f"No cell has the id `{answer.grade_id}`: the cell that defines "
                             f"`{answer.names[0]}` was graded as that answer.")
        if cell is not None:
            sources[answer.grade_id] = cell.source
    return sources, notes


class MissingAnswer:
    """Bound to an answer's name when the student's cell does not define it."""

    def __init__(self, name, reason):
        self._name, self._reason = name, reason

    def _fail(self, *args, **kwargs):
        raise NameError(f"{self._name} is not defined: {self._reason}")

    __call__ = _fail

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        self._fail()

    def __repr__(self):
        return f"<{self._name}: not defined>"


class SubmissionGrader:
    """Grades one submission; `grade` returns {test grade_id: CellResult} and fills `report`."""

    def __init__(self, course, answer_sources, sandbox, settings=None):
        """answer_sources: {answer grade_id: the student's source}; absent = missing cell."""
        self.course, self.sources, self.sandbox = course, answer_sources, sandbox
        self.settings = settings or Settings()
        self.report = Report()
        self.skipped = {}          # answer grade_id -> why it is not loaded
        self.load_errors = {}      # answer grade_id -> what its top-level code raised
        self.output_total = 0
        self.leftover_processes = 0
        self.trusted_base = None

    # -- the student's side
    def _start(self):
        """A fresh student process with the setup and answer cells loaded."""
        while True:
            process = StudentProcess(self.sandbox, blocked=self.settings.blocked_modules)
            try:
                process.deadline_in(self.settings.cell_timeout)
                for grade_id, source in self.course.setup:
                    process.exec_cell(grade_id, source)
                for answer in self.course.answers:
                    if answer.grade_id in self.skipped or answer.grade_id not in self.sources:
                        continue
                    process.deadline_in(self.settings.cell_timeout)
                    error = process.exec_cell(answer.grade_id, self.sources[answer.grade_id])
                    if isinstance(error, (StudentTimeout, StudentProcessEnded)):
                        why = ("did not finish running within "
                               f"{self.settings.cell_timeout:g} s" if isinstance(error, StudentTimeout)
                               else error.message.replace("the process running your code", "its process"))
                        self.skipped[answer.grade_id] = f"the answer cell `{answer.grade_id}` {why}"
                        raise _Restart
                    if error is not None:
                        where = f" ({error.where})" if error.where else ""
                        self.load_errors[answer.grade_id] = f"{error.type_name}: {error.message}{where}"
                return process
            except _Restart:
                process.kill()

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
                        reason = f"the answer cell `{answer.grade_id}` does not define it"
                        if answer.grade_id in self.load_errors:
                            reason += f" (the cell raised {self.load_errors[answer.grade_id]})"
                    except StudentError as error:  # the process died or hung meanwhile
                        reason = f"looking it up failed ({error.message})"
                namespace[name] = MissingAnswer(name, reason)
        return namespace

    def _why_missing(self, answer):
        if answer.grade_id in self.skipped:
            return self.skipped[answer.grade_id]
        if answer.grade_id not in self.sources:
            return f"the notebook has no answer cell `{answer.grade_id}`"
        return None

    # -- the grader's side
    def _trusted_namespace(self):
        if self.trusted_base is None:
            self.trusted_base = {"__name__": "__main__"}
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
        result.stdout = stdout.getvalue()[:20000]
        self._collect_output(process, result)
        return result

    def _failure(self, test, error):
        if isinstance(error, StudentTimeout):
            return CellResult(False, ename="Timeout", evalue=(
                f"your code did not finish within {self.settings.cell_timeout:g} s "
                "(an endless loop, or far too slow); it was stopped"))
        if isinstance(error, StudentProcessEnded):
            return CellResult(False, ename="ProcessEnded", evalue=f"{error.message} while this test ran")
        if isinstance(error, StudentError):
            where = f"\n(at {error.where})" if error.where else ""
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
        return [f"in test cell `{test.grade_id}`, line {lineno}: {lines[lineno - 1].strip()}"]

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
            result.stdout += f"--- printed by your code ---\n{shown}"
            if int(output.get("total", 0)) > len(shown):
                result.stdout += f"\n... ({int(output['total']) - len(shown)} more characters not shown)"
            result.stdout += "\n"

    def _finish(self, process):
        if not process.alive:
            return
        try:
            process.deadline_in(5)
            leftovers = process.other_processes()
            self.leftover_processes += len(leftovers)
        except StudentError:
            pass
        process.stop()

    # -- the whole notebook
    def grade(self):
        results = {}
        started = time.monotonic()
        for answer in self.course.answers:
            if answer.grade_id in self.sources:
                borrowed = borrowed_modules(self.sources[answer.grade_id], self.settings.blocked_modules)
                if borrowed:
                    self.skipped[answer.grade_id] = (
                        f"the answer cell `{answer.grade_id}` imports {', '.join(f'`{m}`' for m in borrowed)}"
                        " (the course's reference solutions or grader): answers must be your own code, "
                        "so this part is not graded")
        for _, tests in self.course.parts():
            process = None
            answers = {}
            for test in tests:
                if time.monotonic() - started > self.settings.submission_timeout:
                    results[test.grade_id] = CellResult(False, ename="NotRun", evalue=(
                        f"not run: grading this notebook took longer than "
                        f"{self.settings.submission_timeout:g} s in all"))
                    continue
                if process is None or not process.alive:
                    process = self._start()
                    answers = self._bind_answers(process)
                results[test.grade_id] = self._run_test(test, process, answers)
            if process is not None:
                self._finish(process)
        self._summarise()
        return results

    def _summarise(self):
        for grade_id, why in self.skipped.items():
            self.report.add(f"{why[0].upper()}{why[1:]}; its tests fail.")
        for grade_id, error in self.load_errors.items():
            self.report.add(f"Running the answer cell `{grade_id}` raised {error}.")
        if self.output_total > 0:
            self.report.add(f"Your answers printed {self.output_total:,} characters while being tested; "
                            "each test shows at most the first 2,000.")
        if self.leftover_processes:
            self.report.add(f"Your code left {self.leftover_processes} process(es) running; they were stopped.")


class _Restart(Exception):
    pass
