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
from .kit import (HiddenChecks, LoopOverSamples, call, expect_close, expect_gradient, expect_scalar,
                  expect_shape, expect_unchanged, fail, numerical_gradient, row_guarded, seeded,
                  shape_note, strictly)

hidden = HiddenChecks(__name__)
grade = hidden.grade


# ---------------------------------------------------------------- check_gradient

@hidden.check(points=7)
def check_gradient_hidden(check_gradient):
    """Deviations of both signs, a function of a single entry, integer input (convert it to float or
    refuse it)."""
    X = seeded(1).randn(4, 5)
    X_before = X.copy()
    square = lambda X: np.sum(X ** 2)

    deviation = expect_scalar("check_gradient(...)", call(
        "check_gradient", check_gradient, square, X, 2 * X))
    expect_unchanged("check_gradient", X_before, X)
    if not deviation < 1e-7:
        fail(f"check_gradient returned {deviation:.2e} for f(X) = sum(X**2) with the exact "
             "gradient 2X; central differences give below 1e-7 (one-sided ones give ~EPS = 1e-6)")

    # The largest deviation once positive, once negative: a signed max misses one of them.
    for sign in (1.0, -1.0):
        wrong = 2 * X
        wrong[2, 3] += sign * 0.5
        wrong[0, 1] -= sign * 0.3
        deviation = expect_scalar("check_gradient(...)", call(
            "check_gradient", check_gradient, square, X, wrong))
        if abs(deviation - 0.5) > 1e-6:
            fail(f"check_gradient returned {deviation:.6g} for a gradient whose entries are off by "
                 f"{sign * 0.5:+g} and {-sign * 0.3:+g} (the others exact); expected 0.5, "
                 "the maximum ABSOLUTE deviation")

    cube_of_one = lambda X: X[1, 2] ** 3  # depends on a single entry
    gradient = np.zeros_like(X)
    gradient[1, 2] = 3 * X[1, 2] ** 2
    deviation = expect_scalar("check_gradient(...)", call(
        "check_gradient", check_gradient, cube_of_one, X, gradient))
    if not deviation < 1e-6:
        fail(f"check_gradient returned {deviation:.2e} for f(X) = X[1, 2]**3 with its exact "
             "gradient; perturb one entry at a time and divide by 2 * EPS")

    integers = np.array([[1, -2], [3, 4]])
    try:
        deviation = check_gradient(square, integers, 2 * integers)
    except Exception:
        return  # refusing integer input is a correct answer
    deviation = expect_scalar("check_gradient(...)", deviation)
    if not deviation < 1e-6:
        fail(f"check_gradient returned {deviation:.2e} for an integer X with the exact gradient: "
             "X + EPS is rounded back to X in an integer array; convert to float or refuse")


# ---------------------------------------------------------------- Linear

def _linear_with(Linear, W, b):
    layer = call(f"Linear{W.shape}", Linear, *W.shape)
    layer.W, layer.b = W.copy(), b.copy()
    return layer


@hidden.check(points=3)
def linear_init_hidden(Linear):
    """Shapes, zero bias, and weights drawn from N(0, 0.1^2)."""
    layer = call("Linear(3, 5)", Linear, 3, 5)
    for name in ("W", "b"):
        if not hasattr(layer, name):
            fail(f"Linear(3, 5) has no attribute {name}: store the parameters as self.W and self.b")
    expect_shape("Linear(3, 5).W", layer.W, (3, 5))
    b = expect_shape("Linear(3, 5).b", layer.b, (5,))
    if np.any(b != 0):
        fail(f"Linear(3, 5).b is {b}, expected zeros")

    np.random.seed(0)
    W = expect_shape("Linear(400, 500).W", call("Linear(400, 500)", Linear, 400, 500).W, (400, 500))
    mean, std = W.mean(), W.std()
    within_one_std = np.mean(np.abs(W) < 0.1)  # 0.683 for a normal law, 0.577 for a uniform one
    if abs(mean) > 0.003 or abs(std - 0.1) > 0.003:
        fail(f"Linear(400, 500).W has mean {mean:.4f} and std {std:.4f}; "
             "expected entries from N(0, 0.1^2): mean 0, std 0.1")
    if abs(within_one_std - 0.683) > 0.01:
        fail(f"{within_one_std:.1%} of Linear(400, 500).W lies within one std of 0; a normal law "
             "puts 68.3% there: draw from a normal distribution (np.random.randn(...) * 0.1)")


