"""Hidden checks of seminar 1: one function per graded test cell.

Each check takes the student's answer (a function or a class), exercises it on
seeded float64 inputs, and raises GradingFailure with a message that says what
was expected, what came back, and on which input. Parts stay isolated: a check
builds everything except the answer it grades from the reference solutions or
from small stubs, so one wrong answer costs only its own cells. Only
train_converges runs the student's answers together.
"""
import warnings

import numpy as np

import solutions.seminar1 as reference

from .datasets import three_blobs
from .kit import (CallLog, CountdownLoss, HiddenChecks, LoopOverSamples, RecordingLayer, advise,
                  as_loss_history, call, copy_layers, expect_close, expect_finite, expect_gradient,
                  expect_scalar, expect_shape, expect_unchanged, fail, loop_in_words, numerical_gradient,
                  row_guarded, scalar_multiple, seeded, shape_note, strictly, t)

hidden = HiddenChecks(__name__)
grade = hidden.grade


# ---------------------------------------------------------------- check_gradient

def _deviation(check_gradient, func, X, gradient):
    return expect_scalar("check_gradient(...)", call("check_gradient", check_gradient, func, X, gradient))


def _square_probe_mistake(deviation, X):
    """What a wrong deviation for f(X) = sum(X**2) with its exact gradient 2X says about the method."""
    if 3e-7 <= deviation <= 3e-6:
        return t("that is about EPS = 1e-6, the error of one-sided differences (f(X + EPS) - f(X)) / EPS; "
                 "use central differences, (f(X + EPS) - f(X - EPS)) / (2 * EPS)")
    if np.isclose(deviation, np.max(np.abs(2 * X)), rtol=1e-4):
        return t("that is the largest |2X|: the numerical gradient came out twice the true one, so divide "
                 "the difference by 2 * EPS, not by EPS")
    if np.isclose(deviation, np.max(np.abs(2 * np.sum(X) - 2 * X)), rtol=1e-4):
        return t("that is what perturbing every entry of X at once gives: perturb one entry at a time, "
                 "X[index] + EPS with the other entries unchanged")
    return t("perturb one entry at a time by +-EPS and divide the difference of f by 2 * EPS")


@hidden.check(points=7)
def check_gradient_hidden(check_gradient):
    """The exact gradient of sum(X**2) gives a deviation below 1e-7 and X comes back unchanged;
    deviations of both signs; a function of a single entry."""
    X = seeded(1).randn(3, 4)  # each entry costs two calls of func: small keeps grading quick
    X_before = X.copy()
    square = lambda X: np.sum(X ** 2)
    deviation = _deviation(check_gradient, square, X, 2 * X)
    expect_unchanged("check_gradient", X_before, X)
    if not deviation < 1e-7:
        fail(t("check_gradient returned {deviation:.3g} for f(X) = sum(X**2) with its exact gradient 2X, "
               "expected below 1e-7: {why}", deviation=deviation, why=_square_probe_mistake(deviation, X)))

    # Two entries off, once by +0.5 and -0.3, once the other way round: a signed max misses one.
    for sign in (1.0, -1.0):
        wrong = 2 * X
        wrong[2, 3] += sign * 0.5
        wrong[0, 1] -= sign * 0.3
        deviation = _deviation(check_gradient, square, X, wrong)
        if abs(deviation - 0.5) > 1e-6:
            aggregates = {0.3: t("the largest SIGNED deviation: take absolute values first"),
                          -0.3: t("the largest SIGNED deviation: take absolute values first"),
                          -0.5: t("a negative number: return the maximum of the absolute deviations"),
                          0.8 / X.size: t("the mean of the absolute deviations: return their maximum"),
                          0.8: t("the sum of the absolute deviations: return their maximum")}
            named = next((why for value, why in aggregates.items() if abs(deviation - value) < 1e-6),
                         t("return the maximum absolute deviation, max |numerical - gradient|"))
            fail(t("check_gradient returned {deviation:.6g} for a gradient with two entries off, by "
                   "{first:+g} and {second:+g}, the others exact; expected 0.5. It returned {named}",
                   deviation=deviation, first=sign * 0.5, second=-sign * 0.3, named=named))

    cube_of_one = lambda X: X[1, 2] ** 3  # depends on a single entry
    gradient = np.zeros_like(X)
    gradient[1, 2] = 3 * X[1, 2] ** 2
    deviation = _deviation(check_gradient, cube_of_one, X, gradient)
    if not deviation < 1e-6:
        fail(t("check_gradient returned {deviation:.3g} for f(X) = X[1, 2]**3 with its exact gradient "
               "(zero except at (1, 2)), expected below 1e-6: perturb one entry at a time, and divide "
               "by 2 * EPS", deviation=deviation))


