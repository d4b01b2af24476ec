"""Messages in the student's language.

Every sentence a student reads (a hidden check's failure or advice, the grader's report
notes, the feedback's labels) is written in English and passed through `t`:

    fail(t("{what} has shape {shape}, expected {expected}", what=what, shape=..., expected=...))

The English template is the key; `t` returns it in the current language, formatted with
str.format. A language's catalogue is the module checks.kit.locale_<code>, a dict MESSAGES
from English template to translation (the same fields; `{n:балл|балла|баллов}` picks the
Russian plural form of n). Templates are literals, so a test can find every one in the
code and hold the catalogues complete, and no entry outlives the sentence it translates.

The current language is a context variable: HiddenChecks.grade(..., language="ru") sets it
for one check, the grading engine for everything it says about a notebook. A course
notebook declares its edition with a comment line in a read-only cell, `# language: ru`
(written by tools/translate.py); without one it is English.
"""
import contextlib
import contextvars
import importlib
import re
import string

ENGLISH = "en"
LANGUAGES = ("en", "ru")
LANGUAGE_MARK = re.compile(r"^#[ \t]*language:[ \t]*(?P<code>[a-z]{2})\b", re.MULTILINE)

_current = contextvars.ContextVar("nn_course_language", default=ENGLISH)
# (language, template) pairs asked for and missing from the catalogue, and those found:
# the tests read them to hold the catalogues complete.
MISSES = set()
FOUND = set()


def current():
    """The language messages are written in now ("en", "ru")."""
    return _current.get()


@contextlib.contextmanager
def speaking(language):
    """Write messages in `language` inside the block (None: keep the current one)."""
    if language is None:
        yield
        return
    if language not in LANGUAGES:
        raise ValueError(f"no messages in {language!r}: the course speaks {', '.join(LANGUAGES)}")
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def catalogue(language):
    """{English template: translation} of a language (empty for English)."""
    if language == ENGLISH:
        return {}
    return importlib.import_module(f"{__package__}.locale_{language}").MESSAGES


def plural_ru(n, one, few, many):
    """The Russian form of a noun after the number n: 1 балл, 2 балла, 5 баллов, 2.5 балла."""
    if float(n) != int(n):
        return few
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


class _Formatter(string.Formatter):
    """str.format, and `{n:one|few|many}` for the plural form of a noun after n."""

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            return plural_ru(value, *format_spec.split("|"))
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def t(template, **fields):
    """The template in the current language, formatted with the fields."""
    language = current()
    text = template
    if language != ENGLISH:
        translated = catalogue(language).get(template)
        if translated is None:
            MISSES.add((language, template))
        else:
            FOUND.add((language, template))
            text = translated
    return _FORMATTER.format(text, **fields) if fields else text


def language_of(sources):
    """The edition a course notebook declares in its read-only code (the first `# language: xx`
    line), English if none does."""
    for source in sources:
        match = LANGUAGE_MARK.search(source)
        if match and match.group("code") in LANGUAGES:
            return match.group("code")
    return ENGLISH


def field_names(template):
    """The names of a template's fields, for holding a translation to the same ones."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
