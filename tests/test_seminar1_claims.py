"""Every claim seminar 1's prose and model answers make about a result, checked over seeds 0 to 29.

The experiments are the notebook's own: the test runs the instructor notebook's definition cells (the
functions and constants its experiment cells call) beside the reference answers, calls them as the
experiment cells do, for seeds 0 to 29 instead of the notebook's one seed (or four, in the sweeps), and
checks each sentence of the text against what they return. The gradient-check cells run as they are,
after seeding numpy's generator, which is what makes one student's initial weights differ from another's.
Each claim below quotes the sentence it checks.

The prose was written from the same experiments on seeds 0 to 49, with three of OpenBLAS's kernels
(SkylakeX, Haswell, Sandybridge: their roundings differ, and at the largest rates a run's fate with
them), so that a claim said of every seed holds on every one of them, and one said "on at least 49 of 50
seeds" on all but one. Here `everywhere` asks every seed to agree, `holds` all but one, and `share` a
frequency the text states. The seeds run in three processes with one BLAS thread each (tests/claims.py).
"""
import ast
import contextlib
import io
import re

import nbformat
import numpy as np
import pytest

import claims
from claims import SEEDS, everywhere, holds, share
from conftest import ROOT

pytestmark = [pytest.mark.train, pytest.mark.claims]
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


def load_notebook():
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


@pytest.fixture(scope="module")
def notebook():
    return load_notebook()


def plateau_end(losses):
    """The first epoch (counted from 1) whose loss is below 1.0, or None."""
    below = np.flatnonzero(np.asarray(losses) < 1.0)
    return int(below[0]) + 1 if below.size else None


def saturated(model, X):
    """The fraction of the last hidden layer's outputs within 1e-3 of 0 or 1, on X."""
    model.forward(X)
    Y = [layer for layer in model.modules if hasattr(layer, "Y")][-1].Y
    return float(np.mean((Y < 1e-3) | (Y > 1 - 1e-3)))


def largest_curvature(nb, seed, loss_class, targets):
    """The largest eigenvalue of the Hessian of the loss over every parameter of make_network(seed), at its
    initial weights (central differences of the backward pass's gradients)."""
    network = nb["make_network"](seed)
    X = nb["X"]
    parameters = [(layer, name) for layer in network.modules for name in ("W", "b") if hasattr(layer, name)]
    start = [getattr(layer, name).copy() for layer, name in parameters]
    sizes = [value.size for value in start]

    def gradient(flat):
        for (layer, name), value, piece in zip(parameters, start, np.split(flat, np.cumsum(sizes)[:-1])):
            setattr(layer, name, piece.reshape(value.shape).copy())
        loss = loss_class()
        loss.forward(network.forward(X), targets)
        network.backward(loss.backward())
        return np.concatenate([getattr(layer, "dLd" + name).ravel() for layer, name in parameters])

    flat, step = np.concatenate([value.ravel() for value in start]), 1e-5
    hessian = np.column_stack([(gradient(flat + step * unit) - gradient(flat - step * unit)) / (2 * step)
                               for unit in np.eye(flat.size)])
    return float(np.linalg.eigvalsh((hessian + hessian.T) / 2)[-1])


