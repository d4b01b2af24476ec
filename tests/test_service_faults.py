"""Grading as submissions arrive, with its policy (attempts, deadlines) and the infrastructure of
several machines stopped and started again: the gradebook in PostgreSQL, the queue in Redis.
"""
import datetime
import shutil
import socket
import subprocess
import time

import pytest
from nbgrader.api import Gradebook

import postgres
from service_harness import (make_course, sample, score, sqlite, state_of, submit, verdicts,  # noqa: F401
                             wait_for, wait_graded, processes_of)

pytestmark = [pytest.mark.nbgrader, pytest.mark.service]


# ---------------------------------------------------------------- the policy

def test_attempts_are_limited_and_the_held_submission_graded_later(tmp_path, processes_of):
    course = make_course(tmp_path, attempts=1, attempt_period_hours=4 / 3600)  # one graded attempt per 4 s
    processes = processes_of(course)
    processes.service(), processes.worker()
    first = submit(course, "mia", sample("one-bug"))
    wait_graded(course, first)
    second = submit(course, "mia", sample("correct"), later=0.1)
    held = wait_for(lambda: state_of(course, second) and state_of(course, second).state == "held"
                    and state_of(course, second), "the second submission to be held")
    notice = list((course / "exchange" / "nn-from-scratch" / "feedback").glob("*.html"))
    assert any("graded attempts" in page.read_text() for page in notice)
    assert held.graded_at is None
    assert wait_graded(course, second)[0].state == "graded"  # once the period has freed an attempt
    assert score(sqlite(course), "mia") == 100


def test_after_the_deadline_the_whole_feedback_and_late_work_marked(tmp_path, processes_of):
    course = make_course(tmp_path, feedback_before_deadline="score")
    processes = processes_of(course)
    processes.service(), processes.worker()
    early = submit(course, "noor", sample("one-bug"))
    assert wait_graded(course, early)[0].released == "score"
    page = next((course / "exchange" / "nn-from-scratch" / "feedback").glob("*.html")).read_text()
    assert "90 of 100" in page and "mse_loss_values" not in page
    with Gradebook(sqlite(course)) as gradebook:
        gradebook.update_or_create_assignment("seminar1", duedate=datetime.datetime.utcnow())
    late = submit(course, "omar", sample("correct"), later=30)
    row = wait_graded(course, late)[0]
    assert row.late and row.released == "full"
    wait_for(lambda: state_of(course, early).released == "full", "the whole feedback after the deadline")
    pages = [path.read_text() for path in (course / "exchange" / "nn-from-scratch" / "feedback").glob("*.html")]
    assert sum("Grading report" in page for page in pages) == 2


# ---------------------------------------------------------------- several machines' infrastructure

def test_the_gradebook_out_of_reach_makes_results_wait(tmp_path, processes_of):
    """PostgreSQL stopped while a result comes back: it is kept, not marked graded, and recorded once
    the gradebook is back."""
    if not postgres.available():
        pytest.skip(postgres.INSTALL_HINT)
    server = postgres.TemporaryServer()
    try:
        course = make_course(tmp_path, db_url=server.url)
        processes = processes_of(course, db_url=server.url)
        processes.service(), processes.worker()
        server.stop()
        key = submit(course, "pia", sample("correct"))
        row = wait_for(lambda: state_of(course, key) and "not recorded yet" in state_of(course, key).reason
                       and state_of(course, key), "the result to wait for the gradebook")
        assert row.state == "recording"
        time.sleep(2)
        assert state_of(course, key).state == "recording"
        server.start()
        assert wait_graded(course, key)[0].state == "graded"
        assert score(server.url, "pia") == 100 and verdicts(server.url, "pia") == ["graded"]
    finally:
        server.remove()


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server on a free port, which the test may stop and start again."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (Debian: apt-get install redis-server; as root, "
                    "`python3 tasks.py test` installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
               "--dir", str(tmp_path)]

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for(lambda: _answers(port), "redis to start", 30)

        def stop(self):
            self.process.kill()
            self.process.wait(30)

    server = Server()
    server.start()
    yield server
    server.stop()


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_the_broker_stopped_and_restarted_during_a_burst(tmp_path, processes_of, redis_server):
    """Redis as the broker, killed during a burst and started again empty: the jobs it lost are sent
    again when their lease runs out; every submission gets exactly one verdict."""
    course = make_course(tmp_path)
    processes = processes_of(course, broker=redis_server.url)
    processes.service(), processes.worker()
    students = [f"burst{index}" for index in range(4)]
    keys = [submit(course, student, sample("correct")) for student in students]
    wait_for(lambda: any(state_of(course, key) and state_of(course, key).state == "graded" for key in keys),
             "the first verdict")
    redis_server.stop()
    time.sleep(2)
    redis_server.start()
    rows = wait_graded(course, *keys)
    assert [row.state for row in rows] == ["graded"] * len(keys)
    assert [verdicts(sqlite(course), student) for student in students] == [["graded"]] * len(students)
    assert all(score(sqlite(course), student) == 100 for student in students)
