"""Reference solutions of the course, one package per seminar (solutions.seminar1, ...).

Each seminar's package is the single source of its notebook's answer cells: its
ANSWER_CELLS maps every autograded answer cell's grade_id to the object whose source is
that cell (tools/sync_course.py copies it into source/<seminar>/<seminar>.ipynb).
"""
import importlib


def answer_cells(assignment):
    """{grade_id: object} of an assignment's autograded answer cells, in notebook order."""
    return importlib.import_module(f"{__name__}.{assignment}").ANSWER_CELLS
