"""Where student code runs: a separate process with operating-system limits.

Mechanisms, each used when this machine has it (see `Sandbox.describe`):
- bubblewrap (bwrap): a private mount namespace that shows only what Python, numpy and
  matplotlib need, read-only: /usr and the top-level program and library directories
  (/bin, /lib, ...), a few files of /etc (ETC_FILES: the dynamic loader's, fontconfig's),
  and the Python installation (the virtual environment, the interpreter it was made from,
  numpy's and matplotlib's site-packages); besides, a private /dev and /proc, a small
  private tmpfs /tmp, and the grader's program in /tmp/.grader. Nothing else of the
  machine is there: no home directory, no other checkout or backup of the course. The
  course directory, the gradebook and the grader's packages stay hidden where they lie
  inside a shown directory (an empty read-only directory; /dev/null for a file). No
  network, a private PID namespace (every process dies with the sandbox), uid 65534, no
  capabilities;
- a cgroup (v1 or v2) per process tree: a cap on processes and on memory;
- rlimits: address space, CPU time, file size, open files, no core dumps.
A missing mechanism is reported once as a warning and in every grading report:
grading goes on, less isolated, never silently.
"""
import functools
import importlib.machinery
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

from ..i18n import t


GRADER_FILES = "/tmp/.grader"  # where the sandbox sees the program it runs
# The system's programs and libraries; on a merged-/usr system all but /usr are symlinks.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32")
# What of /etc the sandbox needs: the dynamic loader's configuration; Debian's alternatives,
# symlinks through which some programs and libraries are found (the BLAS of a system numpy);
# fontconfig's configuration, which matplotlib reads (through fc-list) for the system's fonts.
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives", "/etc/fonts")

CGROUP_PREFIX = "nn-grading-"  # then the pid of the grader that made the cgroup


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
    """How to start an isolated student process.

    With bubblewrap the process sees the system's programs and libraries and the Python
    installation, nothing else of the machine (see the module docstring); `hidden` paths
    (the grader's packages, the course directory, the gradebook) are invisible inside,
    also where they lie inside the Python installation. Without bubblewrap it sees all.
    """

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
        _remove_orphaned_cgroups(tuple(self.cgroups.values()))
        if self.use_cgroups and not self.cgroups:
            self.warnings.append(
                "no writable cgroup (needs root): the number of processes is capped by "
                "RLIMIT_NPROC only, which does not bind root")

    def describe(self):
        parts = ["bubblewrap" if self.bwrap else "no bubblewrap",
                 f"cgroups ({', '.join(sorted(self.cgroups))})" if self.cgroups else "no cgroups",
                 "rlimits"]
        return ", ".join(parts)

    def isolation(self):
        """The mechanisms in use, as data: {"bubblewrap": bool, "cgroups": [names]} (rlimits always)."""
        return {"bubblewrap": bool(self.bwrap), "cgroups": sorted(self.cgroups)}

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
    """A started student process: its Popen, its cgroups and, without bubblewrap, its working
    directory (bubblewrap gives it /tmp/work in its private /tmp, and nothing on the host)."""

    def __init__(self, sandbox, argv, pass_fds, program_files):
        self.sandbox, self.program_files = sandbox, program_files
        self.workdir = None if sandbox.bwrap else tempfile.mkdtemp(prefix="nn-grading-")
        self.cgroup_dirs = self._make_cgroups()
        limits = sandbox.limits
        command = self._bwrap_prefix(argv) if sandbox.bwrap else self._program_in_workdir(argv)
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

        try:
            self.popen = subprocess.Popen(
                command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE if sandbox.bwrap else subprocess.DEVNULL,
                cwd=self.workdir or "/", env=env, preexec_fn=limit_child, start_new_session=True,
                close_fds=True)
        except BaseException:
            self._remove_traces()
            raise
        self.pid = self.popen.pid

    def _program_in_workdir(self, argv):
        """argv with the program run from a copy beside its modules in the working directory, as
        bubblewrap shows them together in /tmp/.grader (they live in different packages)."""
        folder = os.path.join(self.workdir, ".grader")
        os.mkdir(folder)
        for path in self.program_files:
            shutil.copy(path, folder)
        return [argv[0], os.path.join(folder, os.path.basename(argv[1]))] + argv[2:]

    def _bwrap_prefix(self, argv):
        sandbox, limits = self.sandbox, self.sandbox.limits
        args = [sandbox.bwrap, *_system_links(), "--dev", "/dev", "--proc", "/proc",
                "--size", str(limits.tmp_bytes), "--tmpfs", "/tmp"]
        hidden = {os.path.realpath(path) for path in sandbox.hidden if os.path.exists(path)}
        shown = set(_system_paths()) | set(_python_dirs())
        hidden_dirs = []
        for path, is_shown in _mounts(shown, hidden):
            if is_shown:
                args += ["--ro-bind", path, path]
            elif os.path.isdir(path):
                args += ["--tmpfs", path]
                hidden_dirs.append(path)
            else:
                args += ["--ro-bind", "/dev/null", path]
        for alias, path in _python_aliases(shown).items():
            args += ["--symlink", path, alias]
        for path in self.program_files:
            args += ["--ro-bind", os.path.realpath(path), f"{GRADER_FILES}/{os.path.basename(path)}"]
        args += ["--dir", "/tmp/work", "--chdir", "/tmp/work"]
        for path in hidden_dirs + ["/"]:  # read-only: nothing can be planted there either
            args += ["--remount-ro", path]
        args += ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
                 "--cap-drop", "ALL", "--hostname", "sandbox", "--die-with-parent", "--new-session",
                 "--"]
        return args + [argv[0], f"{GRADER_FILES}/{os.path.basename(argv[1])}"] + argv[2:]

    def _make_cgroups(self):
        limits, made = self.sandbox.limits, []
        name = f"{CGROUP_PREFIX}{os.getpid()}-{id(self)}-{time.monotonic_ns()}"
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

    def ending(self):
        """How the process ended: {"signal": "SIGKILL"}, {"exit_code": 3}, or {} while it runs
        (bubblewrap passes a signal on as 128 + its number)."""
        code = self.popen.poll()
        if code is None:
            return {}
        if code < 0:
            return {"signal": signal.Signals(-code).name}
        if code > 128 and self.sandbox.bwrap:
            try:
                return {"signal": signal.Signals(code - 128).name}
            except ValueError:
                pass
        return {"exit_code": code}

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
        self._remove_traces()

    def _remove_traces(self):
        """The process's cgroups and working directory, once it is gone."""
        for directory in self.cgroup_dirs:
            _remove_cgroup(Path(directory))
        if self.workdir:
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


