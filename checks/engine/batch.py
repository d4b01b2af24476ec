"""Grade a whole class: every submission of an assignment, in parallel, resumable.

    nn-grade grade ASSIGNMENT [--workers N] [--force] [--shard i/n] [--db URL]

Each worker is a process that runs nbgrader's own autograde and generate_feedback
for one student at a time (in-process: nbgrader's start-up is paid once per worker,
not once per student), with the course's nbgrader_config.py, so the grades are
exactly those of `nbgrader autograde`. The parent hands out students, shows progress,
and records each finished student in a ledger table next to nbgrader's gradebook
(`nn_grade_log`, in the same database). The ledger is what makes re-runs cheap and
interruptions harmless:
- a student is skipped when the ledger already holds a verdict for the same
  submission files under the same course (source/ and grading code): re-running grades
  only new or changed submissions, and `--force` regrades everyone;
- a verdict is written only after nbgrader has committed the grade, so stopping the
  command (Ctrl-C, a killed job) at any moment loses at most the students in progress,
  and they are graded again on the next run; nbgrader keeps one submission per student,
  so regrading replaces a grade and never duplicates it.
With `--shard i/n`, several machines grade one class against one database (PostgreSQL):
each takes the students whose name hashes to its shard, so no student is graded twice.
"""
import hashlib
import multiprocessing
import os
import shutil
import signal
import socket
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

LEDGER_TABLE = "nn_grade_log"
GRADED, TIMED_OUT, FAILED = "graded", "timed out", "failed"


@dataclass
class Outcome:
    """What grading one student gave."""
    student: str
    status: str                  # GRADED, TIMED_OUT or FAILED
    reason: str = ""             # why it failed or what timed out
    score: float = None          # autograded points (nbgrader's code score)
    max_score: float = None
    manual_pending: int = 0      # written answers waiting for the instructor
    seconds: float = 0.0
    final: bool = True           # False: a grader-side failure, tried again next run
    warnings: tuple = ()         # the sandbox's warnings for the instructor

    @property
    def points(self):
        return "" if self.score is None else f"{self.score:g}/{self.max_score:g}"


# -- which students, and which of them need grading

def parse_shard(text):
    """'2/3' -> (2, 3); shards count from 1."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard wants i/n, such as 1/2, not {text!r}") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard {text}: i must be between 1 and n")
    return index, count


def in_shard(student, shard):
    """A stable split of students into shards, the same on every machine."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(student.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def submitted_students(course_dir, assignment):
    folder = Path(course_dir) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / assignment).is_dir())


CACHE_DIRS = {"__pycache__", ".ipynb_checkpoints"}  # written by running things, not by people


def _hash_tree(digest, folder):
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*")
                       if p.is_file() and not CACHE_DIRS & set(p.relative_to(folder).parts)):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


def grading_code_dirs():
    """The packages whose code decides a grade: the engine, the checks, the reference."""
    from .sandbox import grader_package_dirs
    return grader_package_dirs()


def course_fingerprint(course_dir, assignment):
    """Changes when the instructor's notebook, its files or the grading code change."""
    digest = hashlib.sha256()
    _hash_tree(digest, Path(course_dir) / "source" / assignment)
    for folder in grading_code_dirs():
        _hash_tree(digest, folder)
    config = Path(course_dir) / "nbgrader_config.py"
    if config.exists():
        digest.update(config.read_bytes())
    return digest.hexdigest()


def submission_fingerprint(course_dir, assignment, student, course_print):
    digest = hashlib.sha256(course_print.encode())
    _hash_tree(digest, Path(course_dir) / "submitted" / student / assignment)
    return digest.hexdigest()[:32]


