"""Every claim seminar 2's prose and model answers make about a result, checked over seeds 0 to 29.

The experiments are the notebook's own: the test runs the definition cells of the instructor notebook
(the functions the experiment cells call with SEED) beside the reference answers, for seeds 0 to 29, and
checks each sentence of the text against what they return. Each claim below quotes the sentence it
checks. The prose was written from the same experiments on seeds 0 to 49, with three of OpenBLAS's kernels
(SkylakeX, Haswell, Sandybridge): a claim said of every seed holds on each of them (`everywhere`), one said
without a frequency on all but one (`holds`), one said with a frequency as often as it says (`share`). The
seeds run in three processes with one BLAS thread each (tests/claims.py).
"""
import ast
import contextlib
import io

import nbformat
import numpy as np
import pytest

import claims
from claims import SEEDS, everywhere, holds, share
from conftest import ROOT

pytestmark = [pytest.mark.seminar2, pytest.mark.claims]
NOTEBOOK = ROOT / "source" / "seminar2" / "seminar2.ipynb"
GRADIENT_CHECKS = {"relu": "ReLU()", "tanh": "Tanh()", "elu": "ELU(alpha=0.7)"}


def is_definition_cell(source):
    """A cell that only defines functions and constants: an experiment's code, not its run."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, ast.FunctionDef) or (
        isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.Tuple))) for node in body) \
        and any(isinstance(node, ast.FunctionDef) for node in body)


def code_cells():
    return [cell for cell in nbformat.read(NOTEBOOK, as_version=4).cells if cell.cell_type == "code"]


def load_notebook():
    """The notebook's namespace: read-only cells, the solved answers and the definition cells, with the data
    the notebook loads (through data_loaders.py, generated from solutions/seminar2/data.py)."""
    from solutions.seminar2.data import load_digits_split
    namespace = {"__name__": "seminar2"}
    for cell in code_cells():
        flags = cell.metadata.get("nbgrader", {})
        if flags.get("grade"):
            continue
        if flags.get("locked") or flags.get("solution") or is_definition_cell(cell.source):
            exec(compile(cell.source, f"<cell {flags.get('grade_id', 'definitions')}>", "exec"), namespace)
    namespace["data"] = load_digits_split(ROOT / "source" / "seminar2" / "digits.npz")
    return namespace


@pytest.fixture(scope="module")
def notebook():
    return load_notebook()


def run_seed(seed):
    """Every experiment for one seed, called as the notebook's experiment cells call it; plain data back."""
    nb = claims.LOADED
    data = nb["data"]
    result = {"spread": nb["activation_spread"](data["X_train"].shape[1], seed)}
    _, result["first_run"], result["initial_loss"] = nb["first_run"](data, seed)
    result["momentum"] = nb["compare_momentum"](data, seed)
    result["activations"] = nb["compare_activations"](data, seed)
    result["sweep"] = nb["sweep_batch_sizes"](data, seed)
    candidates = nb["validation_sweep"](data, seed)
    # (final validation accuracy, final validation loss, how far the loss swung over the last ten epochs)
    result["candidates"] = {setting: (history["val_accuracy"][-1], history["val_loss"][-1],
                                      float(np.ptp(history["val_loss"][-10:])))
                            for setting, (_, history) in candidates.items()}
    final = candidates[nb["FINAL_SETTING"]][0]
    result["test_accuracy"] = nb["accuracy"](data["y_test"], nb["predict"](final, data["X_test"]))
    result["confusion"] = nb["confusion_matrix"](data["y_val"], nb["predict"](final, data["X_val"]))
    result["worst_confidence"] = nb["confident_mistakes"](final, data["X_val"], data["y_val"])[2][0]
    return result


@pytest.fixture(scope="module")
def runs():
    """{experiment: [its result for each seed]}, the seeds shared between processes."""
    return claims.over_seeds(run_seed, SEEDS, load_notebook)


