"""Seminar 2's hidden checks: the reference passes them, other correct styles pass them, every
mistake of the catalogue (tests/mutants_seminar2.py) is caught by the cell meant for it with a
message that names it, and each part is graded on its own, in-process and through the real
sandboxed grader."""
import json
import subprocess

import nbformat
import numpy as np
import pytest

import solutions.seminar2 as solutions
from checks.kit import GradingFailure
from checks.seminar2 import hidden

from cells import ChecksOf, graded_whole, release_stubs, style_rounds
from conftest import BIN, ROOT
from mutants_seminar2 import ALSO_LOSES, ALTERNATIVES, MUTANTS, answer_name, build, keywords, mutant_source

import make_samples  # noqa: E402  (tools/, on the path through mutants_seminar2)

ANSWERS = list(solutions.ANSWER_CELLS)
# The visible test that checks what each hidden check checks: a mistake may cost both, and nothing
# else of its part (unless ALSO_LOSES says why).
TWINS = {
    "relu_forward_hidden": "relu_forward", "relu_backward_hidden": "relu_backward",
    "tanh_forward_hidden": "tanh_forward", "tanh_backward_hidden": "tanh_backward",
    "tanh_stability_hidden": None,
    "elu_forward_hidden": "elu_forward", "elu_backward_hidden": "elu_backward", "elu_stability_hidden": None,
    "make_mlp_hidden": "make_mlp_layers", "make_mlp_init_hidden": "make_mlp_init",
    "iterate_minibatches_hidden": "iterate_minibatches_epoch",
    "iterate_minibatches_shuffle_hidden": "iterate_minibatches_shuffle",
    "predict_hidden": "predict_values", "accuracy_hidden": "accuracy_values",
    "fit_hidden": "fit_steps", "fit_history_hidden": "fit_history", "fit_converges": None,
    "momentum_hidden": "momentum_step", "momentum_bias_hidden": "momentum_bias",
}
SAMPLE = ROOT / "submitted" / "sample-correct" / "seminar2" / "seminar2.ipynb"


def grade(grade_id, *answers):
    hidden.grade(grade_id, *answers)


CHECKS = ChecksOf(hidden, solutions)
answers_for, checks_of, own_checks = CHECKS.answers_for, CHECKS.checks_of, CHECKS.own_checks


def part(answer):
    return getattr(pytest.mark, answer)


def mutant_id(case):
    return f"{case[0]}: {case[1]}"


@pytest.mark.parametrize("grade_id", list(hidden.checks))
def test_reference_passes_every_hidden_check(grade_id):
    grade(grade_id, *answers_for(grade_id))


@pytest.mark.parametrize("case", [pytest.param(case, id=mutant_id(case), marks=part(case[0])) for case in MUTANTS])
def test_mistake_is_caught_by_its_cell(case):
    answer, _, _, grade_id, _ = case
    assert grade_id in own_checks(answer)
    wrong = build(answer, mutant_source(case))
    np.random.seed(123)
    with pytest.raises(GradingFailure) as failure:
        grade(grade_id, *answers_for(grade_id, {answer_name(answer): wrong}))
    message = str(failure.value)
    assert keywords(case).search(message), message
    assert "Traceback" not in message and len(message) > 30


@pytest.mark.parametrize("answer, style, source", [
    pytest.param(*case, id=f"{case[0]}: {case[1]}", marks=part(case[0])) for case in ALTERNATIVES])
def test_other_correct_styles_get_full_marks(answer, style, source):
    right = build(answer, source)
    for grade_id in checks_of(answer):
        grade(grade_id, *answers_for(grade_id, {answer_name(answer): right}))


@pytest.mark.parametrize("answer", ANSWERS)
def test_every_answer_has_mutants_alternatives_and_a_hidden_check(answer):
    assert any(case[0] == answer for case in MUTANTS)
    assert any(case[0] == answer for case in ALTERNATIVES)
    assert own_checks(answer)


