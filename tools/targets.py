"""What the benchmarks share: their arguments' check, a busy machine, and their verdict on their
targets."""
import argparse
import contextlib
import subprocess
import sys


def positive_int(text):
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {value}")
    return value


def report_targets(missed):
    """The verdict, as the last line and the exit status: 1 when a target was missed, each named."""
    if missed:
        print(f"MISSED {len(missed)} target(s): " + "; ".join(missed))
        return 1
    print("every target met")
    return 0


@contextlib.contextmanager
def busy_machine(burners=2):
    """Processes that burn a core each while the block runs (a machine shared with other jobs)."""
    started = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(burners)]
    try:
        yield
    finally:
        for process in started:
            process.kill()
            process.wait()
