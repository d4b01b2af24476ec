"""Grading as submissions arrive: a service, workers and a queue between them.

    nn-grade serve  [--course-dir DIR] [--broker URL] [--db URL]     # on the machine of the exchange
    nn-grade worker [--course-dir DIR] [--broker URL] [--concurrency N]  # there, or on any other
    nn-grade status ASSIGNMENT [--course-dir DIR]

A student submits as nbgrader students do (the Assignment List's Submit, or `nbgrader submit`),
into the exchange's inbound folder. The service sees the submission, sends it as a job through
the queue (Celery: `filesystem://` under the course on one machine, Redis on several), and a
worker grades it in the sandbox and sends the result back, as data. The service then records
it with nbgrader's own autograde (the result written in, not recomputed), writes the feedback
and releases it to that student, who fetches it seconds later ("Fetch Feedback").

The modules, a job each:
- jobs: what crosses the queue: a job (the submission itself, the course's fingerprint) and a
  result, JSON only;
- queue: the Celery application, from the broker's URL;
- worker: the task a worker runs: refuse a job of another course, grade it, return the result;
- state: the service's own bookkeeping (every submission seen and what became of it), in a
  small SQLite file beside the exchange, so that nothing is lost when the service, the broker
  or the gradebook stops;
- policy: what a student sees before the deadline, how many graded attempts, late work;
- record: a result into the gradebook, the autograded notebook and the feedback (the seam the
  service shares with `nn-grade grade`: nbgrader's autograde and the ledger's verdict);
- serve: the loop that ties them: watch, send, lease, receive, record, release, reconcile.
"""