def test_every_hidden_check_catches_some_mistake():
    assert {case[3] for case in MUTANTS} >= set(hidden.checks) - {"fit_converges"}
    assert set(TWINS) == set(hidden.checks)
    assert set(ALSO_LOSES) <= {mutant_id(case) for case in MUTANTS}


@pytest.mark.fit
def test_convergence_needs_each_brick_it_trains():
    cases = {mutant_id(case): case for case in MUTANTS}
    for name in ("relu: backward ignores dL/dY", "iterate_minibatches: X and y shuffled with two different orders",
                 "fit: no step", "fit: step before backward"):
        case = cases[name]
        wrong = build(case[0], mutant_source(case))
        with pytest.raises(GradingFailure, match="did not converge|raised"):
            grade("fit_converges", *answers_for("fit_converges", {answer_name(case[0]): wrong}))


@pytest.mark.fit
def test_convergence_has_room_to_spare_whatever_the_shuffle():
    """The reference's best epoch stays above 96%, well clear of the 95% the check asks, with the
    check's weights and 30 other shuffles than the check's own."""
    import math
    from checks.seminar2 import CONVERGENCE, _replay, digits
    data, budget = digits(), CONVERGENCE
    init = np.random.RandomState(budget["seed"])
    start = [(init.randn(n_in, n_out) * math.sqrt(2 / n_in), np.zeros(n_out))
             for n_in, n_out in zip(budget["sizes"][:-1], budget["sizes"][1:])]
    best = []
    for seed in range(30):
        rng = np.random.default_rng(1000 + seed)
        epochs = [solutions.iterate_minibatches(data["X_train"], data["y_train"], budget["batch_size"], rng)
                  for _ in range(budget["n_epochs"])]
        best.append(max(_replay(start, epochs, budget["learning_rate"], data["X_val"], data["y_val"])[1]))
    assert min(best) > 0.96, sorted(best)[:5]


@pytest.mark.fit
def test_convergence_does_not_need_a_shuffle_like_the_reference():
    """Any correct shuffle converges: the check's margin is not tuned to rng.permutation's order."""
    for _, style, source in [case for case in ALTERNATIVES if case[0] == "iterate_minibatches"]:
        grade("fit_converges", *answers_for("fit_converges",
                                            {"iterate_minibatches": build("iterate_minibatches", source)}))


@pytest.mark.elu
def test_message_names_the_wrong_derivative():
    case = next(case for case in MUTANTS if case[1] == "derivative 2 for x > 0")
    with pytest.raises(GradingFailure, match=r"is wrong where X > 0: at X = [\d.]+ it gives dL/dX = 2 \* dL/dY, "
                                             r"but the derivative there is 1"):
        grade("elu_backward_hidden", build("elu", mutant_source(case)))


@pytest.mark.elu
def test_a_wrong_derivative_costs_only_the_backward_checks():
    case = next(case for case in MUTANTS if case[1] == "derivative 2 for x > 0")
    wrong = build("elu", mutant_source(case))
    for grade_id in ("elu_forward_hidden", "elu_stability_hidden"):
        grade(grade_id, wrong)


@pytest.mark.elu
def test_a_harmless_overflow_warning_gets_advice_and_full_marks(capsys):
    source = next(source for answer, style, source in ALTERNATIVES if answer == "elu" and "warns" in style)
    grade("elu_stability_hidden", build("elu", source))
    assert "Advice: your ELU gives the right values, but numpy warns of an overflow" in capsys.readouterr().out


@pytest.mark.iterate_minibatches
def test_same_answer_same_verdict():
    """The student's global random state does not change a verdict or its message."""
    case = next(case for case in MUTANTS if case[1] == "np.random instead of rng")
    wrong = build("iterate_minibatches", mutant_source(case))
    messages = set()
    for seed in (0, 1):
        np.random.seed(seed)
        with pytest.raises(GradingFailure) as failure:
            grade("iterate_minibatches_shuffle_hidden", wrong)
        messages.add(str(failure.value))
    assert len(messages) == 1, messages


# ---------------------------------------------------------------- through the real grader

def notebook_with(answers):
    """The correct sample with some answer cells replaced: {answer grade_id: source}."""
    return make_samples.fill(nbformat.read(SAMPLE, as_version=4), answers)


