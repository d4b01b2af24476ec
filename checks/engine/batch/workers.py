"""The grading processes: each keeps nbgrader loaded and grades one student at a time with
nbgrader's own autograde and generate_feedback, so the grades are those of `nbgrader
autograde`; the parent hands out students and turns what each worker did into an Outcome."""
import multiprocessing
import os
import signal
import time
import warnings
from pathlib import Path

from . import safekeeping
from .grades_csv import scores_of
from .outcome import FAILED, GRADED, TIMED_OUT, Outcome
from ..configuration import load_course_config
from ..results import STOPPED_FOR_TIME
from .students import NBGRADER_FAILED, what_is_wrong


def grade_student(api, assignment, student, feedback):
    """In a worker: nbgrader's autograde (and feedback) for one student. Returns what
    happened; the parent turns it into an Outcome while this worker grades the next."""
    from .. import autograde

    started = time.monotonic()
    result = api.autograde(assignment, student, force=True, create=True)
    graded = {notebook: outcome.to_json() for notebook, outcome in autograde.take_results(assignment, student).items()}
    done = {"student": student, "success": result["success"], "error": result.get("error") or "",
            "results": graded, "feedback_error": ""}
    if feedback and result["success"]:
        made = api.generate_feedback(assignment, student, force=True)
        if not made["success"]:
            done["feedback_error"] = (made.get("error") or "unknown error").strip().splitlines()[-1][:200]
    done["seconds"] = time.monotonic() - started
    return done


def assess(done, course_dir, db_url, assignment):
    """The Outcome of a worker's grading, from the files and the gradebook it wrote."""
    from nbgrader.api import Gradebook, MissingEntry

    student = done["student"]
    results = done.get("results") or {}
    warnings_seen = sorted({warning for result in results.values() for warning in result["warnings"]})
    common = dict(seconds=done["seconds"], warnings=tuple(warnings_seen), results=results)
    graded = Path(course_dir) / "autograded" / student / assignment / f"{assignment}.ipynb"
    if not done["success"] or not graded.exists():
        reason = what_is_wrong(course_dir, student, assignment)
        if reason is None:
            # A readable notebook that nbgrader failed on is not the student's fault (a locked
            # database, a full disk): no verdict, so the next run tries again.
            error = done["error"].strip().splitlines()
            reason = f"nbgrader failed: {error[-1][:200]}" if error else NBGRADER_FAILED
            return Outcome(student, FAILED, reason, final=False, **common)
        return Outcome(student, FAILED, reason, **common)
    with Gradebook(db_url) as gradebook:
        try:
            score, max_score, pending = scores_of(gradebook.find_submission(assignment, student))
        except MissingEntry:
            return Outcome(student, FAILED, "nbgrader graded the notebook but stored no grade",
                           final=False, **common)
    stopped = [grade_id for result in results.values() for grade_id, cell in result["cells"].items()
               if cell["status"] in STOPPED_FOR_TIME]
    status = TIMED_OUT if stopped else GRADED
    notes = ["stopped for time: " + ", ".join(stopped) + " (graded again on the next run)"] if stopped else []
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

    from ..autograde import close_spare_sandboxes

    api = NbGraderAPI(config=load_course_config(course_dir, db_url))
    try:
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
    finally:  # this process ends with os._exit, which runs no atexit handler
        close_spare_sandboxes()


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


def grade_all(todo, options, course_dir, db_url, workers_wanted, on_outcome, progress):
    """Hand the students to the workers, and give each Outcome to on_outcome as it arrives.
    Returns {student: Outcome} and whether the run was interrupted (Ctrl-C, SIGTERM)."""
    import multiprocessing.connection

    # Imported once here and inherited by every forked worker, instead of once per worker.
    import nbconvert.exporters  # noqa: F401
    import nbgrader.apps  # noqa: F401
    import nbgrader.converters  # noqa: F401

    from .. import autograde  # noqa: F401

    context = multiprocessing.get_context("fork")
    assignment = options.assignment
    queue = list(todo)
    outcomes, workers, interrupted = {}, [], False

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop_on_signal)

    # Without feedback, a regrade replaces the autograded notebook only: the feedback stays.
    replaced = safekeeping.OUTPUTS if options.feedback else ("autograded",)

    def give(worker):
        if queue:
            student = queue.pop(0)
            worker.student = student  # from here on, an interruption puts the student's outputs back
            safekeeping.keep(course_dir, assignment, student, replaced)
            worker.give(student)

    def finish(outcome):
        outcomes[outcome.student] = outcome
        on_outcome(outcome)
        progress.finished(outcome)

    def assess_safely(done):
        try:
            return assess(done, course_dir, db_url, assignment)
        except Exception as error:  # reading the gradebook failed: no verdict, retried next run
            return Outcome(done["student"], FAILED, f"grader error: {type(error).__name__}: {error}",
                           seconds=done["seconds"], final=False)

    def start_worker():
        return Worker(context, course_dir, db_url, assignment, options.feedback)

    try:
        workers = [start_worker() for _ in range(workers_wanted)]
        for worker in workers:
            give(worker)
        while any(w.student is not None for w in workers):
            busy = {w.connection: w for w in workers if w.student is not None}
            # A second for the progress bar, or less when a student's time runs out sooner.
            next_deadline = min(w.started + options.student_timeout for w in busy.values())
            ready = multiprocessing.connection.wait(list(busy), timeout=min(1.0, max(0.0, next_deadline - time.monotonic())))
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
                give(worker)  # the worker goes on while this process records the verdict
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
                    give(workers[index])
    except KeyboardInterrupt:
        interrupted = True
        ignore_further_interrupts(progress)
    finally:
        if not interrupted:  # after an interruption, the caller restores it once the grades are saved
            signal.signal(signal.SIGTERM, previous)
        for worker in workers:
            student = worker.student
            worker.stop(kill=interrupted)
            if student is not None:  # stopped midway: its last good results come back
                safekeeping.put_back(course_dir, assignment, student)
        progress.close()
    return outcomes, interrupted


def ignore_further_interrupts(progress):
    """After the first Ctrl-C the run stops its workers, puts back the outputs of the students they
    were grading and writes the grades so far: more Ctrl-Cs must not cut that short (the caller
    restores the handler when it is done)."""
    def stopping(signum, frame):
        progress.say("stopping: saving the grades so far and putting back what was being regraded")
    signal.signal(signal.SIGINT, stopping)
    signal.signal(signal.SIGTERM, stopping)


def _replace(worker, start_worker):
    """Kill a stuck or dead worker and start a fresh one in its place."""
    worker.stop(kill=True)
    return start_worker()
