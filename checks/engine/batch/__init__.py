"""Grade a whole class: every submission of an assignment, in parallel, resumable.

    nn-grade grade ASSIGNMENT [--workers N] [--force] [--shard i/n] [--db URL]

The jobs, one module each:
- students: which students (the submitted folders, a machine's shard, the folders that
  hold nothing gradable and why);
- fingerprints: when a verdict still holds (the submission, the instructor's notebook and
  the grading code);
- ledger: the verdicts of earlier runs, in the gradebook's database;
- safekeeping: a student's last good feedback and autograded notebook, kept until a new
  verdict replaces them;
- workers: the grading processes, which run nbgrader's own autograde and generate_feedback
  with the course's nbgrader_config.py, so the grades are exactly those of nbgrader;
- progress: the lines, the live bar and the summary table;
- grades_csv: grades-<assignment>.csv (nbgrader's export writes grades.csv: another name, so
  neither overwrites the other);
- database: whether the gradebook's database can be used, said before grading starts;
- lock: one run per course and shard at a time.
This module runs the command: it puts the jobs together.
"""
import os
import shlex
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import safekeeping
from .fingerprints import course_fingerprint, submission_fingerprint
from .database import database_error
from .grades_csv import gradebook_scores, gradebook_unanswered, unwritable, write_csv
from .ledger import LEDGER_TABLE, Ledger
from .lock import run_lock
from .outcome import FAILED, GRADED, NOT_GRADED, STOPPED, TIMED_OUT, Outcome
from .progress import Progress, clock, summary_table
from .students import in_shard, misplaced, parse_shard, student_folders, unknown_students
from ..configuration import course_db_url
from .workers import grade_all

__all__ = ["Options", "run", "parse_shard", "in_shard", "LEDGER_TABLE", "Outcome",
           "GRADED", "TIMED_OUT", "FAILED", "STOPPED", "NOT_GRADED"]


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
    csv_path: Path = None        # default: <course>/grades-<assignment>.csv
    student_timeout: float = 900.0


def default_csv_path(course_dir, assignment):
    """grades-<assignment>.csv in the course directory."""
    return Path(course_dir) / f"grades-{assignment}.csv"


def check_assignment_exists(db_url, assignment):
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def run(options, out=sys.stdout):
    """Grade; returns the exit status (0 all graded, 1 some not, 2 a usage error, 130 interrupted)."""
    course_dir = Path(options.course_dir).resolve()
    assignment = options.assignment
    if not (course_dir / "source" / assignment).is_dir():
        known = sorted(p.name for p in (course_dir / "source").iterdir() if p.is_dir()) \
            if (course_dir / "source").is_dir() else []
        print(f"error: no source/{assignment} in {course_dir}"
              + (f" (its assignments: {', '.join(known)})" if known else
                 ": is this the course directory? (--course-dir)"), file=out)
        return 2
    unknown = unknown_students(course_dir, options.students)
    if unknown:
        print(f"error: --student names no submitted student: {'; '.join(unknown)}", file=out)
        return 2
    # Checked before grading starts: a wrong --csv found after grading the class loses the file.
    cannot_write = unwritable(options.csv_path or default_csv_path(course_dir, assignment))
    if cannot_write:
        print(f"error: --csv: {cannot_write}", file=out)
        return 2
    db_url = course_db_url(course_dir, options.db_url)
    unusable = database_error(db_url, given=bool(options.db_url))
    if unusable:
        print(unusable, file=out)
        return 2
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    missing_file = db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists()
    if missing_file or not check_assignment_exists(db_url, assignment):
        print(f"error: the gradebook has no assignment {assignment!r}: run "
              f"`{generate_command(course_dir, assignment, options.db_url)}` first", file=out)
        return 2
    lock = run_lock(course_dir, assignment, options.shard)
    if lock is None:
        print(f"error: another `nn-grade grade {assignment}` is running on this course"
              + (" and shard" if options.shard else "") + ": wait for it, or stop it", file=out)
        return 2
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        safekeeping.recover(course_dir, assignment)  # after a run that was killed
        return _run_locked(options, course_dir, assignment, db_url, out)
    finally:
        for number, handler in handlers.items():  # an interrupted run ignored more interruptions
            signal.signal(number, handler)
        lock.close()


def generate_command(course_dir, assignment, db_url=""):
    """The command that puts an assignment into the gradebook, as it runs when pasted: nbgrader of
    this installation (whose course configuration puts its own bin folder on PATH, for alembic),
    in the course directory, with --force (without it nbgrader skips an existing release/)."""
    nbgrader = shlex.quote(str(Path(sys.executable).parent / "nbgrader"))
    where = "" if Path.cwd().resolve() == course_dir else f"cd {shlex.quote(str(course_dir))} && "
    database = f" --db={shlex.quote(db_url)}" if db_url else ""
    return f"{where}{nbgrader} generate_assignment {assignment} --force{database}"


