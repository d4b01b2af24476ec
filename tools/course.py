"""The course's assignments, as the folders of source/ lay them out.

An assignment `<name>` is a folder source/<name>/ holding the instructor notebook
<name>.ipynb. Its reference solutions are the package solutions.<name>, its hidden
checks the module checks.<name>; release/<name>/ is what students get.

An edition in another language, `<name>_<language>` (seminar1_ru), is an assignment of its
own whose notebook tools/translate.py writes from <name>'s and translations/<name>.<language>.txt;
it shares <name>'s solutions and checks.
"""
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"


def assignments():
    """Names of the course's assignments, in order (seminar1, seminar1_ru, seminar2, ...): the
    folders of source/ with their notebook, and the editions the translation files declare."""
    found = {folder.name for folder in (ROOT / "source").iterdir() if (folder / f"{folder.name}.ipynb").is_file()}
    return sorted(found | {f"{base}_{language}" for base, language in translations() if base in found})


def translations():
    """(English assignment, language) of every translation file translations/<name>.<language>.txt."""
    return sorted(tuple(path.name[:-len(".txt")].rsplit(".", 1)) for path in TRANSLATIONS.glob("*.*.txt"))


def edition_of(assignment):
    """(the English assignment, the language): ("seminar1", "ru") for seminar1_ru, ("seminar1", "en")."""
    base, _, language = assignment.rpartition("_")
    if base and (base, language) in translations():
        return base, language
    return assignment, "en"


def base_of(assignment):
    """The English assignment an edition is translated from (itself for an English one)."""
    return edition_of(assignment)[0]


def editions_of(base):
    """The assignments translated from an English one: ["seminar1_ru"]."""
    return [f"{base}_{language}" for name, language in translations() if name == base]


def translation_file(base, language):
    return TRANSLATIONS / f"{base}.{language}.txt"


def source_notebook(assignment):
    return ROOT / "source" / assignment / f"{assignment}.ipynb"


def release_notebook(assignment):
    return ROOT / "release" / assignment / f"{assignment}.ipynb"


def solutions_of(assignment):
    """The package of the assignment's reference solutions (an edition shares its English one's)."""
    return importlib.import_module(f"solutions.{base_of(assignment)}")


def checks_of(assignment):
    """The module of the assignment's hidden checks (an edition shares its English one's)."""
    return importlib.import_module(f"checks.{base_of(assignment)}")


def facts_of(assignment):
    """What the course's tools and tests need to know of an assignment's seminar besides its answers
    (solutions/<seminar>/course.py: points, written answers, the samples' answers and bug, markers)."""
    return importlib.import_module(f"solutions.{base_of(assignment)}.course")


def seminars():
    """The English assignments: one per seminar."""
    return [assignment for assignment in assignments() if base_of(assignment) == assignment]


def known_or_exit(names):
    """The assignments named on a tool's command line, or exit 2 with one line naming the unknown
    ones and the course's (a usage error, not a traceback)."""
    known = assignments()
    unknown = [name for name in names if name not in known]
    if unknown:
        print(f"error: no assignment {', '.join(unknown)}: the course has {', '.join(known)}", file=sys.stderr)
        sys.exit(2)
    return names
