"""The figures of the report, from the class's results: scores per test cell, part and
assignment; the mistakes and the holes, sorted; who lost most; the written answers to grade."""
from dataclasses import dataclass

import numpy as np

from .failures import HOLES, MISTAKE, VISIBLE, group_failures


@dataclass
class CellFigures:
    grade_id: str
    part: str
    points: float
    median: float
    q1: float            # the spread: the middle half of the class lies between q1 and q3
    q3: float
    mean: float
    full: float          # the share of the class with every point
    zero: float          # the share with none


@dataclass
class Figures:
    results: object          # ClassResults
    cells: list              # [CellFigures], worst first
    totals: list             # autograded points of each graded submission
    part_scores: dict        # {part grade_id: [points of each graded submission]}
    mistakes: list           # [Group] of named mistakes, most students first
    visible: list            # [Group] of the visible tests' own asserts, by test cell
    holes: list              # [Group] of the failures no catalogued message names, by kind
    lost_most: list          # [(Submission, {part: points lost})], most lost first
    pending: dict            # {written answer grade_id: [Submission]} not yet graded by hand
    analysed: int            # graded submissions whose failures are known (a ledger result)


def _order(groups, *kinds):
    """The groups of these kinds, kind by kind in that order, most students first."""
    rank = {kind: index for index, kind in enumerate(kinds)}
    return sorted((g for g in groups if g.kind in rank),
                  key=lambda g: (rank[g.kind], -g.students, -g.points, g.part, g.key))


def figures(results, lost_most=15):
    submissions = results.submissions
    cells = []
    for test in results.tests:
        scores = np.array([s.scores.get(test.grade_id, (0.0, test.points))[0] for s in submissions] or [0.0])
        q1, q3 = np.percentile(scores, [25, 75], method="nearest")  # scores students have, not between them
        median = np.median(scores)
        top = test.points or 1.0
        cells.append(CellFigures(test.grade_id, test.part, test.points, float(median), float(q1), float(q3),
                                 float(scores.mean()), float(np.mean(scores >= top - 1e-9)),
                                 float(np.mean(scores <= 1e-9))))
    cells.sort(key=lambda c: (c.mean / (c.points or 1.0), c.median / (c.points or 1.0), c.grade_id))
    part_of = {test.grade_id: test.part for test in results.tests}
    part_scores = {part.grade_id: [] for part in results.parts}
    lost = []
    for submission in submissions:
        per_part = {part.grade_id: 0.0 for part in results.parts}
        lost_per_part = dict(per_part)
        for grade_id, (score, maximum) in submission.scores.items():
            if grade_id in part_of:
                per_part[part_of[grade_id]] += score
                lost_per_part[part_of[grade_id]] += maximum - score
        for part, score in per_part.items():
            part_scores[part].append(score)
        lost.append((submission, {part: points for part, points in lost_per_part.items() if points > 0}))
    lost.sort(key=lambda item: (-item[0].lost, item[0].name, item[0].assignment))
    groups = group_failures([s for s in submissions if s.cells is not None], results.tests)
    pending = {grade_id: [s for s in submissions if s.written.get(grade_id)] for grade_id in results.written}
    return Figures(results, cells, [s.score for s in submissions], part_scores,
                   _order(groups, MISTAKE), _order(groups, VISIBLE), _order(groups, *HOLES),
                   [item for item in lost if item[0].lost > 0][:lost_most], pending,
                   sum(1 for s in submissions if s.cells is not None))
