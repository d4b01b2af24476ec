"""Hidden checks of seminar 3: one function per graded test cell.

Each check exercises one answer on seeded float64 inputs and fails with a message that names the
mistake. Parts stay isolated: the optimizers are run on parameters of the check's own, weight decay
on a list of the check's own arrays, dropout and batch norm on their own, and fit with stand-ins
(a small network of the given bricks, a loss, an optimizer, batches, a validation and a schedule
that write down how fit calls them), never with the student's other answers. Only fit_converges
trains the student's Adam, BatchNorm and fit together.

During grading the answers live in the student's process and every call is a round trip. What
needs many calls, or arrays that must stay the same objects from call to call (an optimizer's
parameters, a network whose best weights fit restores in place), runs beside the student's code
(checks.kit.define_beside): the check defines its own small helpers there, and checks what comes
back on its own.
"""
import functools
import math
import warnings

import numpy as np

import solutions.seminar1 as bricks
import solutions.seminar2 as seminar2
import solutions.seminar3 as reference

from .datasets import digits
from .kit import (HiddenChecks, LoopOverSamples, attribute, call, define_beside, describe, expect_close,
                  expect_gradient, expect_scalar, expect_shape, expect_unchanged, fail, loop_in_words,
                  numerical_gradient, row_guarded, seeded, shape_note, signed_inputs, source_of, t)

hidden = HiddenChecks(__name__)
grade = hidden.grade


def _same(a, b, rtol=1e-6, atol=1e-9):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _same_lists(got, expected, rtol=1e-6, atol=1e-9):
    return len(got) == len(expected) and all(_same(a, b, rtol, atol) for a, b in zip(got, expected))


# ---------------------------------------------------------------- optimizers

# Runs an optimizer's steps where it lives, on the same value arrays from step to step, as a
# layer holds its parameters: an optimizer may keep its state by position or by the arrays
# themselves, and must change each value in place.
_STEPS_BESIDE = """

def run_steps(optimizer, values, gradients, learning_rate):
    \"\"\"The values after each step of optimizer.step([(value, gradient), ...], learning_rate), one
    step per entry of gradients (each a list of arrays, one per value), new gradient arrays every
    step as every backward makes them.\"\"\"
    values = [np.array(value, dtype=np.float64) for value in values]
    trajectory = []
    for step_gradients in gradients:
        params = [(value, np.array(gradient, dtype=np.float64)) for value, gradient in zip(values, step_gradients)]
        optimizer.step(params, learning_rate)
        trajectory.append([value.copy() for value in values])
    return trajectory
"""

PARAMETER_NAMES = ("W", "b")


def _problem(seed, n_steps=3):
    """Values W (3, 2) and b (2,), and n_steps steps of random gradients for them."""
    rng = seeded(seed)
    values = [rng.randn(3, 2), rng.randn(2)]
    gradients = [[rng.randn(3, 2), rng.randn(2)] for _ in range(n_steps)]
    return values, gradients


def _run(optimizer_class, what, kwargs, values, gradients, learning_rate):
    """The student's optimizer over the steps: the values after each step (checked for shapes)."""
    optimizer = call(what, optimizer_class, **kwargs)
    run_steps = define_beside(optimizer_class, source_of() + _STEPS_BESIDE)["run_steps"]
    trajectory = call(f"{what}.step", run_steps, optimizer, values, gradients, learning_rate)
    return [[expect_shape(t("{name} after step {step} of {what}", name=name, step=step + 1, what=what), value,
                          np.shape(start))
             for name, value, start in zip(PARAMETER_NAMES, step_values, values)]
            for step, step_values in enumerate(trajectory)]


def _sgd(values, gradients, learning_rate, momentum):
    """SGD with momentum, written here: v <- mu v - lr g, value <- value + v."""
    values = [value.copy() for value in values]
    velocities = [np.zeros_like(value) for value in values]
    trajectory = []
    for step_gradients in gradients:
        for value, velocity, gradient in zip(values, velocities, step_gradients):
            velocity *= momentum
            velocity -= learning_rate * gradient
            value += velocity
        trajectory.append([value.copy() for value in values])
    return trajectory


def _compare_trajectory(what, got, expected, start, rule, alternatives):
    """The values after every step against the expected ones; a mistake named by the first
    alternative trajectory ({phrase: trajectory}) that the student's follows."""
    for step, (got_values, expected_values) in enumerate(zip(got, expected)):
        if _same_lists(got_values, expected_values, rtol=1e-7, atol=1e-10):
            continue
        note = t(" after step {step} of {what}", step=step + 1, what=what)
        if step == 0 and _same_lists(got_values, start, rtol=0, atol=0):
            fail(t("the values did not change{note}: change each value in place (value -= ..., value += ...); "
                   "`value = value - ...` makes a new array, and the layer keeps its old one", note=note))
        for phrase, trajectory in alternatives.items():
            if all(_same_lists(g, a, rtol=1e-7, atol=1e-10) for g, a in zip(got[:step + 1], trajectory[:step + 1])):
                fail(t("{what} {phrase} (seen after step {step}): expected {rule}", what=what, phrase=phrase,
                       step=step + 1, rule=rule))
        for name, value, right in zip(PARAMETER_NAMES, got_values, expected_values):
            expect_close(name, value, right, t("{note}; expected {rule}", note=note, rule=rule), rtol=1e-7,
                         atol=1e-10)


def _check_sgd(SGD, momentum, seed):
    values, gradients = _problem(seed)
    learning_rate = 0.1
    what = "SGD()" if momentum is None else f"SGD(momentum={momentum})"
    mu = 0.0 if momentum is None else momentum
    got = _run(SGD, what, {} if momentum is None else {"momentum": momentum}, values, gradients, learning_rate)
    rule = (t("value <- value - learning_rate * gradient") if mu == 0 else
            t("v <- {mu} v - learning_rate * gradient, then value <- value + v", mu=mu))
    alternatives = {t("moved uphill"): _sgd(values, [[-g for g in step] for step in gradients], learning_rate, mu),
                    t("ignores learning_rate"): _sgd(values, gradients, 1.0, mu)}
    if mu == 0:
        alternatives[t("moved with momentum 0.9: the default is momentum = 0, plain SGD")] = _sgd(
            values, gradients, learning_rate, 0.9)
    else:
        alternatives[t("moved like plain SGD: keep a velocity for each parameter between steps")] = _sgd(
            values, gradients, learning_rate, 0.0)
        if mu != 0.9:
            alternatives[t("ignores its momentum argument (it moved as with momentum 0.9)")] = _sgd(
                values, gradients, learning_rate, 0.9)
    _compare_trajectory(what, got, _sgd(values, gradients, learning_rate, mu), values, rule, alternatives)


@hidden.check(points=4)
def optimizers_hidden(SGD):
    """SGD() is plain SGD: three steps in a row with new gradients each time, for a W (3, 2) and a b (2,)
    held by the same arrays throughout, each changed in place by value <- value - learning_rate * gradient."""
    _check_sgd(SGD, None, seed=301)


