"""The sandbox: student code that tries to escape changes nothing outside it.

One batch, autograded with real nbgrader: an honest student, an attacker, another
honest student. Afterwards the grader's files are byte-identical, the honest grades
are exact, nothing listened to on the network was reached and no process is left.
A second batch without bubblewrap and cgroups gives honest submissions the same grades.
"""
import hashlib
import os
import socket
import subprocess
import threading
import time

import pytest
from nbgrader.api import Gradebook

import hostile
from conftest import ROOT, copy_course, generated_in, nbgrader
from test_end_to_end import EXPECTED, POINTS

pytestmark = pytest.mark.nbgrader


def fingerprint(paths):
    digest = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" not in path.parts:
                digest[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def all_scores(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {submission.student.id: {grade.name: grade.auto_score
                                        for notebook in submission.notebooks
                                        for grade in notebook.grades if grade.cell.cell_type == "code"}
                for submission in gradebook.find_assignment("seminar1").submissions}


@pytest.fixture(scope="module")
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    contacts, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                contacts.append(server.accept())
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], contacts
    stop.set()
    thread.join()
    server.close()


@pytest.fixture(scope="module")
def attacked(tmp_path_factory, listener):
    course = copy_course(tmp_path_factory.mktemp("sandbox"), with_samples=False)
    generated_in(course)
    hostile.write(course, "a-honest", hostile.correct())
    hostile.write(course, "z-honest", hostile.correct())
    protected = [ROOT / "checks" / "seminar1.py", ROOT / "solutions" / "seminar1" / "layers.py",
                 course / "source" / "seminar1" / "seminar1.ipynb", course / "nbgrader_config.py",
                 course / "gradebook.db", course / "submitted" / "a-honest" / "seminar1" / "seminar1.ipynb"]
    others = [course / "submitted" / "z-honest" / "seminar1" / "seminar1.ipynb",
              course / "autograded" / "a-honest" / "seminar1" / "seminar1.ipynb"]
    port, contacts = listener
    hostile.write(course, "m-attacker", hostile.escapes({"protected": protected, "others": others,
                                                          "port": port})[0])
    watched = [ROOT / "checks", ROOT / "solutions", course / "source", course / "nbgrader_config.py",
               course / "submitted" / "a-honest", course / "submitted" / "z-honest"]
    before = fingerprint(watched)
    result = nbgrader("autograde", "seminar1", "--force", cwd=course, check=False)
    return {"dir": course, "result": result, "before": before, "after": fingerprint(watched),
            "contacts": contacts}


def test_grader_files_are_byte_identical(attacked):
    assert attacked["result"].returncode == 0
    assert attacked["after"] == attacked["before"]


def test_every_grade_is_exact(attacked):
    full = dict(POINTS)
    assert all_scores(attacked["dir"]) == {"a-honest": full, "m-attacker": full, "z-honest": full}


def test_every_escape_failed(attacked):
    import nbformat
    notebook = nbformat.read(attacked["dir"] / "autograded" / "m-attacker" / "seminar1" / "seminar1.ipynb",
                             as_version=4)
    printed = "\n".join(str(o.get("text", "")) for c in notebook.cells for o in c.get("outputs", []))
    assert "ESCAPES" in printed
    assert "DONE" not in printed, printed[printed.index("ESCAPES"):][:3000]
    assert attacked["contacts"] == []


def test_no_process_is_left(attacked):
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "sleep 4245" not in listing and "worker.py" not in listing


def test_same_grades_without_the_sandbox(tmp_path):
    course = copy_course(tmp_path)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.GradeInSandbox.use_bwrap = False\nc.GradeInSandbox.use_cgroups = False\n")
    generated_in(course)
    result = nbgrader("autograde", "seminar1", "--force", cwd=course)
    assert "WITHOUT file-system isolation" not in result.stderr  # switched off, not missing
    assert all_scores(course) == EXPECTED


def test_missing_mechanisms_are_announced_not_silent(monkeypatch):
    """Without bubblewrap and cgroups, grading still works, and says what is missing."""
    import nbformat

    from checks.engine import sandbox as sandbox_module
    from checks.engine.autograde import insert_report
    from checks.engine.course import Course
    from checks.engine.grader import SubmissionGrader
    from checks.engine.student_code import StudentCode

    monkeypatch.setattr(sandbox_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(sandbox_module, "_cgroup_roots", lambda: {})
    sandbox = sandbox_module.Sandbox(hidden=[str(ROOT)])
    assert any("bubblewrap (bwrap) is not installed" in w for w in sandbox.warnings)
    assert any("no writable cgroup" in w for w in sandbox.warnings)
    course = Course.from_notebook(nbformat.read(ROOT / "source" / "seminar1" / "seminar1.ipynb", as_version=4))
    submission = nbformat.read(hostile.CORRECT, as_version=4)
    code = StudentCode.from_notebook(submission, course)
    results = SubmissionGrader(course, code, sandbox).grade()
    assert all(result.passed for result in results.values())
    insert_report(submission, [], sandbox.isolation(), sandbox.warnings)
    assert "Warning for the instructor: bubblewrap (bwrap) is not installed" in submission.cells[0].source


def test_cgroups_left_by_a_dead_grader_are_removed():
    """A grader killed mid-job leaves its cgroup directories behind; the next sandbox removes
    those whose grader is gone, and leaves a living grader's alone."""
    from checks.engine import sandbox as sandbox_module

    roots = sandbox_module._cgroup_roots()
    if not roots:
        pytest.skip("no writable cgroup on this machine")
    finished = subprocess.Popen(["true"])
    finished.wait()  # reaped: its pid runs nothing now
    dead_pid = finished.pid
    stamp = time.monotonic_ns()
    orphans = [root / f"{sandbox_module.CGROUP_PREFIX}{dead_pid}-orphan-{stamp}" for root in roots.values()]
    living = [root / f"{sandbox_module.CGROUP_PREFIX}{os.getpid()}-living-{stamp}" for root in roots.values()]
    for path in orphans + living:
        path.mkdir()
    try:
        sandbox_module._remove_orphaned_cgroups.cache_clear()
        sandbox_module.Sandbox()
        assert not any(path.exists() for path in orphans), orphans
        assert all(path.exists() for path in living), living
    finally:
        for path in orphans + living:
            if path.exists():
                path.rmdir()
