"""The report's CSV, beside its HTML: one row per named mistake, visible test's assert and hole,
in the order of the page, for a spreadsheet."""
import csv

from .failures import VISIBLE

COLUMNS = ["kind", "part", "test_cells", "id", "message", "students", "share", "points_lost", "student_ids"]


def rows(figures, language):
    for group in figures.mistakes + figures.visible + figures.holes:
        message = group.texts(language, 1)[0][0][0] if group.kind == VISIBLE else group.example(language)
        yield [group.kind, group.part, " ".join(sorted(group.cells)), "" if group.kind == VISIBLE else group.key,
               message, group.students, f"{group.students / figures.analysed:.3f}" if figures.analysed else "",
               f"{group.points:g}", " ".join(f"{assignment}/{student}" for assignment, student in sorted(group.lost))]


def write(handle, figures, language):
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    writer.writerows(rows(figures, language))