# ---------------------------------------------------------------- Linear

def _linear_with(Linear, W, b):
    """The student's layer with the test's own W and b: a wrong initialisation costs only its check."""
    layer = call(f"Linear{W.shape}", Linear, *W.shape)
    layer.W, layer.b = W.copy(), b.copy()
    return layer


@hidden.check(points=3)
def linear_init_hidden(Linear):
    """Shapes, zero bias, and weights drawn from N(0, 0.1^2)."""
    layer = call("Linear(3, 5)", Linear, 3, 5)
    for name in ("W", "b"):
        if not hasattr(layer, name):
            fail(t("Linear(3, 5) has no attribute {name}: store the parameters as self.W and self.b", name=name))
    expect_shape("Linear(3, 5).W", layer.W, (3, 5))
    b = expect_shape("Linear(3, 5).b", layer.b, (5,))
    if np.any(b != 0):
        fail(t("Linear(3, 5).b is {b}, expected zeros: start the bias at zero", b=b))

    np.random.seed(0)
    W = expect_shape("Linear(400, 500).W", call("Linear(400, 500)", Linear, 400, 500).W, (400, 500))
    mean, std = W.mean(), W.std()
    within_one_std = np.mean(np.abs(W) < 0.1)  # 0.683 for a normal law, 0.577 for a uniform one
    if abs(mean) > 0.003 or abs(std - 0.1) > 0.003:
        if std == 0:
            why = t("all the weights are equal: draw them at random, which breaks the symmetry between neurons")
        elif abs(std - np.sqrt(0.1)) < 0.01:
            why = t("std 0.316 is sqrt(0.1): N(0, 0.1^2) means standard deviation 0.1 (variance 0.01), "
                    "so multiply np.random.randn(...) by 0.1")
        else:
            why = t("expected mean 0 and standard deviation 0.1: np.random.randn(...) * 0.1")
        fail(t("Linear(400, 500).W has mean {mean:.4f} and standard deviation {std:.4f}: {why}", mean=mean,
               std=std, why=why))
    if abs(within_one_std - 0.683) > 0.01:
        fail(t("{share:.1%} of Linear(400, 500).W lies within one standard deviation of 0, where a "
               "normal law puts 68.3%: draw from a normal distribution (np.random.randn(...) * 0.1), "
               "not a uniform one", share=within_one_std))


def _forward_shapes(X, W, b):
    return t("X is {X}, W is {W} and b is {b}, so Y = X @ W + b is {Y}", X=X.shape, W=W.shape, b=b.shape,
             Y=(X.shape[0], W.shape[1]))


@hidden.check(points=3)
def linear_forward_hidden(Linear):
    """X @ W + b on square and non-square layers; X is not modified; no loop over samples."""
    rng = seeded(2)
    for n_in, n_out in ((3, 5), (4, 4)):
        W, b, X = rng.randn(n_in, n_out), rng.randn(n_out), rng.randn(6, n_in)
        layer = _linear_with(Linear, W, b)
        X_before = X.copy()
        Y = call("Linear.forward", layer.forward, X, shapes=_forward_shapes(X, W, b))
        expect_unchanged("Linear.forward", X_before, X)
        mistakes = {t("is missing + b"): X @ W, t("adds b twice"): X @ W + 2 * b}
        if n_in == n_out:  # W.T fits only a square W, and is silently wrong there
            mistakes[t("uses W.T instead of W: Y = X @ W + b")] = X @ W.T + b
        expect_close("Linear.forward(X)", Y, X @ W + b, shape_note(X=X, W=W, b=b), alternatives=mistakes)
    try:
        layer.forward(row_guarded(X))
    except LoopOverSamples as loop:
        fail(t("Linear.forward {loop}: process the whole batch with matrix operations, "
               "X @ W + b, not a loop over samples", loop=loop_in_words(loop)))


def _backward_shapes(X, W, R):
    return t("X is {X}, W is {W} and dL/dY is {R}, so dL/dX = dL/dY @ W.T is {X}, "
             "dL/dW = X.T @ dL/dY is {W} and dL/db, the sum of dL/dY over the batch, is {b}",
             X=X.shape, W=W.shape, R=R.shape, b=W.shape[1:])