@hidden.check(points=4)
def optimizers_momentum_hidden(SGD):
    """SGD(momentum=0.5) and SGD(momentum=0.9): the same three steps with a velocity per parameter,
    v <- mu v - learning_rate * gradient, value <- value + v, starting from v = 0."""
    _check_sgd(SGD, 0.5, seed=302)
    _check_sgd(SGD, 0.9, seed=303)


# ---------------------------------------------------------------- Adam

def _adam(values, gradients, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8, mistake=None):
    """Adam written here, or with a known mistake: "no correction", "corrected twice", "t per
    parameter" (the step count raised for every parameter), "eps inside the root"."""
    values = [value.copy() for value in values]
    m = [np.zeros_like(value) for value in values]
    v = [np.zeros_like(value) for value in values]
    trajectory, t_count = [], 0
    for step_gradients in gradients:
        if mistake != "t per parameter":
            t_count += 1
        for value, m_k, v_k, g in zip(values, m, v, step_gradients):
            if mistake == "t per parameter":
                t_count += 1
            m_k *= beta1
            m_k += (1 - beta1) * g
            v_k *= beta2
            v_k += (1 - beta2) * g ** 2
            corrections = {None: 1, "no correction": 0, "corrected twice": 2}.get(mistake, 1)
            m_hat = m_k / (1 - beta1 ** t_count) ** corrections
            v_hat = v_k / (1 - beta2 ** t_count) ** corrections
            if mistake == "eps inside the root":
                value -= learning_rate * m_hat / np.sqrt(v_hat + eps)
            else:
                value -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        trajectory.append([value.copy() for value in values])
    return trajectory


ADAM_RULE = ("m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2, m_hat = m / (1 - beta1^t), "
             "v_hat = v / (1 - beta2^t), value <- value - learning_rate m_hat / (sqrt(v_hat) + eps)")


def _adam_mistakes(values, gradients, learning_rate, **betas):
    return {
        t("has no bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t"):
            _adam(values, gradients, learning_rate, mistake="no correction", **betas),
        t("corrects the bias twice: divide m and v by 1 - beta^t once per step"):
            _adam(values, gradients, learning_rate, mistake="corrected twice", **betas),
        t("counts t once per parameter: t is the number of steps, raised once per call of step"):
            _adam(values, gradients, learning_rate, mistake="t per parameter", **betas),
        t("moved uphill"): _adam(values, [[-g for g in step] for step in gradients], learning_rate, **betas),
    }


@hidden.check(points=6)
def adam_hidden(Adam):
    """The values after three steps in a row with new gradients each time, for a W (3, 2) and a b (2,), with
    the default beta1 = 0.9, beta2 = 0.999, eps = 1e-8 and with beta1 = 0.5, beta2 = 0.9: the known values
    of Adam with bias correction, t counting the steps."""
    learning_rate = 0.01
    for seed, betas in ((311, {}), (312, {"beta1": 0.5, "beta2": 0.9})):
        values, gradients = _problem(seed)
        what = "Adam()" if not betas else "Adam(beta1=0.5, beta2=0.9)"
        got = _run(Adam, what, betas, values, gradients, learning_rate)
        alternatives = _adam_mistakes(values, gradients, learning_rate, **betas)
        if betas:
            alternatives[t("ignores its beta1 and beta2 arguments")] = _adam(values, gradients, learning_rate)
        _compare_trajectory(what, got, _adam(values, gradients, learning_rate, **betas), values, ADAM_RULE,
                            alternatives)


@hidden.check(points=4)
def adam_extremes_hidden(Adam):
    """The first step is learning_rate * m_hat / (sqrt(v_hat) + eps), about learning_rate * sign(gradient)
    whatever the gradient's size: for gradients of +-1e-6 and +-1e6, finite, no overflow."""
    learning_rate = 0.01
    gradient = np.array([1e-6, -1e-6, 1e6, -1e6])
    values = [np.array([0.5, -0.5, 0.25, 2.0])]
    what = "Adam()"
    with np.errstate(all="ignore"):
        got = _run(Adam, what, {}, values, [[gradient]], learning_rate)[0][0]
    if not np.all(np.isfinite(got)):
        fail(t("{what}'s first step is not finite for gradients {gradients}: got {got}", what=what,
               gradients=gradient.tolist(), got=got.tolist()))
    steps = (values[0] - got) / learning_rate  # in units of learning_rate
    expected = _adam(values, [[gradient]], learning_rate)[0][0]
    if _same(got, expected, rtol=1e-6, atol=1e-12):
        return
    note = t(" (for gradients {gradients} the steps were {steps} times learning_rate)", gradients=gradient.tolist(),
             steps=[float(f"{step:.4g}") for step in steps])
    for phrase, mistake in ((t("has no bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t"),
                             "no correction"),
                            (t("corrects the bias twice: divide m and v by 1 - beta^t once per step"),
                             "corrected twice"),
                            (t("adds eps inside the square root: sqrt(v_hat + eps) is 1e-4 for a gradient of 1e-6, "
                               "and the step 100 times too small; add eps after the root"), "eps inside the root")):
        if _same(got, _adam(values, [[gradient]], learning_rate, mistake=mistake)[0][0], rtol=1e-6, atol=1e-12):
            fail(t("{what} {phrase}{note}", what=what, phrase=phrase, note=note))
    fail(t("{what}'s first step should be learning_rate * m_hat / (sqrt(v_hat) + eps) = learning_rate * g / (|g| + "
           "eps), about learning_rate * sign(g){note}", what=what, note=note))


# ---------------------------------------------------------------- weight decay

def _decay_problem(seed):
    """A network's params as network.params() lists them: W1 (3, 4), b1 (4,), gamma and beta (4,) of a
    batch norm, W2 (4, 2), b2 (2,); their gradients random."""
    rng = seeded(seed)
    shapes = [(3, 4), (4,), (4,), (4,), (4, 2), (2,)]
    return [(rng.randn(*shape), rng.randn(*shape)) for shape in shapes]


NAMES_OF_DECAYED = ("W1", "b1", "gamma", "beta", "W2", "b2")


def _decay(weight_decay, seed, strength):
    """The student's weight_decay on copies of the problem: (params before, params after, the penalty)."""
    params = _decay_problem(seed)
    given = [(value.copy(), gradient.copy()) for value, gradient in params]
    what = f"weight_decay(params, {strength})"
    penalty = call(what, weight_decay, given, strength)
    return params, given, penalty, what