def test_the_experiments_are_the_notebooks(notebook):
    for name in ("relative_deviation", "verdict", "train_network", "activation_spread", "first_run",
                 "compare_momentum", "compare_activations", "sweep_batch_sizes", "validation_sweep",
                 "FINAL_SETTING", "confusion_matrix", "confident_mistakes"):
        assert name in notebook, f"no definition cell defines {name}"
    assert notebook["FINAL_SETTING"] == (0.1, 128)
    assert notebook["verdict"](3.14e-10) == "ok: 3.1e-10 < 1e-7"


# Parts 1 to 3
def test_the_gradient_checks_print_ok(notebook):
    """'As in seminar 1, divide the deviation by the size of the gradient: a right gradient has a relative
    deviation below 1e-7, and verdict prints it against that limit'. The cells run as they are."""
    cells = [cell.source for cell in code_cells() if "verdict(relative_deviation(" in cell.source]
    assert [next(name for name, layer in GRADIENT_CHECKS.items() if f"layer = {layer}" in source)
            for source in cells] == list(GRADIENT_CHECKS)
    for source in cells:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, "<gradient check>", "exec"), dict(notebook))
        assert "relative deviation of dL/dX: ok: " in printed.getvalue(), printed.getvalue()


# Part 4
def test_small_weights_shrink_the_signal_layer_by_layer(runs):
    """'With N(0, 0.1²) the spread shrinks by about 0.57 per layer, as computed above: after ten layers it is
    about half a percent of what it was after the first (0.57^9 ≈ 0.006; 0.3% to 1.1% for seeds 0 to 49).'"""
    def claim(spreads):
        values = spreads["N(0, 0.1²)"]
        ratio = values[-1] / values[0]
        return 0.003 <= ratio <= 0.011 and 0.5 < ratio ** (1 / (len(values) - 1)) < 0.65
    everywhere(claim(spreads) for spreads in runs["spread"])


def test_he_weights_keep_the_signal(runs):
    """'With He weights it stays within a factor of 3 of it at every layer.'"""
    everywhere(all(1 / 3 < value / spreads["He: N(0, 2 / n_in)"][0] < 3 for value in spreads["He: N(0, 2 / n_in)"])
               for spreads in runs["spread"])


# Part 8
def test_initial_loss_is_a_little_above_ln_10(runs):
    """'so the loss starts a little above that, between 2.3 and 3.'"""
    everywhere(np.log(10) < loss < 3.0 for loss in runs["initial_loss"])


def test_training_accuracy_climbs_to_99_while_validation_levels_off(runs):
    """'The training accuracy climbs to about 99% (98.0% to 99.3% for seeds 0 to 49) while the validation
    accuracy levels off around 97% (95.8% to 97.8%).'"""
    everywhere(0.979 <= history["train_accuracy"][-1] <= 0.994 and 0.957 <= history["val_accuracy"][-1] <= 0.979
               and history["train_accuracy"][-1] > history["val_accuracy"][-1] for history in runs["first_run"])


def test_the_training_loss_keeps_falling_the_validation_accuracy_does_not(runs):
    """'Between epochs 15 and 30 the training loss still falls by a factor of almost 2, yet the validation
    accuracy changes by less than two points.'"""
    everywhere(1.6 < history["train_loss"][14] / history["train_loss"][29] < 2.0
               and abs(history["val_accuracy"][29] - history["val_accuracy"][14]) < 0.02
               for history in runs["first_run"])


def test_a_generalisation_gap_not_yet_overfitting(runs):
    """'It is not overfitting yet: ... here the validation loss still falls, only more slowly than the training
    loss (from 0.14-0.18 at epoch 15 to 0.10-0.12 at epoch 30).'"""
    def claim(history):
        train, val = history["train_loss"], history["val_loss"]
        return (0.135 <= val[14] <= 0.185 and 0.095 <= val[29] <= 0.125 and val[29] < val[14]
                and val[14] / val[29] < train[14] / train[29])
    everywhere(claim(history) for history in runs["first_run"])


