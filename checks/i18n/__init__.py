"""Messages in the student's language.

Every sentence a student reads (a hidden check's failure or advice, the grader's report
notes, the feedback's labels) is written in English and passed through `t`:

    fail(t("{what} has shape {shape}, expected {expected}", what=what, shape=..., expected=...))

The English template is the key; `t` returns the message in the current language as a Text:
a string that also remembers its template (the message's stable id, which a report can count)
and its fields, so it can be said again in another language (`Text.said_in`). Templates are
literals, so a test can find every one in the code and hold the catalogues complete.

Formats beyond str.format's: `{n:one|few|many}` is the form of a noun after the number n, by
the language's plural rule; `{clause:sentence}` starts the clause with a capital letter.

A language is a module of this package named by its code (ru.py): MESSAGES, {English template:
translation with the same fields}, and plural(n, forms...), which form of a noun follows n.
LANGUAGES registers it. The current language is a context variable: HiddenChecks.grade(...,
language="ru") sets it for one check, the grading engine for everything it says about a
notebook. A course notebook declares its edition with a comment line in a read-only cell,
`# language: ru` (written by tools/translate.py); without one it is English.
"""
import contextlib
import contextvars
import importlib
import re
import string

ENGLISH = "en"
# The course's languages: English, and one line per other language, whose module checks/i18n/<code>.py
# holds its catalogue and plural rule.
LANGUAGES = (ENGLISH, "ru")
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


def language_module(language):
    """The module of a language other than English: its MESSAGES and plural rule."""
    return importlib.import_module(f"{__name__}.{language}")


def catalogue(language):
    """{English template: translation} of a language (empty for English)."""
    if language == ENGLISH:
        return {}
    return language_module(language).MESSAGES


def plural_en(n, one, other):
    """The English form of a noun after the number n: 1 point, 2 points, 1.5 points."""
    return one if n == 1 else other


def plural(n, forms, language=None):
    """The form of a noun after n among `forms`, by the plural rule of the language (the current one)."""
    language = language or current()
    rule = plural_en if language == ENGLISH else language_module(language).plural
    return rule(n, *forms)


class _Formatter(string.Formatter):
    """str.format, with `{n:one|few|many}` for the plural form of a noun after n and
    `{clause:sentence}` for a clause that starts a sentence."""

    def format_field(self, value, format_spec):
        if "|" in format_spec:
            return plural(value, format_spec.split("|"))
        if format_spec == "sentence":
            text = str(value)
            return text[:1].upper() + text[1:]
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


class Text(str):
    """A message as it reads in one language, which remembers what it was made of: its English
    template (the message's stable id) and its fields, Texts themselves where a field is a message."""

    def __new__(cls, text, template, fields):
        message = super().__new__(cls, text)
        message.template, message.fields = template, fields
        return message

    def __getnewargs__(self):  # pickling and copying keep the template and the fields
        return str(self), self.template, self.fields

    def said_in(self, language):
        """The same message in another language."""
        with speaking(language):
            return t(self.template, **{name: value.said_in(language) if isinstance(value, Text) else value
                                       for name, value in self.fields.items()})


def t(template, **fields):
    """The template in the current language, formatted with the fields: a Text."""
    language = current()
    text = template
    if language != ENGLISH:
        translated = catalogue(language).get(template)
        if translated is None:
            MISSES.add((language, template))
        else:
            FOUND.add((language, template))
            text = translated
    return Text(_FORMATTER.format(text, **fields) if fields else text, template, fields)


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