@hidden.check(points=4)
def weight_decay_hidden(weight_decay):
    """On a network's params (two weight matrices, biases and a batch norm's gamma and beta): the penalty
    strength / 2 * (sum of W^2 over the weight matrices), and strength * W added in place to each weight
    matrix's own gradient array; the values themselves unchanged."""
    strength = 0.01
    params, given, penalty, what = _decay(weight_decay, 321, strength)
    matrices = [k for k, (value, _) in enumerate(params) if value.ndim == 2]
    for k, ((value, gradient), (value_after, gradient_after)) in enumerate(zip(params, given)):
        if not _same(value_after, value, rtol=0, atol=0):
            fail(t("{what} changed the values of {name}: weight decay adds to the gradient, and the optimizer moves "
                   "the weights", what=what, name=NAMES_OF_DECAYED[k]))
    for k in matrices:
        value, gradient = params[k]
        gradient_after = given[k][1]
        name = NAMES_OF_DECAYED[k]
        if _same(gradient_after, gradient, rtol=0, atol=0):
            fail(t("{what} left the gradient of {name} as it was: add strength * W to it in place (gradient += ...; "
                   "`gradient = gradient + ...` makes a new array that the layer never sees)", what=what, name=name))
        if _same(gradient_after, gradient + 2 * strength * value):
            fail(t("{what} added 2 * strength * W to the gradient of {name}: the penalty strength / 2 * sum(W^2) has "
                   "the gradient strength * W", what=what, name=name))
        if _same(gradient_after, strength * value):
            fail(t("{what} replaced the gradient of {name} by strength * W: add it to the gradient of the loss",
                   what=what, name=name))
        expect_close(t("the gradient of {name} after {what}", name=name, what=what), gradient_after,
                     gradient + strength * value, t(" (strength {strength}): expected gradient + strength * W",
                                                    strength=strength))
    expected = 0.5 * strength * sum(float(np.sum(params[k][0] ** 2)) for k in matrices)
    value = expect_scalar(what, penalty)
    if abs(value - expected) > 1e-9 * expected:
        every = 0.5 * strength * sum(float(np.sum(v ** 2)) for v, _ in params)
        hint = (t(": that is strength * sum(W^2), without the 1 / 2") if abs(value - 2 * expected) <= 1e-9 * expected
                else t(": that counts the vectors (biases, gamma, beta) too") if abs(value - every) <= 1e-9 * every
                else "")
        fail(t("{what} returned the penalty {value:.6g}, expected strength / 2 * (sum of W^2 over the weight matrices) "
               "= {expected:.6g}{hint}", what=what, value=value, expected=expected, hint=hint))


@hidden.check(points=3)
def weight_decay_bias_hidden(weight_decay):
    """Only the weight matrices (2-D values) are decayed: the gradients of the biases and of a batch norm's gamma
    and beta are left as they were, with strength 0.1 and with strength 0."""
    for strength in (0.1, 0.0):
        params, given, _, what = _decay(weight_decay, 322, strength)
        for k, ((value, gradient), (_, gradient_after)) in enumerate(zip(params, given)):
            if value.ndim == 2:
                continue
            name = NAMES_OF_DECAYED[k]
            if not _same(gradient_after, gradient, rtol=0, atol=0):
                fail(t("{what} changed the gradient of {name}, a vector: decay the weight matrices W (values with "
                       "two dimensions) only, not the biases, nor batch norm's gamma and beta", what=what, name=name))


# ---------------------------------------------------------------- dropout

def _keep(seed, shape, p):
    """The mask the notebook asks for: keep = rng.random(X.shape) >= p, from a generator of that seed."""
    return np.random.default_rng(seed).random(shape) >= p


def _dropout(Dropout, p, seed):
    what = f"Dropout({p}, rng)"
    return call(what, Dropout, p, np.random.default_rng(seed)), what


@hidden.check(points=4)
def dropout_forward_hidden(Dropout):
    """In training, Y = X * keep / (1 - p) with keep = rng.random(X.shape) >= p from the layer's generator, for
    p = 0.5 and p = 0.2; a new mask from the same generator on the next call; X left unchanged; no loop over
    samples."""
    for p, seed in ((0.5, 331), (0.2, 332)):
        X = signed_inputs(seeded(seed), (6, 5))
        X_before = X.copy()
        layer, what = _dropout(Dropout, p, seed)
        draws = np.random.default_rng(seed)
        for call_number in (1, 2):
            keep = draws.random(X.shape) >= p
            Y = expect_shape(f"{what}.forward(X)", call(f"{what}.forward", layer.forward, X), X.shape, shape_note(X=X))
            expect_unchanged(f"{what}.forward", X_before, X)
            expected = X * keep / (1 - p)
            if _same(Y, expected, rtol=1e-12, atol=0):
                continue
            note = t(" (call {n} of forward in training, X of shape {shape})", n=call_number, shape=X.shape)
            hint = ""
            if _same(Y, X * keep):
                hint = t("the kept units are not rescaled: divide them by 1 - p, so that each keeps its expected value")
            elif _same(Y, X * keep * (1 - p)):
                hint = t("the kept units are multiplied by 1 - p: divide by it")
            elif _same(Y, X * ~keep / (1 - p)) or _same(Y, X * ~keep / p):
                hint = t("it keeps the units it should drop: p is the probability of dropping a unit, keep = "
                         "rng.random(X.shape) >= p")
            elif _same(Y, X):
                hint = t("nothing is dropped in training")
            elif call_number == 2 and _same(Y, X * (_keep(seed, X.shape, p)) / (1 - p)):
                hint = t("the mask of the first call came again: draw a new one from the layer's rng on every call")
            elif np.all((Y == 0) | np.isclose(Y, X / (1 - p))):
                hint = t("the mask is not rng.random(X.shape) >= p from the layer's own generator (np.random, another "
                         "draw or a new generator inside give other masks): draw exactly that")
            fail(t("{what}.forward(X) is wrong{note}: {hint}", what=what, note=note,
                   hint=hint or t("expected X * keep / (1 - p)")))
        try:
            layer.forward(row_guarded(X_before))
        except LoopOverSamples as loop:
            fail(t("{what}.forward {loop}: multiply the whole array by the mask, not in a loop over samples",
                   what=what, loop=loop_in_words(loop)))


@hidden.check(points=3)
def dropout_backward_hidden(Dropout):
    """In training, dL/dX against numerical gradients of your forward pass with its mask fixed (dL/dX = dL/dY
    times what forward multiplied each entry by), after two forward calls (backward uses the last); no loop
    over samples."""
    p, seed = 0.5, 333
    rng = seeded(seed)
    X_first, X, dLdy = signed_inputs(rng, (6, 5)), signed_inputs(rng, (6, 5)), rng.randn(6, 5)
    layer, what = _dropout(Dropout, p, seed)
    Y_first = np.asarray(call(f"{what}.forward", layer.forward, X_first.copy()), dtype=np.float64)
    Y = expect_shape(f"{what}.forward(X)", call(f"{what}.forward", layer.forward, X.copy()), X.shape)
    factor = Y / X  # what the forward pass multiplied each entry by: with it fixed, the layer is linear in X
    expected = numerical_gradient(lambda X_: np.sum(dLdy * X_ * factor), X.copy())
    dX = call(f"{what}.backward", layer.backward, dLdy.copy())
    alternatives = {t("is dL/dY unchanged: multiply it by the mask of the last forward call, divided by 1 - p"): dLdy}
    if np.shape(Y_first) == X.shape:
        alternatives[t("uses the mask of the first forward call: backward goes with the last forward")] = \
            dLdy * Y_first / X_first
    alternatives[t("is not rescaled as the forward pass is: multiply by the mask / (1 - p)")] = dLdy * (factor != 0)
    expect_gradient(t("dL/dX (returned by {name})", name=f"{what}.backward"), dX, expected,
                    t("{note}, the mask of the last forward call fixed", note=shape_note(X=X, dLdy=dLdy)),
                    alternatives=alternatives)
    try:
        layer.backward(row_guarded(dLdy))
    except LoopOverSamples as loop:
        fail(t("{what}.backward {loop}: multiply the whole array, not in a loop over samples", what=what,
               loop=loop_in_words(loop)))