def grade_in_sandbox(path):
    """{test grade_id: (points, max_points, message)} from `nn-grade grade-file` on one notebook."""
    result = subprocess.run([str(BIN / "nn-grade"), "grade-file", str(path), "--assignment", "seminar2",
                             "--course-dir", str(ROOT), "--json"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = json.loads(result.stdout)["cells"]
    return {grade_id: (cell["points"], cell["max_points"], cell.get("message", "")) for grade_id, cell in cells.items()}


def rounds():
    """The mutants in rounds of at most one per answer: each round is one submission, and since
    parts are graded on their own, each mutant must lose only its own part's cells."""
    by_answer = {answer: [case for case in MUTANTS if case[0] == answer] for answer in ANSWERS}
    return [[cases[k] for cases in by_answer.values() if k < len(cases)]
            for k in range(max(len(cases) for cases in by_answer.values()))]


def submissions():
    """name -> {answer grade_id: source}: every notebook these tests grade in the sandbox."""
    made = {f"round{k}": {case[0]: mutant_source(case) for case in cases} for k, cases in enumerate(rounds())}
    made.update({f"styles{k}": answers for k, answers in enumerate(style_rounds(ALTERNATIVES))})
    stubs = release_stubs("seminar2", ANSWERS)
    made["stub-neighbours"] = {answer: stubs[answer] for answer in ANSWERS if answer not in ("fit", "momentum")}
    made["stub-others"] = {answer: stubs[answer] for answer in ("tanh", "elu", "make_mlp", "predict", "accuracy")}
    return made


@pytest.fixture(scope="module")
def sandbox_scores(tmp_path_factory):
    """Each submission graded once by the real grader, two at a time."""
    return graded_whole(tmp_path_factory.mktemp("seminar2-submissions"), submissions(), notebook_with,
                        grade_in_sandbox)


@pytest.mark.parametrize("index", range(len(rounds())))
def test_mistakes_through_the_sandbox(sandbox_scores, index):
    cases = rounds()[index]
    scores = sandbox_scores[f"round{index}"]
    may_lose = {"fit_converges"}
    for case in cases:
        points, _, message = scores[case[3]]
        assert points == 0, f"{mutant_id(case)}: {case[3]} kept its points"
        assert keywords(case).search(message), f"{mutant_id(case)}: {message}"
        assert "Traceback" not in message
        may_lose |= {case[3], TWINS[case[3]]} | ALSO_LOSES.get(mutant_id(case), set())
    lost = {grade_id: message for grade_id, (points, max_points, message) in scores.items()
            if points != max_points and grade_id not in may_lose}
    assert not lost, f"cells lost for mistakes that are not theirs: {lost}"


@pytest.mark.parametrize("index", range(len(style_rounds(ALTERNATIVES))))
def test_other_styles_through_the_sandbox(sandbox_scores, index):
    """Visible and hidden tests alike: what the notebook accepts, grading accepts."""
    lost = {grade_id: message for grade_id, (points, max_points, message) in sandbox_scores[f"styles{index}"].items()
            if points != max_points}
    assert not lost, lost


@pytest.mark.fit
def test_fit_keeps_its_points_when_its_neighbours_are_stubs(sandbox_scores):
    """Untouched activations, make_mlp, iterate_minibatches, predict and accuracy cost fit nothing but
    the convergence test, which trains ReLU and iterate_minibatches."""
    scores = sandbox_scores["stub-neighbours"]
    assert {grade_id: scores[grade_id][0] for grade_id in scores if grade_id.startswith(("fit_", "momentum_"))} == {
        "fit_steps": 2, "fit_history": 2, "fit_hidden": 5, "fit_history_hidden": 3, "fit_converges": 0,
        "momentum_step": 2, "momentum_bias": 2, "momentum_hidden": 4, "momentum_bias_hidden": 3}
    assert "NotImplementedError" in scores["fit_converges"][2]
    scores = sandbox_scores["stub-others"]
    assert scores["fit_converges"][0] == 10, scores["fit_converges"]
