"""What student code sees in the sandbox, and what grading leaves behind on the host.

The sandbox shows an allow-list: the system's programs and libraries and the Python
installation, nothing else of the machine. A held-out test once walked `/` from student
code and ran another checkout's reference solutions; here copies of the course's
`solutions/` and `checks/` are planted outside the course (in pytest's temporary directory,
and in /opt and /root where this user may write) and student code, started as the engine
starts it (a Zygote, then a forked part), must neither find them by a walk nor open them
by their exact paths, while numpy and matplotlib work as before.

Grading leaves no `nn-grading-*` directory in the temporary directory: bubblewrap needs
none on the host, and a plain process's working directory goes with it, also when a part
is stopped for time and when `nn-grade grade` ends its workers.
"""
import os
import shutil
import sys
import tempfile

import pytest

import hostile
from checks.engine import sandbox as sandbox_module
from checks.engine.remote import Zygote
from checks.engine.sandbox import SYSTEM_DIRS, Sandbox, grader_package_dirs
from checks.protocol.wire import StudentTimeout
from conftest import ROOT, copy_course, generated_in, run_tool

GRADER_FILE_NAMES = ("activations.py", "seminar2.py", "layers.py")

WALK = '''
import os
from collections import deque


def walk(top="/", budget=100000, skip=("/proc", "/sys")):
    """Breadth-first from top: (the grader's files found, directories visited, whether all were)."""
    found, queue, visited = [], deque([top]), 0
    while queue and visited < budget:
        directory = queue.popleft()
        visited += 1
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.path not in skip:
                    queue.append(entry.path)
            elif entry.name in %r and {"solutions", "checks"} & set(directory.split(os.sep)):
                found.append(entry.path)
    return found, visited, not queue


def opened(paths):
    """The paths this process can list or read."""
    seen = []
    for path in paths:
        try:
            if os.path.isdir(path):
                os.listdir(path)
            else:
                open(path, "rb").close()
            seen.append(path)
        except OSError:
            pass
    return seen
''' % (GRADER_FILE_NAMES,)


def walk_here(top):
    namespace = {}
    exec(WALK, namespace)
    return namespace["walk"](top)


def engines_sandbox(**options):
    """The sandbox autograde.GradeInSandbox makes: the grader's packages, the course and its
    gradebook hidden."""
    return Sandbox(hidden=grader_package_dirs() + [str(ROOT), str(ROOT / "gradebook.db")], **options)