def _system_links():
    """bwrap arguments that recreate the top-level symlinks of a merged-/usr system (/bin -> usr/bin)."""
    args = []
    for path in SYSTEM_DIRS:
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
    return args


def _system_paths():
    """The system's program and library directories that are directories here, and ETC_FILES."""
    return [path for path in SYSTEM_DIRS if os.path.isdir(path) and not os.path.islink(path)] + \
        [path for path in ETC_FILES if os.path.exists(path)]


@functools.lru_cache(maxsize=None)
def _python_dirs():
    """The Python installation, real paths: the environment, the interpreter it was made from
    (standard library, shared libpython), and the site-packages of numpy and matplotlib."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}
    for name in ("numpy", "matplotlib"):
        spec = importlib.machinery.PathFinder.find_spec(name)  # on sys.path, whatever sys.modules holds
        if spec is not None and spec.origin:
            paths.add(os.path.dirname(os.path.dirname(spec.origin)))
    return tuple(sorted({os.path.realpath(path) for path in paths}))


def _python_aliases(shown):
    """{path: real path} for the installation's paths that the sandbox would not find: the
    interpreter is started by its own path (sys.executable), which may go through a symlink."""
    aliases = {}
    for path in (sys.prefix, sys.exec_prefix, os.path.dirname(sys.executable)):
        path = os.path.abspath(path)
        if path != os.path.realpath(path) and not any(_inside(path, s) for s in shown):
            aliases[path] = os.path.realpath(path)
    return {path: real for path, real in aliases.items() if not any(_inside(path, a) for a in aliases)}


def _mounts(shown, hidden):
    """What bwrap mounts, parents first: [(path, True)] shows the host's path, read-only, at the
    same place; [(path, False)] hides it. A shown path inside a shown directory is there already;
    a hidden path is hidden only where a shown directory around it would show it (elsewhere it is
    not in the sandbox at all). A path both shown and hidden stays shown: Python must run."""
    is_shown = {path: False for path in hidden}
    is_shown.update({path: True for path in shown})
    mounts = []
    for path in sorted(is_shown, key=lambda p: (p.count(os.sep), p)):
        nearest = max((p for p in is_shown if _inside(path, p)), key=len, default=None)
        if is_shown[path] != (is_shown[nearest] if nearest else False):
            mounts.append((path, is_shown[path]))
    return mounts


def _inside(path, directory):
    """Whether path lies strictly inside directory."""
    return path != directory and path.startswith(directory.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=None)
def _remove_orphaned_cgroups(roots):
    """Remove the empty cgroups left by graders that died before removing them (a worker killed
    mid-job: its sandbox dies with it, its cgroup directories stay). A cgroup's name begins with
    the pid of the grader that made it; those of living graders, and any cgroup still holding a
    process, are left alone. Once per process and hierarchy."""
    for root in roots:
        try:
            entries = list(Path(root).glob(CGROUP_PREFIX + "*"))
        except OSError:
            continue
        for path in entries:
            maker = path.name[len(CGROUP_PREFIX):].split("-", 1)[0]
            if not maker.isdigit() or _is_running(int(maker)):
                continue
            try:
                path.rmdir()  # refused while a process is in it
            except OSError:
                pass


def _is_running(pid):
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, as another user's
    return True


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


def isolation_in_words(isolation):
    """Sandbox.isolation() in the current language: "bubblewrap, cgroups (memory, pids), rlimits"."""
    cgroups = isolation.get("cgroups") or []
    return ", ".join([t("bubblewrap") if isolation.get("bubblewrap") else t("no bubblewrap"),
                      t("cgroups ({names})", names=", ".join(cgroups)) if cgroups else t("no cgroups"),
                      t("rlimits")])