@hidden.check(points=3)
def dropout_eval_hidden(Dropout):
    """In evaluation (training = False, as network.eval() sets it), Y = X and dL/dX = dL/dY: nothing dropped,
    nothing rescaled; back in training (training = True) units are dropped again."""
    p, seed = 0.5, 334
    rng = seeded(seed)
    X, dLdy = signed_inputs(rng, (6, 5)), rng.randn(6, 5)
    layer, what = _dropout(Dropout, p, seed)
    layer.training = False
    Y = expect_shape(f"{what}.forward(X)", call(f"{what}.forward", layer.forward, X.copy()), X.shape)
    note = t(" in evaluation (training = False)")
    if _same(Y, X / (1 - p)):
        fail(t("{what}.forward(X) is X / (1 - p){note}: the rescaling belongs to training; in evaluation Y = X",
               what=what, note=note))
    if not _same(Y, X, rtol=0, atol=0):
        hint = (t(" (it still drops units, as in training)") if np.any(Y == 0) else "")
        fail(t("{what}.forward(X) is not X{note}{hint}: in evaluation (training = False) return X as it is", what=what,
               note=note, hint=hint))
    dX = expect_shape(t("dL/dX (returned by {name})", name=f"{what}.backward"),
                      call(f"{what}.backward", layer.backward, dLdy.copy()), X.shape)
    if not _same(dX, dLdy, rtol=0, atol=0):
        fail(t("{what}.backward(dLdy) is not dL/dY{note}: nothing was dropped, so the gradient passes unchanged",
               what=what, note=note))
    layer.training = True
    Y = np.asarray(call(f"{what}.forward", layer.forward, X.copy()), dtype=np.float64)
    if np.shape(Y) != X.shape or not np.any(Y == 0):
        fail(t("{what}.forward(X) dropped nothing after training was set back to True: read self.training on every "
               "call", what=what))


# ---------------------------------------------------------------- batch normalisation

BN_EPS = 1e-5


def _bn_train(X, gamma, beta, eps=BN_EPS):
    mean, var = X.mean(axis=0), X.var(axis=0)
    return gamma * (X - mean) / np.sqrt(var + eps) + beta


def _bn_eval(X, gamma, beta, running_mean, running_var, eps=BN_EPS):
    return gamma * (X - running_mean) / np.sqrt(running_var + eps) + beta


def _batchnorm(BatchNorm, d, rng=None):
    """The student's BatchNorm(d), its gamma and beta set to random values when rng is given."""
    what = f"BatchNorm({d})"
    layer = call(what, BatchNorm, d)
    if rng is not None:
        layer.gamma, layer.beta = 0.5 + rng.rand(d), rng.randn(d)
    return layer, what


def _bn_inputs(rng, shape):
    """Features of different means and spreads (standard deviations 3-6): eps = 1e-5 changes the values by
    less than the checks' tolerance, so where it is added is a matter of style."""
    return rng.randn(*shape) * (3 + 3 * rng.rand(shape[1])) + 3 * rng.randn(shape[1])


@hidden.check(points=4)
def batchnorm_forward_hidden(BatchNorm):
    """At rest gamma = 1, beta = 0, running_mean = 0, running_var = 1 (shape (d,)); in training Y = gamma * (X - mu)
    / sqrt(var + eps) + beta with the batch's mean and (biased) variance of each feature, and the running
    averages moved to 0.9 * running + 0.1 * the batch's; X left unchanged; no loop over samples."""
    d = 4
    layer, what = _batchnorm(BatchNorm, d)
    for name, value in (("gamma", 1.0), ("beta", 0.0), ("running_mean", 0.0), ("running_var", 1.0)):
        array = expect_shape(f"{what}.{name}", attribute(layer, name, what), (d,))
        if not np.all(array == value):
            fail(t("{what}.{name} starts at {got}, expected {value:g} for every feature", what=what, name=name,
                   got=array.tolist(), value=value))
    rng = seeded(341)
    layer, what = _batchnorm(BatchNorm, d, rng)
    gamma, beta = np.asarray(layer.gamma), np.asarray(layer.beta)
    X = _bn_inputs(rng, (6, d))
    X_before = X.copy()
    Y = expect_shape(f"{what}.forward(X)", call(f"{what}.forward", layer.forward, X), X.shape, shape_note(X=X))
    expect_unchanged(f"{what}.forward", X_before, X)
    note = t(" in training{note}", note=shape_note(X=X))
    mean, var = X.mean(axis=0), X.var(axis=0)
    expect_close(f"{what}.forward(X)", Y, _bn_train(X, gamma, beta), note, rtol=1e-4, atol=1e-5, alternatives={
        t("uses the unbiased variance (divided by N - 1): batch norm divides by N, X.var(axis=0)"):
            gamma * (X - mean) / np.sqrt(X.var(axis=0, ddof=1) + BN_EPS) + beta,
        t("uses the standard deviation where the variance belongs: divide by sqrt(var + eps)"):
            gamma * (X - mean) / np.sqrt(np.sqrt(var) + BN_EPS) + beta,
        t("leaves out gamma and beta: Y = gamma * X_hat + beta"): (X - mean) / np.sqrt(var + BN_EPS),
        t("normalises each sample over its features (axis=1): batch norm normalises each feature over the batch "
          "(axis=0)"): gamma * (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + BN_EPS)
        + beta,
    })
    for name, start, batch in (("running_mean", 0.0, mean), ("running_var", 1.0, var)):
        got = expect_shape(f"{what}.{name}", attribute(layer, name, what), (d,))
        expected = 0.9 * start + 0.1 * batch
        if _same(got, expected):
            continue
        hint = (t("it did not change: update it in every forward call in training") if np.all(got == start) else
                t("that is 0.1 * running + 0.9 * batch: momentum = 0.9 is the share of the old average") if
                _same(got, 0.1 * start + 0.9 * batch) else
                t("that is the batch's own statistic: average it, 0.9 * running + 0.1 * batch") if _same(got, batch)
                else t("the unbiased variance: use the batch's variance X.var(axis=0), as the forward pass does") if
                name == "running_var" and _same(got, 0.9 * start + 0.1 * X.var(axis=0, ddof=1)) else
                t("expected 0.9 * running + 0.1 * batch"))
        fail(t("{what}.{name} after one forward call in training is {got}, expected {expected}: {hint}", what=what,
               name=name, got=np.round(got, 6).tolist(), expected=np.round(expected, 6).tolist(), hint=hint))
    try:
        _batchnorm(BatchNorm, d)[0].forward(row_guarded(X_before))
    except LoopOverSamples as loop:
        fail(t("{what}.forward {loop}: compute the statistics with X.mean(axis=0) and X.var(axis=0), not in a loop "
               "over samples", what=what, loop=loop_in_words(loop)))