def why_not_graded(course_dir, student, assignment):
    """What is wrong with a submission that nbgrader could not grade."""
    folder = Path(course_dir) / "submitted" / student / assignment
    if not folder.is_dir():
        return "no submission"
    notebook = folder / f"{assignment}.ipynb"
    if not notebook.exists():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        return f"no {notebook.name} (found: {', '.join(found) or 'no notebook'})"
    if notebook.stat().st_size == 0:
        return f"{notebook.name} is empty"
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as error:  # any reading error is the student's file's fault
        return f"{notebook.name} is unreadable ({type(error).__name__}: {str(error).splitlines()[0][:80]})"
    return "not graded: nbgrader failed (see its log above)"


# -- the ledger

class Ledger:
    """An append-only log of verdicts, in the gradebook's database: one row per student
    graded, with the fingerprint of what was graded, the shard and the machine."""

    def __init__(self, db_url):
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        self.sa = sa
        # NullPool: no connection outlives a call, so forked workers inherit none.
        self.engine = sa.create_engine(db_url, poolclass=NullPool)
        self.table = sa.Table(
            LEDGER_TABLE, sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("assignment", sa.String(128), nullable=False, index=True),
            sa.Column("student", sa.String(128), nullable=False),
            sa.Column("fingerprint", sa.String(64), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("reason", sa.Text, nullable=False, default=""),
            sa.Column("score", sa.Float), sa.Column("max_score", sa.Float),
            sa.Column("manual_pending", sa.Integer, nullable=False, default=0),
            sa.Column("seconds", sa.Float, nullable=False, default=0.0),
            sa.Column("shard", sa.String(16), nullable=False, default=""),
            sa.Column("host", sa.String(128), nullable=False, default=""),
            sa.Column("finished_at", sa.Float, nullable=False))
        self._retrying(self._create)

    def _create(self):
        try:
            self.table.create(self.engine, checkfirst=True)
        except self.sa.exc.DatabaseError:
            # Another shard created it at the same moment.
            if not self.sa.inspect(self.engine).has_table(LEDGER_TABLE):
                raise

    def _retrying(self, action, attempts=20):
        """sqlite lets one writer in at a time: wait for the workers' nbgrader commits."""
        for attempt in range(attempts):
            try:
                return action()
            except self.sa.exc.OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def latest(self, assignment):
        """{student: row} of each student's most recent verdict."""
        def read():
            query = self.sa.select(self.table).where(self.table.c.assignment == assignment) \
                .order_by(self.table.c.id)
            with self.engine.connect() as connection:
                return {row.student: row for row in connection.execute(query)}
        return self._retrying(read)

    def record(self, assignment, outcome, fingerprint, shard):
        row = dict(assignment=assignment, student=outcome.student, fingerprint=fingerprint,
                   status=outcome.status, reason=outcome.reason, score=outcome.score,
                   max_score=outcome.max_score, manual_pending=outcome.manual_pending,
                   seconds=outcome.seconds, shard=shard, host=socket.gethostname(),
                   finished_at=time.time())

        def write():
            with self.engine.begin() as connection:
                connection.execute(self.table.insert().values(**row))
        self._retrying(write)


# -- the worker process

def _load_config(course_dir, db_url):
    from traitlets.config.loader import PyFileConfigLoader

    from traitlets.config import Config

    has_config = (Path(course_dir) / "nbgrader_config.py").exists()
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config() \
        if has_config else Config()
    config.CourseDirectory.root = str(course_dir)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def _timed_out_tests(notebook_path):
    """grade_ids of the test cells that the grader stopped for taking too long."""
    notebook = nbformat.read(notebook_path, as_version=4)
    stopped = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and any(out.get("ename") in ("Timeout", "NotRun")
                                            for out in cell.get("outputs", [])):
            stopped.append(cell.metadata.get("nbgrader", {}).get("grade_id", "?"))
    return stopped


def grade_student(api, assignment, student, feedback):
    """In a worker: nbgrader's autograde (and feedback) for one student. Returns what
    happened; the parent turns it into an Outcome while this worker grades the next."""
    started = time.monotonic()
    result = api.autograde(assignment, student, force=True, create=True)
    done = {"student": student, "success": result["success"], "error": result.get("error") or "",
            "warnings": sorted({line.split("sandbox:", 1)[1].strip()
                                for line in result.get("log", "").splitlines() if "sandbox:" in line}),
            "feedback_error": ""}
    if feedback and result["success"]:
        made = api.generate_feedback(assignment, student, force=True)
        if not made["success"]:
            done["feedback_error"] = (made.get("error") or "unknown error").strip().splitlines()[-1][:200]
    done["seconds"] = time.monotonic() - started
    return done


def scores_of(submission):
    """(autograded points, their maximum, written answers not yet graded by hand)."""
    pending = sum(1 for notebook in submission.notebooks for grade in notebook.grades
                  if grade.cell.cell_type == "markdown" and grade.manual_score is None)
    return submission.code_score, submission.max_code_score, pending


def assess(done, course_dir, db_url, assignment):
    """The Outcome of a worker's grading, from the files and the gradebook it wrote."""
    from nbgrader.api import Gradebook, MissingEntry

    student = done["student"]
    common = dict(seconds=done["seconds"], warnings=tuple(done["warnings"]))
    graded = Path(course_dir) / "autograded" / student / assignment / f"{assignment}.ipynb"
    if not done["success"] or not graded.exists():
        reason = why_not_graded(course_dir, student, assignment)
        # A readable notebook that nbgrader failed on is not the student's fault (a locked
        # database, a full disk): no verdict, so the next run tries again.
        grader_fault = reason.startswith("not graded")
        if grader_fault:
            error = done["error"].strip().splitlines()
            reason = f"nbgrader failed: {error[-1][:200]}" if error else reason
        return Outcome(student, FAILED, reason, final=not grader_fault, **common)
    with Gradebook(db_url) as gradebook:
        try:
            score, max_score, pending = scores_of(gradebook.find_submission(assignment, student))
        except MissingEntry:
            return Outcome(student, FAILED, "nbgrader graded the notebook but stored no grade",
                           final=False, **common)
    stopped = _timed_out_tests(graded)
    status = TIMED_OUT if stopped else GRADED
    notes = ["stopped for time: " + ", ".join(stopped)] if stopped else []
    if done["feedback_error"]:
        notes.append("feedback not written: " + done["feedback_error"])
    return Outcome(student, status, "; ".join(notes), score, max_score, pending, **common)


def _worker_main(connection, course_dir, db_url, assignment, feedback):
    """Grade the students the parent sends, one at a time, until it sends None."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    # nbgrader's SQLAlchemy warnings say nothing to the instructor (tasks.py hides them too).
    warnings.simplefilter("ignore")
    os.chdir(course_dir)
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=_load_config(course_dir, db_url))
    while True:
        try:
            student = connection.recv()
        except EOFError:  # the parent is gone
            return
        if student is None:
            return
        try:
            done = grade_student(api, assignment, student, feedback)
        except Exception as error:  # a grader fault, not the student's: try again next run
            done = {"student": student, "crashed": f"grader error: {type(error).__name__}: {error}"}
        connection.send(done)


def _die_with_parent():
    """On Linux, the kernel kills this worker when the parent dies, even by SIGKILL: a
    worker left behind would go on writing grades beside the run that resumes."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Worker:
    """One grading process and the student it is busy with."""

    def __init__(self, context, course_dir, db_url, assignment, feedback):
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_worker_main, daemon=True,
                                       args=(child_end, course_dir, db_url, assignment, feedback))
        self.process.start()
        child_end.close()
        self.student, self.started = None, None

    def give(self, student):
        self.student, self.started = student, time.monotonic()
        self.connection.send(student)

    def take(self):
        """What grade_student returned; the worker is free again."""
        done = self.connection.recv()
        self.student = None
        return done

    def stop(self, kill=False):
        if kill or self.student is not None:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


