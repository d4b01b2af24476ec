"""Write the sample submissions that the pipeline and the end-to-end test grade.

    python tools/make_samples.py          # (re)write submitted/<student>/seminar1/
    python tools/make_samples.py --check  # exit 1 if a committed sample is stale

Each sample starts from the release notebook, as a student would:
- sample-correct: every answer filled in with the reference solution (solutions/);
- sample-untouched: the release notebook as handed out;
- sample-mse-bug: correct except MSELoss.backward, which forgets the factor 2.
"""
import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from sync_solutions import expected_answer_sources  # noqa: E402

ASSIGNMENT = "seminar1"
RELEASE = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
SUBMITTED = ROOT / "submitted"
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*\n", re.MULTILINE)

WRITTEN_ANSWERS = {
    "lr_discussion": "Small rates stay on the plateau within 1000 epochs; rates from 1 to 10 leave it, "
                     "faster the larger they are; 30 overshoots and the loss blows up.",
    "mse_discussion": "The boundaries are similar near the data and differ far from it; MSE also "
                      "penalises outputs that are confidently right.",
}
MSE_BUG = ("        return 2 * self.diff / len(self.diff)",
           "        return self.diff / len(self.diff)  # forgot the factor 2")


def solved(grade_id, sources):
    return MARKER.sub("", sources[grade_id] + "\n").rstrip("\n")


def fill(release, answers):
    """A copy of the release notebook with the given answer and written cells filled in."""
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def samples():
    """student id -> notebook."""
    release = nbformat.read(RELEASE, as_version=4)
    sources = expected_answer_sources()
    correct = {grade_id: solved(grade_id, sources) for grade_id in sources}
    correct.update(WRITTEN_ANSWERS)
    buggy = dict(correct)
    buggy["mse_loss"] = correct["mse_loss"].replace(*MSE_BUG)
    assert buggy["mse_loss"] != correct["mse_loss"], "the MSE bug no longer applies to solutions/"
    return {
        "sample-correct": fill(release, correct),
        "sample-untouched": copy.deepcopy(release),
        "sample-mse-bug": fill(release, buggy),
    }


def path_of(student):
    return SUBMITTED / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for student, notebook in samples().items():
        path = path_of(student)
        text = nbformat.writes(notebook) + "\n"
        if path.exists() and path.read_text() == text:
            continue
        stale.append(student)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if args.check and stale:
        sys.exit(f"stale samples: {stale}; run tools/make_samples.py")
    print(f"samples {'stale' if args.check else 'written'}: {stale or 'none'}")


if __name__ == "__main__":
    main()
