"""The formgrader's grading page, whole without a network.

nbgrader's own page (its template `formgrade`) loads MathJax 2 from a CDN: offline its formulas
stay TeX and its script stops at `MathJax is not defined`, before it binds the "?" help and the
keyboard shortcuts. The course's template `nn_formgrade` (templates/nn_formgrade/) is nbgrader's
with one difference in its head: MathJax comes from the Jupyter server itself, where the package
jupyter-server-mathjax (a dependency of the course) serves it. The page also wraps long failure
messages, as the feedback does, and marks the student's own outputs as submitted, not re-run
(checks/engine/outputs.py). `configure(c)` in nbgrader_config.py puts it in place of nbgrader's.
"""
import importlib.util
from pathlib import Path

TEMPLATES = Path(__file__).with_name("templates")


def nbgrader_templates():
    """The folder of the formgrader's own templates in the installed nbgrader, found without
    importing nbgrader's server extension (nbgrader's commands read this configuration too)."""
    return str(Path(importlib.util.find_spec("nbgrader").origin).parent / "server_extensions" / "formgrader" / "templates")


def configure(c):
    """The formgrader renders a submission with nbconvert's HTMLExporter; nbgrader sets its template
    before it reads nbgrader_config.py, so these settings win."""
    nbgrader = nbgrader_templates()
    c.HTMLExporter.template_name = "nn_formgrade"
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), nbgrader]
    # nn_formgrade extends 'formgrade/index.html.j2', found from nbgrader's folder of templates.
    c.HTMLExporter.extra_template_paths = [nbgrader]