def _run_locked(options, course_dir, assignment, db_url, out):
    ledger = Ledger(db_url)
    folders = [s for s in student_folders(course_dir) if in_shard(s, options.shard)]
    misplaced_folders = {s: why for s in folders if (why := misplaced(course_dir, s, assignment))}
    # The class (this shard of it) goes into the grades' file; the students asked for are graded.
    whole_class = [s for s in folders if (course_dir / "submitted" / s / assignment).is_dir()]
    students = [s for s in whole_class if not options.students or s in options.students]
    course_print = course_fingerprint(course_dir, assignment)
    fingerprints = {s: submission_fingerprint(course_dir, assignment, s, course_print) for s in students}
    latest = ledger.latest(assignment)
    autograded = course_dir / "autograded"

    def up_to_date(student):
        # A stopped attempt is not a verdict: grade again. A grade with tests stopped for time
        # stands, but is graded again: the time may have been the machine's, not the student's.
        row = latest.get(student)
        return (row is not None and row.status in (GRADED, FAILED)
                and row.fingerprint == fingerprints[student]
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
        progress = Progress(len(todo), max(len(s) for s in todo), out)
        announced = set()

        def on_outcome(outcome):
            ledger.record(assignment, outcome, fingerprints[outcome.student], shard_text)
            if outcome.final and outcome.status != FAILED:
                safekeeping.discard(course_dir, assignment, outcome.student)
            else:  # nothing better came of it: the last good results stay
                safekeeping.put_back(course_dir, assignment, outcome.student)
            for warning in outcome.warnings:
                if warning not in announced:
                    announced.add(warning)
                    progress.say(f"warning: sandbox: {warning}")

        outcomes, interrupted = grade_all(todo, options, course_dir, db_url, workers_wanted, on_outcome,
                                          progress)
    elapsed = time.monotonic() - started

    verdicts, due = ledger.verdicts(assignment), set(todo)
    scores, unanswered = gradebook_scores(db_url, assignment), gradebook_unanswered(db_url, assignment)
    rows = [_summary_row(student, outcomes.get(student), verdicts.get(student), scores.get(student),
                         student in due, unanswered.get(student, "")) for student in students]
    rows += [(student, NOT_GRADED, "", why) for student, why in sorted(misplaced_folders.items())
             if not options.students or student in options.students]
    print("\n" + summary_table(rows), file=out)

    csv_path = Path(options.csv_path or default_csv_path(course_dir, assignment))
    # A shard's file has every verdict in the shared database so far, other shards' students too.
    in_csv = sorted(set(whole_class) | set(verdicts)) if options.shard else whole_class
    try:
        write_csv(csv_path, assignment, _csv_rows(in_csv, misplaced_folders, verdicts, scores, outcomes,
                                                  unanswered))
    except OSError as error:  # the folder went away meanwhile, a full disk: the grades are in the gradebook
        print(f"error: could not write {csv_path}: {error.strerror or error}; the grades are in the "
              "gradebook: run again with --csv FILE to write them", file=out)
        return 2
    counts = {}
    for _, status, _, _ in rows:
        counts[status] = counts.get(status, 0) + 1
    print("\n" + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())), file=out)
    graded_now = sum(1 for o in outcomes.values() if o.final and o.status in (GRADED, TIMED_OUT))
    if graded_now:
        print(f"graded {graded_now} in {clock(elapsed)}: {elapsed / graded_now:.2f} s per submission", file=out)
    print(f"grades: {csv_path}" + (f"; feedback: {course_dir / 'feedback'}" if options.feedback else ""),
          file=out, flush=True)
    if interrupted:
        print("interrupted: the grades above are saved; run the same command again to grade the rest",
              file=out, flush=True)
        return 130
    return 1 if any(status in (FAILED, NOT_GRADED, STOPPED) for _, status, _, _ in rows) else 0


def _summary_row(student, outcome, verdict, score, was_due, unanswered=""):
    """(student, status, points, notes) for the summary table.
    outcome: this run's, if any; verdict: the ledger's latest; score: the gradebook's;
    unanswered: the note on written answers left unanswered."""
    earlier = (f"; the grade of an earlier run, {_points(verdict, score)}, stands"
               if verdict is not None and verdict.status != FAILED else "")
    if outcome is not None and not outcome.final:
        return student, STOPPED, "", f"{outcome.reason}: will be retried on the next run{earlier}"
    if verdict is None:
        return student, NOT_GRADED, "", "interrupted: run again to grade"
    notes = [verdict.reason]
    pending = (score or (None, None, verdict.manual_pending))[2]
    if pending and verdict.status != FAILED:
        notes.append(f"{pending} written answer(s) to grade")
    if verdict.status != FAILED:
        notes.append(unanswered)
    if outcome is None:
        notes.insert(0, "interrupted before regrading: grade of an earlier run" if was_due else "unchanged")
    return student, verdict.status, _points(verdict, score), "; ".join(filter(None, notes))


def _points(verdict, score):
    code_score, max_score, _ = score or (verdict.score, verdict.max_score, 0)
    return "" if verdict.status == FAILED or code_score is None else f"{code_score:g}/{max_score:g}"


def _csv_rows(students, misplaced_folders, verdicts, scores, outcomes, unanswered=None):
    """One row per student of this run's class: their verdict and the gradebook's scores (hand
    grades included), and which written answers were left unanswered; folders that hold nothing
    gradable, with the reason."""
    rows = []
    for student in students:
        verdict, outcome = verdicts.get(student), outcomes.get(student)
        stopped = outcome is not None and not outcome.final
        if verdict is None:
            rows.append((student, STOPPED if stopped else NOT_GRADED, None, None, 0,
                         f"{outcome.reason}: will be retried" if stopped else "not graded yet"))
            continue
        score, max_score, pending = scores.get(student, (None, None, 0))
        notes = "; ".join(filter(None, [verdict.reason, (unanswered or {}).get(student, "")
                                        if verdict.status != FAILED else ""]))
        if stopped:
            notes = "; ".join(filter(None, [notes, f"a regrade was stopped ({outcome.reason}): "
                                                   "will be retried; this grade stands until then"]))
        rows.append((student, verdict.status, score, max_score, pending, notes))
    rows += [(student, NOT_GRADED, None, None, 0, why) for student, why in misplaced_folders.items()]
    return rows