def run_seed(seed):
    """Every experiment for one seed, called as the notebook's experiment cells call it; plain data back."""
    nb = claims.LOADED
    X, y, X_rings, y_rings = nb["X"], nb["y"], nb["X_rings"], nb["y_rings"]
    one_hot = np.eye(3)[y]
    accuracy = nb["network_accuracy"]
    result = {"tiny": nb["overfit_tiny_batch"](X, y, seed)}
    network, result["first"], result["first_accuracies"] = nb["train_run"](X, y, seed, chunk=200)
    result["first_wrong"] = round(300 * (1 - accuracy(network, X, y)))
    result["linear_accuracy"] = nb["train_run"](X, y, seed, make=nb["make_linear_model"])[2][-1]
    rings = nb["compare_on_rings"](X_rings, y_rings, seed)
    linear, result["rings_linear"] = rings["Linear(2, 3) alone"]
    model, result["rings_network"] = rings["2-10-10-3 network"]
    result["rings_linear_accuracy"] = accuracy(linear, X_rings, y_rings)
    result["rings_network_accuracy"] = accuracy(model, X_rings, y_rings)
    mse_network, result["mse_best"], _ = nb["mse_at_its_best"](X, y, seed)
    result["mse_best_wrong"] = round(300 * (1 - accuracy(mse_network, X, y)))
    # The grid of plot_decision_boundary: where the two boundaries disagree.
    xs, ys = np.meshgrid(np.linspace(0, 1.2, 241), np.linspace(0, 1, 201))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    result["disagree"] = float(np.mean(np.argmax(network.forward(grid), 1) != np.argmax(mse_network.forward(grid), 1)))
    # Two of the sweeps' runs, at 30 (NLL) and 1 (MSE), made here as sweep_learning_rates makes them (the
    # same call of train_run), for the state of their hidden layers; the sweeps run the other rates.
    nll_30 = nb["train_run"](X, y, seed, learning_rate=30.0)
    mse_1 = nb["train_run"](X, y, seed, loss_class=nb["MSELoss"], targets=one_hot, learning_rate=1.0)
    result["saturated_30"], result["saturated_mse_1"] = saturated(nll_30[0], X), saturated(mse_1[0], X)
    made = {"sweep": {30.0: nll_30}, "mse_sweep": {1.0: mse_1}}
    for name, args in (("sweep", ()), ("mse_sweep", (nb["MSELoss"], one_hot))):
        others = tuple(rate for rate in nb["RATES"] if rate not in made[name])
        sweep = nb["sweep_learning_rates"](X, y, *args, rates=others, seeds=[seed])
        sweep.update({rate: [(losses, accuracies[-1])] for rate, (_, losses, accuracies) in made[name].items()})
        result[name] = {rate: (sweep[rate][0][0], sweep[rate][0][1]) for rate in nb["RATES"]}
    result["curvature_nll"] = largest_curvature(nb, seed, nb["NLLLoss"], y)
    result["curvature_mse"] = largest_curvature(nb, seed, nb["MSELoss"], one_hot)
    return result


@pytest.fixture(scope="module")
def runs():
    """{experiment: [its result for each seed]}, the seeds shared between processes."""
    return claims.over_seeds(run_seed, SEEDS, load_notebook)


def wrong(accuracy):
    return round(300 * (1 - accuracy))


def test_the_experiments_are_the_notebooks(notebook):
    for name in ("relative_deviation", "verdict", "make_network", "make_linear_model", "network_accuracy",
                 "train_run", "overfit_tiny_batch", "compare_on_rings", "sweep_learning_rates", "failed",
                 "mse_at_its_best", "plot_decision_boundary", "RATES", "SWEEP_SEEDS", "SEED"):
        assert name in notebook, f"no definition cell defines {name}"
    assert notebook["RATES"] == (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
    assert "accuracy" not in notebook, "seminar 2's graded accuracy(y_true, y_pred) is another function"
    assert notebook["verdict"](3.14e-10) == "ok: 3.1e-10 < 1e-7"
    assert notebook["verdict"](0.5).startswith("TOO LARGE: 5.0e-01 >= 1e-7")


# Parts 1 to 5: the gradient checks
@pytest.mark.check_gradient
def test_every_gradient_check_of_the_notebook_is_below_1e_7(notebook):
    """'Expect relative deviations below 1e-7' (and the verdict 'ok'), in each part's gradient check and in the
    whole network's. The cells run as they are; numpy's generator, which draws each student's initial weights,
    is seeded."""
    cells = [cell.source for cell in code_cells() if DEVIATION_CELL.search(cell.source)]
    names = [DEVIATION_CELL.search(source).group(1) for source in cells]
    assert names == ["linear_deviations", "sigmoid_deviations", "nll_deviations", "network_deviations"]
    for source, name in zip(cells, names):
        outcomes = []
        for seed in SEEDS:
            namespace = dict(notebook)
            np.random.seed(seed)
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(source, f"<cell computing {name}>", "exec"), namespace)
            deviations = namespace[name]
            assert deviations and all(np.isfinite(value) for value in deviations.values()), name
            outcomes.append(max(deviations.values()) < 1e-7 and printed.getvalue().count(": ok: ") == len(deviations))
        everywhere(outcomes)


# Part 7: the blobs
def test_six_points_are_learnt_by_heart(runs):
    """'For every seed we tried, 0 to 49, the loss falls from about ln 3 to below 0.01.'"""
    everywhere(abs(losses[0] - LN3) < 0.04 and losses[-1] < 0.01 for losses in runs["tiny"])


def test_the_first_loss_is_a_little_above_ln_3(runs):
    """'the first loss should be close to ln 3 ≈ 1.0986: within 0.04 of it for every seed (for seeds 0 to 49 it
    is 0.0001 to 0.030 above ln 3).'"""
    everywhere(0 < losses[0] - LN3 < 0.0305 for losses in runs["first"])