def _bn_gradients(layer, what, X, dLdy):
    """dL/dX, dgamma and dbeta of the student's layer after forward(X), backward(dLdy)."""
    dX = call(f"{what}.backward", layer.backward, dLdy.copy())
    return (dX, attribute(layer, "dgamma", what, t(": store dL/dgamma in backward")),
            attribute(layer, "dbeta", what, t(": store dL/dbeta in backward")))


@hidden.check(points=5)
def batchnorm_backward_hidden(BatchNorm):
    """In training, dL/dX, dgamma and dbeta against numerical gradients for a random upstream gradient (the
    batch's mean and variance depend on every row of X), after two forward calls (backward uses the last);
    no loop over samples."""
    d = 4
    rng = seeded(342)
    layer, what = _batchnorm(BatchNorm, d, rng)
    gamma, beta = np.asarray(layer.gamma), np.asarray(layer.beta)
    X_first, X, dLdy = _bn_inputs(rng, (5, d)), _bn_inputs(rng, (6, d)), rng.randn(6, d)
    call(f"{what}.forward", layer.forward, X_first)
    call(f"{what}.forward", layer.forward, X.copy())
    dX, dgamma, dbeta = _bn_gradients(layer, what, X, dLdy)
    note = t(" in training{note}", note=shape_note(X=X, dLdy=dLdy))
    inv_std = 1 / np.sqrt(X.var(axis=0) + BN_EPS)
    X_hat = (X - X.mean(axis=0)) * inv_std
    dX_hat = dLdy * gamma
    expect_gradient("dgamma", dgamma, numerical_gradient(lambda g: np.sum(dLdy * _bn_train(X, g, beta)), gamma.copy()),
                    note, alternatives={t("is not summed over the batch"): np.sum(dLdy * X_hat, axis=0) / len(X),
                                        t("uses X instead of X_hat: dgamma = sum over the batch of dL/dY * X_hat"):
                                            np.sum(dLdy * X, axis=0)})
    expect_gradient("dbeta", dbeta, numerical_gradient(lambda b: np.sum(dLdy * _bn_train(X, gamma, b)), beta.copy()),
                    note, alternatives={t("is the mean over the batch: dbeta is the sum of dL/dY"):
                                        dLdy.mean(axis=0)})
    expected = numerical_gradient(lambda X_: np.sum(dLdy * _bn_train(X_, gamma, beta)), X.copy())
    expect_gradient(t("dL/dX (returned by {name})", name=f"{what}.backward"), dX, expected, note, alternatives={
        t("treats the batch's mean and variance as constants: in training they depend on every row of X, so dL/dX "
          "has two more terms, inv_std * (dX_hat - mean(dX_hat) - X_hat * mean(dX_hat * X_hat))"): dX_hat * inv_std,
        t("misses the term through the variance, - X_hat * mean(dX_hat * X_hat)"):
            inv_std * (dX_hat - dX_hat.mean(axis=0)),
        t("misses the term through the mean, - mean(dX_hat)"):
            inv_std * (dX_hat - X_hat * np.mean(dX_hat * X_hat, axis=0)),
        t("leaves out gamma: dX_hat = dL/dY * gamma"):
            inv_std * (dLdy - dLdy.mean(axis=0) - X_hat * np.mean(dLdy * X_hat, axis=0)),
    })
    try:
        call(f"{what}.forward", layer.forward, X.copy())
        layer.backward(row_guarded(dLdy))
    except LoopOverSamples as loop:
        fail(t("{what}.backward {loop}: compute on the whole array with means over axis 0, not in a loop over "
               "samples", what=what, loop=loop_in_words(loop)))


@hidden.check(points=4)
def batchnorm_eval_hidden(BatchNorm):
    """In evaluation (training = False), Y = gamma * (X - running_mean) / sqrt(running_var + eps) + beta with the
    layer's running averages, which stay as they were; dL/dX, dgamma and dbeta against numerical gradients of
    that function (the statistics are constants)."""
    d = 4
    rng = seeded(343)
    layer, what = _batchnorm(BatchNorm, d, rng)
    gamma, beta = np.asarray(layer.gamma), np.asarray(layer.beta)
    running_mean, running_var = rng.randn(d), 2 + 3 * rng.rand(d)
    layer.running_mean, layer.running_var = running_mean.copy(), running_var.copy()
    layer.training = False
    X, dLdy = _bn_inputs(rng, (6, d)), rng.randn(6, d)
    note = t(" in evaluation (training = False){note}", note=shape_note(X=X))
    Y = call(f"{what}.forward", layer.forward, X.copy())
    expect_close(f"{what}.forward(X)", Y, _bn_eval(X, gamma, beta, running_mean, running_var), note, rtol=1e-4,
                 atol=1e-5, alternatives={
                     t("uses the batch's mean and variance: in evaluation use running_mean and running_var"):
                         _bn_train(X, gamma, beta)})
    for name, before in (("running_mean", running_mean), ("running_var", running_var)):
        after = expect_shape(f"{what}.{name}", attribute(layer, name, what), (d,))
        if not _same(after, before, rtol=0, atol=0):
            fail(t("{what}.{name} changed in evaluation: the running averages move in training only (a validation "
                   "batch must not change the network)", what=what, name=name))
    dX, dgamma, dbeta = _bn_gradients(layer, what, X, dLdy)
    X_hat = (X - running_mean) / np.sqrt(running_var + BN_EPS)
    expect_gradient(t("dL/dX (returned by {name})", name=f"{what}.backward"), dX,
                    numerical_gradient(lambda X_: np.sum(dLdy * _bn_eval(X_, gamma, beta, running_mean, running_var)),
                                       X.copy()), note,
                    alternatives={t("uses the training formula: in evaluation the statistics are constants, and "
                                    "dL/dX = dL/dY * gamma / sqrt(running_var + eps)"):
                                  (dLdy * gamma - (dLdy * gamma).mean(axis=0)
                                   - X_hat * np.mean(dLdy * gamma * X_hat, axis=0)) / np.sqrt(running_var + BN_EPS)})
    expect_gradient("dgamma", dgamma, np.sum(dLdy * X_hat, axis=0), note)
    expect_gradient("dbeta", dbeta, np.sum(dLdy, axis=0), note)


