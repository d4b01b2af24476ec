"""Seminar 3's hidden checks: the reference passes them, other correct styles pass them, every mistake
of the catalogue (tests/mutants_seminar3.py) is caught by the cell meant for it with a message that
names it, and each part is graded on its own, in-process and through the real sandboxed student
process (the answers' cells run there beside the given bricks, as grading runs them)."""
import json
import math
import subprocess

import nbformat
import numpy as np
import pytest

import solutions.seminar3 as solutions
import solutions.seminar3.course as solutions_course
from checks.kit import GradingFailure
from checks.seminar3 import CONVERGENCE, convergence_start, digits, hidden

from mutants_seminar3 import (ALSO_LOSES, ALTERNATIVES, MUTANTS, answer_name, build, given_source, keywords,
                              mutant_id, mutant_source, reference_source)
from cells import ChecksOf, graded_whole, release_stubs, style_rounds
from conftest import BIN, ROOT

import make_samples  # noqa: E402  (tools/, on the path through conftest)

ANSWERS = list(solutions.ANSWER_CELLS)


def grade(grade_id, *answers):
    hidden.grade(grade_id, *answers)


CHECKS = ChecksOf(hidden, solutions)
answers_for, checks_of, own_checks = CHECKS.answers_for, CHECKS.checks_of, CHECKS.own_checks


def part(answer):
    return getattr(pytest.mark, answer)


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


def test_mistakes_are_named_in_russian():
    """The Russian edition's hidden cells call the checks with language="ru": every message of the
    catalogue's mistakes is said in Russian, none falls back to English."""
    from checks import i18n
    i18n.MISSES.clear()
    for case in MUTANTS:
        wrong = build(case[0], mutant_source(case))
        np.random.seed(123)
        with pytest.raises(GradingFailure) as failure:
            hidden.grade(case[3], *answers_for(case[3], {answer_name(case[0]): wrong}), language="ru")
        assert any("а" <= letter <= "я" for letter in str(failure.value).lower()), str(failure.value)
    assert not {template for language, template in i18n.MISSES if language == "ru"}


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
    assert set(ALSO_LOSES) <= {mutant_id(case) for case in MUTANTS}


def test_the_issues_catalogue_is_there():
    """Each mistake the issue lists, caught by its own cell."""
    caught = {mutant_id(case): case[3] for case in MUTANTS}
    assert {name: caught.get(name) for name in (
        "batchnorm: dL/dX without the terms through the mean and the variance",
        "batchnorm: running averages updated in evaluation", "dropout: not rescaled", "dropout: rescaled in evaluation",
        "adam: no bias correction", "adam: bias correction applied twice", "weight_decay: the bias decayed too",
        "fit: the schedule applied per batch", "fit: the best weights not restored",
        "fit: the best weights kept by reference")} == {
        "batchnorm: dL/dX without the terms through the mean and the variance": "batchnorm_backward_hidden",
        "batchnorm: running averages updated in evaluation": "batchnorm_eval_hidden",
        "dropout: not rescaled": "dropout_forward_hidden", "dropout: rescaled in evaluation": "dropout_eval_hidden",
        "adam: no bias correction": "adam_hidden", "adam: bias correction applied twice": "adam_hidden",
        "weight_decay: the bias decayed too": "weight_decay_bias_hidden",
        "fit: the schedule applied per batch": "fit_hidden", "fit: the best weights not restored": "fit_best_hidden",
        "fit: the best weights kept by reference": "fit_best_hidden"}


@pytest.mark.fit
def test_convergence_needs_the_bricks_it_trains():
    cases = {mutant_id(case): case for case in MUTANTS}
    for name in ("adam: the values rebound instead of changed in place",
                 "batchnorm: dL/dX without the terms through the mean and the variance"):
        case = cases[name]
        wrong = build(case[0], mutant_source(case))
        with pytest.raises(GradingFailure, match="did not converge"):
            grade("fit_converges", *answers_for("fit_converges", {answer_name(case[0]): wrong}))


