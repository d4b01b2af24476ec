"""What the class got wrong: a report for the instructor, after a deadline.

    nn-grade report ASSIGNMENT [EDITION ...] [--db URL] [--output FILE.html] [--language ru]

From the gradebook's grades and what `nn-grade grade` found (the ledger's results, as data),
one self-contained HTML page and a CSV beside it: the scores of the assignment, of each part
and of each test cell; each named mistake with the students who made it, its share of the
class and the points it cost; the failures no catalogued message names, by kind; who lost
most; what was not graded and why; the written answers to grade. Editions of one seminar
(seminar1 and seminar1_ru) make one report: a mistake has the same id in every language.

The jobs, one module each: gather (the gradebook and the ledger), failures (what each failed
cell says, and the class's failures grouped), summary (the figures), plots, page (the HTML),
table (the CSV). This module runs the command.
"""
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..i18n import ENGLISH

__all__ = ["Options", "run"]


@dataclass
class Options:
    assignments: tuple               # the seminar's assignment, and its editions to count with it
    course_dir: Path = Path(".")
    db_url: str = ""                 # default: the course's gradebook
    output: Path = None              # default: report-<assignment>.html in the course directory
    language: str = ENGLISH          # the language the mistakes are shown in


def unwritable(path):
    """Why `path` cannot be written, or None: tried, not guessed (permissions, a read-only disk,
    a missing folder, a folder in its place)."""
    if path.is_dir():
        return f"{path} is a folder"
    if not path.parent.is_dir():
        return f"no folder {path.parent}"
    probe = path.with_name(f".{path.name}.probe")
    try:
        with open(probe, "w"):
            pass
        os.remove(probe)
        if path.exists() and not os.access(path, os.W_OK):
            return f"{path} is read-only"
    except OSError as error:
        return f"cannot write in {path.parent} ({error.strerror})"
    return None


def _write(path, text):
    """Written whole, then renamed: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def run(options, out=None):
    """Write the report; returns the exit status (0 written, 2 a usage error)."""
    out = out or sys.stdout
    started = time.monotonic()
    course_dir = Path(options.course_dir).resolve()
    assignments = list(dict.fromkeys(options.assignments))
    source = course_dir / "source"
    for assignment in assignments:
        if not (source / assignment).is_dir():
            known = sorted(p.name for p in source.iterdir() if p.is_dir()) if source.is_dir() else []
            print(f"error: no source/{assignment} in {course_dir}"
                  + (f" (its assignments: {', '.join(known)})" if known else
                     ": is this the course directory? (--course-dir)"), file=out)
            return 2
    html_path = Path(options.output or course_dir / f"report-{assignments[0]}.html").absolute()
    csv_path = html_path.with_suffix(".csv")
    for path in (html_path, csv_path):
        why = unwritable(path)
        if why:
            print(f"error: cannot write the report: {why} (--output)", file=out)
            return 2
    from ..engine.batch.database import database_error
    from ..engine.configuration import course_db_url
    from .gather import CannotReport, gather

    db_url = course_db_url(course_dir, options.db_url)
    unusable = database_error(db_url, given=bool(options.db_url))
    if unusable:
        print(unusable, file=out)
        return 2
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        print(f"error: no gradebook {db_url[len('sqlite:///'):]}: run `nbgrader generate_assignment "
              f"{assignments[0]}` and `nn-grade grade {assignments[0]}` first (or give --db)", file=out)
        return 2
    try:
        results = gather(course_dir, assignments, db_url)
    except CannotReport as error:
        print(f"error: {error}", file=out)
        return 2
    from . import page, table
    from .summary import figures as figures_of

    figures = figures_of(results)
    _write(html_path, page.render(figures, options.language))
    temporary = csv_path.with_name(f".{csv_path.name}.part")
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        table.write(handle, figures, options.language)
    os.replace(temporary, csv_path)
    unnamed = sum(len(group.messages) for group in figures.holes)
    print(f"report of {' + '.join(assignments)}: {len(results.submissions)} graded submissions, "
          f"{len(figures.mistakes)} named mistakes, {unnamed} failed test cells no message names, "
          f"{len(results.ungraded)} not graded, failed or timed out; in {time.monotonic() - started:.1f} s",
          file=out)
    print(f"report: {html_path}\ntable: {csv_path}", file=out, flush=True)
    return 0
