"""Write each edition of a seminar in another language from its one source: the English notebook.

    python tools/translate.py                  # write source/<seminar>_<language>/ for every translation
    python tools/translate.py seminar1_ru      # one edition (or `seminar1`: all of seminar1's)
    python tools/translate.py --check          # exit 1 if an edition is stale, or a translation missing
    python tools/translate.py --todo seminar1_ru   # the English text of every cell to (re)translate

The translation file translations/<seminar>.<language>.txt holds, for every cell of the English
notebook that has text, its translation, under a line naming the cell and the English it was made
from:

    === <key> <kind> <hash>
    <the translated text>

- key: the cell's nbgrader grade_id, or its nbformat id;
- kind: `markdown` (the whole cell), `code` (the whole cell, its code unchanged: only string
  literals and comments translated; the tool compares the two without them) or `hidden` (a
  hidden-test cell: only the statement of its check, which the tool wraps as
  tools/sync_course.py does, calling the check with `language="<language>"`);
- hash: the first 12 hex digits of the sha256 of the English cell's source. When the English
  cell changes, its hash no longer matches and the tool refuses to write the edition until the
  cell is translated again; `--todo` prints what to translate, hashes included.
A code cell without text (no comment, no string of words) is copied as it is. The first
read-only code cell gets a first line `# language: <language>`, from which the grader, the
release's stubs and the feedback know the edition (checks/i18n/). The data files of the
English seminar are copied beside the notebook; a Python module among them (code the notebook
imports, such as seminar 2's data_loaders.py) is translated as a code cell is, under an entry
named by its file name (`=== data_loaders.py code <hash>`).
"""
import argparse
import ast
import copy
import hashlib
import io
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

sys.path.insert(0, str(course.ROOT))

HEADER = re.compile(r"^=== (?P<key>\S+) (?P<kind>markdown|code|hidden) (?P<hash>[0-9a-f]{12})$")
KINDS = ("markdown", "code", "hidden")
LANGUAGE_LINE = {"ru": "# language: ru  (язык сообщений автопроверки)"}
NBGRADER_MARKERS = re.compile(r"^#+ (BEGIN|END) (SOLUTION|HIDDEN TESTS)$")
REGION_LINES = re.compile(r"^[ \t]*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)[ \t]*$", re.MULTILINE)
WORDS = re.compile(r"[^\W\d_]{2,}\W+[^\W\d_]{2,}")  # two words: a string or comment a reader reads


@dataclass
class Entry:
    key: str
    kind: str
    hash: str
    text: str
    line: int           # where its header is, for messages


class Problems(Exception):
    """What keeps an edition from being written, one line per cell."""

    def __init__(self, lines):
        super().__init__("\n".join(lines))
        self.lines = lines


def english_hash(source):
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:12]


def key_of(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id") or cell.get("id")


def parse(path):
    """{key: Entry}, in file order; lines before the first header are the file's own comments."""
    entries, current, lines = {}, None, []

    def close():
        if current is not None:
            current.text = "\n".join(lines).strip("\n")
            entries[current.key] = current

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = HEADER.match(line)
        if match:
            close()
            if match["key"] in entries:
                raise Problems([f"{path.name}:{number}: a second entry for `{match['key']}`"])
            current, lines = Entry(match["key"], match["kind"], match["hash"], "", number), []
        elif line.startswith("=== "):
            raise Problems([f"{path.name}:{number}: not a header `=== <key> <kind> <hash>`: {line}"])
        elif current is not None:
            lines.append(line)
    close()
    return entries


def texts_of_code(source):
    """The comments and string literals of a code cell (nbgrader's region markers left out)."""
    texts = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and not NBGRADER_MARKERS.match(token.string.strip()):
                texts.append(token.string)
            elif token.type == tokenize.STRING:
                texts.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        return [source]
    return texts


def has_text(cell):
    """Whether a reader reads words in the cell: every markdown cell, code with a comment or a
    string of words."""
    if cell.cell_type == "markdown":
        return bool(cell.source.strip())
    return any(text.startswith("#") or WORDS.search(text) for text in texts_of_code(cell.source))


class _WithoutText(ast.NodeTransformer):
    """Strings blanked (an f-string keeps the expressions it formats, in any order), docstrings
    included, and the `language=` of a hidden check's call dropped: what is left is the code."""

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(value=""), node)
        return node

    def visit_JoinedStr(self, node):
        values = sorted(ast.dump(self.visit(value.value)) for value in node.values
                        if isinstance(value, ast.FormattedValue))
        return ast.copy_location(ast.Constant(value="f" + "|".join(values)), node)

    def visit_Call(self, node):
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "grade":
            node.keywords = [keyword for keyword in node.keywords if keyword.arg != "language"]
        return node


