"""The grader's end of the student's side: a sandboxed zygote, and the process of each part.

A Zygote is one sandbox (checks/engine/sandbox.py) in which checks/engine/student.py has
imported numpy and run no student code. `Zygote.fork()` gives a StudentProcess: a fresh
child for one part of the notebook, driven through a wire.Connection. Every wait for the
student has a deadline (`deadline_in`); when it passes, the child is killed and
StudentTimeout raised. When the child ends while the grader waits, StudentProcessEnded says
how. After either the child is dead; the zygote forks the next one. A zygote that stops
answering is killed with its whole sandbox, and the next part gets a new one.
"""
import fcntl
import os
import select
import time
from pathlib import Path

from ..i18n import t
from ..protocol import wire
from ..protocol.words import ending_in_words
from .sandbox import Sandbox
from ..protocol.wire import (Connection, ProtocolError, StudentError, StudentProcessEnded, StudentTimeout,
                   TransportTimeout)

BLOCKED_MODULES = ("checks", "solutions")
# The files the sandbox runs: the zygote's program first.
_PROTOCOL = Path(__file__).resolve().parent.parent / "protocol"
PROGRAM_FILES = (str(Path(__file__).with_name("student.py")), str(_PROTOCOL / "wire.py"), str(_PROTOCOL / "rowguard.py"))
CONTROL_TIMEOUT = 5.0  # seconds for the zygote to fork or to clean up after a part
START_TIMEOUT = 60.0   # seconds for a new sandbox to start Python and import numpy


class ZygoteGone(Exception):
    """The zygote did not answer (killed by student code, or stuck): start another."""


def _waiter(fd, deadline):
    def wait():
        remaining = deadline() - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise TransportTimeout
    return wait


class Zygote:
    """A sandboxed process that has imported numpy and run no student code; it forks the
    process of each part and cleans up after it."""

    def __init__(self, sandbox: Sandbox, blocked=BLOCKED_MODULES, python=None):
        self.sandbox = sandbox
        ends = {name: os.pipe() for name in ("control_in", "control_out", "data_in", "data_out")}
        for name in ("data_in", "data_out"):
            _widen(ends[name][1])
        # In each pair (read, write): the zygote reads *_in and writes *_out.
        child_fds = (ends["control_in"][0], ends["control_out"][1], ends["data_in"][0], ends["data_out"][1])
        scope = "namespace" if sandbox.bwrap else "session"
        argv = [python or _python(), PROGRAM_FILES[0], *map(str, child_fds), ",".join(blocked), scope]
        self.process = sandbox.start(argv, pass_fds=child_fds, program_files=PROGRAM_FILES)
        for fd in child_fds:
            os.close(fd)
        self.control_w, self.control_r = ends["control_in"][1], ends["control_out"][0]
        self.data_w, self.data_r = ends["data_in"][1], ends["data_out"][0]
        self.alive, self.ready = True, False
        self.started = time.monotonic()
        self.part_ended = None  # how the last part's process ended, when the zygote said so

    def _control(self, header, timeout):
        """Send a command to the zygote and read its answer; ZygoteGone if it does not come."""
        if not self.alive:
            raise ZygoteGone
        deadline = time.monotonic() + timeout
        try:
            wire.write_message(self.control_w, header)
            while True:
                reply = self.read_control(deadline)
                if reply.get("kind") != "ended":
                    return reply
        except (OSError, EOFError, ProtocolError, TransportTimeout):
            self.kill()
            raise ZygoteGone from None

    def read_control(self, deadline):
        """The zygote's next message; an "ended" one (the part's process is gone) is noted."""
        reply, _ = wire.read_message(self.control_r, _waiter(self.control_r, lambda: deadline))
        if reply.get("kind") == "ended":
            how = reply.get("how")
            self.part_ended = how if isinstance(how, dict) else {}
        return reply

    def wait_ready(self):
        if self.ready:
            return
        deadline = self.started + START_TIMEOUT
        try:
            header, _ = wire.read_message(self.control_r, _waiter(self.control_r, lambda: deadline))
        except (OSError, EOFError, ProtocolError, TransportTimeout):
            header = {}
        if header.get("kind") != "ready":
            self.kill()
            raise ZygoteGone
        self.ready = True

    def fork(self):
        """A fresh StudentProcess for one part."""
        self.wait_ready()
        _drain(self.data_r)
        self.part_ended = None
        reply = self._control({"op": "fork"}, CONTROL_TIMEOUT)
        if reply.get("kind") != "forked":
            self.kill()
            raise ZygoteGone
        return StudentProcess(self)

    def sweep(self):
        """Kill the current part's process and everything it started; empty /tmp. Returns how
        many processes the part had left running besides its own."""
        reply = self._control({"op": "sweep"}, CONTROL_TIMEOUT)
        _drain(self.data_r)
        return int(reply.get("leftovers", 0))

    def kill(self):
        """The whole sandbox: the zygote, the part's process, everything in it."""
        if self.alive:
            self.alive = False
            self.process.kill()
            for fd in (self.control_w, self.control_r, self.data_w, self.data_r):
                try:
                    os.close(fd)
                except OSError:
                    pass

    def ending(self):
        return self.process.ending()