# -- progress and the summary

def _clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else \
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """One line per finished student and, on a terminal, a live bar with the ETA."""

    def __init__(self, total, name_width, stream=sys.stdout):
        self.total, self.done, self.stream = total, 0, stream
        self.name_width = name_width
        self.started = time.monotonic()
        self.live = stream.isatty()

    def counts(self):
        elapsed = time.monotonic() - self.started
        eta = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        return f"{self.done}/{self.total} elapsed {_clock(elapsed)}  ETA {eta}"

    def bar(self):
        filled = 24 * self.done // max(self.total, 1)
        return f"[{'#' * filled}{'.' * (24 - filled)}] {self.counts()}"

    def say(self, line):
        """A line above the live bar (or just a line, off a terminal)."""
        self.stream.write(f"\r\033[K{line}\n{self.bar()}" if self.live else f"{line}\n")
        self.stream.flush()

    def finished(self, outcome):
        self.done += 1
        line = (f"  [{self.done:>{len(str(self.total))}}/{self.total}] {outcome.student:<{self.name_width}}  "
                f"{outcome.status:<9}  {outcome.points:>9}  {outcome.seconds:5.1f} s  {outcome.reason}").rstrip()
        self.say(line if self.live else f"{line}   ({self.counts()})")

    def tick(self, busy=()):
        """Redraw the bar, with the students being graded now."""
        if self.live:
            now = f"  now: {', '.join(busy)}" if busy else ""
            self.stream.write("\r\033[K" + (self.bar() + now)[:shutil.get_terminal_size().columns - 1])
            self.stream.flush()

    def close(self):
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