@hidden.check(points=6)
def linear_backward_hidden(Linear):
    """dL/dX, dL/dW and dL/db against numerical gradients, for random upstream gradients, square and
    non-square W, after two forward calls (backward uses the last)."""
    rng = seeded(3)
    for n_in, n_out in ((3, 5), (4, 4)):
        W, b = rng.randn(n_in, n_out), rng.randn(n_out)
        X, R, X_stale = rng.randn(6, n_in), rng.randn(6, n_out), rng.randn(6, n_in)
        # L = sum(R * Y), so dL/dY = R; the oracle differentiates the true Y = X W + b.
        dX = numerical_gradient(lambda X_: np.sum(R * (X_ @ W + b)), X.copy())
        dW = numerical_gradient(lambda W_: np.sum(R * (X @ W_ + b)), W.copy())
        db = numerical_gradient(lambda b_: np.sum(R * (X @ W + b_)), b.copy())

        layer = _linear_with(Linear, W, b)
        call("Linear.forward", layer.forward, X_stale)
        call("Linear.forward", layer.forward, X)  # backward must use this, the last input
        note = shape_note(X=X, W=W, dLdy=R)
        dX_student = call("Linear.backward", layer.backward, R.copy(), shapes=_backward_shapes(X, W, R))
        for name in ("dLdW", "dLdb"):
            if not hasattr(layer, name):
                fail(t("Linear.backward did not store self.{name}", name=name))
        batch = len(X)
        averaged = {1 / batch: t("is divided by N = {n}: a layer's gradients are sums over the batch "
                                 "(the loss's mean already brings the 1/N)", n=batch)}
        if np.shape(layer.dLdb) == R.shape:
            fail(t("dL/db (self.dLdb) has shape {shape}, the shape of dL/dY: sum it over the batch "
                   "(axis 0) to get {expected}{note}", shape=R.shape, expected=b.shape, note=note))
        expect_gradient("dL/dW (self.dLdW)", layer.dLdW, dW, note, factors=averaged, alternatives={
            t("uses the input of an earlier forward call: keep the X of the last one"): X_stale.T @ R})
        expect_gradient("dL/db (self.dLdb)", layer.dLdb, db, note, factors=averaged)
        no_transpose = {t("is dL/dY @ W: multiply by the transpose, dL/dY @ W.T"): R @ W} if n_in == n_out else {}
        expect_gradient(t("dL/dX (returned by {name})", name="Linear.backward"), dX_student, dX, note,
                        factors=averaged, alternatives=no_transpose)
    try:
        layer.forward(row_guarded(X))
        layer.backward(row_guarded(R))
    except LoopOverSamples as loop:
        fail(t("Linear {loop}: use matrix products over the whole batch, not a loop over samples",
               loop=loop_in_words(loop)))


@hidden.check(points=3)
def linear_step_hidden(Linear):
    """With dLdW and dLdb set by the test, W and b move by exactly -learning_rate * gradient."""
    rng = seeded(4)
    for learning_rate in (0.1, 0.37):
        W, b, dW, db = rng.randn(3, 2), rng.randn(2), rng.randn(3, 2), rng.randn(2)
        layer = _linear_with(Linear, W, b)
        layer.dLdW, layer.dLdb = dW.copy(), db.copy()  # as backward stores them: step alone is graded
        call("Linear.step", layer.step, learning_rate)
        note = t(" after step({learning_rate}) with self.dLdW and self.dLdb set", learning_rate=learning_rate)
        for name, before, gradient in (("W", W, dW), ("b", b, db)):
            expect_close(name, getattr(layer, name), before - learning_rate * gradient, note,
                         rtol=1e-12, atol=1e-12, alternatives={
                             t("did not change: step must update W and b"): before,
                             t("moved along the gradient: subtract it, x <- x - learning_rate * gradient"):
                                 before + learning_rate * gradient,
                             t("moved by the whole gradient: multiply it by learning_rate"):
                                 before - gradient})


# ---------------------------------------------------------------- Sigmoid

def _sigmoid(X):
    return np.asarray(reference.Sigmoid().forward(np.asarray(X, dtype=np.float64)))


