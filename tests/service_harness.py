"""What the grading service's tests share: a course with its exchange, students who submit as
`nbgrader submit` does, the service's and the workers' processes, and what became of each
submission (the service's state, the ledger's verdicts, the gradebook's scores)."""
import datetime
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook

import hostile
import postgres
from conftest import ROOT, copy_course, generated_in, nbgrader, tool_environment

SAMPLES = ROOT / "submitted"
NN_GRADE = [sys.executable, "-m", "checks.engine.cli"]
WAIT = 120  # seconds a test waits for what must come much sooner


# ---------------------------------------------------------------- a course, students, processes

def make_course(folder, db_url="", **service):
    """A course copy with its exchange and seminar1 released; c.GradingService settings as given."""
    course = copy_course(folder, with_samples=False)
    settings = {"lease_seconds": 5, "attempts": 0, **service}
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.GradeInSandbox.cell_timeout = 4\n")
        config.write("".join(f"c.GradingService.{name} = {value!r}\n" for name, value in settings.items()))
    db = [f"--db={db_url}"] if db_url else []
    if db:
        nbgrader("generate_assignment", "seminar1", "--force", *db, cwd=course)
    else:
        generated_in(course)
    nbgrader("release_assignment", "seminar1", "--force", *db, cwd=course)
    return course


def inbound(course):
    return course / "exchange" / "nn-from-scratch" / "inbound"


def submit(course, student, notebook, later=0.0):
    """Submit as `nbgrader submit` leaves a submission: an inbound folder with the notebook, its
    timestamp and secret (written last). `later`: seconds added to the timestamp. Returns the key."""
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=later)
    timestamp = when.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    key = f"{student}+seminar1+{timestamp}+{secrets.token_hex(6)}"
    writing = course / f".writing-{key}"
    writing.mkdir()
    if isinstance(notebook, Path):
        shutil.copy(notebook, writing / "seminar1.ipynb")
    else:
        nbformat.write(notebook, writing / "seminar1.ipynb")
    (writing / "timestamp.txt").write_text(timestamp)
    (writing / "submission_secret.txt").write_text(secrets.token_hex(64))
    inbound(course).mkdir(parents=True, exist_ok=True)
    writing.rename(inbound(course) / key)
    return key


def sample(name):
    return SAMPLES / f"sample-{name}" / "seminar1" / "seminar1.ipynb"


def slow_correct(seconds):
    """A correct notebook whose MSELoss part takes `seconds` more to grade (its first forward call
    sleeps, under the cell limit)."""
    return hostile.override(hostile.correct(), "mse_loss", "MSELoss", "forward", f"""(self, X, Y):
    import time
    if not getattr(MSELoss, "slept", False):
        MSELoss.slept = True
        time.sleep({seconds})
    self.diff = X - Y
    return float(np.sum(self.diff ** 2) / len(X))""")


class Processes:
    """The service's and the workers' processes of a test, stopped at its end whatever happens."""

    def __init__(self, course, broker="", db_url=""):
        self.course, self.broker, self.db_url, self.running = course, broker, db_url, []

    def _start(self, command, log):
        options = ["--course-dir", str(self.course)] + (["--broker", self.broker] if self.broker else [])
        with open(self.course / log, "ab") as out:
            process = subprocess.Popen([*NN_GRADE, *command, *options], cwd=self.course, env=tool_environment(),
                                       stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append(process)
        return process

    def service(self):
        return self._start(["serve"] + (["--db", self.db_url] if self.db_url else []), "service.log")

    def worker(self):
        return self._start(["worker"], "worker.log")

    @staticmethod
    def kill(process, how=signal.SIGKILL):
        """The process and everything it started (a Celery worker's pool), by its session."""
        try:
            os.killpg(process.pid, how)
        except ProcessLookupError:
            pass
        process.wait(30)

    def stop_all(self):
        """At a test's end, at once: what they owe is in the service's state, not in them."""
        for process in self.running:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def processes_of():
    made = []

    def make(course, **options):
        made.append(Processes(course, **options))
        return made[-1]
    yield make
    for processes in made:
        processes.stop_all()


# ---------------------------------------------------------------- what became of it

def state_of(course, key):
    from checks.service.state import State
    store = State(course / ".nn-service" / "state.db")
    try:
        return store.get(key)
    finally:
        store.close()


def wait_for(condition, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout} s for {what}")


def wait_graded(course, *keys, final=("graded", "superseded", "failed")):
    def done():
        states = [state_of(course, key) for key in keys]
        return all(row is not None and row.state in final for row in states) and states
    return wait_for(done, f"{', '.join(keys)} to be graded")


def verdicts(db_url, student):
    """The ledger's verdicts of a student (the batch's and the service's alike)."""
    engine = sa.create_engine(db_url)
    if not sa.inspect(engine).has_table("nn_grade_log"):
        return []
    with engine.connect() as connection:
        rows = list(connection.execute(sa.text("SELECT status FROM nn_grade_log WHERE student = :s AND status != "
                                               "'stopped'"), {"s": student}))
    engine.dispose()
    return [row.status for row in rows]


def score(db_url, student):
    with Gradebook(db_url) as gradebook:
        return gradebook.find_submission("seminar1", student).code_score


def sqlite(course):
    return f"sqlite:///{course / 'gradebook.db'}"


