"""Grading as submissions arrive, on one machine: `nn-grade serve`, `nn-grade worker` and the queue
between them, for real (nbgrader's exchange and commands, Celery's workers, the gradebook), with
processes killed as they would be. Nothing is lost, nothing is graded twice.
"""
import shutil
import subprocess
import time

import pytest

import hostile
from conftest import copy_course, nbgrader, tool_environment
from service_harness import (NN_GRADE, Processes, inbound, make_course, sample, score, slow_correct, sqlite,  # noqa: F401
                             state_of, submit, verdicts, wait_for, wait_graded, processes_of)

pytestmark = [pytest.mark.nbgrader, pytest.mark.service]


# ---------------------------------------------------------------- a service and two workers, running

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A course whose service and two workers run for the module's tests (each test its own students)."""
    course = make_course(tmp_path_factory.mktemp("served"))
    processes = Processes(course)
    processes.service(), processes.worker(), processes.worker()
    yield course
    processes.stop_all()


def test_a_student_submits_and_fetches_feedback_with_nbgraders_own_commands(served, tmp_path):
    """`nbgrader submit`, the service and a worker, `nbgrader fetch_feedback`: the score in the feedback."""
    student = tmp_path / "student"
    (student / "seminar1").mkdir(parents=True)
    shutil.copy(sample("one-bug"), student / "seminar1" / "seminar1.ipynb")
    as_student = ["--course", "nn-from-scratch", f"--Exchange.root={served / 'exchange'}",
                  f"--Exchange.cache={tmp_path / 'cache'}", "--CourseDirectory.student_id=alice"]
    nbgrader("submit", "seminar1", *as_student, cwd=student)
    key = next(path.name for path in inbound(served).iterdir() if path.name.startswith("alice+"))
    row = wait_graded(served, key)[0]
    assert row.state == "graded" and row.score == 90 and row.released == "visible"
    nbgrader("fetch_feedback", "seminar1", *as_student, cwd=student)
    page = next((student / "seminar1" / "feedback").rglob("seminar1.html")).read_text()
    assert "90 of 100 autograded points" in page and "mse_loss_values" in page
    assert "BEGIN HIDDEN TESTS" not in page
    # as nbgrader's release_feedback leaves it: no student can list the others' feedback
    assert (served / "exchange" / "nn-from-scratch" / "feedback").stat().st_mode & 0o777 == 0o711
    assert score(sqlite(served), "alice") == 90 and verdicts(sqlite(served), "alice") == ["graded"]
    assert not (served / "control").exists()  # the queue's files stay in .nn-service, not in the working directory
    status = subprocess.run([*NN_GRADE, "status", "seminar1", "--course-dir", str(served)], capture_output=True,
                            text=True, env=tool_environment())
    assert "alice" in status.stdout and "graded" in status.stdout and "90/100" in status.stdout


def test_the_newest_submission_stands_whatever_order_the_jobs_end_in(served):
    """A student's first submission is slow and right, the second fast and wrong: on two workers the
    second ends first and stands, the first is superseded. Another student's order is the reverse."""
    first = submit(served, "bob", slow_correct(2.0))
    second = submit(served, "bob", sample("one-bug"), later=0.5)
    rows = wait_graded(served, first, second)
    assert [row.state for row in rows] == ["superseded", "graded"]
    assert score(sqlite(served), "bob") == 90 and verdicts(sqlite(served), "bob") == ["graded"]
    early = submit(served, "carol", sample("one-bug"))
    wait_graded(served, early)
    late = submit(served, "carol", sample("correct"), later=0.5)
    wait_graded(served, late)
    assert score(sqlite(served), "carol") == 100 and verdicts(sqlite(served), "carol") == ["graded", "graded"]


def test_a_duplicated_event_is_graded_once(served):
    """The same job delivered twice (sent again behind the service's back): one verdict."""
    from checks.engine.batch.fingerprints import course_fingerprint
    from checks.service import jobs, queue
    from checks.service.jobs import Submission

    key = submit(served, "dave", sample("correct"))
    app = queue.application(served)
    job = jobs.make_job(Submission.of_folder(inbound(served) / key), course_fingerprint(served, "seminar1"))
    app.send_task(queue.GRADE_TASK, args=[job], queue=queue.GRADE_QUEUE)
    wait_graded(served, key)
    time.sleep(3)  # the duplicate's result comes and goes
    assert verdicts(sqlite(served), "dave") == ["graded"] and state_of(served, key).attempts == 1


