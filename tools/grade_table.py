"""Print the grade table of an assignment from the gradebook: one row per student,
the autograded points per part (one column per answer cell of the assignment, in
notebook order), the autograded total, and the written answers.

    python tools/grade_table.py seminar1 [--course-dir DIR] [--db URL]

The gradebook is the course's (its nbgrader_config.py's db_url, else gradebook.db in the course
directory), or the one --db names, as for `nn-grade grade --db`.
"""
import argparse
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checks.engine.batch.students import why_not_graded  # noqa: E402
from checks.engine.configuration import course_db_url  # noqa: E402
from checks.engine.course import Course  # noqa: E402
from checks.engine.written import written_pending, written_unanswered  # noqa: E402


def parts_of(course, assignment):
    """(answer grade_ids in notebook order, {test grade_id: the answer it grades})."""
    notebook = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    cells = Course.from_notebook(notebook)
    return [answer.grade_id for answer in cells.answers], {test.grade_id: test.answer for test in cells.tests}


def collect(gradebook, assignment, course=ROOT):
    """(parts, rows, maxima): per student {part: points, 'auto': total, 'manual': text} or a reason."""
    parts, part_of = parts_of(course, assignment)
    rows, maxima = {}, {part: 0.0 for part in parts}
    maxima["auto"] = 0.0
    students = {s.id for s in gradebook.students}
    if (course / "submitted").is_dir():
        students |= {p.name for p in (course / "submitted").iterdir() if p.is_dir()}
    for student in sorted(students):
        graded = course / "autograded" / student / assignment / f"{assignment}.ipynb"
        try:
            submission = gradebook.find_submission(assignment, student)
        except MissingEntry:
            submission = None
        if submission is None or not graded.exists():
            # nbgrader may record a submission and then fail on the notebook.
            rows[student] = why_not_graded(course, student, assignment)
            continue
        row = {part: 0.0 for part in parts}
        row["auto"], manual_score, manual_max, pending, unanswered = 0.0, 0.0, 0.0, 0, 0
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                cell = grade.cell
                if cell.cell_type == "code":  # autograded test cell
                    part = part_of[cell.name]
                    row[part] += grade.score or 0.0
                    row["auto"] += grade.score or 0.0
                else:  # written answer, graded by hand (or 0 by nbgrader when left unanswered)
                    manual_max += cell.max_score
                    if written_pending(grade):
                        pending += 1
                    else:
                        unanswered += written_unanswered(grade)
                        manual_score += grade.score or 0.0
        written = sum(1 for notebook in submission.notebooks for grade in notebook.grades
                      if grade.cell.cell_type != "code")
        row["manual"] = (f"{pending} to grade" if pending else f"{manual_score:g}/{manual_max:g}") + (
            "" if not unanswered else " (no answer)" if unanswered == written else f" ({unanswered} no answer)")
        rows[student] = row
    for notebook in gradebook.find_assignment(assignment).notebooks:
        for cell in notebook.grade_cells:
            if cell.cell_type == "code":
                maxima[part_of[cell.name]] += cell.max_score
                maxima["auto"] += cell.max_score
    return parts, rows, maxima


def render(parts, rows, maxima):
    headers = ["student"] + parts + ["auto", "written"]
    table = [headers, ["(max)"] + [f"{maxima[p]:g}" for p in parts] + [f"{maxima['auto']:g}", ""]]
    problems = []
    for student, row in rows.items():
        if isinstance(row, str):
            table.append([student] + ["-"] * len(parts) + ["-", "NOT GRADED"])
            problems.append(f"{student}: {row}")
        else:
            table.append([student] + [f"{row[p]:g}" for p in parts]
                         + [f"{row['auto']:g}", row["manual"]])
    widths = [max(len(line[i]) for line in table) for i in range(len(headers))]
    text = "\n".join("  ".join(value.ljust(width) if i == 0 else value.rjust(width)
                               for i, (value, width) in enumerate(zip(line, widths)))
                     for line in table)
    if problems:
        text += "\n\nNot graded:\n" + "\n".join(f"  {problem}" for problem in problems)
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--course-dir", default=str(ROOT), help="the course directory (default: this repository)")
    parser.add_argument("--db", default="", metavar="URL",
                        help="the gradebook's database URL (default: the course's, as nbgrader finds it)")
    args = parser.parse_args()
    course = Path(args.course_dir)
    if not (course / "source" / args.assignment / f"{args.assignment}.ipynb").is_file():
        known = sorted(p.parent.name for p in course.glob("source/*/*.ipynb") if p.stem == p.parent.name)
        parser.exit(2, f"error: no assignment {args.assignment} in {course.resolve()}"
                       f" (its assignments: {', '.join(known) or 'none'})\n")
    with Gradebook(args.db or course_db_url(course)) as gradebook:
        parts, rows, maxima = collect(gradebook, args.assignment, course)
    print(render(parts, rows, maxima))


if __name__ == "__main__":
    main()
