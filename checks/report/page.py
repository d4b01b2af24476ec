"""The report as one HTML file that needs nothing else: no script, no network, its plots inside.

The tables are sorted as the instructor reads them: the test cells worst first, the mistakes
most students first, the holes kind by kind. Student lists fold away (<details>) so that a
mistake of two hundred students stays one row.
"""
import html
import statistics
import time

from . import plots
from .failures import HOLE_WORDS

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5em auto;
       max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
p.lead { color: #555; margin-top: 0; }
p.how { color: #555; max-width: 60em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; margin: 0.6em 0; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
th { background: #f3f5f8; }
tr:nth-child(even) td { background: #fafbfc; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.message { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 24em; max-width: 44em; }
tr.kind td { background: #eef2f7; font-weight: 600; }
tr.kind td span { font-weight: normal; color: #555; }
code.id { display: block; color: #777; font-size: 0.85em; margin-top: 0.3em; white-space: pre-wrap;
          overflow-wrap: anywhere; }
details summary { cursor: pointer; color: #245; }
details ul { margin: 0.3em 0; padding-left: 1.2em; columns: 2; }
img { max-width: 100%; }
.bad { color: #a94442; }
.none { color: #777; font-style: italic; }
"""


def _e(text):
    return html.escape(str(text))


def _n(value, digits=1):
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def cells(grade_ids):
    return "<br>".join(_e(grade_id) for grade_id in sorted(grade_ids))


def _share(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "-"


class Page:
    def __init__(self, figures, language):
        self.figures, self.results, self.language = figures, figures.results, language
        self.editions = len(self.results.assignments) > 1
        self.names = {(s.assignment, s.student): s.name for s in self.results.submissions}
        self.parts = {part.grade_id: part for part in self.results.parts}

    # -- helpers
    def who(self, assignment, student, name=None):
        name = name or self.names.get((assignment, student), student)
        edition = f" · {assignment}" if self.editions else ""
        return f'<span title="{_e(student)}">{_e(name)}</span>{_e(edition)}'

    def students(self, keys):
        keys = sorted(keys, key=lambda key: (self.names.get(key, key[1]), key))
        items = "".join(f"<li>{self.who(*key)}</li>" for key in keys)
        count = f"{len(keys)} student{'s' if len(keys) != 1 else ''}"
        return f"<details><summary>{count}</summary><ul>{items}</ul></details>"

    def read(self, texts, others):
        """A visible test's words, as the students of the chosen language read them, and how many."""
        lines = [f"{_e(text)} <span class=none>({count})</span>" for text, count in texts]
        if others:
            lines.append(f"<span class=none>and {others} message(s) in another edition's language</span>")
        return f"<td class=message>{'<br>'.join(lines)}</td>"

    def part(self, grade_id):
        part = self.parts.get(grade_id)
        return _e(part.label if part else grade_id or "-")

    @staticmethod
    def table(headers, rows, numeric=()):
        """rows: lists of cells (HTML; a cell that is a whole <td> stays as it is), or a whole <tr>."""
        head = "".join(f'<th{" class=n" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(headers))
        body = "".join(row if isinstance(row, str) else
                       "<tr>" + "".join(cell if cell.startswith("<td") else
                                        f'<td{" class=n" if i in numeric else ""}>{cell}</td>'
                                        for i, cell in enumerate(row)) + "</tr>" for row in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    # -- sections
    def header(self):
        results, figures = self.results, self.figures
        counts = {}
        for submission in results.submissions:
            counts[submission.assignment] = counts.get(submission.assignment, 0) + 1
        graded = len(results.submissions)
        by_edition = f" ({', '.join(f'{a}: {counts.get(a, 0)}' for a in results.assignments)})" if self.editions else ""
        median = f"{statistics.median(figures.totals):g}" if figures.totals else "-"
        pending = sum(len(students) for students in figures.pending.values())
        lines = [f"{graded} graded submission{'s' if graded != 1 else ''}{by_edition}, median "
                 f"{median} of {results.max_score:g} autograded points; "
                 f"{len(figures.mistakes)} named mistakes, {sum(len(g.messages) for g in figures.holes)} failed test "
                 f"cells that no message names, {pending} written answers to grade, "
                 f"{len(results.ungraded)} submissions not graded, failed or timed out."]
        if results.without_results:
            lines.append(f"{results.without_results} graded submission(s) have no results in the ledger "
                         "(graded without `nn-grade grade`): their points count, their failures are not in the "
                         "tables.")
        nav = "".join(f'<a href="#{anchor}">{_e(title)}</a>' for anchor, title in SECTIONS)
        return (f"<h1>{_e(' + '.join(results.assignments))}: what the class got wrong</h1>"
                f"<p class=lead>{'<br>'.join(_e(line) for line in lines)}<br>Written "
                f"{_e(time.strftime('%Y-%m-%d %H:%M'))}; mistakes in the language "
                f"<code>{_e(self.language)}</code>.</p><nav>{nav}</nav>")

    def scores(self):
        figures, results = self.figures, self.results
        if not figures.totals:
            return '<h2 id="scores">Scores</h2><p class=none>No graded submission yet.</p>'
        rows = [[_e(c.grade_id), self.part(c.part), _n(c.points), _n(c.median), f"{_n(c.q1)}–{_n(c.q3)}",
                 _n(round(c.mean, 2), 2), _share(c.full, 1), _share(c.zero, 1)] for c in figures.cells]
        return (f'<h2 id="scores">Scores</h2>'
                f'<p class=how>The autograded points of each graded submission, then of each part; the dashed '
                f'line is the median. Below, every test cell, the worst first (by its mean share of points): '
                f'its median, the middle half of the class, and how many got all or none of its points.</p>'
                f'<img alt="histogram of the autograded points" '
                f'src="{plots.total_histogram(figures.totals, results.max_score)}">'
                f'<img alt="histograms of the points of each part" '
                f'src="{plots.part_histograms(results.parts, figures.part_scores)}">'
                + self.table(["test cell", "part", "points", "median", "middle half", "mean", "all points", "none"],
                             rows, numeric=(2, 3, 4, 5, 6, 7)))

    def mistakes(self):
        figures = self.figures
        rows = [[str(index), f'<td class=message lang="{_e(self.language)}">{_e(g.example(self.language))}'
                             f'<code class=id>{_e(g.key)}</code></td>',
                 self.part(g.part), cells(g.cells), str(g.students), _share(g.students, figures.analysed),
                 _n(g.points), self.students(g.lost)]
                for index, g in enumerate(figures.mistakes, 1)]
        table = self.table(["#", "mistake (what a student reads; its id below)", "part", "test cells", "students",
                            "share", "points lost", "who"], rows, numeric=(0, 4, 5, 6)) if rows else \
            "<p class=none>No named mistake.</p>"
        return ('<h2 id="mistakes">Named mistakes</h2>'
                '<p class=how>Each mistake a hidden check named, most students first: one student\'s message, in '
                'the language chosen, and its id (the English template of the message, with the ids of the '
                'messages inside it), which is the same in every edition. Share: of the graded submissions '
                'with results. Points lost: in all, over the test cells it failed.</p>' + table)

    def visible(self):
        figures = self.figures
        rows = [[_e(g.key), self.part(g.part), str(g.students), _share(g.students, figures.analysed), _n(g.points),
                 self.read(*g.texts(self.language)), self.students(g.lost)] for g in figures.visible]
        table = self.table(["visible test", "part", "students", "share", "points lost", "what they read (how many)",
                            "who"], rows, numeric=(2, 3, 4)) if rows else \
            "<p class=none>No visible test failed its assert.</p>"
        return ('<h2 id="visible">Visible tests\' asserts</h2>'
                '<p class=how>The visible tests\' own asserts, by test cell: their words are the notebook\'s '
                '(in each edition\'s language), the most read first. The hidden twin of a test usually names '
                'the mistake above.</p>' + table)

    def holes(self):
        rows, kind = [], None
        for g in self.figures.holes:
            if g.kind != kind:
                kind = g.kind
                rows.append(f'<tr class=kind><td colspan=7>{_e(kind)}: <span>{_e(HOLE_WORDS[kind])}</span></td></tr>')
            rows.append([_e(g.key or "-"), self.part(g.part), cells(g.cells), str(g.students), _n(g.points),
                         f'<td class=message>{_e(g.example(self.language))}</td>', self.students(g.lost)])
        table = self.table(["exception", "part", "test cells", "students", "points lost", "for example", "who"],
                           rows, numeric=(3, 4)) if rows else "<p class=none>Every failure was named.</p>"
        return ('<h2 id="holes">Failures no message names</h2>'
                '<p class=how>Failures that no catalogued message explains, kind by kind: exceptions, verdicts '
                'without an id, tests stopped for time, crashed processes, and parts not written at all. A '
                'frequent exception here is a mistake the checks could name.</p>' + table)

    def lost_most(self):
        rows = [[self.who(s.assignment, s.student), _n(s.score), _n(s.lost),
                 _e(", ".join(f"{part or 'other'} {_n(points)}" for part, points in
                              sorted(lost.items(), key=lambda item: -item[1])))]
                for s, lost in self.figures.lost_most]
        table = self.table(["student", "points", "lost", "lost on (part and points)"], rows, numeric=(1, 2)) \
            if rows else "<p class=none>Nobody lost a point.</p>"
        return ('<h2 id="lost">Students who lost most</h2>'
                f'<p class=how>The {len(rows)} graded submissions with the fewest autograded points, and where '
                'they lost them.</p>' + table)

    def ungraded(self):
        rows = [[self.who(u.assignment, u.student, u.name), f'<span class=bad>{_e(u.status)}</span>', _e(u.reason)]
                for u in sorted(self.results.ungraded, key=lambda u: (u.status, u.name, u.assignment))]
        table = self.table(["student", "status", "why"], rows) if rows else \
            "<p class=none>Every submission was graded.</p>"
        return ('<h2 id="ungraded">Not graded, failed or timed out</h2>'
                '<p class=how>Submissions without a grade (a broken or misplaced file, a grading that failed), '
                'and grades with a test stopped for time, which the next <code>nn-grade grade</code> grades '
                'again.</p>' + table)

    def written(self):
        rows = [[_e(grade_id), _n(self.results.written[grade_id]), str(len(students)),
                 self.students([(s.assignment, s.student) for s in students]) if students else ""]
                for grade_id, students in self.figures.pending.items()]
        table = self.table(["written answer", "points", "to grade", "who"], rows, numeric=(1, 2)) if rows else \
            "<p class=none>The assignment has no written answers.</p>"
        return ('<h2 id="written">Written answers to grade</h2>'
                '<p class=how>The written answers not yet graded by hand (the formgrader\'s Manual Grading).</p>'
                + table)

    def render(self):
        body = "".join(section(self) for section in
                       (Page.header, Page.scores, Page.mistakes, Page.visible, Page.holes, Page.lost_most,
                        Page.ungraded, Page.written))
        return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                f'<title>{_e(" + ".join(self.results.assignments))}: class report</title>'
                f"<style>{STYLE}</style></head><body>{body}</body></html>\n")


SECTIONS = [("scores", "Scores"), ("mistakes", "Named mistakes"), ("visible", "Visible tests"),
            ("holes", "Failures no message names"), ("lost", "Lost most"), ("ungraded", "Not graded"),
            ("written", "Written answers")]


def render(figures, language):
    """The report's HTML."""
    return Page(figures, language).render()