@hidden.check(points=3)
def linear_forward_hidden(Linear):
    """X @ W + b on square and non-square layers; X is not modified; no loop over samples."""
    rng = seeded(2)
    for n_in, n_out in ((3, 5), (4, 4)):
        W, b, X = rng.randn(n_in, n_out), rng.randn(n_out), rng.randn(6, n_in)
        layer = _linear_with(Linear, W, b)
        X_before = X.copy()
        Y = call("Linear.forward", layer.forward, X)
        expect_close("Linear.forward(X)", Y, X @ W + b, shape_note(X=X, W=W, b=b))
        expect_unchanged("Linear.forward", X_before, X)
    try:
        layer.forward(row_guarded(X))
    except LoopOverSamples as loop:
        fail(f"Linear.forward {loop}: process the whole batch with matrix operations, "
             "X @ W + b, not a loop over samples")


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
        dX_student = call("Linear.backward", layer.backward, R.copy())
        for name in ("dLdW", "dLdb"):
            if not hasattr(layer, name):
                fail(f"Linear.backward did not store self.{name}")
        expect_gradient("dL/dW (self.dLdW)", layer.dLdW, dW, note)
        expect_gradient("dL/db (self.dLdb)", layer.dLdb, db, note)
        expect_gradient("dL/dX (returned by Linear.backward)", dX_student, dX, note)
    try:
        layer.forward(row_guarded(X))
        layer.backward(row_guarded(R))
    except LoopOverSamples as loop:
        fail(f"Linear {loop}: use matrix products over the whole batch, not a loop over samples")


