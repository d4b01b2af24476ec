"""nn-grade grade-file: one notebook, no course set-up, the same scores as a course run."""
import json
import sys

import pytest

from conftest import ROOT, run_tool
from test_end_to_end import EXPECTED

pytestmark = pytest.mark.nbgrader
NN_GRADE = [sys.executable, "-m", "checks.engine.cli"]


def grade_file(path, *extra, check=True):
    return run_tool(*NN_GRADE, "grade-file", path, "--assignment", "seminar1", "--course-dir", ROOT,
                    *extra, check=check)


@pytest.mark.parametrize("student", list(EXPECTED))
def test_same_scores_as_autograde(student):
    result = json.loads(grade_file(ROOT / "submitted" / student / "seminar1" / "seminar1.ipynb",
                                   "--json").stdout)
    assert {cell: data["points"] for cell, data in result["cells"].items()} == EXPECTED[student]
    assert result["total"] == sum(EXPECTED[student].values()) and result["max_total"] == 100


def test_text_output_names_the_failures():
    out = grade_file(ROOT / "submitted" / "sample-one-bug" / "seminar1" / "seminar1.ipynb").stdout
    assert "mse_loss_hidden" in out and "0/7" in out and "total: 90/100" in out


def test_unreadable_notebook_is_reported(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    result = grade_file(broken, "--json", check=False)
    assert result.returncode == 2
    assert "could not be read" in json.loads(result.stdout)["error"]