# Part 9
def test_momentum_ends_six_times_lower_and_validates_better(runs):
    """'After 20 epochs the training loss with momentum is about six times lower than with plain SGD, and the
    validation accuracy is higher.'"""
    everywhere(4.5 < h["SGD"]["train_loss"][-1] / h["momentum 0.9"]["train_loss"][-1] < 8
               and h["momentum 0.9"]["val_accuracy"][-1] > h["SGD"]["val_accuracy"][-1] for h in runs["momentum"])


# Part 10
def test_sigmoid_stays_near_chance_the_others_pass_90(runs):
    """'With sigmoid the validation accuracy stays at or below 20% for all 20 epochs, hardly better than the 10%
    of guessing, while tanh, ReLU and ELU pass 90%.'"""
    everywhere(max(r["Sigmoid"][0]["val_accuracy"]) <= 0.2
               and all(r[name][0]["val_accuracy"][-1] >= 0.9 for name in ("Tanh", "ReLU", "ELU"))
               for r in runs["activations"])


def test_sigmoids_first_layer_gradient_is_a_hundred_times_smaller(runs):
    """Model answer: 'the first layer's |dL/dW| about 100 times smaller than the last layer's' with sigmoid; with
    the others 'the gradient keeps its size from layer to layer (the first / last ratio is between 0.45 and
    1.7)'."""
    def ratio(gradients):
        return gradients[0] / gradients[-1]
    everywhere(1 / 150 < ratio(r["Sigmoid"][1]) < 1 / 75
               and all(0.45 <= ratio(r[name][1]) <= 1.7 for name in ("Tanh", "ReLU", "ELU"))
               for r in runs["activations"])


# Part 11 (the model answer)
def sweep(notebook, result):
    final, seconds = result
    sizes, rates = list(notebook["BATCH_SIZES"]), list(notebook["LEARNING_RATES"])
    return final, seconds, sizes.index, rates.index


def test_small_batches_get_further_at_small_rates(notebook, runs):
    """'at 0.01 and 0.03 the curves are ordered by batch size, smallest on top, and up to 0.3 batches of 512 stay
    the lowest.'"""
    def claim(result):
        final, _, size, rate = sweep(notebook, result)
        ordered = all(np.all(np.diff(final[:, rate(r)]) <= 0) for r in (0.01, 0.03))
        return ordered and all(final[size(512), rate(r)] == final[:, rate(r)].min() for r in (0.1, 0.3))
    everywhere(claim(result) for result in runs["sweep"])


def test_large_batches_need_large_rates(notebook, runs):
    """'with batches of 512 a rate of 0.01 barely leaves chance in 10 epochs (3% to 37% for seeds 0 to 49), and
    they do best at 0.3-1.'"""
    def claim(result):
        final, _, size, rate = sweep(notebook, result)
        row = final[size(512)]
        return 0.03 <= row[rate(0.01)] <= 0.375 and int(np.argmax(row)) in (rate(0.3), rate(1.0))
    everywhere(claim(result) for result in runs["sweep"])


def test_too_large_a_rate_fails_first_for_small_batches(notebook, runs):
    """'at 1.0, batches of 8 fall far below their best (by 11 to 89 points, and by more than 25 on at least 48 of
    50 seeds) while the larger ones still learn (batches of 32 and 128 reach 83% to 98%, batches of 512 47% to 94%);
    at 3.0 every batch size falls back to chance or near it (at most 25%).' (Batches of 8 at 1.0 are on the edge:
    how far they fall depends even on the BLAS kernel's rounding.)"""
    def fall_of_8(result):
        final, _, size, rate = sweep(notebook, result)
        return final[size(8)].max() - final[size(8), rate(1.0)]

    def claim(result):
        final, _, size, rate = sweep(notebook, result)
        return (0.105 <= fall_of_8(result) <= 0.895
                and all(0.825 <= final[size(b), rate(1.0)] <= 0.985 for b in (32, 128))
                and 0.465 <= final[size(512), rate(1.0)] <= 0.945 and np.all(final[:, rate(3.0)] <= 0.255))
    everywhere(claim(result) for result in runs["sweep"])
    share((fall_of_8(result) > 0.25 for result in runs["sweep"]), 0.9)


