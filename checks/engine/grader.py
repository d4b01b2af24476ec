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
import contextlib
import io
import time
import traceback
import warnings
from dataclasses import dataclass

from ..i18n import speaking, t
from .course import HIDDEN_REGION
from .remote import BLOCKED_MODULES, ZygoteGone, Zygotes
from .results import CellResult, Status, SubmissionResult
from .student import install_lazy_modules
from .student_code import borrowed_modules
from ..protocol.wire import StudentError, StudentProcessEnded, StudentTimeout
from ..protocol.words import ANSWER, GIVEN, cell_in_words, cell_label, where_in_words

TEST_FILE_PREFIX = "<test cell "


@dataclass
class Settings:
    cell_timeout: float = 10.0        # seconds for one test cell (or one answer cell to load)
    submission_timeout: float = 300.0  # seconds for all the tests of one notebook
    seed: int = 0                     # the student's RNGs are seeded with it before each test
    blocked_modules: tuple = BLOCKED_MODULES


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
    """Grades one submission: `grade` returns its SubmissionResult."""

    def __init__(self, course, code, sandbox, settings=None, zygotes=None):
        """code: the StudentCode of the submission (an answer it lacks is a missing cell);
        zygotes: where the sandboxed processes come from (a grader of many notebooks keeps
        one with a spare, see remote.Zygotes)."""
        self.course, self.code, self.sandbox = course, code, sandbox
        self.zygotes = zygotes or Zygotes()
        self.zygote = None
        self.sources = code.answers
        self.settings = settings or Settings()
        self.notes = []            # the report's notes, in the order they arose
        self.skipped = {}          # label of a student cell -> why it is not loaded
        self.load_errors = {}      # label of a student cell -> what its top-level code raised
        self.output_total = 0
        self.leftover_processes = 0
        self.trusted_base = None

    # -- the student's side
    def _start(self):
        """A fresh student process with the setup cells and the student's code loaded."""
        while True:
            process = self._fork()
            try:
                process.deadline_in(self.settings.cell_timeout)
                for grade_id, source in self.course.setup:
                    process.exec_cell(cell_label(GIVEN, grade_id), source)
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
                        label = cell_label(ANSWER, answer.grade_id)
                        if label in self.load_errors:
                            reason += t(" (the cell raised {error})", error=self.load_errors[label])
                    except StudentError as error:  # the process died or hung meanwhile
                        reason = t("looking it up failed ({why})", why=error.message)
                namespace[name] = MissingAnswer(name, reason)
        return namespace

    def _why_missing(self, answer):
        label = cell_label(ANSWER, answer.grade_id)
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
            result = CellResult(Status.PASSED)
        if process.stopped_for_time:
            # Wherever the deadline passed (in a call the check made, or in one student code made
            # back to the check), the test was stopped for time, whatever the check made of it.
            result = self._timeout(result)
        result.stdout = stdout.getvalue()[:20000]
        result.seconds = time.monotonic() - started
        result.exchanges = process.connection.exchanges - exchanges
        self._collect_output(process, result)
        return result

    def _timeout(self, result):
        timeout = t("your code did not finish within {seconds:g} s (an endless loop, or far too slow); it was stopped",
                    seconds=self.settings.cell_timeout)
        if result.status is Status.FAILED and result.message:
            timeout = t("{timeout}\n(the test said: {message})", timeout=timeout, message=result.message)
        return CellResult.failed(Status.TIMEOUT, timeout, context=result.context)

    def _failure(self, test, error):
        if isinstance(error, StudentTimeout):
            return CellResult.failed(Status.TIMEOUT, t(
                "your code did not finish within {seconds:g} s (an endless loop, or far too slow); it was stopped",
                seconds=self.settings.cell_timeout))
        if isinstance(error, StudentProcessEnded):
            return CellResult.failed(Status.PROCESS_ENDED, t("{why} while this test ran", why=error.message))
        if isinstance(error, StudentError):
            message = (t("{message}\n(at {where})", message=error.message, where=where_in_words(error.where))
                       if error.where else error.message)
            return CellResult.failed(Status.FAILED, message, error.type_name, self._context(test, error))
        # The check's verdict keeps its words as the check made them (a Text, with its template).
        message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
        return CellResult.failed(Status.FAILED, message, type(error).__name__, self._context(test, error))

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
        """Grade every test, in the edition's language (the report's notes and the engine's
        messages): the SubmissionResult."""
        with speaking(self.course.language):
            cells = self._grade()
        return SubmissionResult(cells, notes=self.code.notes + self.notes, taken=self.code.taken,
                                language=self.course.language, sandbox=self.sandbox.isolation(),
                                warnings=list(self.sandbox.warnings), leftover_processes=self.leftover_processes,
                                printed=self.output_total)

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
                    results[test.grade_id] = CellResult.failed(Status.NOT_RUN, t(
                        "not run: grading this notebook took longer than {seconds:g} s in all",
                        seconds=self.settings.submission_timeout))
                    continue
                if process is None or not process.alive:
                    try:
                        process = self._start()
                    except StudentProcessEnded as error:  # no sandbox would start: a grader fault
                        results[test.grade_id] = CellResult.failed(Status.PROCESS_ENDED, error.message)
                        process = None
                        continue
                    answers = self._bind_answers(process)
                results[test.grade_id] = self._run_test(test, process, answers)
            if process is not None:
                self._finish(process)
        if self.zygote is not None:
            self.zygote.kill()  # the next notebook gets a zygote that has run no student code
        self._summarise(results)
        return results

    def _note(self, note):
        if note not in self.notes:
            self.notes.append(note)

    def _summarise(self, results):
        for why in self.skipped.values():
            self._note(t("{why:sentence}.", why=why))
        stopped = [grade_id for grade_id, result in results.items() if result.status is Status.TIMEOUT]
        if stopped:
            self._note(t("Stopped for time ({seconds:g} s a test): {tests}; they count 0 for now. A busy "
                         "machine can be the cause, so the next grading run grades this notebook again.",
                         seconds=self.settings.cell_timeout, tests=", ".join(f"`{grade_id}`" for grade_id in stopped)))
        not_run = [grade_id for grade_id, result in results.items() if result.status is Status.NOT_RUN]
        if not_run:
            self._note(t("Not run, because grading this notebook took longer than {seconds:g} s in all: {tests}; "
                         "the next grading run grades this notebook again.", seconds=self.settings.submission_timeout,
                         tests=", ".join(f"`{grade_id}`" for grade_id in not_run)))
        for label, error in self.load_errors.items():
            self._note(t("Running the {cell} raised {error}.", cell=cell_in_words(label), error=error))
        if self.output_total > 0:
            self._note(t("Your answers printed {count:,} characters while being tested; "
                         "each test shows at most the first 2,000.", count=self.output_total))
        if self.leftover_processes:
            self._note(t("Your code left {count} process(es) running; they were stopped.",
                         count=self.leftover_processes))


class _Restart(Exception):
    pass
