"""The course's assignments, as the folders of source/ lay them out.

An assignment `<name>` is a folder source/<name>/ holding the instructor notebook
<name>.ipynb. Its reference solutions are the package solutions.<name>, its hidden
checks the module checks.<name>; release/<name>/ is what students get.
"""
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def assignments():
    """Names of the course's assignments, in order (seminar1, seminar2, ...)."""
    return sorted(folder.name for folder in (ROOT / "source").iterdir()
                  if (folder / f"{folder.name}.ipynb").is_file())


def source_notebook(assignment):
    return ROOT / "source" / assignment / f"{assignment}.ipynb"


def release_notebook(assignment):
    return ROOT / "release" / assignment / f"{assignment}.ipynb"


def solutions_of(assignment):
    """The package of the assignment's reference solutions."""
    return importlib.import_module(f"solutions.{assignment}")


def checks_of(assignment):
    """The module of the assignment's hidden checks."""
    return importlib.import_module(f"checks.{assignment}")