def _widen(fd, size=1 << 20):
    """A pipe of `size` bytes instead of 64 KiB: an array of a few MiB crosses in a few writes, not
    in dozens, each of which waits for the reader to be scheduled (slow on a busy machine)."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, size)
    except (OSError, AttributeError):  # above the system's cap, or not Linux: the default stays
        pass


def _drain(fd):
    """Discard what a killed part wrote and the grader never read."""
    try:
        while select.select([fd], [], [], 0)[0] and os.read(fd, 1 << 16):
            pass
    except OSError:
        pass


class StudentProcess:
    """The process of one part, forked by a zygote, driven through a Connection."""

    def __init__(self, zygote: Zygote):
        self.zygote = zygote
        self.deadline = time.monotonic() + START_TIMEOUT
        self.alive = True
        self.ended = ""         # why it is dead, as a sentence
        self.how_it_ended = ""  # the same, as the words in brackets ("killed by signal SIGKILL")
        self.stopped_for_time = False  # it ran past a deadline and was killed: a timeout, wherever it happened
        self.leftovers = 0
        self.connection = Connection(zygote.data_r, zygote.data_w, "grader", wait=self._wait)
        self.connection.translate = self._translate
        self.connection.refusal = _refusal
        header, _ = self._guarded(lambda: wire.read_message(zygote.data_r, self._wait))
        if header.get("kind") != "ready":
            self.kill()
            raise StudentProcessEnded("ProcessEnded", t("the grading process did not start"))

    def deadline_in(self, seconds):
        self.deadline = time.monotonic() + seconds

    def _wait(self):
        """Until the part's process has written something; EOFError when the zygote says it
        ended (the zygote holds the pipe open, so no end of file comes by itself)."""
        zygote = self.zygote
        while True:
            if zygote.part_ended is not None:
                raise EOFError
            remaining = self.deadline - time.monotonic()
            ready = select.select([zygote.data_r, zygote.control_r], [], [], max(remaining, 0))[0] \
                if remaining > 0 else []
            if zygote.data_r in ready:
                return
            if not ready:
                raise TransportTimeout
            zygote.read_control(time.monotonic() + CONTROL_TIMEOUT)

    def _translate(self, error):
        """The StudentError for a broken channel; the process is killed and stays dead."""
        if not self.alive:
            return StudentProcessEnded("ProcessEnded", self.ended)
        if isinstance(error, TransportTimeout):
            self.stopped_for_time = True
            self.kill()
            self.ended = t("it was stopped after running out of time")
            return StudentTimeout("Timeout", t("did not finish in time (an endless loop?); it was stopped"))
        if self.zygote.part_ended is not None:
            how = ending_in_words(self.zygote.part_ended)
        elif not self.zygote.alive:
            how = t("its sandbox ended: {how}", how=ending_in_words(self.zygote.ending()))
        else:
            how = t("it stopped answering")
        if isinstance(error, ProtocolError):
            how = t("it sent an unreadable message ({error})", error=error)
        self.kill()
        self.how_it_ended = how
        self.ended = t("the process running your code ended ({how})", how=how)
        return StudentProcessEnded("ProcessEnded", self.ended)

    def _guarded(self, action):
        """Run action; turn a missed deadline or a dead process into a StudentError."""
        if not self.alive:
            raise StudentProcessEnded("ProcessEnded", self.ended)
        try:
            return action()
        except StudentError:  # raised by student code, even an OSError: the channel is fine
            raise
        except (TransportTimeout, EOFError, OSError, ProtocolError) as error:
            raise self._translate(error) from None

    def request(self, op, **fields):
        return self._guarded(lambda: self.connection.request(dict(fields, op=op)))

    def exec_cell(self, cell_name, source):
        """Run a cell's code; returns None, or the StudentError it raised."""
        try:
            self.request("exec", cell=cell_name, source=source)
        except StudentError as error:
            return error
        return None

    def lookup(self, name):
        return self.request("lookup", name=name)

    def seed(self, seed):
        self.request("seed", seed=seed)

    def take_output(self):
        return self.request("output")

    def stop(self):
        """Ask the process to exit, then make sure it and everything it started are gone."""
        if self.alive:
            try:
                self.deadline_in(2)
                self.request("exit")
            except StudentError:
                pass
        self.kill()

    def kill(self):
        if self.alive:
            self.alive = False
            self.connection.closed = True  # whatever the grader was about to send, nobody reads it
            try:
                self.leftovers = self.zygote.sweep()
            except ZygoteGone:
                pass  # the sandbox went with it: the next part gets a new zygote


class Zygotes:
    """Where a grader gets its zygotes: one at a time, or with a spare started ahead.

    With `spare`, taking a zygote starts the next one at once, so the next notebook finds
    one that has already imported numpy (a grading run of many notebooks pays the sandbox's
    start-up in the background). The spare has run no student code.
    """

    def __init__(self, spare=False):
        self.spare = spare
        self.waiting = {}  # sandbox key -> Zygote started ahead

    def take(self, sandbox, blocked=BLOCKED_MODULES):
        key = (sandbox.key(), tuple(blocked))
        zygote = self.waiting.pop(key, None)
        if zygote is None or not zygote.alive or zygote.process.popen.poll() is not None:
            if zygote is not None:
                zygote.kill()
            zygote = Zygote(sandbox, blocked)
        if self.spare:
            self.waiting[key] = Zygote(sandbox, blocked)
        return zygote

    def close(self):
        for zygote in self.waiting.values():
            zygote.kill()
        self.waiting.clear()


def _refusal(type_name, attribute):
    """What student code gets when it sets an attribute of an object the grader handed it."""
    return AttributeError(t("`{attribute}` of the {kind} object the test handed to your code cannot be set or "
                            "replaced: use the objects you are given as they are", attribute=attribute,
                            kind=type_name))


def _python():
    import sys
    return sys.executable
