"""The report's histograms, as PNG images inside the page (data: URIs), so it needs no network
and no other file. matplotlib's object interface, without pyplot: no global state, no backend
to choose, nothing shown."""
import base64
import io
import math

import numpy as np

COLOUR = "#4a7fb5"


def _bins(maximum):
    """Edges of about 20 bins of whole points from 0 to maximum, the last one closed."""
    width = max(1, math.ceil(maximum / 20)) if maximum > 0 else 1
    edges = list(np.arange(0, maximum + width, width, dtype=float))
    return edges if len(edges) > 1 else [0.0, 1.0]


def _histogram(axes, values, maximum, title=None):
    edges = _bins(maximum)
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    axes.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=COLOUR, edgecolor="white")
    if len(values):
        median = float(np.median(values))
        axes.axvline(median, color="#c0392b", linestyle="--", linewidth=1.2, label=f"median {median:g}")
        axes.legend(loc="upper center", fontsize="small", frameon=False)
    axes.set_xlim(edges[0], edges[-1])
    axes.set_ylabel("students")
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, fontsize="medium")


def _png(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)  # laid out by the figure itself: one drawing, not two
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def total_histogram(totals, maximum):
    """The autograded points of the class, as a PNG data URI."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.8), layout="constrained")
    axes = figure.add_subplot()
    _histogram(axes, totals, maximum)
    axes.set_xlabel(f"autograded points (of {maximum:g})")
    return _png(figure)


def part_histograms(parts, part_scores):
    """Each part's points, small multiples in one PNG data URI."""
    from matplotlib.figure import Figure

    columns = 3
    rows = max(1, math.ceil(len(parts) / columns))
    figure = Figure(figsize=(10, 2.3 * rows), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False)
    for axes, part in zip(grid.flat, parts):
        _histogram(axes, part_scores[part.grade_id], part.points, f"{part.label}: of {part.points:g}")
    for axes in list(grid.flat)[len(parts):]:
        axes.set_visible(False)
    return _png(figure)
