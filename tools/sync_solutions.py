"""Copy the reference solutions into the instructor notebook's answer cells.

solutions/ is the single source of every autograded answer: each answer cell of
source/seminar1/seminar1.ipynb holds exactly the source of one object listed in
solutions.ANSWER_CELLS, solution regions included. Run after editing solutions/:

    python tools/sync_solutions.py          # rewrite the answer cells
    python tools/sync_solutions.py --check  # exit 1 if a cell differs
"""
import argparse
import inspect
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "source" / "seminar1" / "seminar1.ipynb"
sys.path.insert(0, str(ROOT))

import solutions  # noqa: E402


def expected_answer_sources():
    """grade_id -> the exact source its answer cell must hold."""
    return {grade_id: inspect.getsource(obj).rstrip("\n")
            for grade_id, obj in solutions.ANSWER_CELLS.items()}


def answer_cells(notebook):
    """grade_id -> cell, for the autograded answer cells (solution, not graded)."""
    cells = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and not meta.get("grade") and cell.cell_type == "code":
            cells[meta["grade_id"]] = cell
    return cells


def differences(notebook):
    """Names of answers whose cell is missing or differs from solutions/."""
    cells = answer_cells(notebook)
    expected = expected_answer_sources()
    missing = sorted(set(expected) - set(cells))
    extra = sorted(set(cells) - set(expected))
    changed = sorted(g for g in set(expected) & set(cells) if cells[g].source != expected[g])
    return missing, extra, changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report differences")
    args = parser.parse_args()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    missing, extra, changed = differences(notebook)
    if missing or extra:
        sys.exit(f"answer cells without a solution: {extra}; solutions without a cell: {missing}")
    if args.check:
        if changed:
            sys.exit(f"answer cells differ from solutions/: {changed}; run tools/sync_solutions.py")
        print("answer cells match solutions/")
        return
    cells, expected = answer_cells(notebook), expected_answer_sources()
    for grade_id in changed:
        cells[grade_id].source = expected[grade_id]
    nbformat.write(notebook, NOTEBOOK)
    print(f"updated {len(changed)} answer cell(s): {', '.join(changed) or 'none'}")


if __name__ == "__main__":
    main()