@hidden.check(points=3)
def linear_step_hidden(Linear):
    """W and b move by exactly -learning_rate * gradient."""
    rng = seeded(4)
    for learning_rate in (0.1, 0.37):
        W, b, X, R = rng.randn(3, 2), rng.randn(2), rng.randn(5, 3), rng.randn(5, 2)
        layer = _linear_with(Linear, W, b)
        call("Linear.forward", layer.forward, X)
        call("Linear.backward", layer.backward, R)
        for name in ("dLdW", "dLdb"):
            if not hasattr(layer, name):
                fail(f"Linear.backward did not store self.{name}, which step uses")
        dLdW = expect_shape("self.dLdW", layer.dLdW, W.shape).copy()
        dLdb = expect_shape("self.dLdb", layer.dLdb, b.shape).copy()
        call("Linear.step", layer.step, learning_rate)
        note = f" after step({learning_rate}) with W of shape {W.shape}"
        expect_close("W", layer.W, W - learning_rate * dLdW, note, rtol=1e-12, atol=1e-12)
        expect_close("b", layer.b, b - learning_rate * dLdb, note, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- Sigmoid

def _sigmoid(X):
    return np.asarray(reference.Sigmoid().forward(np.asarray(X, dtype=np.float64)))


@hidden.check(points=4)
def sigmoid_hidden(Sigmoid):
    """Values, and dL/dX against numerical gradients for a random upstream gradient."""
    rng = seeded(5)
    X_stale, X, R = 3 * rng.randn(4, 3), 3 * rng.randn(4, 3), rng.randn(4, 3)
    layer = call("Sigmoid()", Sigmoid)
    X_before = X.copy()
    call("Sigmoid.forward", layer.forward, X_stale)
    Y = call("Sigmoid.forward", layer.forward, X)
    expect_close("Sigmoid.forward(X)", Y, _sigmoid(X), shape_note(X=X))
    expect_unchanged("Sigmoid.forward", X_before, X)
    dX = numerical_gradient(lambda X_: np.sum(R * _sigmoid(X_)), X.copy())
    dX_student = call("Sigmoid.backward", layer.backward, R.copy())
    expect_gradient("dL/dX (returned by Sigmoid.backward)", dX_student, dX,
                     shape_note(X=X, dLdy=R) + ", dL/dY random, so it must be used")
    call("Sigmoid.step", layer.step, 0.1)


@hidden.check(points=3)
def sigmoid_stability_hidden(Sigmoid):
    """Inputs of -1000 and 1000 give 0 and 1 without overflow."""
    X = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    note = f" for X = {X.tolist()}"
    hint = "exp(-x) is inf for x < -709; compute with exp(-|x|), which never overflows"
    layer = call("Sigmoid()", Sigmoid)
    Y = call("Sigmoid.forward" + note, strictly, layer.forward, X, unstable_hint=hint)
    dX = call("Sigmoid.backward" + note, strictly, layer.backward, np.ones_like(X), unstable_hint=hint)
    expect_close("Sigmoid.forward(X)", Y, _sigmoid(X), note, atol=1e-15)
    expect_close("Sigmoid.backward(ones)", dX, _sigmoid(X) * (1 - _sigmoid(X)), note, atol=1e-15)


# ---------------------------------------------------------------- NLLLoss

def _nll(X, y):
    return reference.NLLLoss().forward(np.asarray(X, dtype=np.float64), y)


def _nll_inputs():
    rng = seeded(6)
    X = 2 * rng.randn(5, 4)
    y = np.array([0, 3, 1, 3, 2])  # distinct labels: X[:, y] and X[arange, y] differ
    return X, y


@hidden.check(points=4)
def nll_loss_forward_hidden(NLLLoss):
    """The mean loss on a batch with distinct labels, int32 and int64 labels; X is not modified."""
    X, y = _nll_inputs()
    for labels in (y.astype(np.int64), y.astype(np.int32)):
        X_before = X.copy()
        loss = call("NLLLoss.forward", NLLLoss().forward, X, labels)
        note = f" (X of shape {X.shape}, labels {labels.tolist()} of dtype {labels.dtype})"
        value = expect_scalar("NLLLoss.forward(X, y)", loss,
                              note + "; return the mean over the batch")
        expect_close("NLLLoss.forward(X, y)", value, _nll(X, labels), note)
        expect_unchanged("NLLLoss.forward", X_before, X)


@hidden.check(points=5)
def nll_loss_backward_hidden(NLLLoss):
    """dL/dX against numerical gradients; calling backward twice gives the same result."""
    X, y = _nll_inputs()
    X_stale, y_stale = X[::-1].copy() + 1, y[::-1].copy()
    dX = numerical_gradient(lambda X_: _nll(X_, y), X.copy())
    loss = NLLLoss()
    call("NLLLoss.forward", loss.forward, X_stale, y_stale)
    call("NLLLoss.forward", loss.forward, X, y)
    note = f" (X of shape {X.shape}, labels {y.tolist()})"
    first = call("NLLLoss.backward", loss.backward)
    expect_gradient("dL/dX (returned by NLLLoss.backward)", first, dX, note)
    second = call("NLLLoss.backward", loss.backward)
    expect_gradient("dL/dX from a second call of NLLLoss.backward", second, dX,
                     note + "; backward must not change what forward stored")


@hidden.check(points=4)
def nll_loss_stability_hidden(NLLLoss):
    """Logits of +-1000 give the exact, finite loss and gradient."""
    X = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    y = np.array([0, 2])
    expected_loss = 1000.0  # (0 + 2000) / 2: log softmax = X - max(X) up to exp(-1000)
    expected_dX = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, -1.0]]) / 2
    note = f" for X = {X.tolist()}, y = {y.tolist()}"
    hint = ("subtract the row maximum before exp, and take log softmax = X - logsumexp(X) "
            "instead of log(softmax(X))")
    loss = NLLLoss()
    value = call("NLLLoss.forward" + note, strictly, loss.forward, X, y, unstable_hint=hint)
    value = expect_scalar("NLLLoss.forward(X, y)", value, note)
    if not np.isfinite(value) or abs(value - expected_loss) > 1e-9 * expected_loss:
        fail(f"NLLLoss.forward returned {value}{note}, expected {expected_loss}: {hint}")
    dX = call("NLLLoss.backward" + note, strictly, loss.backward, unstable_hint=hint)
    expect_close("NLLLoss.backward()", dX, expected_dX, note, atol=1e-12)


# ---------------------------------------------------------------- NeuralNetwork

