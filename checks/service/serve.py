"""The grading service: watch the exchange, send jobs, receive results, record, release.

Every step is repeatable and keyed by the submission (its inbound folder), so nothing is
lost and nothing is done twice, whatever stops: a submission seen again is known; a job whose
result does not come within its lease is sent again (the worker was killed, the broker lost
it) and the first result to come back is the one recorded; a result is kept until the
gradebook has it (a gradebook out of reach is tried again); a student's newer submission
supersedes an older one, whatever order their jobs end in; on start the service reconciles
its state with the exchange. Only this process writes the gradebook.
"""
import json
import os
import signal
import socket
import time
from pathlib import Path

from ..engine.batch.fingerprints import course_fingerprint, submission_fingerprint
from ..engine.batch.outcome import FAILED as VERDICT_FAILED
from ..engine.configuration import course_settings, load_course_config
from . import jobs, record, state as states
from .jobs import Submission
from .policy import Policy
from .queue import GRADE_QUEUE, GRADE_TASK, SERVICE_DIR, application

_PENDING = object()  # a job still in flight
TICK = 0.1            # seconds between two looks at the exchange and the queue
RETRY = 5.0           # seconds before trying again what failed for want of the broker or the gradebook
DEADLINE_CACHE = 10.0  # seconds a due date read from the gradebook is trusted


