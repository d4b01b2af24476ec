"""The hidden checks: the reference passes them, other correct styles pass them,
and every mistake of mistakes.md that they claim to catch is caught by the right cell."""
import re

import numpy as np
import pytest

import solutions.seminar1 as solutions
from checks.kit import GradingFailure
from checks.seminar1 import grade, hidden

from cells import ChecksOf, Notebook
from mutants import ALTERNATIVES, MUTANTS, REFERENCE

NOTEBOOK = Notebook("seminar1")


CHECKS = ChecksOf(hidden, solutions)
answers_for, checks_of, name_of = CHECKS.answers_for, CHECKS.checks_of, CHECKS.answer_name


@pytest.mark.parametrize("grade_id", list(hidden.checks))
def test_reference_passes_every_hidden_check(grade_id):
    grade(grade_id, *answers_for(grade_id))


def _part(answer):
    return getattr(pytest.mark, answer)


@pytest.mark.parametrize("answer, mistake, wrong, grade_id, words", [
    pytest.param(*case, id=f"{case[0]}: {case[1]}", marks=_part(case[0])) for case in MUTANTS])
def test_mistake_is_caught_by_its_cell_and_named(answer, mistake, wrong, grade_id, words):
    np.random.seed(123)
    outcome = NOTEBOOK.run(grade_id, {name_of(answer): wrong})
    assert not outcome.passed, f"{grade_id} passed {mistake}"
    assert re.search(words, outcome.message, re.DOTALL), outcome.message
    assert "Traceback" not in outcome.message


@pytest.mark.parametrize("answer, style, right", [
    pytest.param(*case, id=f"{case[0]}: {case[1]}", marks=_part(case[0])) for case in ALTERNATIVES])
def test_other_correct_styles_get_full_marks(answer, style, right):
    assert NOTEBOOK.failures(answer, {name_of(answer): right}) == {}
    for grade_id in checks_of(answer):
        grade(grade_id, *answers_for(grade_id, {name_of(answer): right}))


@pytest.mark.parametrize("answer", list(REFERENCE))
def test_every_answer_has_mutants_and_alternatives(answer):
    assert any(case[0] == answer for case in MUTANTS)
    assert any(case[0] == answer for case in ALTERNATIVES)


@pytest.mark.train
def test_convergence_needs_every_brick():
    from mutants import NetworkNotChaining, NLLSignFlipped, SigmoidIgnoresUpstream, train_no_step
    for wrong in ({"Sigmoid": SigmoidIgnoresUpstream}, {"NLLLoss": NLLSignFlipped},
                  {"NeuralNetwork": NetworkNotChaining}, {"train": train_no_step}):
        with pytest.raises(GradingFailure, match="did not converge|raised"):
            grade("train_converges", *answers_for("train_converges", wrong))


@pytest.mark.train
def test_convergence_ignores_the_students_random_generator():
    class LinearOwnRng(solutions.Linear):
        def __init__(self, input_size, output_size):
            self.W = np.random.default_rng().normal(0, 0.1, (input_size, output_size))
            self.b = np.zeros(output_size)
    grade("train_converges", *answers_for("train_converges", {"Linear": LinearOwnRng}))


@pytest.mark.linear
def test_message_points_at_the_students_line():
    from mutants import LinearNoTranspose
    with pytest.raises(GradingFailure, match=r"Linear.backward multiplied or added arrays whose shapes do not "
                                             r"fit \(line \d+ of backward: return dLdy @ self.W"):
        grade("linear_backward_hidden", LinearNoTranspose)


@pytest.mark.linear
def test_stub_is_reported_as_not_implemented():
    class Stub:
        def __init__(self, input_size, output_size):
            raise NotImplementedError()
    with pytest.raises(GradingFailure, match=r"Linear\(3, 5\) raised NotImplementedError"):
        grade("linear_init_hidden", Stub)


@pytest.mark.parametrize("grade_id", ["linear_backward_hidden", "nll_loss_forward_hidden"])
def test_same_answer_same_verdict(grade_id):
    from mutants import LinearAveragesTwice, NLLSum
    wrong = {"linear_backward_hidden": {"Linear": LinearAveragesTwice},
             "nll_loss_forward_hidden": {"NLLLoss": NLLSum}}[grade_id]
    messages = set()
    for seed in (0, 1):
        np.random.seed(seed)  # the student's global RNG state must not matter
        with pytest.raises(GradingFailure) as failure:
            grade(grade_id, *answers_for(grade_id, wrong))
        messages.add(str(failure.value))
    assert len(messages) == 1, messages