def test_the_plateau_ends_between_epochs_260_and_520(runs):
    """'for seeds 0 to 49 the loss drops below 1.0 between epochs 260 and 520.'"""
    everywhere(260 <= (plateau_end(losses) or 0) <= 520 for losses in runs["first"])


def test_after_the_plateau_the_loss_falls_20_to_200_times_below_ln_3(runs):
    """'Then the symmetry breaks and the loss falls quickly: by epoch 1000 it is 20 to 200 times below ln 3
    (1.3 to 2.3 decades on the log scale).'"""
    everywhere(20 <= LN3 / losses[-1] <= 200 for losses in runs["first"])


def test_after_1000_epochs_almost_every_point_is_right(runs):
    """'after 1000 epochs the loss is below 0.06 and the network gets almost every point right, all but at most
    one of the 300 on 46 of those 50 seeds and all but two to five on the other four.'"""
    everywhere(losses[-1] < 0.06 and n_wrong <= 5 for losses, n_wrong in zip(runs["first"], runs["first_wrong"]))
    share((n_wrong <= 1 for n_wrong in runs["first_wrong"]), 0.85)


def test_a_jump_on_the_way_down_is_undone_within_fifteen_epochs(runs):
    """'On the way down the loss can jump back up, above ln 3 for a few epochs (on about a third of the seeds;
    with seed 0 at about epoch 475): a step that overshot. Within fifteen epochs it is back below 0.5.'"""
    def jumps(losses):
        losses = np.asarray(losses)
        return [epoch for epoch in range(plateau_end(losses), len(losses)) if losses[epoch] > LN3]

    def longest_stretch(epochs):
        longest = current = 0
        for before, epoch in zip([None] + epochs, epochs):
            current = current + 1 if before is not None and epoch == before + 1 else 1
            longest = max(longest, current)
        return longest

    everywhere(all(np.min(np.asarray(losses)[epoch:epoch + 15]) < 0.5 for epoch in jumps(losses))
               and longest_stretch(jumps(losses)) <= 6 for losses in runs["first"])
    share((bool(jumps(losses)) for losses in runs["first"]), 0.2, 0.5)
    seed_0 = [epoch + 1 for epoch in jumps(runs["first"][0])]
    assert seed_0 and all(465 <= epoch <= 485 for epoch in seed_0), seed_0


def test_on_the_plateau_the_accuracy_is_already_far_above_guessing(runs):
    """'At epoch 200 the loss has hardly moved (it is within 0.015 of ln 3), yet the accuracy is already anywhere
    between 45% and all of the points, depending on the seed, and above two thirds on 46 of 50 seeds.'"""
    everywhere(abs(losses[199] - LN3) < 0.015 and accuracies[0] >= 0.45
               for losses, accuracies in zip(runs["first"], runs["first_accuracies"]))
    share((accuracies[0] >= 2 / 3 for accuracies in runs["first_accuracies"]), 0.8)


def test_a_linear_model_separates_the_blobs(runs):
    """'The linear model classifies every blob point correctly too.'"""
    everywhere(accuracy == 1.0 for accuracy in runs["linear_accuracy"])


# Part 8: the rings
def test_a_linear_model_fails_on_the_rings(runs):
    """'The linear model ends with its loss still close to ln 3 and about 42% of the points right.'"""
    everywhere(losses[-1] > LN3 - 0.02 and 0.38 <= accuracy <= 0.46
               for losses, accuracy in zip(runs["rings_linear"], runs["rings_linear_accuracy"]))


def test_the_network_learns_the_rings_after_a_longer_plateau(runs):
    """'The network sits on its plateau longer than on the blobs, until epoch 520 to 1200 depending on the seed
    (600 to 1000 on 41 of seeds 0 to 49), and then learns every point, or all but one ... it recovers, and ends
    below 0.06 on at least 49 of 50 seeds (a jump late in the run can leave it near 0.1).'"""
    ends = [plateau_end(losses) or 0 for losses in runs["rings_network"]]
    everywhere(520 <= end <= 1200 and end > plateau_end(blobs) and accuracy >= 299 / 300 and losses[-1] < 0.15
               for end, blobs, accuracy, losses in zip(ends, runs["first"], runs["rings_network_accuracy"],
                                                       runs["rings_network"]))
    share((600 <= end <= 1000 for end in ends), 0.7)
    holds(losses[-1] < 0.06 for losses in runs["rings_network"])


