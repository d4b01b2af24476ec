"""The editions in other languages: made from the English source, equal to it in everything but
words, refused when a translation is missing or stale, and graded in their own language."""
import ast
import functools
import re
import shutil
import sys

import nbformat
import numpy as np
import pytest

from checks import i18n
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import course  # noqa: E402
import translate  # noqa: E402

from cells import Notebook  # noqa: E402

pytestmark = pytest.mark.course
EDITIONS = [assignment for assignment in course.assignments() if course.edition_of(assignment)[1] != "en"]
CYRILLIC = re.compile("[а-яА-ЯёЁ]{3}")
EXCEPTION = re.compile(r"^[A-Z]\w*: ")  # how tests/cells.py reports an error other than a failed assert


def test_every_seminar_has_a_russian_edition():
    english = [assignment for assignment in course.assignments() if assignment not in EDITIONS]
    assert EDITIONS == [f"{assignment}_ru" for assignment in english]


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_edition_is_what_its_translation_makes(edition):
    assert translate.stale_files(*course.edition_of(edition)) == [], f"run python3 tasks.py release {edition}"


def nbgrader_metadata(cell):
    """What nbgrader grades a cell by; the checksum (of the cell's text) aside."""
    return {key: value for key, value in cell.metadata.get("nbgrader", {}).items() if key != "checksum"}


@pytest.mark.parametrize("folder", ["source", "release"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_same_cells_points_code_and_tests_as_english(edition, folder):
    base, language = course.edition_of(edition)
    english = nbformat.read(ROOT / folder / base / f"{base}.ipynb", as_version=4).cells
    translated = nbformat.read(ROOT / folder / edition / f"{edition}.ipynb", as_version=4).cells
    assert [cell.cell_type for cell in translated] == [cell.cell_type for cell in english]
    assert [nbgrader_metadata(cell) for cell in translated] == [nbgrader_metadata(cell) for cell in english]
    for ours, theirs in zip(english, translated):
        if ours.cell_type == "code":
            assert translate.same_code(ours.source, theirs.source), translate.key_of(ours)
    hidden = [cell.source for cell in translated if "### BEGIN HIDDEN TESTS" in cell.source]
    assert all(f'language="{language}"' in source for source in hidden)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_cell_a_reader_reads_is_translated(edition):
    """No English sentence is left in the edition's markdown (the code's names aside)."""
    notebook = nbformat.read(course.source_notebook(edition), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\[[^\]]*\]\([^)]*\)|<[^>]+>", "", cell.source, flags=re.DOTALL)
            assert CYRILLIC.search(prose) or not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,} [A-Za-z]{3,}", prose), \
                translate.key_of(cell)


@pytest.fixture
def scratch_course(tmp_path, monkeypatch):
    """seminar1 and its translation in a scratch folder, with the tool pointed at it."""
    for folder in ("source/seminar1", "translations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setattr(course, "ROOT", tmp_path)
    monkeypatch.setattr(course, "TRANSLATIONS", tmp_path / "translations")
    return tmp_path


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(base="seminar1", language="ru"):
    with pytest.raises(translate.Problems) as refused:
        translate.build(base, language)
    return refused.value.lines


def test_a_changed_english_cell_makes_its_translation_stale(scratch_course):
    english = scratch_course / "source" / "seminar1" / "seminar1.ipynb"
    notebook = nbformat.read(english, as_version=4)
    cell = next(cell for cell in notebook.cells if cell.cell_type == "markdown" and "Part 1" in cell.source)
    cell.source += "\nOne more sentence."
    nbformat.write(notebook, english)
    lines = problems()
    assert len(lines) == 1 and translate.key_of(cell) in lines[0] and "changed" in lines[0], lines


def test_a_missing_or_unknown_entry_is_named(scratch_course):
    path = scratch_course / "translations" / "seminar1.ru.txt"
    entries = translate.parse(path)
    key = next(key for key, entry in entries.items() if entry.kind == "hidden")
    edit(path, f"=== {key} hidden", "=== no_such_cell hidden")
    lines = problems()
    assert any(f"no translation of the hidden cell `{key}`" in line for line in lines), lines
    assert any("`no_such_cell` is no cell" in line for line in lines), lines


def test_a_translation_that_changes_code_is_refused(scratch_course):
    path = scratch_course / "translations" / "seminar1.ru.txt"
    entry = next(entry for entry in translate.parse(path).values() if entry.kind == "code" and "np.isclose(" in entry.text)
    edit(path, entry.text, entry.text.replace("np.isclose(", "np.allclose(", 1))
    lines = problems()
    assert any(f"`{entry.key}` differs from the English" in line for line in lines), lines


def test_a_new_language_is_a_catalogue_a_registration_and_its_translations(scratch_course, monkeypatch):
    """Adding a language, as the README's "Adding a language" says: a catalogue module with its plural
    rule, its line in LANGUAGES, and a seminar's translations; then the tools and the grader speak it,
    with the seminar's English samples where it has none of its own."""
    import types
    import make_samples
    from checks.engine.course import Course
    toy = types.ModuleType("checks.i18n.xx")
    toy.MESSAGES = {"Hidden tests ({points:g} points).": "XX hidden ({points:g} {points:pointy|pointies}).",
                    "### Grading report": "### XX report"}
    toy.plural = lambda n, one, other: one if n == 1 else other
    monkeypatch.setitem(sys.modules, "checks.i18n.xx", toy)
    monkeypatch.setattr(i18n, "LANGUAGES", i18n.LANGUAGES + ("xx",))
    translations = scratch_course / "translations" / "seminar1.xx.txt"
    translations.write_text("")
    translations.write_text(translate.todo("seminar1", "xx"))  # the English as the toy's "translation"

    assert course.edition_of("seminar1_xx") == ("seminar1", "xx") and "seminar1_xx" in course.assignments()
    notebook = translate.build("seminar1", "xx")
    assert Course.from_notebook(notebook).language == "xx"
    hidden = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in notebook.cells
              if 'language="xx"' in cell.source}
    assert hidden["check_gradient_hidden"].startswith("# XX hidden (7 pointies).")
    with i18n.speaking("xx"):
        assert i18n.t("### Grading report") == "### XX report"
        assert i18n.t("{n:pointy|pointies}", n=1) == "pointy"
    assert make_samples.written_answers("seminar1_xx") == course.facts_of("seminar1").MODEL_ANSWERS["en"]
    assert make_samples.bug("seminar1_xx")[2].endswith("# forgot the factor 2")