@hidden.check(points=4)
def sigmoid_hidden(Sigmoid):
    """Values, and dL/dX against numerical gradients for a random upstream gradient; X is not modified."""
    rng = seeded(5)
    X_stale, X, R = 3 * rng.randn(4, 3), 3 * rng.randn(4, 3), rng.randn(4, 3)
    layer = call("Sigmoid()", Sigmoid)
    X_before = X.copy()
    call("Sigmoid.forward", layer.forward, X_stale)
    Y = call("Sigmoid.forward", layer.forward, X)
    expect_unchanged("Sigmoid.forward", X_before, X)
    expected_Y = _sigmoid(X)
    expect_close("Sigmoid.forward(X)", Y, expected_Y, shape_note(X=X), alternatives={
        t("returns its input: apply 1 / (1 + exp(-X))"): X,
        t("is 1 / (1 + exp(X)): the sign of X is flipped"): 1 - expected_Y})
    dX = numerical_gradient(lambda X_: np.sum(R * _sigmoid(X_)), X.copy())
    dX_student = call("Sigmoid.backward", layer.backward, R.copy())
    local = expected_Y * (1 - expected_Y)
    expect_gradient(t("dL/dX (returned by {name})", name="Sigmoid.backward"), dX_student, dX,
                    t("{note}, dL/dY random", note=shape_note(X=X, dLdy=R)), alternatives={
                        t("uses x (1 - x), the derivative at the input; use Y (1 - Y) with Y = sigmoid(x)"):
                            R * X * (1 - X),
                        t("applies the sigmoid twice: Y from forward already is sigmoid(X), use Y (1 - Y)"):
                            R * _sigmoid(expected_Y) * (1 - _sigmoid(expected_Y)),
                        t("ignores dL/dY: multiply the local derivative Y (1 - Y) by dLdy"): local})
    call("Sigmoid.step", layer.step, 0.1)


@hidden.check(points=3)
def sigmoid_stability_hidden(Sigmoid):
    """Inputs of -1000 and 1000 give finite values, 0 and 1, and a finite gradient (numpy's overflow
    warning is harmless)."""
    X = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    note = t(" for X = {X}", X=X.tolist())
    hint = t("exp(-x) is inf for x < -709: compute with exp(-|x|), which never overflows")
    layer = call("Sigmoid()", Sigmoid)
    with np.errstate(all="ignore"):  # warnings are harmless: only the values are graded
        Y = expect_shape("Sigmoid.forward(X)", call("Sigmoid.forward" + note, layer.forward, X), X.shape)
        dX = expect_shape("Sigmoid.backward(ones)", call("Sigmoid.backward" + note, layer.backward,
                                                         np.ones_like(X)), X.shape)
    expect_finite((("Sigmoid.forward(X)", Y), ("Sigmoid.backward(ones)", dX)), note, hint)
    expect_close("Sigmoid.forward(X)", Y, _sigmoid(X), note, atol=1e-15)
    expect_close("Sigmoid.backward(ones)", dX, _sigmoid(X) * (1 - _sigmoid(X)), note, atol=1e-15)
    try:
        strictly(layer.forward, X)
    except FloatingPointError:
        advise(t("your Sigmoid is right, but numpy warns of an overflow in exp{note}. {hint}.", note=note, hint=hint))


# ---------------------------------------------------------------- NLLLoss

def _nll(X, y):
    return reference.NLLLoss().forward(np.asarray(X, dtype=np.float64), y)


def _nll_inputs():
    rng = seeded(6)
    X = 2 * rng.randn(5, 4)
    y = np.array([0, 3, 1, 3, 2])  # distinct labels: X[:, y] and X[arange, y] differ
    return X, y


def _log_softmax(X, axis=1):
    shifted = X - X.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _nll_mistakes(X, y):
    """{phrase: value} of the usual wrong NLLLoss.forward on (X, y)."""
    rows = np.arange(len(y))
    return {t("picks X[:, y], every label in every row: take one entry per row, "
              "log_probs[np.arange(N), y]"): -np.mean(_log_softmax(X)[:, y]),
            t("normalises over the batch (axis 0): softmax runs over each row's classes, axis=1"):
                -np.mean(_log_softmax(X, axis=0)[rows, y])}


def _nll_factors(n):
    return {float(n): t("is the sum over the batch: return the mean, the sum divided by N = {n}", n=n),
            1 / n: t("is divided by N = {n} twice", n=n)}