@pytest.mark.fit
def test_convergence_has_room_to_spare():
    """The reference's best epoch on the test images stays above 95%, clear of the 94% the check asks,
    with the check's weights and shuffle and with seven other seeds of both (30 seeds were measured when
    the threshold was set: at least 95.8%)."""
    data, budget = digits(), CONVERGENCE
    best = []
    for seed in (budget["seed"], 0, 1, 2, 3, 4, 5, 6):
        layers = []
        for W, b in convergence_start(seed):
            if layers:
                layers += [solutions.BatchNorm(W.shape[0]), solutions.Sigmoid()]
            layer = solutions.Linear.__new__(solutions.Linear)  # no draw from the global generator
            layer.W, layer.b, layer.dLdW, layer.dLdb = W, b, np.zeros_like(W), np.zeros_like(b)
            layers.append(layer)
        network, rng, accuracies = solutions.NeuralNetwork(layers), np.random.default_rng(seed), []

        def validate():
            accuracies.append(float(np.mean(np.argmax(network.forward(data["X_test"]), axis=1) == data["y_test"])))
            return 0.0, 0.0

        def batches():
            return solutions.iterate_minibatches(data["X_train"], data["y_train"], budget["batch_size"], rng)

        solutions.fit(network, solutions.NLLLoss(), solutions.Adam(), batches, validate,
                      lambda epoch: budget["learning_rate"], budget["n_epochs"])
        best.append(max(accuracies))
    assert min(best) > 0.95 > budget["min_accuracy"], best
    assert math.isclose(budget["min_accuracy"], 0.94)


@pytest.mark.fit
def test_a_fit_that_writes_the_log_without_training_gains_nothing():
    """The stand-ins' log lives where fit runs; the weights after each epoch, checked against the
    reference's run in the grader, say whether the training it shows happened."""
    forger = build("fit", '''
def fit(network, loss, optimizer, batches, validate, schedule, n_epochs):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "learning_rate": []}
    for epoch in range(n_epochs):
        learning_rate = schedule(epoch)
        network.train()
        for _ in batches():
            optimizer.log.extend([["forward", "train"], ["loss.forward", 1.0], ["loss.backward"], ["backward"],
                                  ["step", learning_rate, True]])
        network.eval()
        val_loss, val_accuracy = validate()
        for key, value in zip(history, (1.0, val_loss, val_accuracy, learning_rate)):
            history[key].append(value)
    return history
''')
    with pytest.raises(GradingFailure, match="after epoch 1 the network's weights are not those of one optimizer.step"):
        grade("fit_hidden", forger)


# ---------------------------------------------------------------- the given bricks

def test_the_given_cell_runs_alone_and_its_bricks_fit_the_answers():
    """The read-only cell needs numpy alone; its make_mlp builds layers with params(), and train() and
    eval() set the mode of every layer that has one (dropout's and batch norm's)."""
    source = given_source()
    assert [line for line in source.splitlines() if line.startswith(("import", "from"))] == ["import numpy as np"]
    given = {}
    exec(compile(source, "<given bricks>", "exec"), given)
    network = given["make_mlp"]([4, 5, 3], given["ReLU"], np.random.default_rng(0))
    assert [len(layer.params()) for layer in network.modules[::2]] == [2, 2] and len(network.params()) == 4
    layers = [build("dropout", reference_source("dropout"))(0.5, np.random.default_rng(0)),
              build("batchnorm", reference_source("batchnorm"))(3)]
    network = given["NeuralNetwork"](layers)
    network.eval()
    assert [layer.training for layer in layers] == [False, False]
    network.train()
    assert [layer.training for layer in layers] == [True, True]
    assert [value is layers[1].gamma for value, _ in network.params()] == [True, False]


# ---------------------------------------------------------------- through the real sandbox

@pytest.fixture(scope="module")
def zygote():
    from checks.engine.remote import Zygote
    from checks.engine.sandbox import Sandbox, grader_package_dirs
    zygote = Zygote(Sandbox(hidden=grader_package_dirs()))
    yield zygote
    zygote.kill()


def grade_in_sandbox(zygote, sources):
    """{hidden grade_id: message or None} for a submission whose answer cells are the reference's, some
    replaced ({answer grade_id: source}): the given bricks and the answer cells run in a sandboxed student
    process, and the checks call them through proxies, as grading does."""
    sources = {answer: sources.get(answer, reference_source(answer)) for answer in ANSWERS}
    process = zygote.fork()
    try:
        process.deadline_in(30)
        assert process.exec_cell("given:given_bricks", given_source()) is None
        for answer, source in sources.items():
            assert process.exec_cell(f"answer:{answer}", source) is None, answer
        names = {answer_name(answer): process.lookup(answer_name(answer)) for answer in ANSWERS}
        results = {}
        for grade_id, check in hidden.checks.items():
            process.deadline_in(10)  # each test cell's time in grading
            process.seed(0)
            try:
                grade(grade_id, *[names[name] for name in check.answers])
                results[grade_id] = None
            except GradingFailure as failure:
                results[grade_id] = str(failure)
        return results
    finally:
        process.stop()