def code_without_text(source):
    """The cell's code with its strings and comments set aside (an ast dump), or None if it does
    not parse (IPython magics, for one)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return ast.dump(_WithoutText().visit(tree))


def same_code(english, translated):
    """True when the two cells differ only in their strings and comments."""
    ours = code_without_text(english)
    if ours is None:
        return english == translated
    return ours == code_without_text(translated)


def _statement(text):
    return " ".join(text.split())


def build(base, language):
    """The edition's notebook, built from the English one and the translation file; Problems
    naming every cell that keeps it from being built."""
    english = nbformat.read(course.source_notebook(base), as_version=4)
    path = course.translation_file(base, language)
    entries = parse(path)
    hidden = course.checks_of(base).hidden
    notebook = copy.deepcopy(english)
    problems, used = [], set()
    marked = False
    where = path.relative_to(course.ROOT)
    for cell in notebook.cells:
        key, source = key_of(cell), cell.source
        meta = cell.metadata.get("nbgrader", {})
        kind = "hidden" if key in hidden.checks and cell.cell_type == "code" else cell.cell_type
        entry = entries.get(key)
        if entry is not None:
            used.add(key)
        if kind == "hidden" or has_text(cell) or entry is not None:
            if entry is None:
                problems.append(f"{where}: no translation of the {kind} cell `{key}`: add "
                                f"`=== {key} {kind} {english_hash(source)}` and its text "
                                f"(tools/translate.py --todo {base}_{language} prints it)")
                continue
            if entry.kind != kind:
                problems.append(f"{where}:{entry.line}: `{key}` is a {kind} cell, not {entry.kind}")
                continue
            if entry.hash != english_hash(source):
                problems.append(f"{where}:{entry.line}: the English of the {kind} cell `{key}` changed: "
                                f"translate it again and set its hash to {english_hash(source)}")
                continue
            if kind == "hidden":
                cell.source = hidden.cell_source(key, language, _statement(entry.text))
            elif kind == "code" and not same_code(source, entry.text):
                problems.append(f"{where}:{entry.line}: the code cell `{key}` differs from the English in more "
                                "than its strings and comments")
                continue
            elif REGION_LINES.findall(source) != REGION_LINES.findall(entry.text):
                problems.append(f"{where}:{entry.line}: `{key}` must keep the English cell's ### BEGIN/END "
                                "SOLUTION lines, in the same order")
                continue
            else:
                cell.source = entry.text
        if (not marked and cell.cell_type == "code" and meta.get("locked") and not meta.get("grade")
                and not meta.get("solution")):
            cell.source = f"{LANGUAGE_LINE.get(language, f'# language: {language}')}\n{cell.source}"
            marked = True
    modules = {path.name for path in modules_of(base)}
    problems.extend(module_problems(base, entries, where))
    for key in entries:
        if key not in used and key not in modules:
            problems.append(f"{where}:{entries[key].line}: `{key}` is no cell of "
                            f"source/{base}/{base}.ipynb: remove its entry")
    if not marked:
        problems.append(f"source/{base}/{base}.ipynb has no read-only code cell to declare the edition's language in")
    if problems:
        raise Problems(problems)
    return notebook


def todo(base, language):
    """The entries to write or rewrite, with their English text, in the file's format."""
    english = nbformat.read(course.source_notebook(base), as_version=4)
    entries = parse(course.translation_file(base, language))
    hidden = course.checks_of(base).hidden
    blocks = []
    for cell in english.cells:
        key = key_of(cell)
        kind = "hidden" if key in hidden.checks and cell.cell_type == "code" else cell.cell_type
        entry = entries.get(key)
        if not (kind == "hidden" or has_text(cell) or entry is not None):
            continue
        if entry is None or entry.hash != english_hash(cell.source) or entry.kind != kind:
            text = hidden.checks[key].statement if kind == "hidden" else cell.source
            blocks.append(f"=== {key} {kind} {english_hash(cell.source)}\n{text}\n")
    for path in modules_of(base):
        text, entry = path.read_text(encoding="utf-8"), entries.get(path.name)
        if entry is None or entry.hash != english_hash(text) or entry.kind != "code":
            blocks.append(f"=== {path.name} code {english_hash(text)}\n{text}")
    return "\n".join(blocks)


def data_files(base):
    """The files of source/<base>/ besides its notebook (the data nbgrader releases with it)."""
    folder = course.ROOT / "source" / base
    return sorted(path for path in folder.iterdir() if path.is_file() and path.name != f"{base}.ipynb")