# --- the message catalogue ---------------------------------------------------------------

def templates_in_code():
    """Every literal template passed to checks.i18n.t in checks/."""
    found = set()
    for path in (ROOT / "checks").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "t"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", [language for language in i18n.LANGUAGES if language != i18n.ENGLISH])
def test_the_catalogue_has_every_message_and_only_those(language):
    catalogue, templates = i18n.catalogue(language), templates_in_code()
    assert sorted(templates - set(catalogue)) == [], "messages without a translation"
    assert sorted(set(catalogue) - templates) == [], "translations of messages the code no longer has"
    for template, translated in catalogue.items():
        assert i18n.field_names(translated) == i18n.field_names(template), template


def test_russian_plurals():
    forms = "балл|балла|баллов"
    assert [i18n.plural(n, forms.split("|"), "ru") for n in (1, 2, 5, 11, 21, 22, 25, 112, 2.5)] == \
        ["балл", "балла", "баллов", "баллов", "балл", "балла", "баллов", "баллов", "балла"]


# --- graded in the student's language ----------------------------------------------------

def seminar1_cases():
    from mutants import MUTANTS
    import solutions.seminar1 as solutions
    return [pytest.param("seminar1", answer, lambda wrong=wrong, answer=answer: {
        solutions.ANSWER_CELLS[answer].__name__: wrong}, grade_id, id=f"seminar1 {answer}: {mistake}")
        for answer, mistake, wrong, grade_id, _ in MUTANTS]


def seminar2_cases():
    from mutants_seminar2 import MUTANTS, answer_name, build, mutant_source
    return [pytest.param("seminar2", case[0], lambda case=case: {
        answer_name(case[0]): build(case[0], mutant_source(case))}, case[3], id=f"seminar2 {case[0]}: {case[1]}")
        for case in MUTANTS]


def seminar3_cases():
    from mutants_seminar3 import MUTANTS, answer_name, build, mutant_source
    return [pytest.param("seminar3", case[0], lambda case=case: {
        answer_name(case[0]): build(case[0], mutant_source(case))}, case[3], id=f"seminar3 {case[0]}: {case[1]}")
        for case in MUTANTS]


@functools.cache
def notebook(assignment):
    return Notebook(assignment)


@pytest.mark.parametrize("base, answer, wrong, grade_id", seminar1_cases() + seminar2_cases() + seminar3_cases())
def test_a_mistake_costs_the_same_cells_and_is_named_in_russian(base, answer, wrong, grade_id):
    """Every mistake of the catalogues: the Russian edition's visible tests fail where the English
    ones do, with Russian messages, and its hidden check names the mistake in Russian."""
    replace = wrong()
    english, russian = notebook(base), notebook(f"{base}_ru")
    visible = [cell for cell in english.cells_of(answer) if "### BEGIN HIDDEN TESTS" not in english.tests[cell]]
    i18n.MISSES.clear()
    outcomes = {}
    for cell in dict.fromkeys(visible + [grade_id]):
        np.random.seed(123)
        ours = english.run(cell, replace)
        np.random.seed(123)
        theirs = outcomes[cell] = russian.run(cell, replace)
        assert theirs.passed == ours.passed, cell
        said_by_the_test = theirs.message.startswith("GradingFailure: ") or not EXCEPTION.match(theirs.message)
        if not theirs.passed and said_by_the_test:
            assert CYRILLIC.search(theirs.message), theirs.message
    assert not outcomes[grade_id].passed, f"{grade_id} passed the mistake"
    assert i18n.MISSES == set(), "messages said in English in the Russian edition"