@hidden.check(points=3)
def batchnorm_zero_variance_hidden(BatchNorm):
    """A feature of zero variance (a constant column) in training gives finite values, that feature's output
    beta, and a finite dL/dX; the other features as usual."""
    d = 3
    rng = seeded(344)
    layer, what = _batchnorm(BatchNorm, d, rng)
    gamma, beta = np.asarray(layer.gamma), np.asarray(layer.beta)
    X, dLdy = _bn_inputs(rng, (6, d)), rng.randn(6, d)
    X[:, 1] = 1.0  # its mean is exactly 1.0, and its variance exactly 0
    note = t(" in training, for X whose column 1 is constant (variance 0)")
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        Y = expect_shape(f"{what}.forward(X)", call(f"{what}.forward", layer.forward, X.copy()), X.shape)
        dX = expect_shape(t("dL/dX (returned by {name})", name=f"{what}.backward"),
                          call(f"{what}.backward", layer.backward, dLdy.copy()), X.shape)
    hint = t("a feature of zero variance divides by zero: add eps to the variance before the square root, "
             "sqrt(var + eps)")
    for name, value in ((f"{what}.forward(X)", Y), (t("dL/dX (returned by {name})", name=f"{what}.backward"), dX)):
        if not np.all(np.isfinite(value)):
            fail(t("{what} is not finite{note}: {hint}", what=name, note=note, hint=hint))
    expect_close(t("column 1 of {what}.forward(X)", what=what), Y[:, 1], np.full(len(X), beta[1]),
                 t("{note}: X_hat is 0 there, so Y = beta; {hint}", note=note, hint=hint), rtol=1e-6, atol=1e-9)
    others = [0, 2]
    expect_close(f"{what}.forward(X)", Y[:, others], _bn_train(X, gamma, beta)[:, others],
                 t("{note} (the other columns)", note=note), rtol=1e-4, atol=1e-5)


# ---------------------------------------------------------------- fit

# The stand-ins fit is handed, defined beside it (after the given bricks): a network of the given
# Linear and ReLU with a probe layer first, whose mode and backward the log records, a loss, an
# optimizer that applies plain SGD, batches, a validation and a schedule, all writing in one log.
# The network lives where fit runs, so that fit can restore its best weights in place as in the
# notebook. The check reads the log, the history and the weights back, and judges them itself.
_FIT_BESIDE = """

class Probe:
    \"\"\"An identity layer with a mode, as dropout and batch norm have; it is the network's first
    layer, so its backward ends network.backward.\"\"\"

    def __init__(self, log):
        self.training, self.log = True, log

    def forward(self, X):
        self.log.append(["forward", "train" if self.training else "eval"])
        return X

    def backward(self, dLdy):
        self.log.append(["backward"])
        return dLdy


class LoggedLoss(NLLLoss):
    def __init__(self, log):
        self.log = log

    def forward(self, X, y):
        value = super().forward(X, y)
        self.log.append(["loss.forward", float(value)])
        return value

    def backward(self):
        self.log.append(["loss.backward"])
        return super().backward()


class PlainSGD:
    \"\"\"value -= learning_rate * gradient, in place; or (in_place=False) new arrays that the layers then
    hold, as `layer.W = layer.W - ...` makes them. Logs each step: its learning rate, and whether the
    pairs were network.params() as they are now (the arrays the layers hold, the last backward's
    gradients).\"\"\"

    def __init__(self, network, log, in_place):
        self.network, self.log, self.in_place = network, log, in_place

    def step(self, params, learning_rate):
        params = list(params)
        current = self.network.params()
        fresh = len(params) == len(current) and all(value is now and gradient is gradient_now
                                                    for (value, gradient), (now, gradient_now) in zip(params, current))
        self.log.append(["step", float(learning_rate), fresh])
        if self.in_place:
            for value, gradient in params:
                value -= learning_rate * gradient
        else:
            for layer in self.network.modules:
                if hasattr(layer, "W"):
                    layer.W, layer.b = layer.W - learning_rate * layer.dLdW, layer.b - learning_rate * layer.dLdb


def weights(network):
    return [value.copy() for value, _ in network.params()]


def run(fit, in_place):
    \"\"\"fit on the check's network and stand-ins: its history, the log, the weights at the end, and the
    weights at each call of validate().\"\"\"
    log, snapshots = [], []
    layers = [Probe(log)]
    for index, (W, b) in enumerate(start):
        if index:
            layers.append(ReLU())
        layer = Linear(*W.shape)
        layer.W, layer.b = W.copy(), b.copy()
        layers.append(layer)
    network = NeuralNetwork(layers)
    started = []

    def batches():
        log.append(["batches"])
        started.append(1)
        return [(X.copy(), y.copy()) for X, y in epochs[min(len(started), len(epochs)) - 1]]

    def validate():
        epoch = min(max(len(started), 1), len(validation)) - 1
        log.append(["validate", "train" if layers[0].training else "eval"])
        snapshots.append([epoch, weights(network)])
        return tuple(validation[epoch])

    def schedule(epoch):
        log.append(["schedule", epoch if isinstance(epoch, (int, float)) else repr(epoch)])
        try:
            return rates[min(max(int(epoch), 0), len(rates) - 1)]
        except (TypeError, ValueError):
            return rates[0]

    history = fit(network, LoggedLoss(log), PlainSGD(network, log, in_place), batches, validate, schedule,
                  len(epochs))
    return {"history": history, "log": log, "weights": weights(network), "snapshots": snapshots}
"""

FIT_RATES = [0.3, 0.2, 0.1, 0.05]
# (validation loss, validation accuracy) after each epoch: the loss is lowest after epoch 2, the
# accuracy highest after epoch 3, and epoch 4 is the last.
FIT_VALIDATION = [(0.9, 0.5), (0.5, 0.625), (0.7, 0.875), (0.6, 0.75)]
FIT_BEST_EPOCH = 1  # the index of the lowest validation loss


def _fit_values():
    rng = seeded(351)
    start = [(rng.randn(4, 5), 0.1 * rng.randn(5)), (rng.randn(5, 3), 0.1 * rng.randn(3))]
    epochs = [[(rng.randn(4, 4), rng.randint(0, 3, size=4)) for _ in range(3)] for _ in FIT_RATES]
    return {"start": start, "epochs": epochs, "validation": FIT_VALIDATION, "rates": FIT_RATES}


def _fit_source():
    return source_of(bricks.Linear, bricks.NeuralNetwork, bricks.NLLLoss, reference.Linear, reference.NeuralNetwork,
                     seminar2.ReLU) + _FIT_BESIDE


def _fit_run(fit, in_place=True):
    """One run of the student's fit beside its code, read back as data."""
    run = define_beside(fit, _fit_source(), **_fit_values())["run"]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        result = call("fit", run, fit, in_place)
    return result