def modules_of(base):
    """The Python modules among the data files: code the notebook imports, translated as code cells are."""
    return [path for path in data_files(base) if path.suffix == ".py"]


def module_problems(base, entries, where):
    """What keeps the modules beside the notebook from being translated, one line per module."""
    problems = []
    for path in modules_of(base):
        text, entry = path.read_text(encoding="utf-8"), entries.get(path.name)
        if entry is None:
            problems.append(f"{where}: no translation of the module `{path.name}`: add "
                            f"`=== {path.name} code {english_hash(text)}` and its text "
                            f"(tools/translate.py --todo {base}_<language> prints it)")
        elif entry.kind != "code":
            problems.append(f"{where}:{entry.line}: `{path.name}` is a module, translated as `code`")
        elif entry.hash != english_hash(text):
            problems.append(f"{where}:{entry.line}: the module `{path.name}` changed: translate it again "
                            f"and set its hash to {english_hash(text)}")
        elif not same_code(text, entry.text):
            problems.append(f"{where}:{entry.line}: the module `{path.name}` differs from the English in more "
                            "than its strings and comments")
    return problems


def edition_file(base, language, path):
    """The bytes of a data file in the edition: a module's translation, any other file as it is."""
    if path.suffix != ".py":
        return path.read_bytes()
    translation = course.translation_file(base, language)
    entries = parse(translation)
    problems = module_problems(base, entries, translation.relative_to(course.ROOT))
    if problems:
        raise Problems(problems)
    return (entries[path.name].text + "\n").encode("utf-8")


def text_of(notebook):
    return nbformat.writes(notebook) + "\n"


def stale_files(base, language):
    """The edition's files that differ from what this tool writes (Problems if it cannot)."""
    edition = f"{base}_{language}"
    folder = course.ROOT / "source" / edition
    stale = []
    path = course.source_notebook(edition)
    if not path.exists() or path.read_text(encoding="utf-8") != text_of(build(base, language)):
        stale.append(path)
    for data in data_files(base):
        copy_path = folder / data.name
        if not copy_path.exists() or copy_path.read_bytes() != edition_file(base, language, data):
            stale.append(copy_path)
    return stale


def write(base, language):
    """Write source/<base>_<language>/: the notebook and copies of the data; the paths written."""
    edition = f"{base}_{language}"
    notebook = build(base, language)
    folder = course.ROOT / "source" / edition
    folder.mkdir(exist_ok=True)
    written = []
    path = course.source_notebook(edition)
    if not path.exists() or path.read_text(encoding="utf-8") != text_of(notebook):
        path.write_text(text_of(notebook), encoding="utf-8")
        written.append(path)
    for data in data_files(base):
        copy_path = folder / data.name
        content = edition_file(base, language, data)
        if not copy_path.exists() or copy_path.read_bytes() != content:
            copy_path.write_bytes(content)
            written.append(copy_path)
    return written


def chosen_editions(names):
    """(base, language) of the editions named (an English assignment names all of its own)."""
    everything = course.translations()
    if not names:
        return everything
    chosen = []
    for name in names:
        base, language = course.edition_of(name)
        matches = [(base, language)] if language != "en" else [pair for pair in everything if pair[0] == name]
        if not matches:  # a usage error: exit status 2
            print(f"error: no translation of {name}: the course has "
                  f"{', '.join(f'{b}_{lang}' for b, lang in everything) or 'none'}", file=sys.stderr)
            sys.exit(2)
        chosen.extend(match for match in matches if match not in chosen)
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="editions (seminar1_ru) or English assignments; default: all")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--check", action="store_true", help="only report stale editions; exit 1 if any")
    what.add_argument("--todo", action="store_true", help="print the English of the cells to (re)translate")
    args = parser.parse_args()
    failed = False
    for base, language in chosen_editions(args.assignments):
        edition = f"{base}_{language}"
        if args.todo:
            print(todo(base, language) or f"# {edition}: every cell is translated", end="\n")
            continue
        try:
            if args.check:
                stale = stale_files(base, language)
                failed = failed or bool(stale)
                print(f"{edition}: " + (f"stale: {', '.join(str(p.relative_to(course.ROOT)) for p in stale)}"
                                        if stale else "current"), flush=True)
            else:
                written = write(base, language)
                print(f"{edition}: " + (f"wrote {', '.join(str(p.relative_to(course.ROOT)) for p in written)}"
                                        if written else "current"), flush=True)
        except Problems as problems:
            failed = True
            print(f"{edition}: not written, {len(problems.lines)} cell(s) to translate:", file=sys.stderr)
            for line in problems.lines:
                print(f"  {line}", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
