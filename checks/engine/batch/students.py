"""Which students a run grades: the submitted folders, a machine's shard of them, and the
folders that hold nothing gradable, each with the reason."""
import difflib
import hashlib
from pathlib import Path

from ..notebook import read_notebook


def parse_shard(text):
    """'2/3' -> (2, 3); shards count from 1."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard wants i/n, such as 1/2, not {text!r}") from None
    if not 1 <= index <= count:
        raise ValueError(f"--shard {text}: i must be between 1 and n")
    return index, count


def in_shard(student, shard):
    """A stable split of students into shards, the same on every machine."""
    if shard is None:
        return True
    index, count = shard
    digest = hashlib.sha256(student.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def student_folders(course_dir):
    folder = Path(course_dir) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def misplaced(course_dir, student, assignment):
    """Why a student's folder has no submission of this assignment where nbgrader looks for it,
    or None when it has (submitted/<student>/<assignment>/) or holds only other assignments."""
    folder = Path(course_dir) / "submitted" / student
    if (folder / assignment).is_dir():
        return None
    entries = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    near = [name for name in entries if name.lower() == assignment.lower()
            or name.lower() == f"{assignment}.ipynb".lower()]
    if f"{assignment}.ipynb" in entries:
        return (f"{assignment}.ipynb lies directly in submitted/{student}/: nbgrader reads "
                f"submitted/{student}/{assignment}/{assignment}.ipynb")
    if near:
        return f"found {near[0]} in submitted/{student}/: the folder must be named {assignment}/ exactly"
    if any(name.endswith(".ipynb") for name in entries):
        return (f"no folder {assignment}/ in submitted/{student}/ (found: {', '.join(entries)}); "
                f"nbgrader reads submitted/{student}/{assignment}/{assignment}.ipynb")
    return None


def unknown_students(course_dir, names):
    """'alice (no submitted/alice; did you mean alicia?)' for each name with no folder."""
    known = student_folders(course_dir)
    problems = []
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(f"{name} (no submitted/{name}{hint})")
    return problems


NBGRADER_FAILED = "not graded: nbgrader failed (see its log above)"


def what_is_wrong(course_dir, student, assignment):
    """What is wrong with a student's submission file that nbgrader cannot read, or None when the
    file is a readable notebook (then a failure to grade it is nbgrader's, not the student's)."""
    import nbformat

    folder = Path(course_dir) / "submitted" / student / assignment
    if not folder.is_dir():
        return "no submission"
    notebook = folder / f"{assignment}.ipynb"
    if not notebook.exists():
        found = sorted(p.name for p in folder.glob("*.ipynb"))
        deeper = sorted(p for p in folder.rglob(notebook.name) if ".ipynb_checkpoints" not in p.parts)
        if not found and deeper:
            where = deeper[0].parent.relative_to(Path(course_dir))
            return (f"{notebook.name} is in {where}/, a folder too deep: nbgrader reads "
                    f"submitted/{student}/{assignment}/{notebook.name}")
        return f"no {notebook.name} (found: {', '.join(found) or 'no notebook'})"
    if notebook.stat().st_size == 0:
        return f"{notebook.name} is empty"
    try:  # the engine's reader first: it says in words what is wrong with the file
        read_notebook(notebook)
    except ValueError as error:
        return f"{notebook.name} is unreadable: {str(error).replace(str(notebook), 'it')}"
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as error:  # any reading error is the student's file's fault
        return f"{notebook.name} is unreadable ({type(error).__name__}: {str(error).splitlines()[0][:80]})"
    return None


def why_not_graded(course_dir, student, assignment):
    """What is wrong with a submission that nbgrader could not grade."""
    return what_is_wrong(course_dir, student, assignment) or NBGRADER_FAILED