@hidden.check(points=4)
def nll_loss_forward_hidden(NLLLoss):
    """The mean loss on a batch with distinct labels, int32 and int64 labels; X is not modified."""
    X, y = _nll_inputs()
    for labels in (y.astype(np.int64), y.astype(np.int32)):
        X_before = X.copy()
        loss = call("NLLLoss.forward", NLLLoss().forward, X, labels)
        expect_unchanged("NLLLoss.forward", X_before, X)
        note = t(" (X of shape {shape}, labels {labels} of dtype {dtype})", shape=X.shape, labels=labels.tolist(),
                 dtype=labels.dtype)
        value = expect_scalar("NLLLoss.forward(X, y)", loss,
                              t("{note}; return the mean over the batch", note=note))
        expect_close("NLLLoss.forward(X, y)", value, _nll(X_before, labels), note,
                     alternatives=_nll_mistakes(X_before, labels), factors=_nll_factors(len(labels)))


def _nll_gradient_factors(n):
    return {float(n): t("is N = {n} times too large: divide by N, the 1/N of the mean", n=n),
            1 / n: t("is divided by N = {n} twice", n=n)}


@hidden.check(points=5)
def nll_loss_backward_hidden(NLLLoss):
    """dL/dX against numerical gradients, after two forward calls (backward uses the last); calling
    backward twice gives the same result."""
    X, y = _nll_inputs()
    X_stale, y_stale = X[::-1].copy() + 1, y[::-1].copy()
    dX = numerical_gradient(lambda X_: _nll(X_, y), X.copy())
    P = np.exp(_log_softmax(X))
    from_predictions = (P - np.eye(X.shape[1])[np.argmax(P, axis=1)]) / len(y)
    loss = NLLLoss()
    call("NLLLoss.forward", loss.forward, X_stale, y_stale)
    call("NLLLoss.forward", loss.forward, X, y)
    note = t(" (X of shape {shape}, labels {labels})", shape=X.shape, labels=y.tolist())
    mistakes = {t("builds the one-hot from the predictions (argmax): build it from the labels y"):
                from_predictions}
    first = call("NLLLoss.backward", loss.backward)
    expect_gradient(t("dL/dX (returned by {name})", name="NLLLoss.backward"), first, dX, note,
                    alternatives=mistakes, factors=_nll_gradient_factors(len(y)))
    second = call("NLLLoss.backward", loss.backward)
    expect_gradient(t("dL/dX from a second call of NLLLoss.backward"), second, dX,
                    t("{note}; backward must not change what forward stored", note=note))


@hidden.check(points=4)
def nll_loss_stability_hidden(NLLLoss):
    """Logits of +-1000 give a finite loss and gradient: the exact ones, or, for a loss that is off by a
    constant factor on moderate logits (graded by the other tests), off by the same factor."""
    y = np.array([0, 2])
    moderate = np.array([[3.0, 0.0, -3.0], [3.0, 0.0, -3.0]])
    X = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    expected_loss = 1000.0  # (0 + 2000) / 2: log softmax = X - max(X) up to exp(-1000)
    expected_dX = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, -1.0]]) / 2
    note = t(" for X = {X}, y = {y}", X=X.tolist(), y=y.tolist())
    hint = t("subtract the row maximum before exp, and take log softmax = X - logsumexp(X) instead of "
             "log(softmax(X))")

    # The student's own formula on moderate logits, where no trick is needed: a loss off by a
    # constant factor there (a sum, a flipped sign) is held to that factor here, since the
    # forward and backward tests already grade the factor.
    with np.errstate(all="ignore"):
        loss = NLLLoss()
        value_moderate = expect_scalar("NLLLoss.forward(X, y)", call("NLLLoss.forward", loss.forward,
                                                                     moderate, y))
        dX_moderate = call("NLLLoss.backward", loss.backward)
        loss = NLLLoss()
        value = expect_scalar("NLLLoss.forward(X, y)", call("NLLLoss.forward" + note, loss.forward, X, y),
                              note)
        dX = expect_shape("NLLLoss.backward()", call("NLLLoss.backward" + note, loss.backward), X.shape)
    value_factor = scalar_multiple(value_moderate, _nll(moderate, y))
    gradient_factor = scalar_multiple(dX_moderate, numerical_gradient(lambda X_: _nll(X_, y), moderate.copy()),
                                      rtol=1e-5)
    if not np.isfinite(value):
        fail(t("NLLLoss.forward returned {value}{note}: {hint}", value=value, note=note, hint=hint))
    if value_factor is not None and abs(value - value_factor * expected_loss) > 1e-9 * expected_loss:
        fail(t("NLLLoss.forward returned {value:.6g}{note}, expected {expected:.6g}: {hint}", value=value,
               note=note, expected=value_factor * expected_loss, hint=hint))
    if not np.all(np.isfinite(dX)):
        fail(t("NLLLoss.backward() returned {value}{note}, not finite: {hint}", value=dX.tolist(), note=note,
               hint=hint))
    if gradient_factor is not None:
        expect_close("NLLLoss.backward()", dX, gradient_factor * expected_dX, f"{note}: {hint}", atol=1e-12)
    try:
        strictly(NLLLoss().forward, X, y)
    except FloatingPointError:
        advise(t("the loss is right{note}, but numpy warns of an overflow or a log of 0 on the way. {hint}.",
                 note=note, hint=hint))