@functools.lru_cache(maxsize=1)
def _reference_fit_run():
    """The reference fit's run on the same stand-ins, here in the grader."""
    return _fit_run(reference.fit)


@hidden.check(points=4)
def fit_hidden(fit):
    """A small network trained by your fit on 4 epochs of 3 batches (different batches every epoch):
    schedule(epoch) called once at the start of each epoch with epoch = 0, 1, 2, 3, batches() once per epoch,
    per batch one optimizer.step(network.params(), that epoch's learning rate) after the batch's backward,
    the network in training mode for the batches and in evaluation mode for validate(), and after each epoch
    the weights of that training."""
    setting = t(" (4 epochs of 3 batches, schedule(epoch) = [0.3, 0.2, 0.1, 0.05][epoch])")
    run = _fit_run(fit)
    log = run["log"]
    n_epochs = len(FIT_RATES)
    schedule = [entry[1] for entry in log if entry[0] == "schedule"]
    if len(schedule) == 3 * n_epochs:
        fail(t("fit called schedule {count} times in {n} epochs, once per batch: call it once at the start of each "
               "epoch, schedule(epoch), and use that rate for all the epoch's batches", count=len(schedule),
               n=n_epochs))
    if schedule != list(range(n_epochs)):
        fail(t("fit called schedule with {got}, expected schedule(0), schedule(1), ..., one call per epoch with the "
               "epoch's number from 0{setting}", got=schedule, setting=setting))
    feeds = sum(entry[0] == "batches" for entry in log)
    if feeds != n_epochs:
        fail(t("fit called batches() {count} times in {n} epochs: once at the start of every epoch", count=feeds,
               n=n_epochs))
    epoch, pending, steps = -1, set(), 0
    for entry in log:
        name = entry[0]
        if name == "batches":
            epoch += 1
        elif name == "forward" and entry[1] != "train" and epoch >= 0:
            fail(t("fit trained in evaluation mode in epoch {epoch}: call network.train() at the start of every epoch "
                   "(dropout drops nothing and batch norm uses its running averages in evaluation)", epoch=epoch + 1))
        elif name == "validate" and entry[1] != "eval":
            fail(t("fit called validate() in training mode: call network.eval() first (dropout would drop units and "
                   "batch norm would use the batch's statistics and move its averages)"))
        elif name == "step":
            steps += 1
            if not {"loss.backward", "backward"} <= pending:
                fail(t("fit called optimizer.step before network.backward(loss.backward()) for a batch{setting}: the "
                       "step needs the gradients of this batch", setting=setting))
            if not entry[2]:
                fail(t("fit passed optimizer.step pairs that are not network.params() as they are after this "
                       "batch's backward: call network.params() after each backward (every backward makes new "
                       "gradient arrays) and pass what it returns"))
            expected = FIT_RATES[min(max(epoch, 0), n_epochs - 1)]
            if entry[1] != expected:
                fail(t("fit called optimizer.step with learning rate {got:g} in epoch {epoch}, expected "
                       "schedule({index}) = {expected:g}{setting}", got=entry[1], epoch=epoch + 1, index=epoch,
                       expected=expected, setting=setting))
            pending = set()
        elif name in ("loss.backward", "backward"):
            if name == "backward" and "loss.backward" not in pending:
                fail(t("fit called network.backward before loss.backward(){setting}: network.backward(loss.backward()) "
                       "passes the loss's gradient back", setting=setting))
            pending.add(name)
    if steps != 3 * n_epochs:
        fail(t("fit called optimizer.step {count} times for {n} epochs of 3 batches: one step per batch", count=steps,
               n=n_epochs))
    # The log is written where fit runs: the weights after each epoch, against the reference's run with
    # the same stand-ins here, say whether the training it shows is the training that happened.
    trained = {}
    for epoch, weights in run["snapshots"]:
        trained[int(epoch)] = weights
    for epoch, (_, weights) in enumerate(_reference_fit_run()["snapshots"]):
        if epoch not in trained or not _same_lists(trained[epoch], weights):
            fail(t("after epoch {epoch} the network's weights are not those of one optimizer.step(network.params(), "
                   "schedule(epoch)) per batch{setting}: train the network fit is given, with its optimizer, batches "
                   "and schedule only", epoch=epoch + 1, setting=setting))


def _history_lists(history, n_epochs):
    """fit's result as {key: [floats]} for the four keys, or a failure that says what came back."""
    if not isinstance(history, dict):
        fail(t("fit returned {value}; return a dict with the lists 'train_loss', 'val_loss', 'val_accuracy' and "
               "'learning_rate'", value=describe(history)))
    result = {}
    for key in ("train_loss", "val_loss", "val_accuracy", "learning_rate"):
        if key not in history:
            fail(t("fit's history has the keys {keys}; it needs 'train_loss', 'val_loss', 'val_accuracy' and "
                   "'learning_rate'", keys=sorted(map(str, history))))
        try:
            values = [float(value) for value in history[key]]
        except (TypeError, ValueError):
            fail(t("history['{key}'] is {value}, expected a list of {n} floats", key=key, value=describe(history[key]),
                   n=n_epochs))
        if len(values) != n_epochs:
            fail(t("history['{key}'] has {count} entries for n_epochs = {n}: one per epoch", key=key,
                   count=len(values), n=n_epochs))
        result[key] = values
    return result


@hidden.check(points=3)
def fit_history_hidden(fit):
    """The history of the same run: a dict whose 'train_loss' holds each epoch's mean batch loss, 'val_loss'
    and 'val_accuracy' what validate() returned after each epoch, and 'learning_rate' each epoch's rate."""
    run = _fit_run(fit)
    n_epochs = len(FIT_RATES)
    history = _history_lists(run["history"], n_epochs)
    for key, position in (("val_loss", 0), ("val_accuracy", 1)):
        expected = [pair[position] for pair in FIT_VALIDATION]
        if history[key] != expected:
            other = "val_accuracy" if key == "val_loss" else "val_loss"
            hint = (t(": that is {other}, the other value validate() returns; val_loss, val_accuracy = validate()",
                      other=other) if history[key] == [pair[1 - position] for pair in FIT_VALIDATION] else "")
            fail(t("history['{key}'] is {got}, but validate() returned {expected} after the four epochs{hint}", key=key,
                   got=history[key], expected=expected, hint=hint))
    if history["learning_rate"] != FIT_RATES:
        fail(t("history['learning_rate'] is {got}, expected each epoch's schedule(epoch), {expected}",
               got=history["learning_rate"], expected=FIT_RATES))
    losses = [entry[1] for entry in run["log"] if entry[0] == "loss.forward"]
    for index, got in enumerate(history["train_loss"]):
        epoch_losses = losses[3 * index:3 * index + 3]
        mean = float(np.mean(epoch_losses)) if epoch_losses else float("nan")
        if not abs(got - mean) <= 1e-9 * max(1.0, abs(mean)):
            hint = (t(": that is the last batch's loss") if epoch_losses and abs(got - epoch_losses[-1]) < 1e-12 else
                    t(": that is the sum of the batch losses") if abs(got - sum(epoch_losses)) < 1e-9 else "")
            fail(t("history['train_loss'][{index}] is {got:.6g}, but the mean of epoch {epoch}'s batch losses is "
                   "{mean:.6g}{hint}", index=index, got=got, epoch=index + 1, mean=mean, hint=hint))


