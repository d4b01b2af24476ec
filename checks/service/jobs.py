"""What crosses the queue, as JSON: a job (one submission, whole) and its result.

A job carries everything a worker needs that is the student's: the notebooks themselves (up to
MAX_SUBMISSION_BYTES), and the fingerprint of the course it was submitted to (the instructor's
notebook, its files, the grading code and the course's configuration), so that a worker with
other hidden tests refuses it instead of grading with them. A result carries, for each
notebook, the SubmissionResult with its cells' outputs (checks/engine/results.py): what the
service writes into the notebook as nbgrader's autograde would have. Nothing is pickled.
"""
import os
from dataclasses import dataclass
from pathlib import Path

MAX_SUBMISSION_BYTES = 16 * 2**20  # the notebooks of one submission; a larger one is refused, not sent
JOB, RESULT = "nn-grade job", "nn-grade result"


@dataclass(frozen=True)
class Submission:
    """A folder of the exchange's inbound: <student>+<assignment>+<timestamp>+<random>, as
    `nbgrader submit` names it."""
    key: str        # the folder's name: one submission, unique
    student: str
    assignment: str
    timestamp: str  # when it was submitted, as nbgrader wrote it
    folder: Path

    @classmethod
    def of_folder(cls, folder):
        """The Submission of an inbound folder, or None for a folder of another shape or one that
        `nbgrader submit` is still writing (it writes the secret last)."""
        parts = folder.name.split("+")
        if len(parts) < 3 or not all(parts[:3]) or not (folder / "submission_secret.txt").is_file():
            return None
        return cls(folder.name, parts[0], parts[1], parts[2], folder)

    def notebooks(self):
        """{notebook name: path} of the submission's notebooks."""
        return {path.stem: path for path in sorted(self.folder.glob("*.ipynb"))}


class TooLarge(Exception):
    """A submission above the size a job may carry: the message says its size and the cap."""


def make_job(submission, fingerprint):
    """The job of a submission, for the queue."""
    notebooks = submission.notebooks()
    size = sum(os.path.getsize(path) for path in notebooks.values())
    if size > MAX_SUBMISSION_BYTES:
        raise TooLarge(f"the notebooks weigh {size / 2**20:.1f} MiB, more than the {MAX_SUBMISSION_BYTES // 2**20} "
                       "MiB a submission may (outputs full of images?)")
    return {"kind": JOB, "key": submission.key, "student": submission.student, "assignment": submission.assignment,
            "timestamp": submission.timestamp, "fingerprint": fingerprint,
            "notebooks": {name: path.read_text(encoding="utf-8", errors="replace") for name, path in notebooks.items()}}


def graded(job, results, worker, seconds):
    """A job's result: {notebook name: SubmissionResult.to_json(outputs=True)}."""
    return {"kind": RESULT, "key": job["key"], "fingerprint": job["fingerprint"], "results": results,
            "worker": worker, "seconds": round(seconds, 3)}


def refused(job, reason, worker):
    """A job the worker would not grade (another course's, an unreadable notebook): why."""
    return {"kind": RESULT, "key": job.get("key", ""), "fingerprint": job.get("fingerprint", ""),
            "refused": str(reason), "worker": worker}