def test_a_hostile_submission_costs_only_its_own_grade(served):
    keys = {"ivan": submit(served, "ivan", hostile.kills_everything({})[0]),
            "jane": submit(served, "jane", hostile.hang_loop({})[0]),
            "kim": submit(served, "kim", sample("correct"))}
    wait_graded(served, *keys.values())
    assert {student: score(sqlite(served), student) for student in keys} == {"ivan": 100, "jane": 90, "kim": 100}
    assert {student: verdicts(sqlite(served), student) for student in keys} == {
        "ivan": ["graded"], "jane": ["timed out"], "kim": ["graded"]}  # one verdict each


# ---------------------------------------------------------------- processes killed, another course

@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course whose processes each test starts and kills as it needs. Its lease (8 s) must outlast a busy
    machine's grading of the job a killed worker left (2 s of slow tests and the grading around them), or
    that job is sent a third time while a live worker still grades it."""
    return make_course(tmp_path_factory.mktemp("killed"), lease_seconds=8)


def test_a_worker_killed_mid_job_leaves_it_to_another(course, processes_of):
    """SIGKILL to a worker while it grades: the job's lease runs out, another worker grades it; one
    verdict, one grade."""
    processes = processes_of(course)
    processes.service()
    doomed = processes.worker()
    key = submit(course, "erin", slow_correct(2))
    wait_for(lambda: (state_of(course, key) or None) and state_of(course, key).attempts == 1
             and not any((course / ".nn-service" / "queue" / "messages").iterdir()), "the job to be taken")
    time.sleep(1.0)  # in the middle of grading its slow tests
    processes.kill(doomed)
    assert state_of(course, key).state == "queued"
    processes.worker()
    row = wait_graded(course, key)[0]
    assert row.state == "graded" and row.attempts == 2
    assert score(sqlite(course), "erin") == 100 and verdicts(sqlite(course), "erin") == ["graded"]


def test_the_service_killed_and_restarted_reconciles_with_the_exchange(course, processes_of):
    """Submissions made while the service is down, and one whose result came while it was down: on
    start it finds them all, and each gets exactly one verdict."""
    processes = processes_of(course)
    processes.worker()
    service = processes.service()
    sent = submit(course, "frank", sample("correct"))
    wait_for(lambda: state_of(course, sent) and state_of(course, sent).task, "the job to be sent")
    processes.kill(service)  # no clean-up at all
    missed = [submit(course, student, sample("one-bug")) for student in ("gina", "hugo")]
    time.sleep(3)  # frank's result arrives while nobody listens
    processes.service()
    rows = wait_graded(course, sent, *missed)
    assert [row.state for row in rows] == ["graded"] * 3
    assert [verdicts(sqlite(course), student) for student in ("frank", "gina", "hugo")] == [["graded"]] * 3


def test_a_worker_of_another_course_refuses_and_says_so(course, processes_of, tmp_path):
    """A worker whose hidden tests differ (another version of the course) does not grade the job."""
    (tmp_path / "other").mkdir()
    other = copy_course(tmp_path / "other", with_samples=False)
    notebook = other / "source" / "seminar1" / "seminar1.ipynb"
    notebook.write_text(notebook.read_text().replace("Part 1", "Part one", 1))
    shutil.copy(course / "nbgrader_config.py", other / "nbgrader_config.py")
    (other / ".nn-service").symlink_to(course / ".nn-service")  # the same queue, another course
    processes_of(course).service()
    processes_of(other).worker()
    key = submit(course, "lena", sample("correct"))
    row = wait_for(lambda: state_of(course, key) and "differs" in state_of(course, key).reason and state_of(course, key),
                   "the refusal")
    assert "this worker's course differs from the service's" in row.reason and row.state in ("queued", "failed")
    assert verdicts(sqlite(course), "lena") == []


# ---------------------------------------------------------------- the embedded broker

def test_a_worker_never_takes_a_message_half_written(tmp_path, monkeypatch):
    """On the file-system broker a message's file appears whole: while one is being written, a
    worker polling the queue finds nothing (kombu's own transport shows it empty, and a worker that
    reads it stops on a JSONDecodeError)."""
    from queue import Empty

    from checks.service import filesystem_broker
    from checks.service.queue import GRADE_QUEUE, application

    app = application(tmp_path)
    seen_while_writing = []
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, filesystem_broker.Channel)
        serialise = filesystem_broker.dumps

        def serialise_and_look(payload):  # runs while the message is being written
            try:
                seen_while_writing.append(channel._get(GRADE_QUEUE))
            except Empty:
                pass
            return serialise(payload)

        monkeypatch.setattr(filesystem_broker, "dumps", serialise_and_look)
        channel._put(GRADE_QUEUE, {"job": "one"})
        monkeypatch.setattr(filesystem_broker, "dumps", serialise)
        assert seen_while_writing == []
        assert channel._get(GRADE_QUEUE) == {"job": "one"}  # and once written, it is there, whole
