"""What the instructor watches: a line per finished student, a live bar with the ETA on a
terminal, and the summary table at the end (failures first)."""
import shutil
import sys
import time

from .outcome import FAILED, GRADED, NOT_GRADED, STOPPED, TIMED_OUT


def clock(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}" if seconds < 3600 else \
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    def __init__(self, total, name_width, stream=sys.stdout):
        self.total, self.done, self.stream = total, 0, stream
        self.name_width = name_width
        self.started = time.monotonic()
        self.live = stream.isatty()

    def counts(self):
        elapsed = time.monotonic() - self.started
        eta = clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        return f"{self.done}/{self.total} elapsed {clock(elapsed)}  ETA {eta}"

    def bar(self):
        filled = 24 * self.done // max(self.total, 1)
        return f"[{'#' * filled}{'.' * (24 - filled)}] {self.counts()}"

    def say(self, line):
        """A line above the live bar (or just a line, off a terminal)."""
        self.stream.write(f"\r\033[K{line}\n{self.bar()}" if self.live else f"{line}\n")
        self.stream.flush()

    def finished(self, outcome):
        self.done += 1
        status = outcome.status if outcome.final else STOPPED
        line = (f"  [{self.done:>{len(str(self.total))}}/{self.total}] {outcome.student:<{self.name_width}}  "
                f"{status:<9}  {outcome.points:>9}  {outcome.seconds:5.1f} s  {outcome.reason}").rstrip()
        self.say(line if self.live else f"{line}   ({self.counts()})")

    def tick(self, busy=()):
        """Redraw the bar, with the students being graded now."""
        if self.live:
            now = f"  now: {', '.join(busy)}" if busy else ""
            self.stream.write("\r\033[K" + (self.bar() + now)[:shutil.get_terminal_size().columns - 1])
            self.stream.flush()

    def close(self):
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()


ORDER = {NOT_GRADED: 0, FAILED: 1, STOPPED: 2, TIMED_OUT: 3, GRADED: 4}


def summary_table(rows):
    """rows: [(student, status, points, notes)] -> text, the ones needing attention first."""
    rows = sorted(rows, key=lambda row: (ORDER.get(row[1], 5), row[0]))
    headers = ("student", "status", "points", "notes")
    widths = [max([len(headers[i])] + [len(str(row[i])) for row in rows]) for i in range(3)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths + [0])).rstrip()]
    for student, status, points, notes in rows:
        lines.append(f"{student:<{widths[0]}}  {status:<{widths[1]}}  {points:>{widths[2]}}  {notes}".rstrip())
    return "\n".join(lines)
