#!/usr/bin/env python3
"""The course's commands (`python3 tasks.py help` lists them). Needs only Python 3.11+ and
pip: the first run makes .venv and installs the project into it; later runs reuse it.
"""
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402  (standard library only: it runs before .venv exists)

VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"


def chosen_assignments(names):
    """The assignments named on the command line (default: all), or exit 2 with the list."""
    return course.known_or_exit(names) or course.assignments()


# Installed as optional dependencies and removed again: jsonschema imports rfc3987-syntax, when
# present, to check the "iri" formats of jupyter-events' schemas, and its import builds some 40
# grammars, 2.7 s in every process that loads nbformat (each nbgrader command, each grading
# worker). Nothing in the course checks an IRI; without it jsonschema skips that format.
NOT_WANTED = ("rfc3987-syntax",)
# The course's Jupyter server extensions, enabled in .venv: the formgrader's students' totals count
# one edition of each seminar (checks/engine/formgrader_totals.py).
SERVER_EXTENSIONS = ("checks.engine.formgrader_totals",)


def ensure_environment():
    """Create .venv and install the project with its test extras, once per pyproject.toml."""
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()
                            + repr((NOT_WANTED, SERVER_EXTENSIONS)).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("installing the project and its dependencies into .venv", flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]")
    run(PYTHON, "-m", "pip", "uninstall", "--quiet", "--yes", *NOT_WANTED)
    enable_server_extensions()
    stamp.write_text(wanted)


def enable_server_extensions():
    """What `pip install` of a package with Jupyter server extensions writes into the environment
    (an editable install writes no such file): the course's are enabled in .venv."""
    import json
    config = VENV / "etc" / "jupyter" / "jupyter_server_config.d" / "nn_from_scratch.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(SERVER_EXTENSIONS, True)}},
                                 indent=2) + "\n")


def ensure_debian_package(package, present, why, missing):
    """Install a Debian package with apt when `present()` is false and we are root;
    print the `missing` warning if it is still not there."""
    if present():
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {package} (Debian package) for {why}", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], stdout=subprocess.DEVNULL,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if not present():
        print(f"WARNING: {missing}; install the Debian package `{package}`", flush=True)


def ensure_sandbox_tools():
    """bubblewrap isolates student code while grading."""
    ensure_debian_package("bubblewrap", lambda: shutil.which("bwrap"), "the grading sandbox",
                          "bubblewrap (bwrap) is not available: grading runs student code without "
                          "file-system isolation")


def ensure_postgres():
    """The sharding test runs a throwaway PostgreSQL server."""
    # Debian keeps initdb and pg_ctl off PATH, under /usr/lib/postgresql/<version>/bin.
    ensure_debian_package(
        "postgresql", lambda: shutil.which("initdb") or glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        "the sharding test", "PostgreSQL (initdb) is not available: the sharding test will fail")


def ensure_redis():
    """The service's tests on several machines' broker: a Redis server (Debian's redis-server)."""
    ensure_debian_package("redis-server", lambda: shutil.which("redis-server"), "the grading service's tests",
                          "redis-server is not available: the service's tests with Redis will be skipped")


def ensure_browser():
    """The browser tests drive JupyterLab with headless Chromium and its driver."""
    for package, program in (("chromium", "chromium"), ("chromium-driver", "chromedriver")):
        ensure_debian_package(package, lambda program=program: shutil.which(program), "the browser tests",
                              f"{program} is not available: the browser tests will be skipped")