class _RecordingLayer:
    """Stub layer: multiplies by a constant, records calls, has no W attribute."""

    def __init__(self, factor, log):
        self.factor, self.log = factor, log

    def forward(self, X):
        self.log.append(("forward", self.factor))
        return self.factor * X

    def backward(self, dLdy):
        self.log.append(("backward", self.factor))
        return self.factor * dLdy

    def step(self, learning_rate):
        self.log.append(("step", self.factor, learning_rate))


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


@hidden.check(points=7)
def neural_network_hidden(NeuralNetwork):
    """A 2 -> 4 -> 5 -> 3 network of reference layers (as a list and as a tuple): output, dL/dX against
    numerical gradients, and one step per layer."""
    rng = seeded(7)
    X, R = rng.randn(6, 2), rng.randn(6, 3)
    layers = _reference_layers(rng)
    expected_Y = _compose(layers, X)
    dX = numerical_gradient(lambda X_: np.sum(R * _compose(layers, X_)), X.copy())
    note = " (reference layers 2 -> 4 -> 5 -> 3, X of shape (6, 2))"
    for container in (list, tuple):
        network = call("NeuralNetwork(layers)", NeuralNetwork, container(layers))
        Y = call("NeuralNetwork.forward", network.forward, X)
        expect_close("NeuralNetwork.forward(X)", Y, expected_Y, note + f", layers in a {container.__name__}")
        dX_student = call("NeuralNetwork.backward", network.backward, R)
        expect_gradient("dL/dX (returned by NeuralNetwork.backward)", dX_student, dX, note)

    # Every parameter moves once: compare with the layers' own steps.
    W_before = [layer.W.copy() for layer in layers[::2]]
    grads = [layer.dLdW.copy() for layer in layers[::2]]
    call("NeuralNetwork.step", network.step, 0.1)
    for index, (layer, W, dW) in enumerate(zip(layers[::2], W_before, grads)):
        expect_close(f"W of Linear layer {index + 1}", layer.W, W - 0.1 * dW,
                     " after NeuralNetwork.step(0.1): each layer must step exactly once")

    log = []
    stubs = [_RecordingLayer(factor, log) for factor in (2.0, 3.0, 5.0)]
    network = call("NeuralNetwork(layers)", NeuralNetwork, stubs)
    call("NeuralNetwork.forward", network.forward, np.ones((1, 1)))
    call("NeuralNetwork.backward", network.backward, np.ones((1, 1)))
    call("NeuralNetwork.step", network.step, 0.25)
    expected = ([("forward", f) for f in (2.0, 3.0, 5.0)] + [("backward", f) for f in (5.0, 3.0, 2.0)]
                + [("step", f, 0.25) for f in (2.0, 3.0, 5.0)])
    if sorted(log[6:]) != sorted(expected[6:]) or log[:6] != expected[:6]:
        fail("with three layers A, B, C the network should call A.forward, B.forward, C.forward, "
             "then C.backward, B.backward, A.backward, then step(lr) once on every layer "
             f"(layers without W too); it called {_calls(log)}")


def _calls(log):
    names = {2.0: "A", 3.0: "B", 5.0: "C"}
    return ", ".join(f"{names[entry[1]]}.{entry[0]}" for entry in log)


# ---------------------------------------------------------------- train

class _CallLog:
    """Stub network and loss that record the order of calls; the loss is a countdown."""

    def __init__(self):
        self.log, self.value = [], 10.0

    def forward(self, X):
        self.log.append("network.forward")
        return X

    def backward(self, dLdy):
        self.log.append("network.backward")
        return dLdy

    def step(self, learning_rate):
        self.log.append(f"network.step({learning_rate})")
        self.value -= 1.0


class _CountdownLoss:
    def __init__(self, network):
        self.network = network

    def forward(self, X, y):
        self.network.log.append("loss.forward")
        return self.network.value

    def backward(self):
        self.network.log.append("loss.backward")
        return np.ones((2, 3))


