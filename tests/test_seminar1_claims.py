"""Every claim seminar 1's prose and model answers make about a result holds on at least 9 of 10 seeds.

The experiments are the notebook's own: the test runs the instructor notebook's definition cells (the
functions and constants its experiment cells call) beside the reference answers, calls them as the
experiment cells do, for seeds 0 to 9 instead of the notebook's one seed (or four, in the sweeps), and
checks each sentence of the text against what they return. The gradient-check cells run as they are,
after seeding numpy's generator, which is what makes one student's initial weights differ from another's.
Each claim below quotes the sentence it checks. About 30 seconds.
"""
import ast
import contextlib
import io
import re

import nbformat
import numpy as np
import pytest

from conftest import ROOT

pytestmark = pytest.mark.train
SEEDS = range(10)
NOTEBOOK = ROOT / "source" / "seminar1" / "seminar1.ipynb"
LN3 = np.log(3)
DEVIATION_CELL = re.compile(r"^(\w+_deviations) = ", re.MULTILINE)


def is_definition_cell(source):
    """A cell of functions and UPPER_CASE constants only: an experiment's code, not its run."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False

    def defines(node):
        if isinstance(node, ast.FunctionDef):
            return True
        return isinstance(node, ast.Assign) and all(
            isinstance(target, ast.Name) and target.id.isupper() for target in node.targets)
    return bool(body) and all(defines(node) for node in body) and any(
        isinstance(node, ast.FunctionDef) for node in body)


def code_cells():
    return [cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def notebook():
    """The notebook's namespace: read-only cells, the solved answers and the definition cells, with the
    data loaded as the notebook loads it."""
    namespace = {"__name__": "seminar1"}
    for cell in code_cells():
        flags = cell.metadata.get("nbgrader", {})
        if flags.get("grade"):
            continue
        if flags.get("locked") or flags.get("solution") or is_definition_cell(cell.source):
            exec(compile(cell.source, f"<cell {flags.get('grade_id', 'definitions')}>", "exec"), namespace)
    with np.load(ROOT / "source" / "seminar1" / "data.npz") as data:
        namespace.update(X=data["arr_0"], y=data["arr_1"], X_rings=data["X_rings"], y_rings=data["y_rings"])
    return namespace


def holds(outcomes):
    """A claim holds when it is true for at least 9 of the 10 seeds."""
    outcomes = [bool(outcome) for outcome in outcomes]
    assert len(outcomes) == len(SEEDS)
    assert sum(outcomes) >= 9, f"true for seeds {[s for s, ok in zip(SEEDS, outcomes) if ok]} only"


def plateau_end(losses):
    """The first epoch (counted from 1) whose loss is below 1.0, or None."""
    below = np.flatnonzero(np.asarray(losses) < 1.0)
    return int(below[0]) + 1 if below.size else None


def saturated(model, X):
    """The fraction of the last hidden layer's outputs within 1e-3 of 0 or 1, on X."""
    model.forward(X)
    Y = [layer for layer in model.modules if hasattr(layer, "Y")][-1].Y
    return float(np.mean((Y < 1e-3) | (Y > 1 - 1e-3)))


@pytest.fixture(scope="module")
def runs(notebook):
    """Each experiment for every seed, called as the notebook's experiment cells call it."""
    nb, X, y = notebook, notebook["X"], notebook["y"]
    one_hot = np.eye(3)[y]
    results = {"tiny": [], "first": [], "linear": [], "rings": [], "mse_best": [], "lr30": [], "mse1": []}
    for seed in SEEDS:
        results["tiny"].append(nb["overfit_tiny_batch"](X, y, seed))
        results["first"].append(nb["train_run"](X, y, seed, chunk=200))
        results["linear"].append(nb["train_run"](X, y, seed, make=nb["make_linear_model"]))
        results["rings"].append(nb["compare_on_rings"](nb["X_rings"], nb["y_rings"], seed))
        results["mse_best"].append(nb["mse_at_its_best"](X, y, seed))
        # The sweep's runs at 30 (NLL) and 1 (MSE) once more, for the state of their hidden layers.
        results["lr30"].append(nb["train_run"](X, y, seed, learning_rate=30.0)[0])
        results["mse1"].append(nb["train_run"](X, y, seed, loss_class=nb["MSELoss"], targets=one_hot,
                                               learning_rate=1.0)[0])
    results["sweep"] = nb["sweep_learning_rates"](X, y, seeds=SEEDS)
    results["mse_sweep"] = nb["sweep_learning_rates"](X, y, nb["MSELoss"], one_hot, seeds=SEEDS)
    return results


