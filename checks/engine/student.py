"""The student's side of grading: what runs in the sandbox.

The sandbox starts this file as a *zygote*: a process that imports numpy and the wire
protocol, then runs no student code at all. For each part of a notebook the grader asks
it to fork; the fresh child loads the student's cells and serves the grader's requests
(checks/protocol/wire.py), so every part starts from a clean process without paying
Python's and numpy's start-up again. When the part ends, the zygote kills the child and
everything it started, and empties the sandbox's temporary directories, before the next
fork. The zygote is not dumpable: a child cannot ptrace it or read its memory to change
what the next part starts from. Where the kernel allows it, each part's process runs in a
PID namespace of its own, so it cannot signal the zygote or the next part's process either:
a part that kills everything it can see kills only itself.

Standard library and numpy only; run as `python student.py CTRL_R CTRL_W DATA_R DATA_W
BLOCKED SCOPE`, where SCOPE is "namespace" when the sandbox has a PID namespace of its own
(every process but the zygote and init is the student's) and "session" when it has not
(only the child's session is the student's).
"""
import builtins
import gc
import importlib
import io
import linecache
import os
import random
import select
import shutil
import signal
import sys
import time
import types

import numpy as np
import numpy.random  # noqa: F401  (numpy loads it lazily: here once, not in every part's process)

if __package__:  # imported by the grader's tests as checks.engine.student
    from ..protocol import rowguard, wire
else:            # run in the sandbox next to wire.py and rowguard.py
    import rowguard  # noqa: F401  (registers the row guard's array kind and error)
    import wire

OUTPUT_LIMIT = 64 * 1024  # characters of student output kept per test cell
SANDBOX_TMP = "/tmp"
GRADER_FILES = "/tmp/.grader"


# ---------------------------------------------------------------- what a part's process needs

class CappedOutput(io.TextIOBase):
    """Keeps the first OUTPUT_LIMIT characters written, counts the rest: printing never fails."""

    def __init__(self):
        self.kept, self.total = [], 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = OUTPUT_LIMIT - min(self.total, OUTPUT_LIMIT)
        if room > 0:
            self.kept.append(text[:room])
        self.total += len(text)
        return len(text)

    def take(self):
        text, total = "".join(self.kept), self.total
        self.kept, self.total = [], 0
        return {"text": text, "total": total}


class LazyModule(types.ModuleType):
    """Stands in for a slow module (matplotlib) until code first uses it."""

    def __init__(self, name, family):
        super().__init__(name)
        self.__dict__["_family"], self.__dict__["_real"] = family, None

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        child = f"{self.__name__}.{attribute}"
        if child in self._family and self._real is None:
            return sys.modules.get(child, self)
        if self._real is None:
            for name in self._family:  # let the real import run
                if isinstance(sys.modules.get(name), LazyModule):
                    del sys.modules[name]
            self.__dict__["_real"] = importlib.import_module(self.__name__)
        return getattr(self._real, attribute)


def install_lazy_modules(names=("matplotlib", "matplotlib.pyplot")):
    """matplotlib imported only if code really uses it (a notebook's setup cell imports it)."""
    family = set(names)
    for name in names:
        if name not in sys.modules:
            sys.modules[name] = LazyModule(name, family)


class BlockedImports:
    """Meta path finder that refuses the grader's own packages inside the sandbox."""

    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ImportError(
                f"`{fullname}` cannot be imported while grading: answers must be your own code")
        return None


def serve_part(read_fd, write_fd):
    """The forked child: load the student's cells and answer the grader until told to exit."""
    # Bound before any student code runs: the grader's requests use these, not whatever
    # the student's code may rebind later. Copying the builtins into this module's globals
    # keeps the protocol working when an answer replaces builtins.isinstance or len.
    seed_numpy, seed_python = np.random.seed, random.seed
    for module in (globals(), vars(wire)):
        for name, value in vars(builtins).items():
            module.setdefault(name, value)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    output = CappedOutput()
    sys.stdout = sys.stderr = output
    if hasattr(signal, "SIGXFSZ"):  # a file past the size limit: an OSError, not a kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def exec_cell(header, values):
        source, name = str(header["source"]), str(header["cell"])
        filename = f"{wire.STUDENT_FILE_PREFIX}{name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), namespace)
        return None

    def lookup(header, values):
        name = str(header["name"])
        if name not in namespace:
            raise NameError(f"name '{name}' is not defined")
        return namespace[name]

    def seed(header, values):
        seed_numpy(int(header["seed"]))
        seed_python(int(header["seed"]))
        return None

    def take_output(header, values):
        return output.take()

    def define(header, values):
        """The course's code, given by the test, in a namespace of its own: what it defines."""
        given = {"__name__": "given_by_the_test", "__builtins__": builtins}
        given.update(values.get("value") or {})
        exec(compile(str(header["source"]), "<given by the test>", "exec"), given)
        return {name: value for name, value in given.items()
                if not name.startswith("_") and not isinstance(value, types.ModuleType)}

    connection = wire.Connection(read_fd, write_fd, "student", serve_extra={
        "exec": exec_cell, "lookup": lookup, "seed": seed, "output": take_output, "define": define})
    wire.write_message(write_fd, {"kind": "ready", "pid": os.getpid()})
    while True:
        try:
            header, values = connection.receive()
        except (EOFError, wire.ProtocolError):
            os._exit(0)
        if header.get("op") == "exit":
            connection.send({"kind": "reply"}, {"result": None, "back": []})
            os._exit(0)
        connection.serve(header, values)


