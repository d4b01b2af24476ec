"""nn-grade grade: a whole class in parallel, re-runs, interruptions, shards on PostgreSQL.

One course copy is graded once (module fixture) and the tests then change it step by
step: each adds students of its own or edits one, so each can tell what it graded.
"""
import csv
import shutil
import signal
import subprocess
import sys
import time

import pytest
from nbgrader.api import Gradebook

import hostile
import postgres
from checks.engine.batch import LEDGER_TABLE, in_shard
from conftest import ROOT, copy_course, generated_in, nbgrader, run_tool, tool_environment
from test_end_to_end import EXPECTED

pytestmark = [pytest.mark.nbgrader, pytest.mark.batch]
NN_GRADE = [sys.executable, "-m", "checks.engine.cli", "grade", "seminar1"]
CELL_TIMEOUT = 2
TOTALS = {student: sum(cells.values()) for student, cells in EXPECTED.items()}


def grade(course, *extra, check=False):
    return run_tool(*NN_GRADE, *extra, cwd=course, check=check)


def add_student(course, student, like="sample-correct"):
    shutil.copytree(ROOT / "submitted" / like, course / "submitted" / student)


def read_csv(course):
    with open(course / "grades-seminar1.csv", newline="") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def ledger(db_url):
    import sqlalchemy as sa
    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        rows = list(connection.execute(sa.text(f"SELECT student, status, shard, score FROM {LEDGER_TABLE} "
                                               "ORDER BY id")))
    engine.dispose()
    return rows


def graded_count(course):
    """student -> how many verdicts the ledger holds (stopped attempts are not verdicts)."""
    counts = {}
    for row in ledger(f"sqlite:///{course / 'gradebook.db'}"):
        if row.status != "stopped":
            counts[row.student] = counts.get(row.student, 0) + 1
    return counts


def cell_scores(db_url, students):
    with Gradebook(db_url) as gradebook:
        return {student: {grade.name: grade.auto_score
                          for notebook in gradebook.find_submission("seminar1", student).notebooks
                          for grade in notebook.grades if grade.cell.cell_type == "code"}
                for student in students}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """Samples, a looping student, an unreadable notebook and a misnamed one, graded once."""
    course = copy_course(tmp_path_factory.mktemp("class"))
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.GradeInSandbox.cell_timeout = {CELL_TIMEOUT}\n")
    generated_in(course)
    notebook, _ = hostile.hang_loop({})
    hostile.write(course, "loops", notebook)
    (course / "submitted" / "corrupt" / "seminar1").mkdir(parents=True)
    (course / "submitted" / "corrupt" / "seminar1" / "seminar1.ipynb").write_text('{"cells": [')
    add_student(course, "misnamed")
    (course / "submitted" / "misnamed" / "seminar1" / "seminar1.ipynb").rename(
        course / "submitted" / "misnamed" / "seminar1" / "Seminar1 (1).ipynb")
    first = grade(course, "--workers", "2")
    return {"dir": course, "first": first}


def test_every_student_gets_a_status_and_the_same_score_as_nbgrader(course):
    first = course["first"]
    assert first.returncode == 1, first.stdout  # some failed
    rows = read_csv(course["dir"])
    for student, total in TOTALS.items():
        assert rows[student]["status"] == "graded"
        assert float(rows[student]["auto_score"]) == total and rows[student]["auto_max_score"] == "100"
    for student in ("sample-correct", "sample-one-bug"):
        assert rows[student]["written_answers_to_grade"] == "2"
    # Left as handed out, the written answers are 0 by nbgrader itself: nothing waits for a grader.
    assert rows["sample-untouched"]["written_answers_to_grade"] == "0"
    assert "no answer: lr_discussion, mse_discussion (0 points)" in rows["sample-untouched"]["notes"]
    assert rows["loops"]["status"] == "timed out"
    # MSELoss.forward loops: both tests that call it were stopped, and both are named.
    assert "stopped for time: mse_loss_values, mse_loss_hidden (graded again on the next run)" in rows["loops"]["notes"]
    assert float(rows["loops"]["auto_score"]) == 90
    assert rows["corrupt"]["status"] == "failed" and "unreadable" in rows["corrupt"]["notes"]
    assert rows["misnamed"]["status"] == "failed"
    assert "no seminar1.ipynb (found: Seminar1 (1).ipynb)" in rows["misnamed"]["notes"]
    assert rows["corrupt"]["auto_score"] == ""  # failed is not zero
    for student in list(TOTALS) + ["loops"]:
        assert (course["dir"] / "feedback" / student / "seminar1" / "seminar1.html").exists()