def plant_copy(parent):
    """A copy of the course's solutions/ and checks/ in a new directory under parent; its path."""
    copy = tempfile.mkdtemp(prefix="nn-planted-", dir=parent)
    for package in ("solutions", "checks"):
        shutil.copytree(ROOT / package, os.path.join(copy, package),
                        ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Copies of the grader's packages outside the course: pytest's temporary directory, and
    /opt and /root when writable (removed afterwards)."""
    copies = [plant_copy(tmp_path_factory.mktemp("elsewhere"))]
    for parent in ("/opt", "/root"):
        if os.path.isdir(parent) and os.access(parent, os.W_OK):
            copies.append(plant_copy(parent))
    try:
        yield copies
    finally:
        for copy in copies:
            shutil.rmtree(copy, ignore_errors=True)


@pytest.fixture
def student():
    """A part's process in the engine's sandbox, with the WALK functions loaded."""
    zygote = Zygote(engines_sandbox())
    try:
        process = zygote.fork()
        run(process, WALK, "walk")
        yield process
        process.stop()
    finally:
        zygote.kill()


def run(process, source, name, seconds=60):
    """Run source in the student's process; the value it bound to name."""
    process.deadline_in(seconds)
    error = process.exec_cell("answer:probe", source)
    assert error is None, error
    return process.lookup(name)


def test_the_walker_finds_the_planted_copies_outside_the_sandbox(planted):
    """The control: the walk below would find a visible copy."""
    for copy in planted:
        found, _, complete = walk_here(copy)
        assert complete and sorted(os.path.basename(p) for p in found) == sorted(GRADER_FILE_NAMES), found


def test_a_walk_of_the_whole_sandbox_finds_no_grader_file(planted, student):
    found, visited, complete = run(student, "result = walk('/')", "result")
    assert found == [], f"visible in the sandbox: {found}"
    assert visited > 100, f"the walk saw only {visited} directories"


def test_the_planted_copies_cannot_be_opened_by_their_paths(planted, student):
    paths = []
    for copy in planted:
        paths += [copy, os.path.join(copy, "solutions", "seminar2", "activations.py"),
                  os.path.join(copy, "checks", "seminar2.py"), os.path.join(copy, "solutions", "seminar1", "layers.py")]
    assert all(os.path.exists(path) for path in paths)
    assert run(student, f"seen = opened({paths!r})", "seen") == []


def test_the_top_of_the_file_system_shows_only_the_system_and_python(student):
    python_tops = {path.split(os.sep)[1] for path in sandbox_module._python_dirs()}
    allowed = {os.path.basename(p) for p in SYSTEM_DIRS} | {"etc", "dev", "proc", "tmp"} | python_tops
    top = run(student, "import os\ntop = sorted(os.listdir('/'))", "top")
    assert set(top) <= allowed, f"{sorted(set(top) - allowed)} should not be in the sandbox"
    for name in ("home", "srv", "opt", "var", "mnt", "root", "work"):
        assert name not in top or name in python_tops


def test_the_course_directory_shows_only_the_python_installation_inside_it(student):
    """The project's own virtual environment lives in the course directory, which is hidden."""
    inside = {os.path.relpath(path, ROOT).split(os.sep)[0] for path in sandbox_module._python_dirs()
              if path.startswith(str(ROOT) + os.sep)}
    listing = run(student, f"import os\nlisting = sorted(os.listdir({str(ROOT)!r})) "
                           f"if os.path.isdir({str(ROOT)!r}) else []", "listing")
    assert set(listing) == inside
    assert run(student, f"seen = opened({[str(ROOT / 'checks' / 'seminar2.py'), str(ROOT / 'nbgrader_config.py')]!r})",
               "seen") == []


def test_numpy_its_blas_and_matplotlib_work_in_the_sandbox(student):
    source = """
import io
import numpy as np
import matplotlib
import matplotlib.pyplot as plt

a = np.arange(40000, dtype=float).reshape(200, 200) / 40000
product = float((a @ a.T).sum())
solved = np.linalg.solve(a @ a.T + np.eye(200), np.ones(200)).tolist()
figure = plt.figure()
plt.plot([1, 3, 2])
buffer = io.BytesIO()
figure.savefig(buffer, format="png")
result = {"product": product, "solved": solved, "png": buffer.getvalue()[:4].hex(),
          "backend": matplotlib.get_backend().lower()}
"""
    got = run(student, source, "result")
    import numpy as np
    a = np.arange(40000, dtype=float).reshape(200, 200) / 40000
    assert got["product"] == pytest.approx(float((a @ a.T).sum()))
    assert got["solved"] == pytest.approx(np.linalg.solve(a @ a.T + np.eye(200), np.ones(200)).tolist())
    assert got["png"] == b"\x89PNG".hex() and got["backend"] == "agg"


def test_a_hidden_path_inside_a_shown_directory_stays_hidden(tmp_path, monkeypatch):
    """The grader's packages installed into site-packages, or a gradebook beside them: the
    installation is shown, they are not (an empty read-only directory, an empty file)."""
    site = tmp_path / "site-packages"
    (site / "checks").mkdir(parents=True)
    (site / "checks" / "seminar2.py").write_text("SECRET = 1\n")
    (site / "gradebook.db").write_text("grades")
    (site / "visible.txt").write_text("shown")
    python_dirs = sandbox_module._python_dirs
    monkeypatch.setattr(sandbox_module, "_python_dirs", lambda: python_dirs() + (str(site),))
    zygote = Zygote(Sandbox(hidden=[str(site / "checks"), str(site / "gradebook.db")]))
    process = zygote.fork()
    try:
        source = f"""
import os
site = {str(site)!r}
try:
    open(os.path.join(site, "checks", "planted.py"), "w")
    planted = True
except OSError:
    planted = False
try:
    gradebook = open(os.path.join(site, "gradebook.db")).read()
except OSError:  # /dev/null on a mount made in a user namespace: a device, not to be opened
    gradebook = ""
seen = {{"site": sorted(os.listdir(site)), "checks": os.listdir(os.path.join(site, "checks")),
        "gradebook": gradebook, "visible": open(os.path.join(site, "visible.txt")).read(),
        "planted": planted}}
"""
        assert run(process, source, "seen") == {"site": ["checks", "gradebook.db", "visible.txt"], "checks": [],
                                                "gradebook": "", "visible": "shown", "planted": False}
    finally:
        process.stop()
        zygote.kill()


def test_mounts_go_parents_first_and_hide_only_what_a_shown_directory_would_show():
    shown = {"/usr", "/srv/course/.venv", "/srv/course/.venv/lib/site-packages", "/usr/local/course/.venv"}
    hidden = {"/srv/course", "/srv/course/gradebook.db", "/srv/course/.venv/lib/site-packages/checks",
              "/usr/local/course", "/usr/local/course/solutions", "/home/backup/solutions"}
    assert sandbox_module._mounts(shown, hidden) == [
        ("/usr", True), ("/srv/course/.venv", True), ("/usr/local/course", False),
        ("/usr/local/course/.venv", True), ("/srv/course/.venv/lib/site-packages/checks", False)]
    assert sandbox_module._mounts({"/opt/python"}, {"/opt/python"}) == [("/opt/python", True)]


# ---------------------------------------------------------------- nothing left on the host

def grading_dirs(directory):
    return sorted(name for name in os.listdir(directory) if name.startswith("nn-grading-"))


@pytest.mark.parametrize("use_bwrap", [True, False], ids=["bubblewrap", "plain"])
def test_a_sandbox_stopped_mid_test_leaves_no_directory(tmp_path, monkeypatch, use_bwrap):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sandbox = engines_sandbox(use_bwrap=use_bwrap)
    if use_bwrap and not sandbox.bwrap:
        pytest.skip("bubblewrap is not usable here")
    zygote = Zygote(sandbox)
    try:
        process = zygote.fork()
        # bubblewrap works in its private /tmp; a plain process in a directory of the host's
        assert len(grading_dirs(tmp_path)) == (0 if use_bwrap else 1)
        process.deadline_in(1)
        assert isinstance(process.exec_cell("answer:loop", "while True:\n    pass"), StudentTimeout)
        assert not process.alive  # killed and swept; the zygote goes on
        process = zygote.fork()
        process.stop()
    finally:
        zygote.kill()
    assert grading_dirs(tmp_path) == [], os.listdir(tmp_path)


@pytest.mark.nbgrader
@pytest.mark.batch
@pytest.mark.parametrize("use_bwrap", [True, False], ids=["bubblewrap", "plain"])
def test_nn_grade_leaves_nothing_in_the_temporary_directory(tmp_path, monkeypatch, use_bwrap):
    """Each worker keeps a spare sandbox for its next notebook; a worker ends with os._exit,
    so it must stop that spare itself. A part stopped for time is killed and swept."""
    (tmp_path / "course").mkdir()
    course = copy_course(tmp_path / "course", with_samples=False)
    with open(course / "nbgrader_config.py", "a") as config:
        config.write(f"\nc.GradeInSandbox.cell_timeout = 2\nc.GradeInSandbox.use_bwrap = {use_bwrap}\n")
    generated_in(course)
    hostile.write(course, "honest", hostile.correct())
    hostile.write(course, "loops", hostile.hang_loop({})[0])
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    result = run_tool(sys.executable, "-m", "checks.engine.cli", "grade", "seminar1", "--workers", "2",
                      "--no-feedback", cwd=course, check=False)
    assert "timed out" in result.stdout, result.stdout + result.stderr
    assert grading_dirs(temporary) == [], f"left in TMPDIR: {sorted(os.listdir(temporary))}"