# ---------------------------------------------------------------- the zygote

def _drain(fd):
    """Discard whatever a killed part left unread in a pipe."""
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 1 << 16):
            pass
    except BlockingIOError:
        pass
    finally:
        os.set_blocking(fd, True)


def _stat(pid):
    """(state letter, parent pid, session id) from /proc/<pid>/stat, or (None, None, None) when
    it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as file:
            fields = file.read().rsplit(b")", 1)[1].split()
        return fields[0].decode(), int(fields[1]), int(fields[3])
    except (OSError, IndexError, ValueError):
        return None, None, None


def _students_processes(scope, child):
    """{pid: parent pid} of the live processes the student's code may have started (the part's
    own included): in a sandbox of its own, every process but the zygote and init; else those
    of the sessions of `child` and of its children (the part's process, in a namespace of its
    own, has a session of its own)."""
    me = os.getpid()
    live = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) in (me, 1):
            continue
        state, parent, session = _stat(int(entry))
        if state is not None and state not in "ZX":  # not gone, not a zombie waiting to be reaped
            live[int(entry)] = (parent, session)
    if scope != "namespace":
        sessions = {child} | {pid for pid, (parent, _) in live.items() if parent == child}
        live = {pid: (parent, session) for pid, (parent, session) in live.items() if session in sessions}
    return {pid: parent for pid, (parent, _) in live.items()}


def _sweep(scope, child):
    """Kill the part's process and every process the student started; return how many there
    were besides the part's own. child: the process the zygote forked (its pid is also its
    session id), which is the part's process or, in a PID namespace of the part's own, the
    process that waits for it there."""
    others = set()
    for _ in range(50):  # a fork storm needs a few rounds; the pids cgroup bounds it
        pids = _students_processes(scope, child)
        if not pids:
            break
        for pid, parent in pids.items():
            if pid != child and parent != child:
                others.add(pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.002)
        _reap()
    _reap()
    return len(others)


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _empty_temporary_files(made_by_the_sandbox):
    """What a part wrote to /tmp goes with it: the next part starts from the same files.
    made_by_the_sandbox: the entries of /tmp before any part ran (the grader's files, and the
    read-only parents of what the sandbox shows there, such as a Python installed under /tmp),
    which stay; the working directory is emptied."""
    if not os.path.isdir(GRADER_FILES):
        return  # no sandbox of our own: /tmp is the machine's
    work = os.path.join(SANDBOX_TMP, "work")
    for entry in os.listdir(SANDBOX_TMP):
        path = os.path.join(SANDBOX_TMP, entry)
        if entry in made_by_the_sandbox and path != work:
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass
    os.makedirs(work, exist_ok=True)
    os.chdir(work)


CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID = 0x00020000, 0x10000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000


def _in_own_pid_namespace(*fds_of_the_part):
    """Fork the part's process into a PID namespace of its own, where it is process 1 and
    sees no other process: it cannot signal the zygote, the next part's process or anything
    else of the submission, and when it ends every process it started ends with it. (As
    process 1 it ignores the signals it sends itself without a handler.)

    Returns True in the part's process; the calling process stays outside, waits for the
    part and ends as the part ended, so that the zygote sees how. False, and nothing changes,
    where this kernel or sandbox allows no new namespaces.
    """
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0:
            return False
    except (OSError, AttributeError):
        return False
    part = os.fork()
    if part == 0:
        _own_proc(libc)
        return True
    for fd in fds_of_the_part:
        os.close(fd)
    _, status = os.waitpid(part, 0)
    if os.WIFSIGNALED(status):
        how = os.WTERMSIG(status)
        try:
            signal.signal(how, signal.SIG_DFL)
        except (OSError, ValueError):  # SIGKILL's cannot be changed, nor need to be
            pass
        os.kill(os.getpid(), how)
        os._exit(128 + how)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _own_proc(libc):
    """/proc of the part's own PID namespace, in a mount namespace of its own: it lists the part's
    processes only. Where that is refused, /proc lists the sandbox's, which the part still cannot
    signal."""
    if libc.unshare(CLONE_NEWNS) != 0:
        return
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0:
        libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)


def _how_it_ended(status):
    """{"signal": "SIGKILL"} or {"exit_code": 3}, from a wait status."""
    if os.WIFSIGNALED(status):
        return {"signal": signal.Signals(os.WTERMSIG(status)).name}
    return {"exit_code": os.WEXITSTATUS(status)}


def zygote_main(control_r, control_w, data_r, data_w, blocked, scope):
    try:
        import ctypes
        ctypes.CDLL(None).prctl(4, 0)  # PR_SET_DUMPABLE 0: no ptrace, no /proc/<pid>/mem
    except (OSError, AttributeError):
        pass
    sys.meta_path.insert(0, BlockedImports(blocked))
    for name in blocked:
        sys.modules.pop(name, None)
    install_lazy_modules()
    sys.stdout = sys.stderr = CappedOutput()
    made_by_the_sandbox = set(os.listdir(SANDBOX_TMP)) if os.path.isdir(GRADER_FILES) else set()
    # The zygote keeps the data pipes open for the next part, so the grader sees no end of
    # file when a part's process dies: the zygote tells it instead, on the control pipe.
    wakeup_r, wakeup_w = os.pipe()
    os.set_blocking(wakeup_w, False)
    signal.set_wakeup_fd(wakeup_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    wire.write_message(control_w, {"kind": "ready", "pid": os.getpid()})

    def prefork():
        """The next part's process, forked now and waiting for its start, while the grader is busy."""
        gc.freeze()  # the zygote's objects out of the collector's sight: the child copies fewer pages
        go_r, go_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            for fd in (control_r, control_w, wakeup_r, wakeup_w, go_w):
                os.close(fd)
            os.setsid()  # the student's processes share this session (see `scope`)
            if _in_own_pid_namespace(go_r, data_r, data_w):
                os.setsid()  # a session of the namespace's own: kill(0) reaches nothing outside
            if not os.read(go_r, 1):  # the zygote is gone
                os._exit(0)
            os.close(go_r)
            try:
                serve_part(data_r, data_w)
            finally:
                os._exit(1)
        os.close(go_r)
        return pid, go_w

    def still_waiting(pid):
        try:
            return os.waitpid(pid, os.WNOHANG)[0] == 0
        except ChildProcessError:
            return False

    waiting = prefork()
    child = session = None  # the part's process while it runs; its session until the sweep
    while True:
        ready = select.select([control_r, wakeup_r], [], [])[0]
        if wakeup_r in ready:
            _drain(wakeup_r)
            if child is not None:
                try:
                    pid, status = os.waitpid(child, os.WNOHANG)
                except ChildProcessError:
                    pid, status = child, 0
                if pid == child:
                    wire.write_message(control_w, {"kind": "ended", "how": _how_it_ended(status)})
                    child = None
            continue
        try:
            header, _ = wire.read_message(control_r)
        except (EOFError, wire.ProtocolError):
            os._exit(0)
        op = header.get("op")
        if op == "fork":
            _drain(data_r)
            if waiting is None or not still_waiting(waiting[0]):
                waiting = prefork()
            (child, go), waiting = waiting, None
            os.write(go, b"x")
            os.close(go)
            session = child
            wire.write_message(control_w, {"kind": "forked", "pid": child})
        elif op == "sweep":
            leftovers = _sweep(scope, session) if session is not None else 0
            child = session = None
            _empty_temporary_files(made_by_the_sandbox)
            _drain(data_r)
            waiting = waiting or prefork()  # after the sweep, which would kill it
            wire.write_message(control_w, {"kind": "swept", "leftovers": leftovers})
        else:  # "exit", or anything else
            os._exit(0)


if __name__ == "__main__":
    fds = [int(arg) for arg in sys.argv[1:5]]
    zygote_main(*fds, [name for name in sys.argv[5].split(",") if name], sys.argv[6])