ORDER = {FAILED: 0, TIMED_OUT: 1, GRADED: 2}


def summary_table(rows):
    """rows: [(student, status, points, reason)] -> text, failures first."""
    rows = sorted(rows, key=lambda row: (ORDER.get(row[1], 3), row[0]))
    headers = ("student", "status", "points", "notes")
    widths = [max([len(headers[i])] + [len(str(row[i])) for row in rows]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths + [0])).rstrip()]
    for student, status, points, reason in rows:
        lines.append(f"{student:<{widths[0]}}  {status:<{widths[1]}}  {points:>{widths[2]}}  {reason}".rstrip())
    return "\n".join(lines)


# -- the command

@dataclass
class Options:
    assignment: str
    course_dir: Path
    workers: int = 0             # 0: one per core
    force: bool = False
    students: tuple = ()         # only these (default: every submitted student)
    shard: tuple = None          # (i, n)
    db_url: str = ""             # default: the course's sqlite gradebook
    feedback: bool = True
    csv_path: Path = None        # default: <course>/grades.csv
    student_timeout: float = 900.0


def _gradebook_scores(db_url, assignment):
    """{student: (code_score, max_code_score, written answers pending)} from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(db_url) as gradebook:
        for submission in gradebook.find_assignment(assignment).submissions:
            scores[submission.student.id] = scores_of(submission)
    return scores


def write_csv(path, assignment, latest, scores):
    """One row per student with a verdict; scores from the gradebook (hand grades included)."""
    import csv

    temporary = Path(f"{path}.part")
    with open(temporary, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "student_id", "status", "auto_score", "auto_max_score",
                         "written_answers_to_grade", "notes"])
        for student in sorted(latest):
            row = latest[student]
            score, max_score, pending = scores.get(student, (None, None, 0))
            if row.status == FAILED:
                score, max_score, pending = None, None, 0
            writer.writerow([assignment, student, row.status,
                             "" if score is None else f"{score:g}",
                             "" if max_score is None else f"{max_score:g}", pending, row.reason])
    os.replace(temporary, path)  # a reader never sees half a file


def check_assignment_exists(db_url, assignment):
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def run(options, out=sys.stdout):
    """Grade; returns the exit status (0 all graded, 1 some failed, 130 interrupted)."""
    course_dir = Path(options.course_dir).resolve()
    assignment = options.assignment
    if not (course_dir / "source" / assignment).is_dir():
        print(f"error: no source/{assignment} in {course_dir}", file=out)
        return 2
    from nbgrader.coursedir import CourseDirectory

    db_url = options.db_url or CourseDirectory(config=_load_config(course_dir, "")).db_url
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    missing_file = db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists()
    if missing_file or not check_assignment_exists(db_url, assignment):
        print(f"error: the gradebook has no assignment {assignment!r}: run "
              f"`nbgrader generate_assignment {assignment}` first", file=out)
        return 2
    lock = _run_lock(course_dir, assignment, options.shard)
    if lock is None:
        print(f"error: another `nn-grade grade {assignment}` is running on this course"
              + (" and shard" if options.shard else "") + ": wait for it, or stop it", file=out)
        return 2
    try:
        return _run_locked(options, course_dir, assignment, db_url, out)
    finally:
        lock.close()


def _run_lock(course_dir, assignment, shard):
    """An exclusive lock on a file of the course, or None when another run holds it: two
    runs at once would grade the same students twice."""
    import fcntl

    name = f".nn-grade-{assignment}" + (f"-shard-{shard[0]}-of-{shard[1]}" if shard else "") + ".lock"
    handle = open(course_dir / name, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _run_locked(options, course_dir, assignment, db_url, out):
    ledger = Ledger(db_url)

    students = [s for s in (options.students or submitted_students(course_dir, assignment))
                if in_shard(s, options.shard)]
    course_print = course_fingerprint(course_dir, assignment)
    fingerprints = {s: submission_fingerprint(course_dir, assignment, s, course_print) for s in students}
    latest = ledger.latest(assignment)
    autograded = course_dir / "autograded"

    def up_to_date(student):
        row = latest.get(student)
        return (row is not None and row.fingerprint == fingerprints[student]
                and (row.status == FAILED
                     or (autograded / student / assignment / f"{assignment}.ipynb").exists()))

    todo = [s for s in students if options.force or not up_to_date(s)]
    shard_text = f"{options.shard[0]}/{options.shard[1]}" if options.shard else ""
    workers_wanted = max(1, min(options.workers or os.cpu_count() or 1, len(todo) or 1))
    print(f"grading {assignment}: {len(students)} submissions"
          + (f" in shard {shard_text}" if shard_text else "")
          + f", {len(todo)} to grade, {len(students) - len(todo)} unchanged since the last run"
          + (f"; {workers_wanted} worker(s)" if todo else ""), file=out, flush=True)

    outcomes, interrupted = {}, False
    started = time.monotonic()
    if todo:
        outcomes, interrupted = _grade_all(todo, options, course_dir, db_url, workers_wanted, ledger,
                                           fingerprints, shard_text, out)
    elapsed = time.monotonic() - started

    latest, due = ledger.latest(assignment), set(todo)
    scores = _gradebook_scores(db_url, assignment)
    rows = [_summary_row(student, outcomes.get(student), latest.get(student), scores.get(student),
                         student in due) for student in students]
    print("\n" + summary_table(rows), file=out)

    csv_path = Path(options.csv_path or course_dir / "grades.csv")
    write_csv(csv_path, assignment, latest, scores)
    counts = {}
    for _, status, _, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    graded_now = sum(1 for o in outcomes.values() if o.final)
    print("\n" + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())), file=out)
    if graded_now:
        print(f"graded {graded_now} in {_clock(elapsed)}: {elapsed / graded_now:.2f} s per submission, "
              f"{60 * graded_now / elapsed:.1f} per minute", file=out)
    print(f"grades: {csv_path}" + (f"; feedback: {course_dir / 'feedback'}" if options.feedback else ""),
          file=out, flush=True)
    if interrupted:
        print("interrupted: the grades above are saved; run the same command again to grade the rest",
              file=out, flush=True)
        return 130
    return 1 if any(status in (FAILED, "not graded") for _, status, _, _ in rows) else 0


def _summary_row(student, outcome, verdict, score, was_due):
    """(student, status, points, notes) for the summary table.
    outcome: this run's, if any; verdict: the ledger's latest; score: the gradebook's."""
    if outcome is not None and not outcome.final:
        return student, outcome.status, "", outcome.reason + " (will be retried)"
    if verdict is None:
        return student, "not graded", "", "interrupted: run again to grade"
    code_score, max_score, pending = score or (verdict.score, verdict.max_score, verdict.manual_pending)
    points = "" if verdict.status == FAILED or code_score is None else f"{code_score:g}/{max_score:g}"
    notes = [verdict.reason]
    if pending and verdict.status != FAILED:
        notes.append(f"{pending} written answer(s) to grade")
    if outcome is None:
        notes.insert(0, "interrupted before regrading: grade of an earlier run" if was_due else "unchanged")
    return student, verdict.status, points, "; ".join(filter(None, notes))


