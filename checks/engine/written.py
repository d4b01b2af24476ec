"""Where a written answer stands, from nbgrader's grade of it.

nbgrader scores a written answer left as handed out (its checksum unchanged) 0 by itself and
does not flag it for hand grading; an answered one has no score until the instructor grades it.
So an answer is unanswered (0, nothing to wait for), waiting for the instructor, or graded. The
feedback, grades.csv and the grade tables all say it with these two functions.
"""


def written_pending(grade):
    """An answered written answer (nbgrader's Grade) that the instructor has not graded yet."""
    return grade.manual_score is None and grade.auto_score is None


def written_unanswered(grade):
    """A written answer left as handed out, scored 0 by nbgrader (and not graded otherwise since)."""
    return grade.manual_score is None and grade.auto_score is not None
