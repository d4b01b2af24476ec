"""Feedback a student can read anywhere: nbgrader's generate_feedback, with the course's template.

- FeedbackGrades: nbgrader's grades, plus which written answers still wait for the
  instructor (nbgrader shows them as "Score: 0.0 / 5.0") and which were left unanswered
  (nbgrader scores an untouched answer 0 by itself: no answer, nothing to wait for), and the
  autograded and written totals apart;
- MathToMathML: the maths of every markdown cell and of the instructor's comments typeset
  once, as MathML, which browsers show without a script or a network (nbgrader's feedback
  loads MathJax from a CDN, so offline every formula stays `$...$`);
- the template templates/nn_feedback: each test named with its points, long messages
  wrapped, its labels in the edition's language (FeedbackGrades finds it in the notebook's
  read-only code, see checks/i18n/).
`configure(c)` in nbgrader_config.py puts them in place.
"""
import re
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor, Preprocessor
from nbgrader.preprocessors import GetGrades
from traitlets import Bool

from ..i18n import language_of, speaking, t
from .written import written_pending, written_unanswered

TEMPLATES = Path(__file__).with_name("templates")

# Code is left alone: fenced blocks, then inline code spans; math is $$...$$ or $...$.
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.DOTALL)
MATH = re.compile(r"(?<![\\$])\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)", re.DOTALL)


def to_mathml(text):
    """Markdown with its $...$ and $$...$$ replaced by MathML; code spans and blocks untouched.
    A formula the converter cannot read stays as it was written."""
    from latex2mathml.converter import convert

    def typeset(match):
        display, inline = match.group(1), match.group(2)
        tex = display if display is not None else inline
        try:
            mathml = convert(tex.strip(), display="block" if display is not None else "inline")
        except Exception:  # latex2mathml raises many kinds; keep the source readable instead
            return match.group(0)
        return mathml

    parts = CODE.split(text)
    return "".join(part if index % 2 else MATH.sub(typeset, part) for index, part in enumerate(parts))


class MathToMathML(Preprocessor):
    """Typeset the maths of markdown cells as MathML."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = to_mathml(cell.source)
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("comment"):  # the formgrader's comment box says it takes Markdown and maths
            meta["comment"] = to_mathml(meta["comment"])
        return cell, resources


class FeedbackGrades(GetGrades):
    """nbgrader's grades, with written answers not graded yet marked `pending` and unanswered ones
    `unanswered`, and the totals: autograded score and maximum, written score and maximum,
    pending count and points."""

    def preprocess(self, nb, resources):
        nb, resources = super().preprocess(nb, resources)
        totals = dict(auto_score=0.0, auto_max=0.0, manual_score=0.0, manual_max=0.0,
                      pending=0, pending_points=0.0)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if not meta.get("grade"):
                continue
            kind = "manual" if meta.get("solution") else "auto"
            totals[f"{kind}_max"] += float(meta.get("points") or 0)
            if meta.get("pending"):
                totals["pending"] += 1
                totals["pending_points"] += float(meta.get("points") or 0)
            else:
                totals[f"{kind}_score"] += float(meta.get("score") or 0)
        resources["nbgrader"].update(totals)
        language = language_of(cell.source for cell in nb.cells if cell.cell_type == "code"
                               and cell.metadata.get("nbgrader", {}).get("locked")
                               and not cell.metadata["nbgrader"].get("grade"))
        resources["nn_words"] = feedback_words(language)
        return nb, resources

    def _get_score(self, cell, resources):
        meta = cell.metadata.nbgrader
        grade = self.gradebook.find_grade(meta["grade_id"], self.notebook_id, self.assignment_id,
                                          self.student_id)
        meta["score"], meta["points"] = grade.score, grade.max_score
        written = bool(meta.get("solution"))
        # A written answer has no autograde: until the instructor grades it, it has no score.
        # One left as handed out nbgrader scores 0 by itself: no answer, nothing to wait for.
        meta["unanswered"] = written and written_unanswered(grade)
        meta["pending"] = written and written_pending(grade)


def feedback_words(language):
    """The template's labels in a language."""
    with speaking(language):
        return {"lang": language, "feedback": t("feedback"), "autograded_points": t("autograded points"),
                "written_answers": t("written answers"), "not_graded_yet": t("not graded yet"),
                "worth": t("(%s points)"), "late_penalty": t("late submission penalty"), "test": t("Test"),
                "written_answer": t("Your written answer"), "answer": t("Your answer"),
                "no_answer": t("no answer"),
                "as_submitted": t("Output as you submitted it: grading did not re-run this cell."),
                "given": t("Given code"), "top": t("(top)"), "comment": t("Comment:")}


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter for feedback only: configuring HTMLExporter itself would also
    change the formgrader's pages, which use it with a template of their own."""


def configure(c):
    """Point nbgrader's generate_feedback at these preprocessors and this template."""
    c.GenerateFeedback.preprocessors = [FeedbackGrades, CSSHTMLHeaderPreprocessor, MathToMathML]
    c.GenerateFeedback.exporter_class = FeedbackExporter
    # Settings of the subclass win over nbgrader's, which it makes for HTMLExporter.
    c.FeedbackExporter.template_name = "nn_feedback"
    c.FeedbackExporter.extra_template_basedirs = [str(TEMPLATES)]