def rounds():
    """The mutants in rounds of at most one per answer: parts are graded on their own, so each mutant
    must cost only its own cells."""
    by_answer = {answer: [case for case in MUTANTS if case[0] == answer] for answer in ANSWERS}
    return [[cases[k] for cases in by_answer.values() if k < len(cases)]
            for k in range(max(len(cases) for cases in by_answer.values()))]


def test_the_reference_passes_through_the_sandbox(zygote):
    assert grade_in_sandbox(zygote, {}) == dict.fromkeys(hidden.checks)


@pytest.mark.parametrize("index", range(len(rounds())))
def test_mistakes_through_the_sandbox(zygote, index):
    cases = rounds()[index]
    results = grade_in_sandbox(zygote, {case[0]: mutant_source(case) for case in cases})
    may_lose = {"fit_converges"}
    for case in cases:
        message = results[case[3]]
        assert message is not None, f"{mutant_id(case)}: {case[3]} passed"
        assert keywords(case).search(message), f"{mutant_id(case)}: {message}"
        assert "Traceback" not in message
        may_lose |= {case[3]} | ALSO_LOSES.get(mutant_id(case), set())
    lost = {grade_id: message for grade_id, message in results.items() if message and grade_id not in may_lose}
    assert not lost, f"cells lost for mistakes that are not theirs: {lost}"


@pytest.mark.parametrize("index", range(len(style_rounds(ALTERNATIVES))))
def test_other_styles_through_the_sandbox(zygote, index):
    results = grade_in_sandbox(zygote, style_rounds(ALTERNATIVES)[index])
    assert not {grade_id: message for grade_id, message in results.items() if message}


# ---------------------------------------------------------------- through the real grader

SAMPLE = ROOT / "submitted" / "sample-correct" / "seminar3" / "seminar3.ipynb"


def notebook_with(answers):
    """The correct sample with some answer cells replaced: {answer grade_id: source}."""
    return make_samples.fill(nbformat.read(SAMPLE, as_version=4), answers)


def grade_file(path):
    """{test grade_id: (points, max_points, message)} from `nn-grade grade-file` on one notebook: the visible
    tests too, run in the grader on proxies of the student's objects."""
    result = subprocess.run([str(BIN / "nn-grade"), "grade-file", str(path), "--assignment", "seminar3",
                             "--course-dir", str(ROOT), "--json"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    cells = json.loads(result.stdout)["cells"]
    return {grade_id: (cell["points"], cell["max_points"], cell.get("message", "")) for grade_id, cell in cells.items()}


def graded_submissions():
    """name -> {answer grade_id: source}: the notebooks graded whole, once each."""
    made = {f"styles{k}": answers for k, answers in enumerate(style_rounds(ALTERNATIVES))}
    stubs = release_stubs("seminar3", ANSWERS)
    made["stub-neighbours"] = {answer: stubs[answer] for answer in ANSWERS if answer != "fit"}
    return made


@pytest.fixture(scope="module")
def grader_scores(tmp_path_factory):
    """Each submission graded once by `nn-grade grade-file`, two at a time."""
    return graded_whole(tmp_path_factory.mktemp("seminar3-submissions"), graded_submissions(), notebook_with,
                        grade_file)


@pytest.mark.parametrize("index", range(len(style_rounds(ALTERNATIVES))))
def test_other_styles_get_full_marks_from_the_grader(grader_scores, index):
    """Visible and hidden tests alike: what the notebook accepts, grading accepts."""
    lost = {grade_id: message for grade_id, (points, max_points, message) in grader_scores[f"styles{index}"].items()
            if points != max_points}
    assert not lost, lost


@pytest.mark.fit
def test_fit_keeps_its_points_when_its_neighbours_are_stubs(grader_scores):
    """Untouched optimizers, Adam, weight decay, dropout and batch norm cost fit's own cells nothing (its visible
    tests hand it the tests' optimizer), only the convergence test, which trains Adam and BatchNorm."""
    scores = grader_scores["stub-neighbours"]
    fit_cells = {grade_id: points for grade_id, points in solutions_course.POINTS.items() if grade_id.startswith("fit_")}
    assert {grade_id: scores[grade_id][0] for grade_id in fit_cells} == {**fit_cells, "fit_converges": 0}
    assert "NotImplementedError" in scores["fit_converges"][2]
    assert not any(scores[grade_id][0] for grade_id in scores if not grade_id.startswith("fit_"))