def test_the_experiments_are_the_notebooks(notebook):
    for name in ("relative_deviation", "make_network", "make_linear_model", "accuracy", "train_run",
                 "overfit_tiny_batch", "compare_on_rings", "sweep_learning_rates", "failed", "mse_at_its_best",
                 "plot_decision_boundary", "RATES", "SWEEP_SEEDS", "SEED"):
        assert name in notebook, f"no definition cell defines {name}"
    assert notebook["RATES"] == (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


# Parts 1 to 5: the gradient checks
@pytest.mark.check_gradient
def test_every_gradient_check_of_the_notebook_is_below_1e_7(notebook):
    """'Expect relative deviations below 1e-7', in each part's gradient check and in the whole network's.
    The cells run as they are; numpy's generator, which draws each student's initial weights, is seeded."""
    cells = [cell.source for cell in code_cells() if DEVIATION_CELL.search(cell.source)]
    names = [DEVIATION_CELL.search(source).group(1) for source in cells]
    assert names == ["linear_deviations", "sigmoid_deviations", "nll_deviations", "network_deviations"]
    for source, name in zip(cells, names):
        outcomes = []
        for seed in SEEDS:
            namespace = dict(notebook)
            np.random.seed(seed)
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<cell computing {name}>", "exec"), namespace)
            deviations = namespace[name]
            assert deviations and all(np.isfinite(value) for value in deviations.values()), name
            outcomes.append(max(deviations.values()) < 1e-7)
        holds(outcomes)


# Part 7: the blobs
def test_six_points_are_learnt_by_heart(runs):
    """'Whatever the seed, the loss should fall from about ln 3 to below 0.01.'"""
    holds(abs(losses[0] - LN3) < 0.02 and losses[-1] < 0.01 for losses in runs["tiny"])


def test_the_first_loss_is_within_002_of_ln_3(runs):
    """'the first loss should be close to ln 3 ≈ 1.0986: within 0.02 of it for every seed.'"""
    holds(abs(losses[0] - LN3) < 0.02 for _, losses, _ in runs["first"])


def test_the_plateau_ends_between_epochs_250_and_500(runs):
    """'for seeds 0 to 9 the loss drops below 1.0 between epochs 250 and 500.'"""
    holds(250 <= (plateau_end(losses) or 0) <= 500 for _, losses, _ in runs["first"])


def test_after_1000_epochs_the_loss_is_below_003_with_at_most_one_point_wrong(notebook, runs):
    """'after 1000 epochs the loss is below 0.03 and at most one of the 300 points is misclassified.'"""
    holds(losses[-1] < 0.03 and accuracies[-1] >= 299 / 300 for _, losses, accuracies in runs["first"])


def test_a_jump_on_the_way_down_is_undone_within_ten_epochs(runs):
    """'On the way down the loss can jump back up, above ln 3 for an epoch or two (for seed 0 at about epoch
    475): a step that overshot. Within ten epochs it is back below 0.5.'"""
    def recovers(losses):
        losses = np.asarray(losses)
        start = plateau_end(losses)
        jumps = [epoch for epoch in range(start, len(losses)) if losses[epoch] > LN3]
        return all(np.min(losses[epoch:epoch + 10]) < 0.5 for epoch in jumps)
    holds(recovers(losses) for _, losses, _ in runs["first"])
    _, losses, _ = runs["first"][0]
    jumps = np.flatnonzero(np.asarray(losses[plateau_end(losses):]) > LN3) + plateau_end(losses) + 1
    assert jumps.size and all(450 <= epoch <= 500 for epoch in jumps), jumps


def test_on_the_plateau_the_accuracy_is_already_two_thirds_or_more(runs):
    """'At epoch 200 the loss has hardly moved, yet the accuracy is already somewhere between two thirds and
    all of the points, depending on the seed.'"""
    holds(losses[199] > LN3 - 0.02 and accuracies[0] >= 2 / 3 for _, losses, accuracies in runs["first"])


def test_a_linear_model_separates_the_blobs(runs):
    """'The linear model classifies every blob point correctly too.'"""
    holds(accuracies[-1] == 1.0 for _, _, accuracies in runs["linear"])


# Part 8: the rings
def test_a_linear_model_fails_on_the_rings(notebook, runs):
    """'The linear model ends with its loss still close to ln 3 and about 42% of the points right.'"""
    X, y = notebook["X_rings"], notebook["y_rings"]
    outcomes = []
    for result in runs["rings"]:
        model, losses = result["Linear(2, 3) alone"]
        outcomes.append(losses[-1] > LN3 - 0.02 and 0.38 <= notebook["accuracy"](model, X, y) <= 0.46)
    holds(outcomes)


def test_the_network_learns_the_rings_after_a_longer_plateau(notebook, runs):
    """'The network sits on its plateau longer than on the blobs, until epoch 600 to 1000 depending on the
    seed, and then learns every point, or all but one ... it recovers every time, and ends below 0.04.'"""
    X, y = notebook["X_rings"], notebook["y_rings"]
    outcomes = []
    for result, (_, blob_losses, _) in zip(runs["rings"], runs["first"]):
        model, losses = result["2-10-10-3 network"]
        end = plateau_end(losses) or 0
        outcomes.append(580 <= end <= 1050 and end > plateau_end(blob_losses) and losses[-1] < 0.04
                        and notebook["accuracy"](model, X, y) >= 299 / 300)
    holds(outcomes)


# Homework 1: the learning-rate sweep (and the model answer of lr_discussion)
def sweep_runs(runs, rate, name="sweep"):
    return runs[name][rate]


def test_small_rates_stay_on_the_plateau(runs):
    """'At 0.1 the loss stays at ln 3 for all 1000 epochs, and at 0.3 it has at most just begun to fall.'"""
    holds(abs(losses[-1] - LN3) < 0.005 for losses, _ in sweep_runs(runs, 0.1))
    holds(losses[-1] > 0.6 for losses, _ in sweep_runs(runs, 0.3))


def test_rates_1_and_3_converge_and_3_leaves_the_plateau_sooner(runs):
    """'Rates 1 and 3 leave the plateau and converge from every initial weights tried (at most one point
    misclassified, a loss of a few thousandths at rate 3); ... (below a loss of 1.0 after 250-500 epochs at rate
    1, 100-200 at rate 3) ... At 3 the loss first jumps above ln 3 before it falls.'"""
    holds(accuracy >= 299 / 300 and losses[-1] < 0.03 and 250 <= (plateau_end(losses) or 0) <= 500
          for losses, accuracy in sweep_runs(runs, 1.0))
    holds(accuracy == 1.0 and losses[-1] < 0.005 and 100 <= (plateau_end(losses) or 0) <= 200
          and max(losses[:plateau_end(losses)]) > LN3 + 0.5 for losses, accuracy in sweep_runs(runs, 3.0))
    holds(plateau_end(fast) < plateau_end(slow)
          for (slow, _), (fast, _) in zip(sweep_runs(runs, 1.0), sweep_runs(runs, 3.0)))


def test_rate_10_overshoots_and_most_runs_fail(notebook, runs):
    """'At 10 the steps overshoot: the loss jumps to 4-6 and is still jumping above ln 3 near the end of the
    budget; where it ends depends on the initial weights (anywhere up to about 4; now and then a run settles by
    luck), and most runs fail.' (The bits of a run at 10 differ between BLAS kernels, so which seeds settle varies
    from machine to machine: the claim is about the spread.)"""
    at_10 = sweep_runs(runs, 10.0)
    holds(3.5 <= max(losses) <= 7 and max(losses[-100:]) > LN3 for losses, _ in at_10)
    finals = [losses[-1] for losses, _ in at_10]
    assert max(finals) <= 4.5, finals
    assert sum(notebook["failed"](losses) for losses, _ in at_10) >= 6


def test_rate_30_saturates_the_sigmoids_and_every_run_fails(notebook, runs):
    """'At 30 every run fails at once: the loss jumps above 10 and stays there ... the second hidden layer's
    sigmoids saturate (they output exactly 0 or 1 for every point) ... the network predicts one class for every
    point (33%).' (The loss 'stays' near 10: between 8 and 12 at the end.)"""
    holds(notebook["failed"](losses) and max(losses[:20]) > 10 and 8 < losses[-1] < 12 and accuracy == 1 / 3
          for losses, accuracy in sweep_runs(runs, 30.0))
    holds(saturated(model, notebook["X"]) > 0.99 for model in runs["lr30"])


# Homework 2: NLL against MSE (and the model answer of mse_discussion)
@pytest.mark.mse_loss
def test_mse_trains_only_at_small_rates_and_fails_or_overflows_above(notebook, runs):
    """'MSE trains only at 0.3 (at 0.1 it has not left its plateau), fails at 1 on every seed, and from 3 up its
    loss overflows to infinity.'"""
    failed = notebook["failed"]
    holds(abs(losses[-1] - 2 / 3) < 0.01 for losses, _ in sweep_runs(runs, 0.1, "mse_sweep"))
    holds(not failed(losses) and losses[-1] < 0.4 for losses, _ in sweep_runs(runs, 0.3, "mse_sweep"))
    holds(failed(losses) and np.isfinite(losses[-1]) for losses, _ in sweep_runs(runs, 1.0, "mse_sweep"))
    for rate in (3.0, 10.0, 30.0):
        holds(not np.isfinite(losses[-1]) for losses, _ in sweep_runs(runs, rate, "mse_sweep"))


@pytest.mark.mse_loss
def test_nll_trains_at_1_and_3_and_fails_at_30_and_mostly_at_10(notebook, runs):
    """'NLL trains at 1 and 3, fails at 30 and, for most seeds, at 10.'"""
    failed = notebook["failed"]
    holds(not failed(slow) and not failed(fast) and failed(too_fast)
          for (slow, _), (fast, _), (too_fast, _) in zip(sweep_runs(runs, 1.0), sweep_runs(runs, 3.0),
                                                         sweep_runs(runs, 30.0)))
    assert sum(failed(losses) for losses, _ in sweep_runs(runs, 10.0)) >= 6


@pytest.mark.mse_loss
def test_mse_at_its_best_is_slower(runs):
    """'Even at 0.3 MSE is slower: after 1000 epochs its loss is still 15-55% of a constant guess's, where NLL's
    at 1 and 3 is below 3%, and it needs about 2000 epochs to classify every point, or all but one.'"""
    holds(0.15 <= losses[-1] / (2 / 3) <= 0.55 for losses, _ in sweep_runs(runs, 0.3, "mse_sweep"))
    holds(losses[-1] / LN3 < 0.03 for rate in (1.0, 3.0) for losses, _ in sweep_runs(runs, rate)[:5])
    holds(accuracies[-1] >= 299 / 300 for _, _, accuracies in runs["mse_best"])


@pytest.mark.mse_loss
def test_mse_at_rate_1_runs_away_and_saturates(notebook, runs):
    """'by the third epoch the loss has jumped from about 1 (0.8 to 1.5) to more than 50. The huge gradients
    throw the second hidden layer's sigmoids into saturation (exactly 0 or 1 for every point)'."""
    holds(0.7 <= losses[0] <= 1.6 and max(losses[:3]) > 50 for losses, _ in sweep_runs(runs, 1.0, "mse_sweep"))
    holds(saturated(model, notebook["X"]) > 0.99 for model in runs["mse1"])


@pytest.mark.mse_loss
def test_the_two_boundaries_agree_on_the_points_and_differ_away_from_them(notebook, runs):
    """'both networks classify all the points, or all but one, and both run through the gaps between the
    blobs, but ... how they continue away from the data differs between the losses.' Measured on the grid of
    plot_decision_boundary: they disagree on at least 3% of the plotted box."""
    X, y = notebook["X"], notebook["y"]
    xs, ys = np.meshgrid(np.linspace(0, 1.2, 241), np.linspace(0, 1, 201))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    outcomes = []
    for (nll_network, _, _), (mse_network, _, _) in zip(runs["first"], runs["mse_best"]):
        both_right = min(notebook["accuracy"](nll_network, X, y), notebook["accuracy"](mse_network, X, y))
        disagree = np.mean(np.argmax(nll_network.forward(grid), 1) != np.argmax(mse_network.forward(grid), 1))
        outcomes.append(both_right >= 299 / 300 and disagree >= 0.03)
    holds(outcomes)