def test_progress_and_a_summary_with_the_failures_first(course):
    out = course["first"].stdout
    assert "6 to grade, 0 unchanged" in out and "2 worker(s)" in out
    progress = [line for line in out.splitlines() if line.lstrip().startswith("[")]
    assert len(progress) == 6 and all("ETA" in line for line in progress)
    summary = out.split("\nstudent ", 1)[1].splitlines()
    order = [line.split()[0] for line in summary[1:7]]
    assert order[:2] == ["corrupt", "misnamed"] and order[2] == "loops", summary
    assert "2 failed, 3 graded, 1 timed out" in out


def graded_in(run):
    """The students a run graded, from its progress lines."""
    return {line.split()[1] for line in run.stdout.splitlines() if line.lstrip().startswith("[")}


def test_a_rerun_grades_only_new_or_changed_submissions(course):
    """... and the submissions with tests stopped for time: the time may have been the machine's."""
    course_dir = course["dir"]
    again = grade(course_dir)
    assert "1 to grade, 5 unchanged" in again.stdout and graded_in(again) == {"loops"}
    assert "unchanged" in again.stdout.split("\nstudent ", 1)[1]
    assert read_csv(course_dir)["loops"]["status"] == "timed out"

    shutil.copy(ROOT / "submitted" / "sample-one-bug" / "seminar1" / "seminar1.ipynb",
                course_dir / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb")
    add_student(course_dir, "late-student")
    changed = grade(course_dir, "--workers", "2")
    assert "3 to grade, 4 unchanged" in changed.stdout
    assert graded_in(changed) == {"sample-correct", "late-student", "loops"}
    rows = read_csv(course_dir)
    assert float(rows["sample-correct"]["auto_score"]) == TOTALS["sample-one-bug"]
    assert float(rows["late-student"]["auto_score"]) == 100
    counts = graded_count(course_dir)
    assert counts["sample-correct"] == 2 and counts["late-student"] == 1 and counts["sample-untouched"] == 1
    assert counts["loops"] == 3


def test_force_regrades_everyone_chosen(course):
    forced = grade(course["dir"], "--force", "--student", "sample-untouched", "--student", "loops")
    assert "2 to grade, 0 unchanged" in forced.stdout
    assert graded_count(course["dir"])["sample-untouched"] == 2


def test_interrupted_then_resumed_grades_everyone_exactly_once(course):
    """Kill the command (SIGKILL: no clean-up at all) after two students, then run it again."""
    course_dir = course["dir"]
    newcomers = [f"resume-{i}" for i in range(4)]
    for student in newcomers:
        add_student(course_dir, student, like="sample-one-bug")
    command = subprocess.Popen([*NN_GRADE, "--workers", "1", "--no-feedback"], cwd=course_dir,
                               env=tool_environment(), stdout=subprocess.PIPE, text=True)
    finished = []
    for line in command.stdout:
        if line.lstrip().startswith("["):
            finished.append(line.split()[1])
        if len(finished) == 2:
            command.kill()
            break
    command.wait(30)
    assert len(finished) == 2
    time.sleep(1)  # the worker dies with its parent
    assert not any(graded_count(course_dir).get(s, 0) > 1 for s in newcomers)

    resumed = grade(course_dir, "--workers", "2")
    left = [s for s in newcomers if s not in finished] + ["loops"]  # a timed-out student is graded every run
    assert f"{len(left)} to grade" in resumed.stdout and graded_in(resumed) == set(left), resumed.stdout
    counts = graded_count(course_dir)
    assert [counts.get(s) for s in newcomers] == [1] * len(newcomers)
    rows = read_csv(course_dir)
    assert all(float(rows[s]["auto_score"]) == TOTALS["sample-one-bug"] for s in newcomers)


def test_ctrl_c_stops_cleanly_and_says_how_to_resume(course):
    course_dir = course["dir"]
    for student in ("sigint-a", "sigint-b", "sigint-c"):
        add_student(course_dir, student)
    # As from a terminal: a test run started in the background (`cmd &` in a script)
    # inherits SIGINT ignored, and Python then keeps it ignored.
    command = subprocess.Popen([*NN_GRADE, "--workers", "1", "--no-feedback"], cwd=course_dir,
                               env=tool_environment(), stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    for line in command.stdout:
        lines.append(line)
        if line.lstrip().startswith("["):
            command.send_signal(signal.SIGINT)
            break
    lines += command.stdout.readlines()
    out = "".join(lines)
    assert command.wait(60) == 130, out
    assert "interrupted" in out and "run the same command again" in out
    assert "not graded" in out  # the students still to do are listed


def test_a_second_run_on_the_same_course_is_refused(course):
    import fcntl
    with open(course["dir"] / ".nn-grade-seminar1.lock", "a") as held:  # as a run in progress does
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        second = grade(course["dir"])
    assert second.returncode == 2 and "another `nn-grade grade seminar1` is running" in second.stdout


def test_a_stuck_student_is_stopped_and_retried_next_run(course):
    course_dir = course["dir"]
    add_student(course_dir, "slow-machine")
    stuck = grade(course_dir, "--student", "slow-machine", "--student-timeout", "0.5", "--no-feedback")
    assert stuck.returncode == 1
    assert "grading took longer than 0.5 s and was stopped: will be retried on the next run" in stuck.stdout
    assert "slow-machine" not in graded_count(course_dir)
    retried = grade(course_dir, "--student", "slow-machine", "--no-feedback")
    assert retried.returncode == 0 and graded_count(course_dir)["slow-machine"] == 1


def test_missing_assignment_and_bad_shard_are_clear_errors(tmp_path):
    course = copy_course(tmp_path)
    result = grade(course)
    assert result.returncode == 2 and "nbgrader generate_assignment seminar1" in result.stdout
    bad = grade(course, "--shard", "3/2")
    assert bad.returncode == 2 and "--shard" in bad.stderr


def test_two_shards_on_postgresql_grade_each_student_once_with_sqlite_scores(course):
    """The students graded above with sqlite, graded again by two shards running at once."""
    course_dir = course["dir"]
    students = ["sample-untouched", "sample-one-bug", "late-student", "loops", "resume-0", "resume-1"]
    shards = {s: 1 if in_shard(s, (1, 2)) else 2 for s in students}
    assert set(shards.values()) == {1, 2}  # both shards have work
    sqlite_scores = cell_scores(f"sqlite:///{course_dir / 'gradebook.db'}", students)
    chosen = [arg for student in students for arg in ("--student", student)]

    with postgres.temporary_server() as url:
        nbgrader("generate_assignment", "seminar1", "--force", f"--db={url}", cwd=course_dir)
        runs = [subprocess.Popen([*NN_GRADE, *chosen, "--shard", f"{i}/2", "--db", url, "--workers", "1",
                                  "--no-feedback", "--csv", f"grades-{i}.csv"],
                                 cwd=course_dir, env=tool_environment(), stdout=subprocess.PIPE, text=True)
                 for i in (1, 2)]
        outputs = [run.communicate(timeout=600)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        rows = ledger(url)
        assert sorted(row.student for row in rows) == sorted(students)  # each exactly once
        assert {row.student: int(row.shard[0]) for row in rows} == shards
        assert cell_scores(url, students) == sqlite_scores
        # The grade table reads the gradebook the course grades into.
        table = run_tool(sys.executable, ROOT / "tools" / "grade_table.py", "seminar1", "--course-dir", course_dir,
                         "--db", url).stdout
        rows = table.split("\n\n")[0].splitlines()[2:]  # the table, without the list of the not graded
        totals = {line.split()[0]: line.split()[-4] for line in rows}
        assert {student: float(totals[student]) for student in students} == {
            student: sum(cells.values()) for student, cells in sqlite_scores.items()}, table
