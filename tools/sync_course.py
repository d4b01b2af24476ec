"""Write the code cells of each instructor notebook that have a single source elsewhere.

- answer cells: the source of an object of solutions.<assignment>.ANSWER_CELLS, solution
  regions included (the code between ### BEGIN SOLUTION and ### END SOLUTION is what
  students write);
- given cells (read-only code a seminar hands out, such as seminar 1's bricks in seminar
  2): the sources of solutions.<assignment>.GIVEN_CELLS' objects, without solution markers;
- given files (code handed out beside the notebook, which the notebook imports, such as
  seminar 2's data_loaders.py): the source of each module of solutions.<assignment>.GIVEN_FILES;
- hidden test cells: the statement, points and call that checks.<assignment> declares
  for each of them (checks.kit.HiddenChecks).
Run it after editing solutions/ or checks/; edit everything else (prose, visible tests)
in the notebook itself. An edition in another language (seminar1_ru) is written whole by
tools/translate.py from the English notebook: this tool leaves it alone, and its cells'
sources are those translate.py makes.

    python tools/sync_course.py                    # rewrite the cells of every assignment
    python tools/sync_course.py seminar2           # of one assignment
    python tools/sync_course.py --check            # exit 1 if a cell differs
"""
import argparse
import inspect
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

sys.path.insert(0, str(course.ROOT))

SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", re.MULTILINE)


def without_markers(source):
    """The solved source: the solution region markers removed, the code kept."""
    return SOLUTION_MARKER.sub("", source + "\n").rstrip("\n")


def expected_cells(assignment):
    """{grade_id: (source, points or None)} of every cell this tool writes (for an edition in
    another language: those cells as tools/translate.py writes them)."""
    base, language = course.edition_of(assignment)
    if language != "en":
        import translate
        english = expected_cells(base)
        notebook = translate.build(base, language)
        return {cell.metadata["nbgrader"]["grade_id"]: (cell.source, english[cell.metadata["nbgrader"]["grade_id"]][1])
                for cell in notebook.cells if cell.metadata.get("nbgrader", {}).get("grade_id") in english}
    solutions, checks = course.solutions_of(assignment), course.checks_of(assignment)
    cells = {grade_id: (inspect.getsource(obj).rstrip("\n"), None)
             for grade_id, obj in solutions.ANSWER_CELLS.items()}
    for grade_id, objects in getattr(solutions, "GIVEN_CELLS", {}).items():
        cells[grade_id] = ("\n\n\n".join(without_markers(inspect.getsource(obj).rstrip("\n"))
                                         for obj in objects), None)
    for grade_id, check in checks.hidden.checks.items():
        cells[grade_id] = (checks.hidden.cell_source(grade_id), check.points)
    return cells


def expected_files(assignment):
    """{file name: text} of the files handed out beside the notebook of an English assignment, each
    the source of a module of solutions.<assignment>.GIVEN_FILES (an edition's are tools/translate.py's)."""
    if course.edition_of(assignment)[1] != "en":
        return {}
    solutions = course.solutions_of(assignment)
    return {name: inspect.getsource(module) for name, module in getattr(solutions, "GIVEN_FILES", {}).items()}


def stale_files(assignment):
    """The names of the given files that are missing beside the notebook or differ from their source."""
    folder = course.source_notebook(assignment).parent
    return [name for name, text in expected_files(assignment).items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text]


def differences(notebook, assignment):
    """(missing cells, cells and given files that differ) between the notebook, the files beside it
    and their sources."""
    present = {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells
               if "grade_id" in cell.metadata.get("nbgrader", {})}
    missing, changed = [], []
    for grade_id, (source, points) in expected_cells(assignment).items():
        cell = present.get(grade_id)
        if cell is None or cell.cell_type != "code":
            missing.append(grade_id)
        elif cell.source != source or (points is not None and cell.metadata["nbgrader"].get("points") != points):
            changed.append(grade_id)
    return missing, changed + stale_files(assignment)


def sync(assignment, check_only=False):
    """Rewrite the assignment's cells; returns the grade_ids that differed (or are missing)."""
    path = course.source_notebook(assignment)
    notebook = nbformat.read(path, as_version=4)
    missing, changed = differences(notebook, assignment)
    if missing:
        sys.exit(f"{assignment}: no code cell with the grade_id {', '.join(missing)}: add one to "
                 f"{path.relative_to(course.ROOT)} where it belongs (its content is written for you)")
    if changed and not check_only:
        expected = expected_cells(assignment)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in changed:
                cell.source, points = expected[grade_id]
                if points is not None:
                    cell.metadata["nbgrader"]["points"] = points
        nbformat.write(notebook, path)
        for name, text in expected_files(assignment).items():
            if name in changed:
                (path.parent / name).write_text(text, encoding="utf-8")
    return changed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment under source/")
    parser.add_argument("--check", action="store_true", help="only report differences; exit 1 if any")
    args = parser.parse_args()
    stale = False
    for assignment in course.known_or_exit(args.assignments) or course.assignments():
        if course.edition_of(assignment)[1] != "en":
            print(f"{assignment}: written by tools/translate.py", flush=True)
            continue
        changed = sync(assignment, check_only=args.check)
        stale = stale or bool(changed)
        verb = "differ from their sources" if args.check else "rewritten"
        print(f"{assignment}: {len(changed)} cell(s) {verb}{': ' + ', '.join(changed) if changed else ''}",
              flush=True)
    if args.check and stale:
        sys.exit("run tools/sync_course.py")


if __name__ == "__main__":
    main()
