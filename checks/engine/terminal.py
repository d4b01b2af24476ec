"""What nn-grade does with its terminal: output that goes quiet when its reader leaves.

`nn-grade grade seminar1 | head` closes the pipe after a few lines, and Python's next write
raises BrokenPipeError. Grading goes on (stopping midway would only leave work for the next
run): what it prints goes to /dev/null from then on.
"""
import os


class QuietWhenClosed:
    """A text stream that, once its reader has gone, writes to /dev/null instead of raising."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._silence()
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._silence()

    def _silence(self):
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)

    def __getattr__(self, name):
        return getattr(self._stream, name)
