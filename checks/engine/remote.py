"""The grader's end of a student process: start it, load cells, call into it, stop it."""
import os
import select
import time

from . import worker
from .sandbox import Sandbox
from .worker import (Connection, ProtocolError, StudentError, StudentProcessEnded,
                     StudentTimeout, TransportTimeout)

BLOCKED_MODULES = ("checks", "solutions")


class StudentProcess:
    """A sandboxed process running student code, driven through a Connection.

    Every wait for the student has a deadline (`deadline_in`); when it passes, the
    process is killed and StudentTimeout raised. When the process ends while the
    grader waits, StudentProcessEnded says how (exit code or signal). After either,
    the process is dead: start a new one.
    """

    def __init__(self, sandbox: Sandbox, python=None, blocked=BLOCKED_MODULES):
        self.sandbox = sandbox
        to_student_r, to_student_w = os.pipe()
        from_student_r, from_student_w = os.pipe()
        argv = [python or _python(), worker.__file__, str(to_student_r), str(from_student_w),
                ",".join(blocked)]
        self.process = sandbox.start(argv, pass_fds=(to_student_r, from_student_w))
        os.close(to_student_r)
        os.close(from_student_w)
        self.deadline = time.monotonic() + 60
        self.alive = True
        self.ended = ""
        self.connection = Connection(from_student_r, to_student_w, "grader", wait=self._wait)
        self.connection.translate = self._translate
        header, _ = self._guarded(lambda: worker.read_message(from_student_r, self._wait))
        if header.get("kind") != "ready":
            self.kill()
            raise StudentProcessEnded("ProcessEnded", "the grading process did not start")

    def deadline_in(self, seconds):
        self.deadline = time.monotonic() + seconds

    def _wait(self):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0 or not select.select([self.connection.read_fd], [], [], remaining)[0]:
            raise TransportTimeout

    def _translate(self, error):
        """The StudentError for a broken channel; the process is killed and stays dead."""
        if not self.alive:
            return StudentProcessEnded("ProcessEnded", self.ended)
        if isinstance(error, TransportTimeout):
            self.kill()
            self.ended = "it was stopped after running out of time"
            return StudentTimeout("Timeout", "did not finish in time (an endless loop?); it was stopped")
        try:
            self.process.popen.wait(timeout=5)
        except Exception:
            pass
        how = self.process.exit_description()
        if isinstance(error, ProtocolError):
            how = f"it sent an unreadable message ({error})"
        self.kill()
        self.ended = f"the process running your code ended ({how})"
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
        """Run an answer cell's code; returns None, or the StudentError it raised."""
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

    def other_processes(self):
        return self.request("processes")

    def stop(self):
        """Ask the process to exit, then make sure it and its children are gone."""
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
            self.process.kill()
            for fd in (self.connection.read_fd, self.connection.write_fd):
                try:
                    os.close(fd)
                except OSError:
                    pass


def _python():
    import sys
    return sys.executable
