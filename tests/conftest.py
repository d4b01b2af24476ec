import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# One BLAS thread in every process of the suite, set before numpy is first imported: the suite
# runs in two processes on two cores, and a second OpenBLAS thread in each would only spin
# waiting for a core (it doubled the CPU time of a notebook's run-all). The kernels, nbgrader and
# the tools the tests start inherit it; the sandbox sets the same for student code.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def tool_environment():
    """PATH with this interpreter's bin first: nbgrader runs `alembic`, the kernel `python`."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run_tool(*command, cwd=ROOT, check=True, timeout=600):
    """Run a command of this environment; return the CompletedProcess (text output)."""
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=tool_environment(),
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, command))} exited {result.returncode}\n"
                             f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}")
    return result


def nbgrader(*args, cwd, check=True):
    return run_tool(BIN / "nbgrader", *args, cwd=cwd, check=check)


def copy_course(destination, with_samples=True):
    """A fresh course directory: config, source/, and the sample submissions."""
    shutil.copy(ROOT / "nbgrader_config.py", destination)
    shutil.copytree(ROOT / "source", destination / "source")
    if with_samples:
        shutil.copytree(ROOT / "submitted", destination / "submitted")
    return destination


def nbgrader_steps(course_dir, step, assignments):
    """nbgrader's `step` (generate_assignment, autograde or generate_feedback, with --force) of each
    assignment, every student's for the last two, in one process through nbgrader's own API, the one the
    formgrader calls: each CLI run pays nbgrader's start-up, about a second of CPU."""
    run_tool(sys.executable, "-c", "import sys\nfrom nbgrader.apps import NbGraderAPI\n"
             "from checks.engine.configuration import load_course_config\n"
             "api = NbGraderAPI(config=load_course_config('.'))\n"
             "step = sys.argv[1]\n"
             "for name in sys.argv[2:]:\n"
             "    if step == 'generate_assignment':\n"
             "        results = [api.generate_assignment(name, force=True)]\n"
             "    else:\n"
             "        results = [getattr(api, step)(name, student, force=True)\n"
             "                   for student in sorted(api.get_submitted_students(name))]\n"
             "    assert results and all(result['success'] for result in results), (name, results)",
             step, *assignments, cwd=course_dir)


_GENERATED = {}  # assignment -> a course folder of this process where nbgrader generated it


def generated_in(course_dir, assignment="seminar1"):
    """What `nbgrader generate_assignment ASSIGNMENT --force` leaves in a fresh copy of the course (the
    release folder and the gradebook that records the assignment's cells), copied from one real run in
    this test process: a run costs about 2 s of CPU (nbgrader's start-up, and the `alembic` it starts for a
    new gradebook), which sixteen courses of the suite each paid. The generation depends on source/ only,
    not on a course's grading settings."""
    if assignment not in _GENERATED:
        template = Path(tempfile.mkdtemp(prefix=f"generated-{assignment}-"))
        atexit.register(shutil.rmtree, template, True)
        copy_course(template, with_samples=False)
        generate_assignments(template, [assignment])
        _GENERATED[assignment] = template
    template = _GENERATED[assignment]
    assert not (Path(course_dir) / "gradebook.db").exists(), "a course with a gradebook: generate it for real"
    shutil.copytree(template / "release" / assignment, Path(course_dir) / "release" / assignment)
    shutil.copy(template / "gradebook.db", Path(course_dir) / "gradebook.db")


def generate_assignments(course_dir, assignments):
    """nbgrader's generate_assignment (with --force) of each, in one process."""
    nbgrader_steps(course_dir, "generate_assignment", assignments)


@pytest.fixture(scope="session")
def generated_course(tmp_path_factory):
    """A copy of the course, samples included, with every assignment released by nbgrader's
    generate_assignment: what the release tests compare and the pipeline's tests grade."""
    sys.path.insert(0, str(ROOT / "tools"))
    import course
    destination = copy_course(tmp_path_factory.mktemp("course"))
    generate_assignments(destination, course.assignments())
    return destination


@pytest.fixture
def root():
    return ROOT


def pytest_configure(config):
    """The markers of each seminar's parts (`pytest -m linear`), from the seminar's facts: those of
    every seminar with reference solutions."""
    import importlib
    sys.path.insert(0, str(ROOT / "tools"))  # the course's tools, which tests import by name
    for facts in sorted((ROOT / "solutions").glob("*/course.py")):
        for marker, what in importlib.import_module(f"solutions.{facts.parent.name}.course").PARTS.items():
            config.addinivalue_line("markers", f"{marker}: {what}")


# pytest-xdist hands out whole files (`--dist loadfile --no-loadscope-reorder`, as tasks.py runs it) in the
# order they are collected, each process taking the next when it is done. The longest go first, so that
# neither process is left running a long file at the end while the other has nothing to do; files that
# mostly wait (for a cell limit, a service, a browser) alternate with files that keep the cores busy (the
# claims, the class report, the validations), so that one's waiting is the other's time.
LONGEST_FIRST = ("test_end_to_end.py", "test_integrity.py", "test_report.py", "test_batch.py",
                 "test_seminar2_claims.py", "test_browser.py", "test_seminar1_claims.py", "test_service.py",
                 "test_terminal.py", "test_service_faults.py", "test_seminar3_claims.py", "test_integrity_seminar2.py",
                 "test_course.py", "test_validate.py", "test_sandbox_visibility.py")


def pytest_collection_modifyitems(config, items):
    missing = [name for name in LONGEST_FIRST if not (ROOT / "tests" / name).exists()]
    assert not missing, f"tests/conftest.py's LONGEST_FIRST names no file {missing}"
    rank = {name: position for position, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: a file's tests keep their order


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item: a fixture can then tell whether the test failed
    (the browser tests keep a screenshot of a failure)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)