# Homework 1: the learning-rate sweep (and the model answer of lr_discussion)
def at(runs, rate, name="sweep"):
    """[(losses, final accuracy) for each seed] at one rate of the sweep."""
    return [sweep[rate] for sweep in runs[name]]


def test_small_rates_stay_on_the_plateau(runs):
    """'At 0.1 the loss stays at ln 3 for all 1000 epochs, and at 0.3 it has barely begun to fall (it is still
    above 1.04 on 49 of seeds 0-49, and at 0.65 on the other).'"""
    everywhere(abs(losses[-1] - LN3) < 0.005 for losses, _ in at(runs, 0.1))
    everywhere(losses[-1] > 0.6 for losses, _ in at(runs, 0.3))
    holds(losses[-1] > 1.04 for losses, _ in at(runs, 0.3))


def test_rates_1_and_3_converge_and_3_leaves_the_plateau_sooner(runs):
    """'Rates 1 and 3 leave the plateau and converge from every initial weights tried: at 3 with every point
    right and a loss of a few thousandths, at 1 with a loss of 0.006-0.05 and at most one point wrong on 46 of 50
    seeds (two to five on the others). ... (below a loss of 1.0 after 260-520 epochs at rate 1, 110-220 at rate
    3) ... At 3 the loss first jumps above ln 3 (to 1.5-2.1 within its first ten epochs) before it falls ... at 3 the
    loss jumps above ln 3, at 1 it never does.'"""
    everywhere(0.005 <= losses[-1] <= 0.055 and wrong(accuracy) <= 5 and 260 <= (plateau_end(losses) or 0) <= 520
               and max(losses[:plateau_end(losses)]) <= losses[0] for losses, accuracy in at(runs, 1.0))
    share((wrong(accuracy) <= 1 for _, accuracy in at(runs, 1.0)), 0.85)
    everywhere(accuracy == 1.0 and losses[-1] < 0.005 and 110 <= (plateau_end(losses) or 0) <= 220
               and 1.45 < max(losses[:10]) < 2.15 for losses, accuracy in at(runs, 3.0))
    everywhere(plateau_end(fast) < plateau_end(slow) for (slow, _), (fast, _) in zip(at(runs, 1.0), at(runs, 3.0)))


def test_rate_10_overshoots_and_most_runs_fail(notebook, runs):
    """'At 10 the steps overshoot: within 50 epochs the loss jumps to 3-7, and on most seeds it is still jumping
    above ln 3 near the end of the budget; where it ends depends on the initial weights, and even on the rounding
    of the machine's arithmetic: about seven runs in ten fail, and now and then one settles by luck with every
    point right.' (Which seeds fail differs between BLAS kernels: the claim is about how often.)"""
    at_10 = at(runs, 10.0)
    everywhere(3 <= max(losses[:50]) <= 7 for losses, _ in at_10)
    share((max(losses[-100:]) > LN3 for losses, _ in at_10), 0.6)
    share((notebook["failed"](losses) for losses, _ in at_10), 0.55, 0.85)
    assert any(accuracy == 1.0 for _, accuracy in at_10)


def test_rate_30_saturates_the_sigmoids_and_every_run_fails(notebook, runs):
    """'At 30 every run fails at once: the loss jumps above 10 and stays near 10 (9-11 at the end) ... the second
    hidden layer's sigmoids saturate (they output exactly 0 or 1 for every point) ... the network predicts one
    class for every point (33%).'"""
    everywhere(notebook["failed"](losses) and max(losses[:20]) > 10 and 9 < losses[-1] < 11 and accuracy == 1 / 3
               for losses, accuracy in at(runs, 30.0))
    everywhere(fraction > 0.99 for fraction in runs["saturated_30"])


def test_the_largest_curvature_at_the_start(runs):
    """lr_discussion: 'At the initial weights the largest curvature of this loss (the largest eigenvalue of its
    Hessian) is 1.2-1.4, so rates above about 1.5 overshoot from the start'; mse_discussion: 'the largest
    eigenvalue of the Hessian at the initial weights is 6.7-7.6 for MSE and 1.2-1.4 for NLL (seeds 0-49): the
    largest stable rate, 2/λ, is about 0.28 for MSE and 1.5 for NLL.'"""
    everywhere(1.15 <= value <= 1.4 and 1.4 <= 2 / value <= 1.75 for value in runs["curvature_nll"])
    everywhere(6.65 <= value <= 7.6 and 0.26 <= 2 / value <= 0.31 for value in runs["curvature_mse"])


