"""Write the sample submissions that the pipeline and the end-to-end tests grade.

    python tools/make_samples.py [ASSIGNMENT ...]   # (re)write submitted/<student>/<assignment>/
    python tools/make_samples.py --check            # exit 1 if a committed sample is stale

Each sample starts from the assignment's release notebook, as a student would:
- sample-correct: every answer filled in with the reference solution (solutions/);
- sample-untouched: the release notebook as handed out;
- sample-one-bug: a single bug in one answer (BUG of the seminar's facts,
  solutions/<seminar>/course.py), graded 0 on that part only.
An edition in another language (seminar1_ru) gets the same three students: the same answers
and the same bug, its comments and the written answers in its language, so that its
scores are those of the English samples.

Each sample folder is what nbgrader's collect leaves of a real submission: beside the notebook,
timestamp.txt (when it was submitted) and submission_secret.txt (what the student's copy keeps
to find its feedback), which the gradebook's timestamp and nbgrader's release_feedback read.
"""
import argparse
import copy
import hashlib
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402
from sync_course import expected_cells, without_markers  # noqa: E402

BUGGY_STUDENT = "sample-one-bug"


def written_answers(assignment):
    """The correct sample's written answers, in the assignment's language (English where the seminar
    has none in that language)."""
    answers = course.facts_of(assignment).MODEL_ANSWERS
    return answers.get(course.edition_of(assignment)[1], answers["en"])


def bug(assignment):
    """(answer grade_id, a line of the reference, the line with the bug) of the one-bug sample, the
    bug's comment in the assignment's language (English where the seminar has none in it)."""
    facts, language = course.facts_of(assignment), course.edition_of(assignment)[1]
    grade_id, right, wrong = facts.BUG
    comment = facts.BUG_COMMENT.get(language, facts.BUG_COMMENT["en"])
    return grade_id, right, wrong.replace(facts.BUG_COMMENT["en"], comment)


def code_of(line):
    """A line of code without its comment (an edition's comments are in its language)."""
    return line.split("  #", 1)[0].rstrip()


def with_bug(source, right, wrong):
    """The answer's source with each line whose code is right's (whatever its comment says) made wrong."""
    return "\n".join(wrong if code_of(line) == code_of(right) else line for line in source.split("\n"))


def fill(release, answers):
    """A copy of the release notebook with the given answer and written cells filled in."""
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def samples(assignment):
    """student id -> notebook, for one assignment."""
    release = nbformat.read(course.release_notebook(assignment), as_version=4)
    answers = course.solutions_of(assignment).ANSWER_CELLS
    sources = expected_cells(assignment)
    correct = {grade_id: without_markers(sources[grade_id][0]) for grade_id in answers}
    correct.update(written_answers(assignment))
    made = {"sample-correct": fill(release, correct), "sample-untouched": copy.deepcopy(release)}
    grade_id, right, wrong = bug(assignment)
    buggy = dict(correct)
    buggy[grade_id] = with_bug(correct[grade_id], right, wrong)
    assert buggy[grade_id] != correct[grade_id], f"{BUGGY_STUDENT}'s bug no longer applies to solutions/"
    made[BUGGY_STUDENT] = fill(release, buggy)
    return made


# When the samples were submitted, in nbgrader's format (Exchange.timestamp_format).
TIMESTAMP = "2025-09-15 10:00:00.000000 UTC"


def path_of(student, assignment):
    return course.ROOT / "submitted" / student / assignment / f"{assignment}.ipynb"


def text_of(notebook):
    return nbformat.writes(notebook) + "\n"


def exchange_files(student, assignment):
    """{file name: text} that nbgrader's submit writes beside a notebook: the time, and a secret of
    128 hex digits (nbgrader draws it at random; a sample's is made from its names, so that
    rewriting the samples changes nothing)."""
    secret = hashlib.sha512(f"{student}/{assignment}".encode()).hexdigest()
    return {"timestamp.txt": TIMESTAMP, "submission_secret.txt": secret}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment under source/")
    parser.add_argument("--check", action="store_true", help="only report stale samples; exit 1 if any")
    args = parser.parse_args()
    stale = []
    for assignment in course.known_or_exit(args.assignments) or course.assignments():
        for student, notebook in samples(assignment).items():
            path = path_of(student, assignment)
            files = {path: text_of(notebook)}
            files.update({path.parent / name: text for name, text in exchange_files(student, assignment).items()})
            if all(file.exists() and file.read_text() == text for file, text in files.items()):
                continue
            stale.append(f"{student}/{assignment}")
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                for file, text in files.items():
                    file.write_text(text)
    if args.check and stale:
        sys.exit(f"stale samples: {', '.join(stale)}; run tools/make_samples.py")
    print(f"samples {'stale' if args.check else 'written'}: {', '.join(stale) or 'none'}")


if __name__ == "__main__":
    main()