def _restored(run):
    """The epoch (0-based) whose weights the network holds at the end, None if none of them."""
    last = {}
    for epoch, weights in run["snapshots"]:
        last[int(epoch)] = weights  # the last validate() of each epoch
    for epoch in [FIT_BEST_EPOCH] + sorted(set(last) - {FIT_BEST_EPOCH}):
        if epoch in last and _same_lists(run["weights"], last[epoch], rtol=1e-12, atol=0):
            return epoch
    return None


@hidden.check(points=4)
def fit_best_hidden(fit):
    """After the same run the network holds the weights it had after epoch 2, whose validation loss was the
    lowest, copied back into its own arrays; also when the optimizer gives the layers new arrays at every
    step instead of changing them in place."""
    run = _fit_run(fit)
    if not run["snapshots"]:
        fail(t("fit never called validate(): call it after every epoch"))
    restored = _restored(run)
    last_epoch = max(int(epoch) for epoch, _ in run["snapshots"])
    if restored == FIT_BEST_EPOCH:
        rebinding = _fit_run(fit, in_place=False)
        if _restored(rebinding) != FIT_BEST_EPOCH:
            fail(t("fit restored the best weights only when the optimizer changes the arrays in place: with an "
                   "optimizer that gives the layers new arrays, the network does not hold epoch 2's weights at the "
                   "end. Copy the best values back into the arrays network.params() lists at the end "
                   "(value[...] = best)"))
        return
    if restored == last_epoch:
        rebinding = _fit_run(fit, in_place=False)
        if _restored(rebinding) == FIT_BEST_EPOCH:
            fail(t("fit kept the best weights by reference, so they kept changing with training: the network ends "
                   "with the last epoch's weights. Keep copies, value.copy(), after the best epoch (epoch 2 here, "
                   "validation loss 0.5), and copy them back at the end"))
        fail(t("after fit the network holds the weights of the last epoch: keep a copy of every value after the epoch "
               "with the lowest validation loss (epoch 2 here, validation loss 0.5) and copy them back into the "
               "network's arrays at the end"))
    if restored == 2:
        fail(t("after fit the network holds the weights of epoch 3, the highest validation accuracy: restore those of "
               "the lowest validation loss (epoch 2)"))
    if restored is not None:
        fail(t("after fit the network holds the weights it had after epoch {epoch}, expected those after epoch 2, "
               "whose validation loss (0.5) was the lowest", epoch=restored + 1))
    fail(t("after fit the network holds weights it had after no epoch: restore, in place, the copies kept after "
           "the epoch with the lowest validation loss (epoch 2)"))


# ---------------------------------------------------------------- convergence

# The convergence test: seminar 2's network with four sigmoid layers of 64, batch norm before each
# sigmoid, Adam at 0.01, batches of 64 from the 1,079 training digits, 10 epochs. Its accuracy is
# measured on the 359 test images, whose labels never reach the student's process (only the images
# do, for the network's predictions): a fit that trains on anything else gains nothing there. The
# reference's best epoch reaches at least 95.8% there over 30 seeds of weights and shuffle.
CONVERGENCE = {"sizes": (64, 64, 64, 64, 64, 10), "learning_rate": 0.01, "batch_size": 64, "n_epochs": 10,
               "min_accuracy": 0.94, "seed": 72}

_TRAINING_BESIDE = """

def train(Adam, BatchNorm, fit, start, learning_rate, batch_size, n_epochs, seed):
    \"\"\"fit with Adam on Linear, BatchNorm, Sigmoid, ..., Linear from the start weights; the network's
    predictions on X_test at every validate().\"\"\"
    layers = []
    for W, b in start:
        if layers:
            layers += [BatchNorm(W.shape[0]), Sigmoid()]
        layer = Linear(*W.shape)
        layer.W, layer.b = W.copy(), b.copy()
        layers.append(layer)
    network, rng, predictions = NeuralNetwork(layers), np.random.default_rng(seed), []

    def batches():
        return iterate_minibatches(X_train, y_train, batch_size, rng)

    def validate():
        scores = network.forward(X_val)
        predictions.append(np.argmax(network.forward(X_test), axis=1))
        return NLLLoss().forward(scores, y_val), float(np.mean(np.argmax(scores, axis=1) == y_val))

    fit(network, NLLLoss(), Adam(), batches, validate, lambda epoch: learning_rate, n_epochs)
    return predictions
"""


def convergence_start(seed):
    """The start weights of the convergence test: He weights, zero biases, from RandomState(seed)."""
    init = seeded(seed)
    sizes = CONVERGENCE["sizes"]
    return [(init.randn(n_in, n_out) * math.sqrt(2 / n_in), np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _training_beside(answer):
    data = digits()
    values = {key: data[key] for key in ("X_train", "y_train", "X_val", "y_val", "X_test")}
    source = source_of(bricks.Linear, bricks.NeuralNetwork, bricks.NLLLoss, bricks.Sigmoid, reference.Linear,
                       reference.NeuralNetwork, seminar2.iterate_minibatches) + _TRAINING_BESIDE
    return define_beside(answer, source, **values)


@hidden.check(points=15)
def fit_converges(Adam, BatchNorm, fit):
    """Your Adam, BatchNorm and fit together train seminar 2's network with four sigmoid layers of 64 (the given
    Linear layers, fixed seeded weights, your BatchNorm before each sigmoid): Adam() at learning rate 0.01,
    batches of 64, 10 epochs. After one of its epochs the network (in evaluation mode, as validate() sees it)
    must classify at least 94% of the test images right, which the training never sees."""
    budget = CONVERGENCE
    data = digits()
    beside = _training_beside(fit)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # an unstable brick is graded by its own test
        predictions = call("fit", beside["train"], Adam, BatchNorm, fit, convergence_start(budget["seed"]),
                           budget["learning_rate"], budget["batch_size"], budget["n_epochs"], budget["seed"])
    if not predictions:
        fail(t("fit never called validate(): call it after every epoch"))
    accuracies = [float(np.mean(np.asarray(labels).reshape(-1) == data["y_test"])) if np.size(labels) == len(
        data["y_test"]) else 0.0 for labels in predictions]
    best = max(accuracies)
    if not best >= budget["min_accuracy"]:
        fail(t("training did not converge: the best test accuracy after an epoch was {best:.1%} (needed at least "
               "{min_accuracy:.0%}) with your Adam at learning rate {learning_rate}, your BatchNorm before each "
               "sigmoid, your fit, batches of {batch_size}, {n_epochs} epochs. Fix the failing tests above first.",
               best=best, **budget))
