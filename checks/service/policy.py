"""What a student gets from the service, and when: the course's policy in nbgrader_config.py.

    c.GradingService.feedback_before_deadline = "visible"  # "score", "visible" or "full"
    c.GradingService.attempts = 5                          # graded attempts per student and period; 0: no limit
    c.GradingService.attempt_period_hours = 24

Immediate feedback invites probing the hidden tests, so before the assignment's deadline (its
due date in the gradebook, as nbgrader keeps it) a student sees by default the score and the
visible tests' messages, and the hidden tests' points without their messages; after the
deadline, the whole feedback. Hidden test code is never shown (the feedback never holds it).
A submission past the attempts of the period is kept and graded when an attempt frees up, or
at the deadline; the student is told so at once. Late work is graded and marked late, with
nbgrader's own late-submission settings (its penalty plugin, applied by autograde).
"""
import dataclasses
from dataclasses import dataclass

FEEDBACK_KINDS = ("score", "visible", "full")


@dataclass(frozen=True)
class Policy:
    feedback_before_deadline: str = "visible"
    attempts: int = 5
    attempt_period_hours: float = 24.0
    lease_seconds: float = 600.0   # a job without a result after this long is sent again
    max_refusals: int = 3          # workers that refused a job (another course) before it fails

    @classmethod
    def of(cls, settings):
        """From the course's `c.GradingService` settings ({name: value}); ValueError for a wrong one."""
        names = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(settings) - names)
        if unknown:
            raise ValueError(f"c.GradingService has no setting {', '.join(unknown)} (it has {', '.join(sorted(names))})")
        policy = cls(**settings)
        if policy.feedback_before_deadline not in FEEDBACK_KINDS:
            raise ValueError(f"c.GradingService.feedback_before_deadline is {policy.feedback_before_deadline!r}: "
                             f"one of {', '.join(FEEDBACK_KINDS)}")
        return policy

    def feedback(self, before_deadline):
        """What a student sees now: "score", "visible" or "full"."""
        return self.feedback_before_deadline if before_deadline else "full"
