"""The ledger: an append-only log of what each run did to each student, in the gradebook's
own database (table `nn_grade_log`), so that re-runs grade only what changed and an
interrupted run loses nothing.

A row is either a verdict (graded, timed out, failed), written only after nbgrader has
committed the grade, or a stopped attempt (the grader could not finish: a worker died or
ran out of time), which makes the next run grade that student again while the last
verdict keeps counting.
"""
import json
import socket
import time

from .outcome import FAILED, GRADED, STOPPED, TIMED_OUT

LEDGER_TABLE = "nn_grade_log"
VERDICTS = (GRADED, TIMED_OUT, FAILED)


class Ledger:
    def __init__(self, db_url):
        import sqlalchemy as sa
        from sqlalchemy.pool import NullPool

        self.sa = sa
        # NullPool: no connection outlives a call, so forked workers inherit none.
        self.engine = sa.create_engine(db_url, poolclass=NullPool)
        self.table = sa.Table(
            LEDGER_TABLE, sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("assignment", sa.String(128), nullable=False, index=True),
            sa.Column("student", sa.String(128), nullable=False),
            sa.Column("fingerprint", sa.String(64), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("reason", sa.Text, nullable=False, default=""),
            sa.Column("score", sa.Float), sa.Column("max_score", sa.Float),
            sa.Column("manual_pending", sa.Integer, nullable=False, default=0),
            sa.Column("seconds", sa.Float, nullable=False, default=0.0),
            sa.Column("shard", sa.String(16), nullable=False, default=""),
            sa.Column("host", sa.String(128), nullable=False, default=""),
            sa.Column("finished_at", sa.Float, nullable=False),
            # What grading gave, as data (checks/engine/results.py): {notebook: result}, JSON.
            sa.Column("result", sa.Text, nullable=True))
        self._retrying(self._create)

    def _create(self):
        try:
            self.table.create(self.engine, checkfirst=True)
        except self.sa.exc.DatabaseError:
            # Another shard created it at the same moment.
            if not self.sa.inspect(self.engine).has_table(LEDGER_TABLE):
                raise
        columns = {column["name"] for column in self.sa.inspect(self.engine).get_columns(LEDGER_TABLE)}
        if "result" not in columns:  # a ledger from before results were kept
            try:
                with self.engine.begin() as connection:
                    connection.execute(self.sa.text(f"ALTER TABLE {LEDGER_TABLE} ADD COLUMN result TEXT"))
            except self.sa.exc.DatabaseError:  # another shard added it at the same moment
                pass

    def _retrying(self, action, attempts=20):
        """sqlite lets one writer in at a time: wait for the workers' nbgrader commits."""
        for attempt in range(attempts):
            try:
                return action()
            except self.sa.exc.OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def _rows(self, assignment):
        query = self.sa.select(self.table).where(self.table.c.assignment == assignment) \
            .order_by(self.table.c.id)
        with self.engine.connect() as connection:
            return list(connection.execute(query))

    def latest(self, assignment):
        """{student: row} of each student's most recent row, a stopped attempt included."""
        return {row.student: row for row in self._retrying(lambda: self._rows(assignment))}

    def verdicts(self, assignment):
        """{student: row} of each student's most recent verdict (stopped attempts left out)."""
        return {row.student: row for row in self._retrying(lambda: self._rows(assignment))
                if row.status in VERDICTS}

    def record(self, assignment, outcome, fingerprint, shard):
        """A verdict, or a stopped attempt when outcome.final is false."""
        row = dict(assignment=assignment, student=outcome.student, fingerprint=fingerprint,
                   status=outcome.status if outcome.final else STOPPED, reason=outcome.reason,
                   score=outcome.score, max_score=outcome.max_score,
                   manual_pending=outcome.manual_pending, seconds=outcome.seconds, shard=shard,
                   host=socket.gethostname(), finished_at=time.time(),
                   result=json.dumps(outcome.results) if outcome.results is not None else None)

        def write():
            with self.engine.begin() as connection:
                connection.execute(self.table.insert().values(**row))
        self._retrying(write)