@hidden.check(points=7)
def train_hidden(train):
    """The order of calls in an epoch, and the losses of a reference network trained with your train."""
    log_network = _CallLog()
    X, y = np.zeros((2, 3)), np.array([0, 1])
    history = call("train", train, log_network, _CountdownLoss(log_network), X, y, 0.5, 3)
    epoch = ["network.forward", "loss.forward", "loss.backward", "network.backward",
             "network.step(0.5)"]
    if log_network.log != 3 * epoch:
        fail("one epoch should call network.forward, loss.forward, loss.backward, "
             f"network.backward, network.step(learning_rate); for 3 epochs train called: "
             f"{', '.join(log_network.log)}")
    history = _as_history(history, 3)
    if history != [10.0, 9.0, 8.0]:
        fail(f"train returned {history} for a loss that drops 10, 9, 8 as the network steps; "
             "record each epoch's loss before that epoch's update")

    rng = seeded(8)
    X, y = rng.rand(20, 2), rng.randint(0, 3, size=20)
    layers = _reference_layers(rng)
    expected = reference.train(reference.NeuralNetwork(_copy_layers(layers)),
                               reference.NLLLoss(), X, y, 0.5, 30)
    network = reference.NeuralNetwork(_copy_layers(layers))
    history = _as_history(call("train", train, network, reference.NLLLoss(), X, y, 0.5, 30), 30)
    expect_close("train's loss history", history, expected,
                 " (reference network 2 -> 4 -> 5 -> 3, 20 samples, lr 0.5, 30 epochs)")


def _copy_layers(layers):
    copies = []
    for layer in layers:
        copy = type(layer).__new__(type(layer))
        copy.__dict__ = {key: np.copy(value) for key, value in layer.__dict__.items()}
        copies.append(copy)
    return copies


def _as_history(history, n_epochs):
    try:
        values = [float(value) for value in history]
    except (TypeError, ValueError):
        fail(f"train returned {type(history).__name__}, expected a list of {n_epochs} floats")
    if len(values) != n_epochs:
        fail(f"train returned {len(values)} losses for n_epochs = {n_epochs}, expected one per epoch")
    return values


CONVERGENCE = {"learning_rate": 1.0, "n_epochs": 1000, "max_loss": 0.1, "min_accuracy": 0.97}


@hidden.check(points=10)
def train_converges(Linear, Sigmoid, NLLLoss, NeuralNetwork, train):
    """Your Linear, Sigmoid, NLLLoss, NeuralNetwork and train together learn data.npz: a 2-10-10-3
    network from fixed initial weights, learning rate 1.0, 1000 epochs, must reach a loss of at
    most 0.1 and an accuracy of at least 97%."""
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
    history = _as_history(history, budget["n_epochs"])
    predicted = np.argmax(np.asarray(scores), axis=1)
    accuracy = float(np.mean(predicted == y))
    final = history[-1]
    setting = (f"2-10-10-3 network, your Linear, Sigmoid, NLLLoss, NeuralNetwork and train, "
               f"lr {budget['learning_rate']}, {budget['n_epochs']} epochs on data.npz")
    if not (np.isfinite(final) and final <= budget["max_loss"] and accuracy >= budget["min_accuracy"]):
        fail(f"training did not converge: final loss {final:.4g} (needed <= {budget['max_loss']}), "
             f"accuracy {accuracy:.1%} (needed >= {budget['min_accuracy']:.0%}) with the {setting}. "
             "Fix the failing tests above first.")


# ---------------------------------------------------------------- MSELoss

@hidden.check(points=7)
def mse_loss_hidden(MSELoss):
    """The value and dL/dX against numerical gradients on a one-hot batch; X is not modified."""
    rng = seeded(10)
    X_stale, Y_stale = rng.randn(5, 3), rng.randn(5, 3)
    X, Y = rng.randn(4, 3), np.eye(3)[[0, 2, 1, 2]]
    X_before = X.copy()
    reference_loss = lambda X_: np.sum((X_ - Y) ** 2) / len(X_)
    loss = MSELoss()
    call("MSELoss.forward", loss.forward, X_stale, Y_stale)
    value = call("MSELoss.forward", loss.forward, X, Y)
    note = f" (X of shape {X.shape}, one-hot Y of shape {Y.shape})"
    value = expect_scalar("MSELoss.forward(X, Y)", value, note + "; return the sum / N")
    expect_close("MSELoss.forward(X, Y)", value, reference_loss(X), note)
    expect_unchanged("MSELoss.forward", X_before, X)
    dX = numerical_gradient(reference_loss, X.copy())
    expect_gradient("dL/dX (returned by MSELoss.backward)", call("MSELoss.backward", loss.backward),
                     dX, note)