# ---------------------------------------------------------------- NeuralNetwork

def _reference_layers(rng):
    layers = [reference.Linear(2, 4), reference.Sigmoid(), reference.Linear(4, 5),
              reference.Sigmoid(), reference.Linear(5, 3)]
    for layer in layers[::2]:
        layer.W = rng.randn(*layer.W.shape)
        layer.b = rng.randn(*layer.b.shape)
    return layers


def _compose(layers, X):
    for layer in layers:
        X = layer.forward(X)
    return X


def _check_calls_on_stub_layers(NeuralNetwork):
    """Three stub layers A (x2), B (x3), C (x5): the order of calls and the values passed along."""
    log = []
    stubs = [RecordingLayer(name, factor, log) for name, factor in (("A", 2.0), ("B", 3.0), ("C", 5.0))]
    network = call("NeuralNetwork(layers)", NeuralNetwork, stubs)
    call("NeuralNetwork.forward", network.forward, np.ones((1, 1)))
    forward = [entry for entry in log if entry[0] == "forward"]
    if forward != [("forward", "A", 1.0), ("forward", "B", 2.0), ("forward", "C", 6.0)]:
        fail(t("with three layers A (x2), B (x3), C (x5), forward(1) should call A.forward(1), B.forward(2), "
               "C.forward(6): each layer gets the previous layer's output; it called {calls}",
               calls=", ".join(f"{name}.forward({value:g})" for _, name, value in forward)))
    log.clear()
    call("NeuralNetwork.backward", network.backward, np.ones((1, 1)))
    if [name for _, name, _ in log] != ["C", "B", "A"]:
        fail(t("with three layers A, B, C, backward should call C.backward, B.backward, A.backward, last "
               "to first; it called {calls}", calls=", ".join(f"{name}.{op}" for op, name, _ in log)))
    if log != [("backward", "C", 1.0), ("backward", "B", 5.0), ("backward", "A", 15.0)]:
        fail(t("with three layers A (x2), B (x3), C (x5), backward(1) should call C.backward(1), "
               "B.backward(5), A.backward(15): pass each layer's result to the layer before it; it called {calls}",
               calls=", ".join(f"{name}.backward({value:g})" for _, name, value in log)))
    log.clear()
    call("NeuralNetwork.step", network.step, 0.25)
    if sorted(log) != [("step", name, 0.25) for name in "ABC"]:
        fail(t("step(0.25) should call step(0.25) once on every layer, A, B and C (layers without W too); "
               "it called {calls}", calls=", ".join(f"{name}.step({lr:g})" for _, name, lr in log) or t("nothing")))


