"""The service's own bookkeeping: every submission it has seen, and what became of it.

A small SQLite file beside the exchange (`.nn-service/state.db` in the course directory), apart
from the gradebook, so that the service knows what it owes even while the gradebook is
unreachable, and after it was stopped. A submission's state:

- queued: a job was sent; `lease_until` says when to send it again if no result came (a worker
  killed mid-job, a broker that lost its messages);
- held: the student has used their graded attempts of the period; graded when the period frees
  up or at the deadline;
- recording: a result came back (kept here) and waits to be written into the gradebook;
- graded: recorded, the feedback released: the one verdict;
- superseded: the student submitted again meanwhile, and the newer submission's grade stands;
- failed: nothing to grade (too large, unreadable, refused by every worker), with the reason.
"""
import json
import sqlite3
import time
from dataclasses import dataclass

QUEUED, HELD, RECORDING, GRADED, SUPERSEDED, FAILED = "queued", "held", "recording", "graded", "superseded", "failed"
OPEN = (QUEUED, HELD, RECORDING)  # still owed a verdict

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    key TEXT PRIMARY KEY,          -- the inbound folder's name
    student TEXT NOT NULL,
    assignment TEXT NOT NULL,
    timestamp TEXT NOT NULL,       -- when it was submitted, as nbgrader wrote it
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,   -- jobs sent for it
    task TEXT NOT NULL DEFAULT '',         -- the job in flight
    lease_until REAL NOT NULL DEFAULT 0,
    result TEXT,                           -- the worker's result, until recorded
    score REAL, max_score REAL,
    late INTEGER NOT NULL DEFAULT 0,
    seen_at REAL NOT NULL, queued_at REAL, graded_at REAL, released_at REAL,
    released TEXT NOT NULL DEFAULT '',     -- the feedback released: score, visible or full
    record_seconds REAL                    -- the service's own work on the result (its serial share)
);
CREATE INDEX IF NOT EXISTS by_student ON submissions (assignment, student);
"""


@dataclass
class Row:
    key: str
    student: str
    assignment: str
    timestamp: str
    state: str
    reason: str
    attempts: int
    task: str
    lease_until: float
    result: str
    score: float
    max_score: float
    late: int
    seen_at: float
    queued_at: float
    graded_at: float
    released_at: float
    released: str
    record_seconds: float

    def result_data(self):
        return json.loads(self.result) if self.result else None


class State:
    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), timeout=30, isolation_level=None)  # autocommit: each write stands
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)

    def _rows(self, where="", args=()):
        query = f"SELECT {', '.join(Row.__dataclass_fields__)} FROM submissions {where} ORDER BY timestamp, key"
        return [Row(*values) for values in self.db.execute(query, args)]

    def get(self, key):
        rows = self._rows("WHERE key = ?", (key,))
        return rows[0] if rows else None

    def known(self):
        return {key for (key,) in self.db.execute("SELECT key FROM submissions")}

    def add(self, submission, state, reason=""):
        """A submission seen for the first time; False if it was known (a duplicated event)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO submissions (key, student, assignment, timestamp, state, reason, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (submission.key, submission.student, submission.assignment, submission.timestamp, state, reason,
             time.time()))
        return cursor.rowcount == 1

    def update(self, key, **fields):
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self.db.execute(f"UPDATE submissions SET {assignments} WHERE key = ?", (*fields.values(), key))

    def in_state(self, *states):
        return self._rows(f"WHERE state IN ({', '.join('?' * len(states))})", states)

    def with_jobs(self):
        """The submissions with jobs in flight (their results still to come)."""
        return self._rows("WHERE task != ''")

    def of_student(self, assignment, student):
        return self._rows("WHERE assignment = ? AND student = ?", (assignment, student))

    def all(self, assignment=None):
        return self._rows("WHERE assignment = ?", (assignment,)) if assignment else self._rows()

    def graded_since(self, assignment, student, since):
        """How many of the student's submissions were graded since a time (their graded attempts)."""
        return self.db.execute("SELECT COUNT(*) FROM submissions WHERE assignment = ? AND student = ? AND "
                               "state = ? AND graded_at >= ?", (assignment, student, GRADED, since)).fetchone()[0]

    def close(self):
        self.db.close()
