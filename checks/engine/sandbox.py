"""Where student code runs: a separate process with operating-system limits.

Mechanisms, each used when this machine has it (see `Sandbox.describe`):
- bubblewrap (bwrap): a private mount namespace in which the course directory, the
  gradebook and the grader's packages are replaced by empty directories; the rest of
  the file system is read-only; /tmp is a small private tmpfs; no network, a private
  PID namespace (every process dies with the sandbox), uid 65534, no capabilities;
- a cgroup (v1 or v2) per process tree: a cap on processes and on memory;
- rlimits: address space, CPU time, file size, open files, no core dumps.
A missing mechanism is reported once as a warning and in every grading report:
grading goes on, less isolated, never silently.
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


GRADER_FILES = "/tmp/.grader"  # where the sandbox sees the program it runs


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 * 2**30
    cpu_seconds: int = 600
    max_processes: int = 64
    file_bytes: int = 64 * 2**20
    tmp_bytes: int = 64 * 2**20
    open_files: int = 256


@dataclass
class Sandbox:
    """How to start an isolated student process. `hidden` paths are invisible inside."""

    hidden: list = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    use_bwrap: bool = True
    use_cgroups: bool = True

    def __post_init__(self):
        self.bwrap = shutil.which("bwrap") if self.use_bwrap else None
        self.warnings = []
        if self.use_bwrap and not self.bwrap:
            self.warnings.append(
                "bubblewrap (bwrap) is not installed: student code runs WITHOUT file-system "
                "isolation (it can read the hidden tests and other files) and without a private "
                "network or PID namespace; install the Debian package `bubblewrap`")
        elif self.bwrap and not _bwrap_works(self.bwrap):
            self.warnings.append(
                "bubblewrap cannot create namespaces on this machine (not root and no "
                "unprivileged user namespaces): student code runs WITHOUT file-system isolation")
            self.bwrap = None
        self.cgroups = _cgroup_roots() if self.use_cgroups else {}
        if self.use_cgroups and not self.cgroups:
            self.warnings.append(
                "no writable cgroup (needs root): the number of processes is capped by "
                "RLIMIT_NPROC only, which does not bind root")

    def describe(self):
        parts = ["bubblewrap" if self.bwrap else "no bubblewrap",
                 f"cgroups ({', '.join(sorted(self.cgroups))})" if self.cgroups else "no cgroups",
                 "rlimits"]
        return ", ".join(parts)

    def start(self, argv, pass_fds=(), program_files=()):
        """Start argv, `python program args...`, in the sandbox; returns a SandboxedProcess.

        program_files: the program (argv[1]) and the modules beside it; bubblewrap binds them,
        read-only, into /tmp/.grader, the only grader files visible inside.
        """
        return SandboxedProcess(self, list(argv), tuple(pass_fds), tuple(program_files) or (argv[1],))

    def key(self):
        """What makes two sandboxes the same: a process started ahead for one serves the other."""
        return (tuple(self.hidden), self.limits, self.use_bwrap, self.use_cgroups)


def _bwrap_works(bwrap):
    try:
        result = subprocess.run([bwrap, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent",
                                 "--", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _cgroup_roots():
    """Writable cgroup hierarchies: {'pids': path, 'memory': path} (v1) or {'unified': path}."""
    roots = {}
    base = Path("/sys/fs/cgroup")
    if (base / "cgroup.controllers").exists():  # cgroup v2 mounted at the top
        controllers = (base / "cgroup.controllers").read_text().split()
        if "pids" in controllers and os.access(base, os.W_OK):
            roots["unified"] = base
        return roots
    for controller in ("pids", "memory"):
        path = base / controller
        if path.is_dir() and os.access(path, os.W_OK) and (path / "cgroup.procs").exists():
            roots[controller] = path
    return roots


class SandboxedProcess:
    """A started student process: its Popen, its cgroups and its private temp directory."""

    def __init__(self, sandbox, argv, pass_fds, program_files):
        self.sandbox, self.program_files = sandbox, program_files
        self.workdir = tempfile.mkdtemp(prefix="nn-grading-")
        self.cgroup_dirs = self._make_cgroups()
        limits = sandbox.limits
        command = self._bwrap_prefix(argv) if sandbox.bwrap else argv
        env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}
        cgroup_procs = [str(Path(d) / "cgroup.procs") for d in self.cgroup_dirs]

        def limit_child():  # runs in the child between fork and exec
            for path in cgroup_procs:
                try:
                    with open(path, "w") as file:
                        file.write("0")  # 0: the writing process itself
                except OSError:
                    pass  # the rlimits below still apply
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
            resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if os.getuid() != 0:
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))

        self.popen = subprocess.Popen(
            command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE if sandbox.bwrap else subprocess.DEVNULL,
            cwd=self.workdir, env=env, preexec_fn=limit_child, start_new_session=True,
            close_fds=True)
        self.pid = self.popen.pid

    def _bwrap_prefix(self, argv):
        sandbox, limits = self.sandbox, self.sandbox.limits
        python_dirs = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
        args = [sandbox.bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
        hidden = _outermost(os.path.realpath(path) for path in sandbox.hidden if os.path.exists(path))
        for path in hidden:
            if os.path.isdir(path):
                args += ["--tmpfs", path]
            else:
                args += ["--ro-bind", "/dev/null", path]
        # The interpreter and its packages stay visible, wherever they are (a virtual
        # environment inside the course directory, or under /tmp, included).
        for path in sorted(python_dirs | {os.path.realpath(sys.prefix), _numpy_dir()}):
            args += ["--ro-bind", path, path]
        for path in self.program_files:
            args += ["--ro-bind", os.path.realpath(path), f"{GRADER_FILES}/{os.path.basename(path)}"]
        args += ["--dir", "/tmp/work", "--chdir", "/tmp/work"]
        for path in hidden:  # empty, and read-only: nothing can be planted there either
            if os.path.isdir(path):
                args += ["--remount-ro", path]
        args += ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
                 "--cap-drop", "ALL", "--hostname", "sandbox", "--die-with-parent", "--new-session",
                 "--"]
        return args + [argv[0], f"{GRADER_FILES}/{os.path.basename(argv[1])}"] + argv[2:]

    def _make_cgroups(self):
        limits, made = self.sandbox.limits, []
        name = f"nn-grading-{os.getpid()}-{id(self)}-{time.monotonic_ns()}"
        for kind, root in self.sandbox.cgroups.items():
            path = Path(root) / name
            try:
                path.mkdir()
                if kind == "unified":
                    (path / "pids.max").write_text(str(limits.max_processes))
                    if (path / "memory.max").exists():
                        (path / "memory.max").write_text(str(limits.memory_bytes))
                elif kind == "pids":
                    (path / "pids.max").write_text(str(limits.max_processes))
                elif kind == "memory":
                    (path / "memory.limit_in_bytes").write_text(str(limits.memory_bytes))
                made.append(str(path))
            except OSError:
                _remove_cgroup(path)
        return made

    def exit_description(self):
        code = self.popen.poll()
        if code is None:
            return "still running"
        if code < 0:
            return f"killed by signal {signal.Signals(-code).name}"
        if code > 128 and self.sandbox.bwrap:
            try:
                return f"killed by signal {signal.Signals(code - 128).name}"
            except ValueError:
                pass
        return f"exit code {code}"

    def kill(self):
        """Stop the process and everything it started; remove its cgroups and temp files."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for directory in self.cgroup_dirs:
            _kill_cgroup(Path(directory))
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self.popen.stderr:
            self.popen.stderr.close()
        for directory in self.cgroup_dirs:
            _remove_cgroup(Path(directory))
        shutil.rmtree(self.workdir, ignore_errors=True)


def grader_package_dirs(names=("checks", "solutions")):
    """Directories of the grader's own packages (hidden tests, reference solutions), which
    student code must not see; a package that is not installed is skipped."""
    import importlib
    dirs = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        dirs.append(os.path.dirname(os.path.abspath(module.__file__)))
    return dirs


def _outermost(paths):
    """The paths that are not inside another of them, parents first."""
    kept = []
    for path in sorted(set(paths), key=len):
        if not any(path == k or path.startswith(k.rstrip(os.sep) + os.sep) for k in kept):
            kept.append(path)
    return kept


def _numpy_dir():
    import numpy
    return os.path.dirname(os.path.dirname(os.path.realpath(numpy.__file__)))


def _kill_cgroup(path):
    for _ in range(50):
        try:
            pids = [int(p) for p in (path / "cgroup.procs").read_text().split()]
        except OSError:
            return
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.02)


def _remove_cgroup(path):
    for _ in range(50):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            _kill_cgroup(path)
            time.sleep(0.02)
