"""`nn-grade status ASSIGNMENT`: what the service did with each student's submissions, with times."""
import datetime
from pathlib import Path

from . import state as states
from .queue import SERVICE_DIR


def _clock(epoch):
    return datetime.datetime.fromtimestamp(epoch).strftime("%H:%M:%S") if epoch else "-"


def rows_of(course_dir, assignment):
    """[(student, state, submitted, sent, graded, points, submissions, notes)]: each student's newest
    submission, and how many they made. The state is the service's, "grading" for a queued one
    a worker has."""
    path = Path(course_dir) / SERVICE_DIR / "state.db"
    if not path.exists():
        return None
    store = states.State(path)
    try:
        by_student = {}
        for row in store.all(assignment):
            by_student.setdefault(row.student, []).append(row)
    finally:
        store.close()
    table = []
    for student, rows in sorted(by_student.items()):
        row = rows[-1]  # the newest submission
        points = f"{row.score:g}/{row.max_score:g}" if row.score is not None and row.state == states.GRADED else ""
        notes = "; ".join(filter(None, ["late" if row.late else "", row.released and f"feedback: {row.released}",
                                        row.reason]))
        shown = "grading" if row.state == states.QUEUED and row.task else row.state  # a job in flight
        table.append((student, shown, row.timestamp[:19], _clock(row.queued_at), _clock(row.graded_at), points,
                      str(len(rows)), notes))
    return table


def render(table):
    headers = ("student", "state", "submitted", "sent", "graded", "points", "submissions", "notes")
    lines = [headers] + list(table)
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(headers) - 1)]
    text = ["  ".join(str(value).ljust(width) for value, width in zip(line[:-1], widths)) + "  " + str(line[-1])
            for line in lines]
    counts = {}
    for line in table:
        counts[line[1]] = counts.get(line[1], 0) + 1
    text.append("")
    text.append(", ".join(f"{count} {state}" for state, count in sorted(counts.items())) or "no submission yet")
    return "\n".join(text)