# Homework 2: NLL against MSE (and the model answer of mse_discussion)
@pytest.mark.mse_loss
def test_mse_trains_only_at_small_rates_and_fails_or_overflows_above(notebook, runs):
    """'MSE trains only at 0.3 (at 0.1 it has not left its plateau), fails at 1 on every seed, and from 3 up its
    loss overflows to infinity.'"""
    failed = notebook["failed"]
    everywhere(abs(losses[-1] - 2 / 3) < 0.03 for losses, _ in at(runs, 0.1, "mse_sweep"))
    holds(not failed(losses) for losses, _ in at(runs, 0.3, "mse_sweep"))
    everywhere(failed(losses) and np.isfinite(losses[-1]) for losses, _ in at(runs, 1.0, "mse_sweep"))
    for rate in (3.0, 10.0, 30.0):
        everywhere(not np.isfinite(losses[-1]) for losses, _ in at(runs, rate, "mse_sweep"))


@pytest.mark.mse_loss
def test_nll_trains_at_1_and_3_and_fails_at_30_and_mostly_at_10(notebook, runs):
    """'NLL trains at 1 and 3, fails at 30 and, for most seeds, at 10.'"""
    failed = notebook["failed"]
    everywhere(not failed(slow) and not failed(fast) and failed(too_fast)
               for (slow, _), (fast, _), (too_fast, _) in zip(at(runs, 1.0), at(runs, 3.0), at(runs, 30.0)))
    share((failed(losses) for losses, _ in at(runs, 10.0)), 0.55)


@pytest.mark.mse_loss
def test_mse_at_its_best_is_slower(runs):
    """'Even at 0.3 MSE is slower: after 1000 epochs its loss is still a tenth to two thirds of a constant guess's
    (and on a seed or two in 50, on some machines, not yet below it), where NLL's is below 5% of it at rate 1 and
    below 0.4% at rate 3; and it needs about 2000 epochs to classify every point, or all but one or two.'"""
    relative = [losses[-1] / (2 / 3) for losses, _ in at(runs, 0.3, "mse_sweep")]
    outside = [seed for seed, value in zip(SEEDS, relative) if not 0.085 <= value <= 0.7]
    assert len(outside) <= 2, f"outside a tenth to two thirds for seeds {outside}"
    everywhere(losses[-1] / LN3 < 0.05 for losses, _ in at(runs, 1.0))
    everywhere(losses[-1] / LN3 < 0.004 for losses, _ in at(runs, 3.0))
    everywhere(n_wrong <= 2 for n_wrong in runs["mse_best_wrong"])


@pytest.mark.mse_loss
def test_mse_at_rate_1_runs_away_and_saturates(runs):
    """'by the third epoch the loss has jumped from about 1 (0.75 to 1.5) to between 49 and 93. The huge gradients
    throw the second hidden layer's sigmoids into saturation (exactly 0 or 1 for every point)'."""
    everywhere(0.75 <= losses[0] <= 1.5 and 49 <= max(losses[:3]) <= 93 for losses, _ in at(runs, 1.0, "mse_sweep"))
    everywhere(fraction > 0.99 for fraction in runs["saturated_mse_1"])


@pytest.mark.mse_loss
def test_mse_at_03_is_at_the_edge(runs):
    """'At 1 MSE overshoots at once, and 0.3 is at its edge: on most seeds the loss rises for a few epochs before
    it settles. NLL overshoots too at 3 (its loss jumps above ln 3 in the first epochs)'."""
    share((max(losses[:20]) > losses[0] + 0.02 for losses, _ in at(runs, 0.3, "mse_sweep")), 0.8)
    everywhere(max(losses[:10]) > LN3 + 0.3 for losses, _ in at(runs, 3.0))


@pytest.mark.mse_loss
def test_the_two_boundaries_agree_on_the_points_and_differ_away_from_them(runs):
    """'both networks classify all the points or nearly all (the NLL network of part 7 misses at most one point on
    46 of 50 seeds and at most five on any, the MSE network after 2000 epochs at most two) ... how they continue
    away from the data differs between the losses (they disagree on 1% to a third of the plotted box, depending on
    the seed)'. Measured on the grid of plot_decision_boundary."""
    everywhere(nll <= 5 and mse <= 2 and 0.008 <= disagree <= 0.34
               for nll, mse, disagree in zip(runs["first_wrong"], runs["mse_best_wrong"], runs["disagree"]))
