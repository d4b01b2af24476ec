"""The credit policy of the README's "How a notebook is graded", one test per rule.

Each test runs the cells of one part, visible and hidden, with one answer replaced, and
checks which cells fail: what is wrong costs its own checks, not its neighbours'; only what
the notebook states is graded; harmless warnings and other styles keep their points.
"""
import nbformat
import numpy as np
import pytest

import mutants
from cells import Notebook
from conftest import ROOT

NOTEBOOK = Notebook("seminar1")
POINTS = {cell.metadata["nbgrader"]["grade_id"]: cell.metadata["nbgrader"]["points"]
          for cell in nbformat.read(ROOT / "source" / "seminar1" / "seminar1.ipynb", as_version=4).cells
          if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code"}


def lost(answer, name, wrong):
    """{failed cell: message} of one part, with `name` replaced by `wrong`."""
    np.random.seed(0)
    return NOTEBOOK.failures(answer, {name: wrong})


# ---------------------------------------------------------------- proportionate

@pytest.mark.linear
@pytest.mark.parametrize("wrong", [mutants.LinearNoTranspose, mutants.LinearDWTransposed,
                                   mutants.LinearAveragesTwice, mutants.LinearStaleCache,
                                   mutants.LinearDbNotSummed])
def test_a_wrong_backward_does_not_cost_step(wrong):
    failed = lost("linear", "Linear", wrong)
    assert failed and set(failed) <= {"linear_backward", "linear_backward_hidden"}, failed


@pytest.mark.linear
@pytest.mark.parametrize("wrong", [mutants.LinearInitRandomBias, mutants.LinearInitVariance01,
                                   mutants.LinearInitScale001, mutants.LinearInitUniform,
                                   mutants.LinearZeroInit])
def test_a_wrong_initialisation_costs_only_the_initialisation_checks(wrong):
    failed = lost("linear", "Linear", wrong)
    assert failed and set(failed) <= {"linear_init", "linear_init_hidden"}, failed


@pytest.mark.linear
def test_a_wrong_step_costs_only_the_step_checks():
    for wrong in (mutants.LinearStepAdds, mutants.LinearStepIgnoresRate, mutants.LinearBiasNotStepped):
        failed = lost("linear", "Linear", wrong)
        assert failed and set(failed) <= {"linear_step", "linear_step_hidden"}, failed


@pytest.mark.neural_network
def test_a_missing_return_in_network_backward_costs_at_most_3_of_10():
    failed = lost("neural_network", "NeuralNetwork", mutants.NetworkBackwardReturnsNothing)
    part = sum(POINTS[cell] for cell in NOTEBOOK.cells_of("neural_network"))
    assert part == 10 and set(failed) == {"neural_network_chain"}
    assert POINTS["neural_network_chain"] <= 3
    assert "did you forget `return`" in failed["neural_network_chain"]
    advice = NOTEBOOK.run("neural_network_hidden", {"NeuralNetwork": mutants.NetworkBackwardReturnsNothing})
    assert advice.passed and "Advice: NeuralNetwork.backward returns None" in advice.output


@pytest.mark.nll_loss
def test_a_loss_off_by_a_factor_keeps_its_stability_points():
    for wrong in (mutants.NLLSum, mutants.NLLForwardWrongSign, mutants.NLLBackwardNoMean):
        failed = lost("nll_loss", "NLLLoss", wrong)
        assert failed and "nll_loss_stability_hidden" not in failed, (wrong.__name__, failed)


# ---------------------------------------------------------------- stated

@pytest.mark.check_gradient
@pytest.mark.parametrize("unasked", [mutants.gradcheck_integer_truncated, mutants.gradcheck_nditer_any_dtype])
def test_what_the_notebook_does_not_ask_is_not_graded(unasked):
    """Integer input is in no prose and no visible test: a check_gradient that truncates it keeps its points."""
    assert lost("check_gradient", "check_gradient", unasked) == {}


def test_every_hidden_cell_states_what_it_checks():
    for grade_id, source in NOTEBOOK.tests.items():
        if "BEGIN HIDDEN TESTS" in source:
            statement = source.split("### BEGIN HIDDEN TESTS")[0]
            assert statement.startswith(f"# Hidden tests ({POINTS[grade_id]:g} points). "), grade_id
            assert len(statement.split()) >= 8, grade_id


# ---------------------------------------------------------------- harmless is free

@pytest.mark.sigmoid
def test_an_overflow_warning_with_right_values_keeps_its_points_and_gets_advice():
    assert lost("sigmoid", "Sigmoid", mutants.SigmoidNaive) == {}
    stability = NOTEBOOK.run("sigmoid_stability_hidden", {"Sigmoid": mutants.SigmoidNaive})
    assert "Advice: your Sigmoid is right, but numpy warns of an overflow" in stability.output


@pytest.mark.nll_loss
@pytest.mark.parametrize("unstable", [mutants.NLLNoMaxShift, mutants.NLLLogOfSoftmax])
def test_an_unstable_loss_loses_only_its_stability_points(unstable):
    assert set(lost("nll_loss", "NLLLoss", unstable)) == {"nll_loss_stability_hidden"}


@pytest.mark.sigmoid
def test_a_nan_gradient_at_large_inputs_loses_only_the_stability_points():
    assert set(lost("sigmoid", "Sigmoid", mutants.SigmoidNanGradient)) == {"sigmoid_stability_hidden"}
