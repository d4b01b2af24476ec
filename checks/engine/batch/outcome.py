"""What grading one student gave, and the words for it."""
from dataclasses import dataclass

GRADED, TIMED_OUT, FAILED = "graded", "timed out", "failed"   # verdicts, kept in the ledger
STOPPED = "stopped"  # an attempt the grader could not finish: no verdict, tried again next run
NOT_GRADED = "not graded"  # a folder that holds no gradable submission, or a run cut short


@dataclass
class Outcome:
    student: str
    status: str                  # GRADED, TIMED_OUT or FAILED
    reason: str = ""             # why it failed or what timed out
    score: float = None          # autograded points (nbgrader's code score)
    max_score: float = None
    manual_pending: int = 0      # written answers waiting for the instructor
    seconds: float = 0.0
    final: bool = True           # False: a grader-side failure, tried again next run
    warnings: tuple = ()         # the sandbox's warnings for the instructor
    results: dict = None         # {notebook: SubmissionResult.to_json()}: what grading gave, as data

    @property
    def points(self):
        return "" if self.score is None else f"{self.score:g}/{self.max_score:g}"