def _grade_all(todo, options, course_dir, db_url, workers_wanted, ledger, fingerprints, shard_text, out):
    """Hand the students to the workers; record each verdict as it arrives."""
    import multiprocessing.connection

    # Imported once here and inherited by every forked worker, instead of once per worker.
    import nbconvert.exporters  # noqa: F401
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    from . import autograde  # noqa: F401

    context = multiprocessing.get_context("fork")
    queue = list(todo)
    progress = Progress(len(todo), max(len(s) for s in todo), out)
    outcomes, announced = {}, set()
    workers = []
    interrupted = False

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop_on_signal)

    def finish(outcome):
        outcomes[outcome.student] = outcome
        if outcome.final:
            ledger.record(options.assignment, outcome, fingerprints[outcome.student], shard_text)
        for warning in outcome.warnings:
            if warning not in announced:
                announced.add(warning)
                progress.say(f"warning: sandbox: {warning}")
        progress.finished(outcome)

    def assess_safely(done):
        try:
            return assess(done, course_dir, db_url, options.assignment)
        except Exception as error:  # reading the gradebook failed: no verdict, retried next run
            return Outcome(done["student"], FAILED, f"grader error: {type(error).__name__}: {error}",
                           seconds=done["seconds"], final=False)

    def start_worker():
        return Worker(context, course_dir, db_url, options.assignment, options.feedback)

    try:
        workers = [start_worker() for _ in range(workers_wanted)]
        for worker in workers:
            if queue:
                worker.give(queue.pop(0))
        while any(w.student is not None for w in workers):
            busy = {w.connection: w for w in workers if w.student is not None}
            ready = multiprocessing.connection.wait(list(busy), timeout=1.0)
            progress.tick([w.student for w in workers if w.student is not None])
            for connection in ready:
                worker = busy[connection]
                student, seconds = worker.student, time.monotonic() - worker.started
                try:
                    done = worker.take()
                except (EOFError, OSError):
                    worker.process.join(5)
                    done = {"student": student,
                            "crashed": f"the grading process died (exit code {worker.process.exitcode})"}
                    workers[workers.index(worker)] = worker = _replace(worker, start_worker)
                if queue:  # the worker goes on while this process records the verdict
                    worker.give(queue.pop(0))
                if "crashed" in done:
                    outcome = Outcome(student, FAILED, done["crashed"], seconds=seconds, final=False)
                else:
                    outcome = assess_safely(done)
                finish(outcome)
            now = time.monotonic()
            for index, worker in enumerate(workers):
                if worker.student is not None and now - worker.started > options.student_timeout:
                    outcome = Outcome(worker.student, FAILED,
                                      f"grading took longer than {options.student_timeout:g} s and was stopped",
                                      seconds=now - worker.started, final=False)
                    workers[index] = _replace(worker, start_worker)
                    finish(outcome)
                    if queue:
                        workers[index].give(queue.pop(0))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        for worker in workers:
            worker.stop(kill=interrupted)
        progress.close()
    return outcomes, interrupted


def _replace(worker, start_worker):
    """Kill a stuck or dead worker and start a fresh one in its place."""
    worker.stop(kill=True)
    return start_worker()
