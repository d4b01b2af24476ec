"""Write the sample submissions that the pipeline and the end-to-end tests grade.

    python tools/make_samples.py [ASSIGNMENT ...]   # (re)write submitted/<student>/<assignment>/
    python tools/make_samples.py --check            # exit 1 if a committed sample is stale

Each sample starts from the assignment's release notebook, as a student would:
- sample-correct: every answer filled in with the reference solution (solutions/);
- sample-untouched: the release notebook as handed out;
- one student with a single bug in one answer (BUGS below), graded 0 on that part only.
An edition in another language (seminar1_ru) gets the same three students: the same answers
and the same bug, its comments and the written answers in its language, so that its
scores are those of the English samples.
"""
import argparse
import copy
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402
from sync_course import expected_cells, without_markers  # noqa: E402

# The written answers of the correct sample, per assignment.
WRITTEN_ANSWERS = {
    "seminar1": {
        "lr_discussion": "Rates 0.1 and 0.3 stay on the plateau within 1000 epochs; 1 and 3 leave it and "
                         "converge for every seed, sooner at 3; at 10 the loss jumps around and most runs fail, "
                         "and at 30 every run fails because the sigmoids saturate.",
        "mse_discussion": "NLL trains at rates 1 and 3, MSE only at 0.3, and MSE blows up from 1 on: its "
                          "gradient 2(X - Y)/N grows with the error, NLL's (P - onehot)/N is bounded, and its "
                          "curvature at the start, about 7 against NLL's 1.2, allows rates up to about 0.28 only. "
                          "The boundaries agree near the data and differ away from it.",
    },
    "seminar2": {
        "activations_discussion": "Each sigmoid layer multiplies the gradient by at most 1/4, so the first "
                                  "layer's gradient is about 100 times smaller than the last one's and the "
                                  "early layers barely learn; tanh, ReLU and ELU keep slope 1.",
        "batch_size_discussion": "Small batches make more steps per epoch and get further at the same rate, "
                                 "but fail first at large rates; large batches need larger rates and are "
                                 "faster per epoch.",
        "mistakes_discussion": "About 8 of 359 are wrong, scattered over many pairs; the network gives its "
                               "worst mistakes probabilities above 0.9, so it is overconfident.",
    },
    "seminar1_ru": {
        "lr_discussion": "При 0.1 и 0.3 сеть за 1000 эпох не уходит с плато; при 1 и 3 уходит и сходится при "
                         "любом seed, при 3 раньше; при 10 потери скачут и большинство запусков проваливается, а "
                         "при 30 проваливаются все, потому что сигмоиды насыщаются.",
        "mse_discussion": "NLL обучается при скоростях 1 и 3, MSE — только при 0.3, а начиная с 1 MSE расходится: "
                          "её градиент 2(X - Y)/N растёт вместе с ошибкой, а у NLL (P - onehot)/N ограничен, и её "
                          "кривизна в начале, около 7 против 1.2 у NLL, допускает скорости не больше примерно 0.28. "
                          "Границы совпадают рядом с данными и различаются вдали от них.",
    },
    "seminar2_ru": {
        "activations_discussion": "Каждый слой сигмоиды умножает градиент не больше чем на 1/4, так что градиент "
                                  "первого слоя примерно в 100 раз меньше, чем у последнего, и первые слои почти "
                                  "не учатся; у tanh, ReLU и ELU наклон 1.",
        "batch_size_discussion": "Маленькие батчи делают больше шагов за эпоху и при той же скорости уходят "
                                 "дальше, но первыми проваливаются при больших скоростях; большим батчам нужны "
                                 "большие скорости, зато эпоха проходит быстрее.",
        "mistakes_discussion": "Неверно распознано около 8 из 359, ошибки разбросаны по многим парам; худшим "
                               "ошибкам сеть даёт вероятности больше 0.9, то есть она самоуверенна.",
    },
}
# student -> (answer grade_id, a line of the reference solution, the line with the bug)
BUGS = {
    "seminar1": {"sample-one-bug": ("mse_loss", "        return 2 * self.diff / len(self.diff)",
                                    "        return self.diff / len(self.diff)  # forgot the factor 2")},
    "seminar2": {"sample-one-bug": ("predict", "    return np.argmax(network.forward(X), axis=1)",
                                    "    return np.argmax(network.forward(X), axis=0)  # over the batch")},
}
# The editions' samples have the English bugs, with the bug's comment in their language.
BUG_COMMENTS = {"ru": {"# forgot the factor 2": "# забыт множитель 2", "# over the batch": "# по батчу"}}
for _base, _language in course.translations():
    BUGS[f"{_base}_{_language}"] = {
        student: (grade_id, right, wrong.replace(*next((english, translated)
                                                       for english, translated in BUG_COMMENTS[_language].items()
                                                       if english in wrong)))
        for student, (grade_id, right, wrong) in BUGS[_base].items()}


def fill(release, answers):
    """A copy of the release notebook with the given answer and written cells filled in."""
    notebook = copy.deepcopy(release)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def samples(assignment):
    """student id -> notebook, for one assignment."""
    release = nbformat.read(course.release_notebook(assignment), as_version=4)
    answers = course.solutions_of(assignment).ANSWER_CELLS
    sources = expected_cells(assignment)
    correct = {grade_id: without_markers(sources[grade_id][0]) for grade_id in answers}
    correct.update(WRITTEN_ANSWERS.get(assignment, {}))
    made = {"sample-correct": fill(release, correct), "sample-untouched": copy.deepcopy(release)}
    for student, (grade_id, right, wrong) in BUGS.get(assignment, {}).items():
        buggy = dict(correct)
        buggy[grade_id] = correct[grade_id].replace(right, wrong)
        assert buggy[grade_id] != correct[grade_id], f"{student}'s bug no longer applies to solutions/"
        made[student] = fill(release, buggy)
    return made


def path_of(student, assignment):
    return course.ROOT / "submitted" / student / assignment / f"{assignment}.ipynb"


def text_of(notebook):
    return nbformat.writes(notebook) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment under source/")
    parser.add_argument("--check", action="store_true", help="only report stale samples; exit 1 if any")
    args = parser.parse_args()
    stale = []
    for assignment in args.assignments or course.assignments():
        for student, notebook in samples(assignment).items():
            path = path_of(student, assignment)
            if path.exists() and path.read_text() == text_of(notebook):
                continue
            stale.append(f"{student}/{assignment}")
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text_of(notebook))
    if args.check and stale:
        sys.exit(f"stale samples: {', '.join(stale)}; run tools/make_samples.py")
    print(f"samples {'stale' if args.check else 'written'}: {', '.join(stale) or 'none'}")


if __name__ == "__main__":
    main()