def environment():
    """.venv/bin first on PATH: nbgrader runs `alembic`, and the kernel runs `python`, by name."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONHASHSEED"] = "0"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def run(*command, check=True):
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=environment())
    if check and result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(map(str, command))}")
    return result.returncode


# nbgrader's own warnings that every run prints and that say nothing new: hidden-test
# cells always differ from the release (that is how hidden tests come back), and
# SQLAlchemy 2 warns about nbgrader's session use.
NOISE = ("Attribute 'checksum' for cell", "Removing existing assignment", "SAWarning",
         "return [x for x in self._base_cells", "for notebook in submission.assignment.notebooks")


def nbgrader(*args, check=True):
    """Run an nbgrader command, printing its log without the routine noise."""
    result = subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=WARN"], cwd=ROOT,
                            env=environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    for line in result.stdout.splitlines():
        if line.strip() and not any(noise in line for noise in NOISE):
            print(line, flush=True)
    if check and result.returncode != 0:
        sys.exit(f"nbgrader {args[0]} failed ({result.returncode})")
    return result.returncode


def pipeline(names):
    """For each assignment: generate_assignment, then nbgrader's autograde and
    generate_feedback for every student in parallel (nn-grade grade, which also writes
    grades-<assignment>.csv), then the grade table."""
    for assignment in chosen_assignments(names):
        print(f"\n== {assignment}", flush=True)
        nbgrader("generate_assignment", assignment, "--force")
        # The samples' names, as an instructor imports a class list (the formgrader shows them).
        nbgrader("db", "student", "import", "submitted/roster.csv")
        # Exit status 1 means some student could not be graded: the summary names them and why.
        run(BIN / "nn-grade", "grade", assignment, "--csv", f"grades-{assignment}.csv", check=False)
        print(flush=True)
        run(PYTHON, "tools/grade_table.py", assignment)
    # What the class got wrong, one report per seminar: its editions in other languages count with it
    # (report-<seminar>.html and .csv, checks/report/).
    chosen = chosen_assignments(names)
    for base in dict.fromkeys(course.base_of(assignment) for assignment in chosen):
        print(flush=True)
        run(BIN / "nn-grade", "report", *[assignment for assignment in chosen if course.base_of(assignment) == base])


def generate_keeping_release(assignment):
    """nbgrader generate_assignment --force, which on a failure deletes release/<assignment>
    (committed): the previous release comes back, and the command stops."""
    import tempfile
    released = ROOT / "release" / assignment
    with tempfile.TemporaryDirectory() as kept:
        if released.is_dir():
            shutil.copytree(released, Path(kept) / assignment)
        if nbgrader("generate_assignment", assignment, "--force", check=False) != 0:
            if (Path(kept) / assignment).is_dir():
                shutil.rmtree(released, ignore_errors=True)
                shutil.copytree(Path(kept) / assignment, released)
            sys.exit(f"nbgrader generate_assignment {assignment} failed: release/{assignment} is as it was")


def release(names):
    """Regenerate what is made from source/, solutions/ and checks/: data, the notebooks'
    generated cells, the editions in other languages, release/ and the samples. Naming an
    English assignment rebuilds its editions too (they are made from it)."""
    chosen = chosen_assignments(names)
    english = sorted({course.base_of(assignment) for assignment in chosen})
    editions = [assignment for assignment in course.assignments() if course.base_of(assignment) != assignment
                and (assignment in chosen or course.base_of(assignment) in chosen)]
    chosen = sorted(set(chosen) | set(editions))
    run(PYTHON, "tools/make_data.py", *english)
    run(PYTHON, "tools/sync_course.py", *english)
    if editions:
        run(PYTHON, "tools/translate.py", *editions)
    for assignment in chosen:
        generate_keeping_release(assignment)
        files = ", ".join(sorted(path.name for path in (ROOT / "release" / assignment).iterdir()))
        print(f"rebuilt release/{assignment}/ ({files}) from source/{assignment}/", flush=True)
    run(PYTHON, "tools/make_samples.py", *chosen)


# The quick subset: the engine's and the kit's own tests, without real nbgrader, whole classes, the
# browser and the notebooks' multi-seed claims.
QUICK = "not nbgrader and not batch and not browser and not claims and not service"

# name -> (arguments, what it does); `test` passes its arguments to pytest.
COMMANDS = {
    "pipeline": ("[ASSIGNMENT ...]", "the nbgrader pipeline on the sample submissions, then the grade tables"),
    "test": ("[--quick] [PYTEST ARGUMENTS ...]", "the test suite (real nbgrader, real kernels); arguments go to "
             "pytest; --quick: the engine's and the kit's tests alone, under 2 minutes"),
    "release": ("[ASSIGNMENT ...]", "rebuild release/, the data and the samples after editing the course"),
    "bench": ("[--repeats N]", "the benchmark: run-all, autograde and grading times"),
    "bench-class": ("[--repeats N] [--feedback]", "grading a class of 40: nbgrader against nn-grade grade"),
    "bench-service": ("[--submissions N] [--idle N]", "grading as submissions arrive: a burst and an idle "
                      "service against nn-grade grade"),
    "bench-report": ("[--students N] [--repeats N]", "the class report of 500 graded students (nn-grade report)"),
}


def usage(command=None):
    if command:
        arguments, what = COMMANDS[command]
        return f"usage: python3 tasks.py {command} {arguments}\n\n{what}"
    lines = [f"  python3 tasks.py {name:<12} {what}" for name, (_, what) in COMMANDS.items()]
    return "The course's commands (the first run makes .venv and installs the project):\n" + "\n".join(lines)


def main():
    command, extra = (sys.argv[1:2] or ["help"])[0], sys.argv[2:]
    if command in ("help", "-h", "--help"):
        print(usage())
        sys.exit(0)
    if command not in COMMANDS:
        print(f"unknown command {command!r}\n\n{usage()}", file=sys.stderr)
        sys.exit(2)
    if command != "test" and any(arg in ("-h", "--help") for arg in extra):
        print(usage(command))
        sys.exit(0)
    ensure_environment()
    if command in ("pipeline", "test", "bench", "bench-class", "bench-service", "bench-report"):
        ensure_sandbox_tools()
    if command == "pipeline":
        pipeline(extra)
    elif command == "test":
        if "--quick" in extra:
            extra = [arg for arg in extra if arg != "--quick"] + ["-m", QUICK]
        else:
            ensure_postgres()
            ensure_redis()
            ensure_browser()
        if not any(arg.startswith(("-n", "--numprocesses")) for arg in extra):
            # Two processes, each taking whole test files (their fixtures grade a class once per file), in
            # the order tests/conftest.py puts them (xdist would otherwise start with the most tests).
            extra = ["-n", "2", "--dist", "loadfile", "--no-loadscope-reorder", *extra]
        sys.exit(run(PYTHON, "-m", "pytest", *extra, check=False))
    elif command == "release":
        release(extra)
    elif command == "bench":  # its status: 1 when a target was missed, 2 for a wrong argument
        sys.exit(run(PYTHON, "tools/benchmark.py", *extra, check=False))
    elif command == "bench-class":
        sys.exit(run(PYTHON, "tools/benchmark_class.py", *extra, check=False))
    elif command == "bench-service":
        sys.exit(run(PYTHON, "tools/benchmark_service.py", *extra, check=False))
    elif command == "bench-report":
        sys.exit(run(PYTHON, "tools/benchmark_report.py", *extra, check=False))


if __name__ == "__main__":
    main()