def test_batches_of_32_at_03_are_a_good_compromise(notebook, runs):
    """'a batch of 32 with a rate of about 0.3 is a good compromise here (92% to 97% in 10 epochs).'"""
    def claim(result):
        final, _, size, rate = sweep(notebook, result)
        return 0.915 <= final[size(32), rate(0.3)] <= 0.976
    everywhere(claim(result) for result in runs["sweep"])


def test_small_batches_cost_more_processor_time_per_epoch(notebook, runs):
    """'Per epoch, small batches also cost more processor time: 135 steps of small matrix products ... instead of
    3 large vectorised ones'. The notebook times an epoch on the process's own processor time, which other
    programs running beside it do not inflate."""
    holds(seconds[notebook["BATCH_SIZES"].index(8)] > seconds[notebook["BATCH_SIZES"].index(512)]
          for _, seconds in runs["sweep"])
    data, steps = notebook["data"], {}
    for batch_size in (8, 512):
        batches = notebook["iterate_minibatches"](data["X_train"], data["y_train"], batch_size,
                                                  np.random.default_rng(0))
        steps[batch_size] = len(batches)
    assert steps == {8: 135, 512: 3}


# Part 12
def test_the_validation_sweep_chooses_01_and_128(runs):
    """'At 0.1 every width ends at 96.9% to 98.6%, and 128 units come within two points (seven images) of the
    sweep's best on every seed. At 0.3 the best runs are slightly better but the worst are worse (down to 93.9%,
    validation loss up to 0.44): with momentum, steps that large keep the network jumping from epoch to epoch
    instead of settling (over the last ten epochs its validation loss swings more than at 0.1 on 44 of 50 seeds).
    At 0.03 the networks are still behind after 30 epochs (their validation loss, averaged over the three widths,
    is above 0.1's on 49 of the 50 seeds).' (The extremes are those of 50 seeds: here, over 30, the comparison of
    the extremes.)"""
    widths = (64, 128, 256)
    everywhere(all(0.969 <= candidates[0.1, width][0] <= 0.987 for width in widths)
               and max(result[0] for result in candidates.values()) - candidates[0.1, 128][0] <= 7 / 359
               for candidates in runs["candidates"])
    swings = [(np.mean([candidates[0.3, width][2] for width in widths]),
               np.mean([candidates[0.1, width][2] for width in widths])) for candidates in runs["candidates"]]
    share((at_03 > at_01 for at_03, at_01 in swings), 0.75)
    holds(np.mean([candidates[0.03, width][1] for width in widths])
          > np.mean([candidates[0.1, width][1] for width in widths]) for candidates in runs["candidates"])

    def extreme(rate, index, pick):
        return pick(candidates[rate, width][index] for candidates in runs["candidates"] for width in widths)
    assert extreme(0.3, 0, max) > extreme(0.1, 0, max) and extreme(0.3, 0, min) < extreme(0.1, 0, min)
    assert extreme(0.3, 1, max) > extreme(0.1, 1, max)


def test_the_final_network_reaches_97_percent_on_the_test_set(runs):
    """The targets: at least 97% test accuracy for the final network (97.5% to 98.9% over seeds 0 to 49)."""
    everywhere(0.97 <= accuracy for accuracy in runs["test_accuracy"])


def test_mistakes_are_few_and_scattered(runs):
    """'About 8 of the 359 validation images are wrong (between 5 and 12 depending on the seed), and no pair of
    digits is confused more than twice.'"""
    def claim(counts):
        off_diagonal = counts - np.diag(np.diag(counts))
        return 5 <= off_diagonal.sum() <= 12 and off_diagonal.max() <= 2
    everywhere(claim(counts) for counts in runs["confusion"])


def test_the_worst_mistake_is_made_with_confidence(runs):
    """'the most confident one gets a probability above 0.9 for the wrong digit'."""
    everywhere(confidence > 0.9 for confidence in runs["worst_confidence"])
