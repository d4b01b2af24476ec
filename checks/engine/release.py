"""The student version, as generate_assignment makes it: stubs that name their task.

nbgrader replaces each solution region by one stub for the whole course (nbgrader_config.py:
`# YOUR CODE HERE` and `raise NotImplementedError()`). NameStubs, right after nbgrader's
ClearSolutions, makes each stub's error say what is missing and where, as minitorch's do:
`NotImplementedError: Linear.backward (Part 2) is not written yet`. A student who runs a
test before writing the answer reads which method it needs, not a bare error. In an edition
in another language (a read-only cell with `# language: ru`, see checks/i18n/) the
stubs speak it: `Linear.backward (Часть 2): код ещё не написан`, `# ВАШ КОД ЗДЕСЬ`.

KernelLanguageInfo gives the student version the notebook metadata that JupyterLab writes once
the kernel has started (`language_info` as the course's kernel reports it): JupyterLab puts the
kernel's language_info into every notebook it opens, so a release with less would be marked
modified before any edit. It is the kernel of this installation, so the release opens unchanged
where the kernel's Python is the course's (the version is one of its fields).
"""
import re

from nbgrader.preprocessors import NbGraderPreprocessor

from ..i18n import ENGLISH, language_of, speaking, t

BARE_STUB = re.compile(r"^(?P<indent>[ \t]*)raise NotImplementedError\(\)[ \t]*$", re.MULTILINE)
DEFINITION = re.compile(r"^(?P<indent>[ \t]*)(?:async[ \t]+)?(?:def|class)[ \t]+(?P<name>\w+)")
PART_HEADING = re.compile(r"^#+[ \t]+(?P<part>(?:Part|Homework|Часть|Домашнее задание)[ \t]+\d+)",
                          re.MULTILINE | re.IGNORECASE)
# nbgrader's stubs as nbgrader_config.py sets them (ClearSolutions.code_stub and text_stub).
CODE_STUB_COMMENT = re.compile(r"^(?P<indent>[ \t]*)# YOUR CODE HERE[ \t]*$", re.MULTILINE)
TEXT_STUB = "YOUR ANSWER HERE"


def enclosing_name(lines, index):
    """'Linear.backward' for a line inside that method: the definitions above it, each indented
    less than the last one found."""
    names, indent = [], len(lines[index]) - len(lines[index].lstrip())
    for line in reversed(lines[:index]):
        match = DEFINITION.match(line)
        if match and len(match.group("indent")) < indent:
            names.insert(0, match.group("name"))
            indent = len(match.group("indent"))
            if indent == 0:
                break
    return ".".join(names)


def named_stubs(source, part):
    """The source with each bare `raise NotImplementedError()` saying what it stands for."""
    lines = source.split("\n")
    for index, line in enumerate(lines):
        match = BARE_STUB.match(line)
        if match:
            name = enclosing_name(lines, index) or t("this cell")
            where = f" ({part})" if part else ""
            task = t("{name}{where} is not written yet", name=name, where=where).replace('"', "'")
            lines[index] = f'{match.group("indent")}raise NotImplementedError("{task}")'
    source = "\n".join(lines)
    if t("# YOUR CODE HERE") != "# YOUR CODE HERE":
        source = CODE_STUB_COMMENT.sub(lambda m: m.group("indent") + t("# YOUR CODE HERE"), source)
    return source


class NameStubs(NbGraderPreprocessor):
    """After ClearSolutions: name the task of every stub, and the part of the notebook it is in."""

    def preprocess(self, nb, resources):
        language = language_of(cell.source for cell in nb.cells if cell.cell_type == "code"
                               and cell.metadata.get("nbgrader", {}).get("locked")
                               and not cell.metadata["nbgrader"].get("grade"))
        part = ""
        with speaking(language):
            for cell in nb.cells:
                solution = cell.metadata.get("nbgrader", {}).get("solution")
                if cell.cell_type == "markdown":
                    headings = PART_HEADING.findall(cell.source)
                    if headings:
                        part = headings[-1]
                    if solution and language != ENGLISH and cell.source.strip() == TEXT_STUB:
                        cell.source = t("YOUR ANSWER HERE")
                elif cell.cell_type == "code" and solution:
                    cell.source = named_stubs(cell.source, part)
        return nb, resources


def kernel_language_info():
    """The language_info the course's Python kernel (ipykernel) reports, as JupyterLab stores it."""
    from ipykernel.ipkernel import IPythonKernel
    return dict(IPythonKernel.language_info)


class KernelLanguageInfo(NbGraderPreprocessor):
    """The release's language_info as the kernel reports it: see the module docstring."""

    def preprocess(self, nb, resources):
        if nb.metadata.get("kernelspec", {}).get("language", "python") == "python":
            nb.metadata["language_info"] = kernel_language_info()
        return nb, resources
