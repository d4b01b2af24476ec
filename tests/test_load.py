"""The same grade on a busy machine as on a quiet one.

A grade must not depend on how busy the machine is. Two things keep it so: every check makes few
round trips to the student's process (each waits for the scheduler, so on a loaded machine a
check of a thousand round trips took twenty times its quiet duration and ran out of time), and a
deadline far above what a right answer needs. The first is counted, which no load changes; the
second is tried: the samples of both seminars graded with two CPU-burning processes beside them.
"""
import json
import subprocess
import sys

import pytest

from conftest import BIN, ROOT
from test_end_to_end import expected_scores

sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
from targets import busy_machine  # noqa: E402

# Round trips a test cell may make: each costs a scheduling delay on a loaded machine. The most a
# cell makes today is about 100 (momentum's six steps with their checks); a training loop that
# called across for each step made over a thousand.
MAX_EXCHANGES = 150
SEMINARS = [assignment for assignment in course.assignments() if course.base_of(assignment) == assignment]


@pytest.mark.parametrize("assignment", SEMINARS)
def test_every_test_cell_makes_few_round_trips(assignment):
    from checks.engine.course import Course
    from checks.engine.grader import SubmissionGrader
    from checks.engine.notebook import read_notebook
    from checks.engine.student_code import StudentCode
    from checks.engine.sandbox import Sandbox, grader_package_dirs
    instructor = Course.from_notebook(read_notebook(course.source_notebook(assignment)))
    submission = read_notebook(ROOT / "submitted" / "sample-correct" / assignment / f"{assignment}.ipynb")
    sandbox = Sandbox(hidden=[str(ROOT)] + grader_package_dirs())
    results = SubmissionGrader(instructor, StudentCode.from_notebook(submission, instructor), sandbox).grade()
    assert all(result.passed for result in results.values())
    costly = {grade_id: result.exchanges for grade_id, result in results.items() if result.exchanges > MAX_EXCHANGES}
    assert not costly, f"test cells that call across more than {MAX_EXCHANGES} times: {costly}"


def grade_file(path, assignment):
    result = subprocess.run([str(BIN / "nn-grade"), "grade-file", str(path), "--assignment", assignment,
                             "--course-dir", str(ROOT), "--json"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return {grade_id: cell["points"] for grade_id, cell in json.loads(result.stdout)["cells"].items()}


def test_the_samples_get_the_same_grades_on_a_busy_machine():
    with busy_machine():
        graded = {(assignment, student): grade_file(ROOT / "submitted" / student / assignment / f"{assignment}.ipynb",
                                                    assignment)
                  for assignment in SEMINARS for student in expected_scores(assignment)}
    for (assignment, student), scores in graded.items():
        assert scores == expected_scores(assignment)[student], (assignment, student)