@hidden.check(points=7)
def neural_network_hidden(NeuralNetwork):
    """The order of calls and the values passed along, on stub layers; a 2 -> 4 -> 5 -> 3 network of
    reference layers (as a list and as a tuple): its output, every parameter's gradient after
    backward, and one step per layer. (The returned dL/dX is checked by the visible test.)"""
    _check_calls_on_stub_layers(NeuralNetwork)
    rng = seeded(7)
    X, R = rng.randn(6, 2), rng.randn(6, 3)
    layers = _reference_layers(rng)
    expected_Y = _compose(layers, X)
    note = t(" (reference layers 2 -> 4 -> 5 -> 3, X of shape (6, 2), dL/dY random)")
    linears = layers[::2]
    expected = {}
    for index, layer in enumerate(linears, 1):
        for name in ("W", "b"):
            value = getattr(layer, name)
            expected[index, name] = numerical_gradient(lambda v: np.sum(R * _compose(layers, X)), value)
    dX = numerical_gradient(lambda X_: np.sum(R * _compose(layers, X_)), X.copy())
    shapes = t("each layer's output is the next layer's input, and backward goes through them last to first")
    for container in (list, tuple):
        network = call("NeuralNetwork(layers)", NeuralNetwork, container(layers))
        Y = call("NeuralNetwork.forward", network.forward, X, shapes=shapes)
        expect_close("NeuralNetwork.forward(X)", Y, expected_Y,
                     t("{note}, layers in a {container}", note=note, container=container.__name__))
        dX_student = call("NeuralNetwork.backward", network.backward, R, shapes=shapes)
        for (index, name), gradient in expected.items():
            stored = getattr(linears[index - 1], f"dLd{name}", None)
            if stored is None:
                fail(t("Linear layer {index} has no dLd{name} after NeuralNetwork.backward: backward must "
                       "reach every layer", index=index, name=name))
            expect_gradient(t("dL/d{name} of Linear layer {index} after NeuralNetwork.backward", name=name,
                              index=index), stored, gradient, note)
        if dX_student is not None:
            expect_gradient(t("dL/dX (returned by {name})", name="NeuralNetwork.backward"), dX_student, dX, note)

    # Every parameter moves once: compare with the gradients the layers hold.
    before = [(layer.W.copy(), layer.dLdW.copy()) for layer in linears]
    call("NeuralNetwork.step", network.step, 0.1)
    for index, (layer, (W, dW)) in enumerate(zip(linears, before), 1):
        expect_close(t("W of Linear layer {index}", index=index), layer.W, W - 0.1 * dW,
                     t(" after NeuralNetwork.step(0.1)"),
                     alternatives={t("did not move: step must reach every layer"): W,
                                   t("moved twice: call step once on each layer"): W - 0.2 * dW})
    if dX_student is None:
        advise(t("NeuralNetwork.backward returns None: the parameters' gradients are right, and so is this "
                 "test, but backward should also return dL/dX of the network's input (the visible test "
                 "`neural_network_chain` checks it)."))


# ---------------------------------------------------------------- train

@hidden.check(points=7)
def train_hidden(train):
    """The order of calls in an epoch, on the whole of X, with each loss taken before the update; and
    the losses of a reference network trained with your train."""
    log_network = CallLog()
    X, y = np.zeros((8, 3)), np.arange(8) % 3
    history = call("train", train, log_network, CountdownLoss(log_network), X, y, 0.5, 3)
    history = as_loss_history(history, 3)
    epoch = ["network.forward", "loss.forward", "loss.backward", "network.backward", "network.step(0.5)"]
    steps = [entry for entry in log_network.log if entry.startswith("network.step")]
    if not steps:
        fail(t("train never called network.step(learning_rate): the parameters never change"))
    if any(step != "network.step(0.5)" for step in steps):
        fail(t("train called {step} with learning_rate = 0.5: pass the learning_rate argument to step",
               step=steps[0]))
    if any(size != len(X) for size in log_network.batch_sizes):
        fail(t("network.forward received {received} samples instead of all {n}: "
               "full-batch gradient descent uses the whole of X in every epoch",
               received=min(log_network.batch_sizes), n=len(X)))
    if history == [9.0, 8.0, 7.0]:
        fail(t("train returned the losses after each update ([9, 8, 7] for a loss that drops 10, 9, 8 as the "
               "network steps): record each epoch's loss before network.step"))
    if log_network.log != 3 * epoch:
        fail(t("one epoch should call network.forward, loss.forward, loss.backward, network.backward, "
               "network.step(learning_rate), once each; for 3 epochs train called: {calls}",
               calls=", ".join(log_network.log)))
    if history != [10.0, 9.0, 8.0]:
        fail(t("train returned {history} for a loss that drops 10, 9, 8 as the network steps; "
               "return each epoch's loss, in order", history=history))

    rng = seeded(8)
    X, y = rng.rand(20, 2), rng.randint(0, 3, size=20)
    layers = _reference_layers(rng)
    expected = reference.train(reference.NeuralNetwork(copy_layers(layers)),
                               reference.NLLLoss(), X, y, 0.5, 10)
    network = reference.NeuralNetwork(copy_layers(layers))
    history = as_loss_history(call("train", train, network, reference.NLLLoss(), X, y, 0.5, 10), 10)
    expect_close(t("train's loss history"), history, expected,
                 t(" (reference network 2 -> 4 -> 5 -> 3, 20 samples, lr 0.5, 10 epochs)"))