class Service:
    def __init__(self, course_dir, broker="", db_url="", out=None):
        from nbgrader.coursedir import CourseDirectory

        self.course_dir = Path(course_dir).resolve()
        self.config = load_course_config(self.course_dir, db_url)
        self.db_url = CourseDirectory(config=self.config).db_url
        course_id = self.config.CourseDirectory.course_id
        exchange = Path(self.config.Exchange.root if "root" in self.config.Exchange else "/srv/nbgrader/exchange")
        self.inbound, self.feedback_folder = exchange / course_id / "inbound", exchange / course_id / "feedback"
        self.policy = Policy.of(course_settings(self.course_dir, "GradingService"))
        self.state = states.State(self.course_dir / SERVICE_DIR / "state.db")
        self.app = application(self.course_dir, broker)
        self.out = out
        self._api = self._ledger = None
        self._fingerprints, self._deadlines, self._retry_at = {}, {}, {}
        self.stopping = False

    # -- what the service knows of the course
    def say(self, text):
        if self.out is not None:
            print(time.strftime("%H:%M:%S"), text, file=self.out, flush=True)

    def fingerprint(self, assignment):
        if assignment not in self._fingerprints:
            self._fingerprints[assignment] = course_fingerprint(self.course_dir, assignment)
        return self._fingerprints[assignment]

    def api(self):
        if self._api is None:
            from nbgrader.apps import NbGraderAPI
            self._api = NbGraderAPI(config=self.config)
        return self._api

    def ledger(self):
        if self._ledger is None:
            from ..engine.batch.ledger import Ledger
            self._ledger = Ledger(self.db_url)
        return self._ledger

    def deadline(self, assignment):
        """The assignment's due date (UTC, naive, as nbgrader keeps it) or None; read again now and then."""
        cached = self._deadlines.get(assignment)
        if cached is None or time.monotonic() - cached[1] > DEADLINE_CACHE:
            from nbgrader.api import Gradebook, MissingEntry
            try:
                with Gradebook(self.db_url) as gradebook:
                    duedate = gradebook.find_assignment(assignment).duedate
            except MissingEntry:
                duedate = None
            cached = (duedate, time.monotonic())
            self._deadlines[assignment] = cached
        return cached[0]

    def before_deadline(self, assignment, now=None):
        from datetime import datetime, timezone
        deadline = self.deadline(assignment)
        now = now or datetime.now(timezone.utc).replace(tzinfo=None)
        return deadline is None or now <= deadline

    # -- the loop
    def run(self):
        """Until SIGTERM or Ctrl-C; each pass does what is due, one step after another."""
        def stop(signum, frame):
            self.stopping = True
        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        record.make_feedback_folder(self.feedback_folder)
        self.say(f"serving {self.inbound} (broker {self.app.conf.broker_url}, gradebook {self.db_url})")
        try:
            while not self.stopping:
                busy = self.tick()
                if not busy:
                    time.sleep(TICK)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self.state.close()
        self.say("stopped: what is owed is in the state and is done on the next start")

    def tick(self):
        """One pass over everything due; whether it did something."""
        done = self.see_new()
        done |= self.send_due()
        done |= self.collect_results()
        done |= self.record_pending()
        done |= self.release_at_deadline()
        return done

    def _due(self, key):
        return time.monotonic() >= self._retry_at.get(key, 0.0)

    def _later(self, key):
        self._retry_at[key] = time.monotonic() + RETRY

    # -- steps
    def see_new(self):
        """Inbound folders the state does not know: queued, held (no attempt left) or failed."""
        if not self.inbound.is_dir():
            return False
        known, seen = self.state.known(), False
        for folder in sorted(self.inbound.iterdir()):
            submission = Submission.of_folder(folder) if folder.is_dir() else None
            if submission is None or submission.key in known:
                continue
            seen = True
            if not (self.course_dir / "source" / submission.assignment).is_dir():
                self.state.add(submission, states.FAILED, f"the course has no assignment {submission.assignment!r}")
                continue
            if self._out_of_attempts(submission):
                self.state.add(submission, states.HELD, "no graded attempt left in the period")
                self._release_held_notice(submission)
            else:
                self.state.add(submission, states.QUEUED)
            self.say(f"{submission.student} submitted {submission.assignment} ({submission.timestamp})")
        return seen

    def _out_of_attempts(self, submission):
        if not self.policy.attempts or not self.before_deadline(submission.assignment):
            return False
        since = time.time() - 3600 * self.policy.attempt_period_hours
        return self.state.graded_since(submission.assignment, submission.student, since) >= self.policy.attempts

    def _release_held_notice(self, submission):
        language = record.language_of(self.course_dir, submission.assignment)
        for notebook in submission.notebooks():
            record.release(self.feedback_folder, submission, notebook,
                           record.held_notice(language, self.policy.attempts, self.policy.attempt_period_hours))

    def send_due(self):
        """Jobs to send: new ones, those whose lease ran out, held ones whose time has come."""
        now, sent = time.time(), False
        for row in self.state.in_state(states.HELD):
            submission = self._submission(row)
            if submission is not None and not self._out_of_attempts(submission):
                self.state.update(row.key, state=states.QUEUED, reason="", lease_until=0)
        for row in self.state.in_state(states.QUEUED):
            if row.lease_until > now or not self._due(row.key):
                continue
            submission = self._submission(row)
            if submission is None:
                self.state.update(row.key, state=states.FAILED, reason="its folder left the exchange")
                continue
            try:
                job = jobs.make_job(submission, self.fingerprint(submission.assignment))
            except jobs.TooLarge as error:
                self.state.update(row.key, state=states.FAILED, reason=str(error))
                continue
            try:
                task = self.app.send_task(GRADE_TASK, args=[job], queue=GRADE_QUEUE)
            except Exception as error:  # the broker is out of reach: the job waits
                self._later(row.key)
                self.state.update(row.key, reason=f"the queue is out of reach ({type(error).__name__}): waiting")
                continue
            # The jobs sent before stay in flight: whichever result comes first is the one recorded.
            self.state.update(row.key, task=" ".join([*row.task.split(), task.id]), attempts=row.attempts + 1,
                              queued_at=now, reason="", lease_until=now + self.policy.lease_seconds)
            sent = True
        return sent

    def _submission(self, row):
        folder = self.inbound / row.key
        return Submission.of_folder(folder) if folder.is_dir() else None

    def collect_results(self):
        """Results that came back: the first of a submission's jobs to end is kept, to be recorded;
        the others' results, when they come, are let go. A refusal waits for another worker."""
        collected = False
        for row in self.state.with_jobs():
            for task in row.task.split():
                value = self._result_of(task)
                if value is _PENDING:
                    continue
                collected = True
                row = self.state.get(row.key)
                tasks = " ".join(other for other in row.task.split() if other != task)
                if row.state != states.QUEUED:
                    self.state.update(row.key, task=tasks)  # a second job's result: the first one stands
                elif not isinstance(value, dict) or value.get("kind") != jobs.RESULT:
                    # the task itself failed (a worker's fault, not the student's): send it again
                    self.state.update(row.key, task=tasks, lease_until=0 if not tasks else row.lease_until,
                                      reason=f"a worker failed: {str(value)[:200]}")
                elif "refused" in value:
                    failed = row.attempts >= self.policy.max_refusals and not tasks
                    self.state.update(row.key, task=tasks, reason=value["refused"],
                                      lease_until=row.lease_until if tasks else time.time() + RETRY,
                                      **({"state": states.FAILED} if failed else {}))
                else:
                    self.state.update(row.key, state=states.RECORDING, task=tasks, result=json.dumps(value), reason="")
        return collected

    def _result_of(self, task):
        """A finished job's result (let go from the backend), or _PENDING."""
        from celery.result import AsyncResult

        result = AsyncResult(task, app=self.app)
        try:
            if not result.ready():
                return _PENDING
            value = result.get(propagate=False, disable_sync_subtasks=False)
            result.forget()
        except Exception:  # the result backend is out of reach: the lease still runs
            return _PENDING
        return value

    def record_pending(self):
        """Results into the gradebook, oldest first; a superseded one is not recorded at all."""
        recorded = False
        for row in self.state.in_state(states.RECORDING):
            if not self._due(row.key):
                continue
            newer = [other for other in self.state.of_student(row.assignment, row.student)
                     if other.timestamp > row.timestamp and other.state in (*states.OPEN, states.GRADED)]
            if newer:
                self.state.update(row.key, state=states.SUPERSEDED, result=None,
                                  reason=f"the submission of {newer[-1].timestamp} stands")
                continue
            submission = self._submission(row)
            if submission is None:
                self.state.update(row.key, state=states.FAILED, reason="its folder left the exchange", result=None)
                continue
            recorded |= self._record(row, submission)
        return recorded

    def _record(self, row, submission):
        started = time.perf_counter()
        self._deadlines.pop(submission.assignment, None)  # late or not, by the due date as it is now
        try:
            outcome = record.record(self.api(), self.course_dir, self.db_url, submission, row.result_data())
        except Exception as error:  # the gradebook is out of reach, for one: the result waits
            self._later(row.key)
            self.state.update(row.key, reason=f"not recorded yet ({type(error).__name__}: {str(error)[:160]})")
            return False
        if not outcome.final:  # nbgrader failed on a readable notebook: not the student's fault, try again
            self._later(row.key)
            self.state.update(row.key, reason=f"not recorded yet ({outcome.reason})")
            return False
        fingerprint = submission_fingerprint(self.course_dir, submission.assignment, submission.student,
                                             self.fingerprint(submission.assignment))
        try:
            self.ledger().record(submission.assignment, outcome, fingerprint, "service")
        except Exception as error:
            self._later(row.key)
            self.state.update(row.key, reason=f"not recorded yet ({type(error).__name__})")
            return False
        if outcome.status == VERDICT_FAILED:
            self.state.update(row.key, state=states.FAILED, reason=outcome.reason, result=None)
            return True
        self._release(row, submission)
        late = not self.before_deadline_of(submission)
        self.state.update(row.key, state=states.GRADED, score=outcome.score, max_score=outcome.max_score,
                          late=int(late), graded_at=time.time(), result=row.result, reason=outcome.reason,
                          record_seconds=time.perf_counter() - started)
        self.say(f"{submission.student} {submission.assignment}: {outcome.points}"
                 + (" (late)" if late else ""))
        return True

    def before_deadline_of(self, submission):
        from nbgrader.utils import parse_utc
        return self.before_deadline(submission.assignment, parse_utc(submission.timestamp).replace(tzinfo=None))

    def _release(self, row, submission, kind=None):
        """Release the feedback the policy allows now (or `kind`) for each of the submission's notebooks."""
        kind = kind or self.policy.feedback(self.before_deadline(submission.assignment))
        result = row.result_data() or {"results": {}}
        feedback_dir = self.course_dir / "feedback" / submission.student / submission.assignment
        for notebook, data in result["results"].items():
            if kind == "full":
                page = (feedback_dir / f"{notebook}.html").read_text(encoding="utf-8")
            else:
                points = record.points_of(self.course_dir, submission.assignment, notebook)
                page = record.reduced_feedback(data, points, kind, self.deadline(submission.assignment))
            record.release(self.feedback_folder, submission, notebook, page)
        self.state.update(row.key, released_at=time.time(), released=kind)

    def release_at_deadline(self):
        """Once a deadline has passed: the whole feedback for every graded submission that had less."""
        released = False
        for row in self.state.in_state(states.GRADED):
            if row.released == "full" or self.before_deadline(row.assignment):
                continue
            submission = self._submission(row)
            if submission is not None:
                self._release(row, submission, "full")
                released = True
        return released


def serve(course_dir, broker="", db_url="", out=None):
    """`nn-grade serve`: run the service until stopped."""
    Service(course_dir, broker, db_url, out).run()


def run_worker(course_dir, broker="", concurrency=1):
    """`nn-grade worker`: a Celery worker of the grading queue, grading with the course in course_dir."""
    from .worker import register

    app = application(course_dir, broker)
    register(app, course_dir)
    app.worker_main(["worker", "--loglevel=WARNING", f"--concurrency={concurrency}", f"--queues={GRADE_QUEUE}",
                     f"--hostname=nn-grade-{os.getpid()}@{socket.gethostname()}",
                     "--without-gossip", "--without-mingle", "--without-heartbeat"])