CONVERGENCE = {"learning_rate": 1.0, "n_epochs": 1000, "max_loss": 0.1, "min_accuracy": 0.97}


@hidden.check(points=10)
def train_converges(Linear, Sigmoid, NLLLoss, NeuralNetwork, train):
    """Your Linear, Sigmoid, NLLLoss, NeuralNetwork and train together learn the three blobs of
    data.npz: a 2-10-10-3 network from fixed initial weights, learning rate 1.0, 1000 epochs, must
    reach a loss of at most 0.1 and an accuracy of at least 97%."""
    X, y = three_blobs()
    layers = [call("Linear(2, 10)", Linear, 2, 10), call("Sigmoid()", Sigmoid),
              call("Linear(10, 10)", Linear, 10, 10), call("Sigmoid()", Sigmoid),
              call("Linear(10, 3)", Linear, 10, 3)]
    init = seeded(9)  # the same start for everyone, whatever RNG the student's Linear uses
    for layer in layers[::2]:
        layer.W = init.randn(*layer.W.shape) * 0.1
        layer.b = np.zeros(layer.W.shape[1])
    network = call("NeuralNetwork(layers)", NeuralNetwork, layers)
    budget = CONVERGENCE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unstable brick is graded by its own test
        with np.errstate(all="ignore"):
            history = call("train", train, network, NLLLoss(), X, y,
                           budget["learning_rate"], budget["n_epochs"])
            scores = call("NeuralNetwork.forward", network.forward, X)
    history = as_loss_history(history, budget["n_epochs"])
    predicted = np.argmax(np.asarray(scores), axis=1)
    accuracy = float(np.mean(predicted == y))
    final = history[-1]
    if not (np.isfinite(final) and final <= budget["max_loss"] and accuracy >= budget["min_accuracy"]):
        fail(t("training did not converge: final loss {final:.4g} (needed <= {max_loss}), accuracy "
               "{accuracy:.1%} (needed >= {min_accuracy:.0%}) with the 2-10-10-3 network, your Linear, Sigmoid, "
               "NLLLoss, NeuralNetwork and train, lr {learning_rate}, {n_epochs} epochs on data.npz. "
               "Fix the failing tests above first.", final=final, accuracy=accuracy, **budget))


# ---------------------------------------------------------------- MSELoss

@hidden.check(points=7)
def mse_loss_hidden(MSELoss):
    """The value and dL/dX against numerical gradients on a one-hot batch, after two forward calls
    (backward uses the last); X is not modified."""
    rng = seeded(10)
    X_stale, Y_stale = rng.randn(5, 3), rng.randn(5, 3)
    X, Y = rng.randn(4, 3), np.eye(3)[[0, 2, 1, 2]]
    X_before = X.copy()
    n, n_classes = X.shape
    reference_loss = lambda X_: np.sum((X_ - Y) ** 2) / len(X_)
    loss = MSELoss()
    call("MSELoss.forward", loss.forward, X_stale, Y_stale)
    value = call("MSELoss.forward", loss.forward, X, Y)
    expect_unchanged("MSELoss.forward", X_before, X)
    note = t(" (X of shape {X}, one-hot Y of shape {Y})", X=X.shape, Y=Y.shape)
    value = expect_scalar("MSELoss.forward(X, Y)", value, t("{note}; return the sum / N", note=note))
    expect_close("MSELoss.forward(X, Y)", value, reference_loss(X_before), note, factors={
        1 / n_classes: t("is the mean over all N * C = {entries} entries: divide the sum of squares "
                         "by N = {n} only", entries=n * n_classes, n=n),
        float(n): t("is not divided by N = {n}", n=n)})
    dX = numerical_gradient(reference_loss, X_before.copy())
    expect_gradient(t("dL/dX (returned by {name})", name="MSELoss.backward"),
                    call("MSELoss.backward", loss.backward), dX, note, factors={
                        0.5: t("is half the right value: the derivative of (x - y)^2 is 2 (x - y)"),
                        1 / n_classes: t("is divided by N * C = {entries} instead of N = {n}: "
                                         "backward must differentiate forward's sum / N", entries=n * n_classes, n=n),
                        float(n): t("is not divided by N = {n}", n=n)})
