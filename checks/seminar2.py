"""Hidden checks of seminar 2: one function per graded test cell.

Each check exercises one answer on seeded float64 inputs and fails with a message that
says what was expected, what came back, and on which input. Parts stay isolated: a check
builds everything but the answer it grades from the reference solutions or from small
stubs, so one wrong answer costs only its own cells (fit is tested with stub batches and
a stub validation, never with the student's iterate_minibatches, predict or accuracy).
Only fit_converges trains the student's answers together.

During grading the answers live in the student's process and every call is a round trip,
so the checks keep their inputs small and their number of calls low.
"""
import math
import warnings

import numpy as np

import solutions.seminar1 as bricks
import solutions.seminar2 as reference

from .datasets import digits
from .kit import (FixedScores, HiddenChecks, Logged, StubActivation, as_fit_history, attribute, call,
                  check_activation_backward, check_activation_forward, check_activation_stability,
                  check_epoch_losses, class_name, copy_network, define_beside, describe, expect_close,
                  expect_scalar, expect_shape, expect_unchanged, fail, parameters_of, seeded, signed_inputs,
                  source_of, t)

hidden = HiddenChecks(__name__)
grade = hidden.grade


# ---------------------------------------------------------------- activations

def _relu(X):
    return np.maximum(X, 0)


def _elu(X, alpha=1.0):
    return np.where(X > 0, X, alpha * np.expm1(np.minimum(X, 0)))


def _tanh_derivative(X):
    return 1 - np.tanh(X) ** 2


def _elu_derivative(X, alpha=1.0):
    return np.where(X > 0, 1.0, alpha * np.exp(np.minimum(X, 0)))


@hidden.check(points=3)
def relu_forward_hidden(ReLU):
    """Values on inputs of both signs and of +-1000, X left unchanged, no loop over samples."""
    check_activation_forward("ReLU", ReLU, _relu, seed=21)
    X = np.array([[-1000.0, 1000.0]])
    expect_close("ReLU.forward(X)", call("ReLU.forward", call("ReLU()", ReLU).forward, X), [[0.0, 1000.0]],
                 t(" for X = {X}", X="[[-1000, 1000]]"))


@hidden.check(points=3)
def relu_backward_hidden(ReLU):
    """dL/dX against numerical gradients for a random upstream gradient, after two forward calls
    (backward uses the last), and at +-1000; no loop over samples."""
    check_activation_backward("ReLU", ReLU, _relu, seed=22)
    layer = call("ReLU()", ReLU)
    call("ReLU.forward", layer.forward, np.array([[-1000.0, 1000.0]]))
    expect_close("ReLU.backward(ones)", call("ReLU.backward", layer.backward, np.ones((1, 2))), [[0.0, 1.0]],
                 t(" for X = {X}", X="[[-1000, 1000]]"))


@hidden.check(points=2)
def tanh_forward_hidden(Tanh):
    """Values on inputs of both signs, X left unchanged, no loop over samples."""
    check_activation_forward("Tanh", Tanh, np.tanh, seed=23)


@hidden.check(points=3)
def tanh_backward_hidden(Tanh):
    """dL/dX against numerical gradients for a random upstream gradient, after two forward calls
    (backward uses the last); no loop over samples."""
    check_activation_backward("Tanh", Tanh, np.tanh, seed=24)


@hidden.check(points=2)
def tanh_stability_hidden(Tanh):
    """Inputs of -1000 and 1000 give -1 and 1, and derivative 0, all finite (numpy's overflow warnings
    are harmless)."""
    check_activation_stability("Tanh", Tanh, np.tanh, _tanh_derivative,
                               t("e^1000 overflows, and inf / inf is nan: use np.tanh, or write tanh with "
                                 "exp(-2|x|), which never overflows"))


def _elu_half(X):
    return _elu(X, 0.5)


@hidden.check(points=3)
def elu_forward_hidden(ELU):
    """Values on inputs of both signs with the default alpha = 1 and with alpha = 0.5, X left unchanged,
    no loop over samples."""
    check_activation_forward("ELU", ELU, _elu, seed=25)
    X = signed_inputs(seeded(26), (4, 3))
    Y = expect_shape("ELU(alpha=0.5).forward(X)", call("ELU(alpha=0.5).forward",
                                                      call("ELU(alpha=0.5)", ELU, alpha=0.5).forward, X), X.shape)
    if np.allclose(Y, _elu(X, 1.0)) and not np.allclose(Y, _elu(X, 0.5)):
        fail(t("ELU(alpha=0.5).forward computes as if alpha were 1: use self.alpha where X <= 0"))
    check_activation_forward("ELU(alpha=0.5)", lambda: ELU(alpha=0.5), _elu_half, seed=27)


@hidden.check(points=3)
def elu_backward_hidden(ELU):
    """dL/dX against numerical gradients for a random upstream gradient, after two forward calls
    (backward uses the last), with alpha = 1 and alpha = 0.5; no loop over samples."""
    check_activation_backward("ELU", ELU, _elu, seed=28)
    check_activation_backward("ELU(alpha=0.5)", lambda: ELU(alpha=0.5), _elu_half, seed=29)


@hidden.check(points=2)
def elu_stability_hidden(ELU):
    """Inputs of -1000 and 1000 give -1 and 1000, and derivatives 0 and 1, all finite (numpy's overflow
    warnings are harmless)."""
    check_activation_stability("ELU", ELU, _elu, _elu_derivative,
                               t("exp(1000) is inf, and inf * 0 is nan: take exp of np.minimum(X, 0), which is "
                                 "never above 1 (np.where computes both branches, so exp(X) also overflows where "
                                 "it is discarded)"))


# ---------------------------------------------------------------- make_mlp

def _layers_of(network, what):
    """The layers of a network made with the given NeuralNetwork (its attribute `modules`)."""
    if isinstance(network, (list, tuple)):
        fail(t("{what} returned a {container} of layers: wrap them in NeuralNetwork(layers)", what=what,
               container=type(network).__name__))
    layers = attribute(network, "modules", t("{what}'s result", what=what),
                       t(": return NeuralNetwork(layers), the given container"))
    if not isinstance(layers, (list, tuple)):
        fail(t("{what}'s network.modules is {value}, expected the list of layers", what=what,
               value=describe(layers)))
    return list(layers)


def _is_one_of(layer, objects):
    return any(layer is obj for obj in objects)


def _describe_layers(layers, made):
    return ", ".join(t("activation") if _is_one_of(layer, made)
                     else f"Linear{tuple(np.shape(getattr(layer, 'W', None)))}" if hasattr(layer, "W")
                     else t("an unknown layer") for layer in layers)


def _mlp(make_mlp, sizes, seed, **linear):
    """(network, its layers, the activations make_mlp made, a name for messages); `linear`:
    linear=the class of the linear layers, when the check passes one."""
    StubActivation.made = []
    what = f"make_mlp({list(sizes)}, activation, rng{', linear=' + class_name(linear['linear']) if linear else ''})"
    network = call(what, make_mlp, list(sizes), StubActivation, np.random.default_rng(seed), **linear)
    return network, _layers_of(network, what), list(StubActivation.made), what


def _bias(layer, index, n_out):
    """b of a linear layer as a vector of n_out numbers: shape (n_out,), as the given Linear makes
    it, or (1, n_out), which adds to every row the same (the notebook does not fix its shape)."""
    b = attribute(layer, "b", t("Linear layer {index}", index=index))
    if np.shape(b) == (1, n_out):
        return np.asarray(b, dtype=np.float64).reshape(n_out)
    return expect_shape(t("b of Linear layer {index}", index=index), b, (n_out,))


# A subclass of the given Linear, defined where make_mlp runs (make_mlp sets the weights of the layers
# it makes, and only the student's own objects take that): part 9 passes LinearMomentum this way.
_LINEAR_OF_THE_TEST = """

class LinearOfTheTest(Linear):
    \"\"\"The class a test passes as make_mlp's `linear`.\"\"\"
"""


def _check_linear_argument(make_mlp):
    """make_mlp(..., linear=cls) makes every linear layer with cls."""
    linear = define_beside(make_mlp, source_of(bricks.Linear) + _LINEAR_OF_THE_TEST)["LinearOfTheTest"]
    _, layers, made, what = _mlp(make_mlp, (64, 32, 10), seed=3, linear=linear)
    classes = [class_name(layer) for layer in layers if not _is_one_of(layer, made)]
    if any(name != "LinearOfTheTest" for name in classes):
        fail(t("{what} made its linear layers of the classes {classes}, not with the class it was given: make each "
               "with linear(n_in, n_out) (part 9 passes LinearMomentum, and its network must have momentum)",
               what=what, classes=", ".join(classes) or t("none")))


SIZES = (400, 300, 100, 10)


@hidden.check(points=5)
def make_mlp_hidden(make_mlp):
    """Layers Linear, activation, ..., Linear of the given sizes, with a new activation object per hidden
    layer and none after the last; a single Linear for two sizes; the network computes its output; the
    linear layers are made with the class passed as `linear`."""
    network, layers, made, what = _mlp(make_mlp, SIZES, seed=0)
    structure = _describe_layers(layers, made)
    expected = t("Linear(400, 300), activation, Linear(300, 100), activation, Linear(100, 10)")
    is_activation = [_is_one_of(layer, made) for layer in layers]
    if len(layers) == 6 and is_activation[-1]:
        fail(t("{what} put an activation after the last layer ({structure}): the scores go to NLLLoss raw",
               what=what, structure=structure))
    if len(layers) != 5 or is_activation != [False, True, False, True, False]:
        fail(t("{what} made the layers {structure}; expected {expected}, calling activation() for each hidden "
               "layer", what=what, structure=structure or t("none"), expected=expected))
    if layers[1] is layers[3]:
        fail(t("{what} used one activation object for both hidden layers: call activation() once per "
               "layer (a shared object keeps only the last forward pass for backward)", what=what))
    weights = []
    for index, (layer, n_in, n_out) in enumerate(zip(layers[::2], SIZES[:-1], SIZES[1:])):
        name = t("Linear layer {index}", index=index + 1)
        weights.append((expect_shape(t("W of Linear layer {index}", index=index + 1), attribute(layer, "W", name),
                                     (n_in, n_out)),
                        _bias(layer, index + 1, n_out)))

    X = seeded(31).rand(3, 400)
    expected_output = X
    for index, (W, b) in enumerate(weights):
        expected_output = expected_output @ W + b
        if index < len(weights) - 1:
            expected_output = np.maximum(expected_output, 0)
    expect_close(t("network.forward(X) of make_mlp's network"), call("network.forward", network.forward, X),
                 expected_output, t(" (X of shape (3, 400), its own weights)"))

    _, layers, made, what = _mlp(make_mlp, (64, 10), seed=2)
    if len(layers) != 1 or _is_one_of(layers[0], made):
        fail(t("{what} made the layers {structure}; expected a single Linear(64, 10)", what=what,
               structure=_describe_layers(layers, made)))
    _check_linear_argument(make_mlp)


def _linear_layers(make_mlp, seed):
    """[(layer, its W)] of the layers with weights, in order, whatever else the network holds (or a
    list of layers). Each W is read once: from the student's process it is a round trip and a copy."""
    StubActivation.made = []
    what = f"make_mlp({list(SIZES)}, activation, rng)"
    network = call(what, make_mlp, list(SIZES), StubActivation, np.random.default_rng(seed))
    layers = list(network) if isinstance(network, (list, tuple)) else _layers_of(network, what)
    linears = []
    for layer in layers:
        if not _is_one_of(layer, StubActivation.made):
            W = getattr(layer, "W", None)
            if W is not None:
                linears.append((layer, W))
    if len(linears) != len(SIZES) - 1:
        fail(t("{what} made {count} layers with weights, expected {expected}", what=what, count=len(linears),
               expected=len(SIZES) - 1))
    return linears


@hidden.check(points=3)
def make_mlp_init_hidden(make_mlp):
    """W of each linear layer (n_in, n_out) drawn from N(0, 2 / n_in), b = 0, all from rng: the same seed
    gives the same weights, another seed others."""
    linears = _linear_layers(make_mlp, seed=0)
    problems = []
    for index, ((layer, W), n_in, n_out) in enumerate(zip(linears, SIZES[:-1], SIZES[1:])):
        name = t("W of Linear layer {index}", index=index + 1)
        W = expect_shape(name, W, (n_in, n_out))
        if np.any(_bias(layer, index + 1, n_out) != 0):
            fail(t("b of Linear layer {index} is not zero: start every bias at 0", index=index + 1))
        problem = _spread_problem(name, W, n_in, n_out)
        if problem and not problems:
            problems.append(problem)
    problems += _generator_problems(make_mlp, linears)
    if problems:
        fail(t("{first}. Also: {second}", first=problems[0], second=problems[1]) if len(problems) > 1
             else problems[0])


def _spread_problem(name, W, n_in, n_out):
    """What is wrong with the mean and spread of one layer's weights, in words ("" if nothing)."""
    he = math.sqrt(2 / n_in)
    tolerance = 0.02 if W.size > 10000 else 0.15  # the spread of the std of W.size normal numbers
    if abs(W.mean()) <= 5 * he / math.sqrt(W.size) and abs(W.std() / he - 1) <= tolerance:
        return ""
    hint = ""
    for label, std in ((f"sqrt(2 / n_out) = sqrt(2 / {n_out})", math.sqrt(2 / n_out)),
                       (t("2 / n_in: the variance used as the standard deviation"), 2 / n_in),
                       (t("sqrt(1 / n_in), LeCun's"), math.sqrt(1 / n_in)),
                       (t("sqrt(2 / (n_in + n_out)), Glorot and Bengio's (Xavier)"), math.sqrt(2 / (n_in + n_out))),
                       (t("0.1, seminar 1's"), 0.1)):
        if abs(W.std() / std - 1) < tolerance:
            hint = t("; that is {what}", what=label)
    return t("{name} (shape {shape}) has mean {mean:.4f} and standard deviation {std:.4f}; "
             "He initialisation draws from N(0, 2 / n_in): standard deviation sqrt(2 / {n_in}) = "
             "{he:.4f}{hint}", name=name, shape=W.shape, mean=W.mean(), std=W.std(), n_in=n_in, he=he, hint=hint)


def _generator_problems(make_mlp, linears):
    """Whether the weights come from rng: the same seed the same, another seed others."""
    first = np.asarray(linears[0][1], dtype=np.float64)
    again = np.asarray(_linear_layers(make_mlp, seed=0)[0][1])
    other = np.asarray(_linear_layers(make_mlp, seed=1)[0][1])
    if not np.array_equal(again, first):
        return [t("two calls of make_mlp with generators of the same seed gave different weights: draw every "
                  "weight from rng (rng.standard_normal or rng.normal), not from np.random")]
    if np.array_equal(other, first):
        return [t("make_mlp gave the same weights for generators of different seeds: draw them from rng")]
    return []


# ---------------------------------------------------------------- iterate_minibatches

def _samples(n_samples, seed):
    """X whose column 0 is each row's index (so a batch says which samples it holds), and labels."""
    rng = seeded(seed)
    X = np.column_stack([np.arange(n_samples, dtype=np.float64), rng.randn(n_samples, 2)])
    y = rng.randint(0, 10, size=n_samples).astype(np.int64)
    return X, y


def _batches(iterate_minibatches, X, y, batch_size, rng, setting, unchanged=True):
    """The student's batches, checked to be a list of (X_batch (B, d), y_batch (B,)) pairs,
    and (unless unchanged=False) with X and y left as they were."""
    what = f"iterate_minibatches(X, y, {batch_size}, rng)"
    X_before, y_before = X.copy(), y.copy()
    result = call(what, iterate_minibatches, X, y, batch_size, rng)
    if result is None:
        fail(t("{what} returned None: did you forget `return`?", what=what))
    if not isinstance(result, (list, tuple, dict, str, np.ndarray)) and hasattr(result, "__iter__"):
        result = call(what, list, result)  # a generator (`yield`): the same batches, one at a time
    if unchanged:
        expect_unchanged(what, X_before, X)
        expect_unchanged(what, y_before, y)
    if not isinstance(result, (list, tuple)):
        fail(t("{what} returned {value}; return a list of (X_batch, y_batch) pairs", what=what,
               value=describe(result)))
    batches = []
    for index, pair in enumerate(result):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail(t("batch {index} of {what} is {value}, expected a pair (X_batch, y_batch)", index=index,
                   what=what, value=describe(pair)))
        try:
            X_batch, y_batch = np.asarray(pair[0], dtype=np.float64), np.asarray(pair[1])
        except (TypeError, ValueError):
            fail(t("batch {index} of {what} holds {first} and {second}, expected two numpy arrays", index=index,
                   what=what, first=describe(pair[0]), second=describe(pair[1])))
        if not np.issubdtype(y_batch.dtype, np.integer):
            fail(t("batch {index}'s y_batch has dtype {dtype}: keep the labels' integer dtype{setting}",
                   index=index, dtype=y_batch.dtype, setting=setting))
        if X_batch.ndim != 2 or X_batch.shape[1] != X.shape[1] or y_batch.shape != (len(X_batch),):
            fail(t("batch {index} of {what} has X_batch of shape {X_shape} and y_batch of shape "
                   "{y_shape}; expected (B, {d}) and (B,){setting}", index=index, what=what, X_shape=X_batch.shape,
                   y_shape=y_batch.shape, d=X.shape[1], setting=setting))
        batches.append((X_batch, y_batch))
    return batches


def _order(batches, X, y, batch_size, setting):
    """The order of the samples in one epoch, after checking sizes, coverage and pairing."""
    n_samples = len(X)
    sizes = [len(X_batch) for X_batch, _ in batches]
    expected_sizes = [batch_size] * (n_samples // batch_size) + (
        [n_samples % batch_size] if n_samples % batch_size else [])
    if sizes != expected_sizes:
        if sizes == expected_sizes[:-1] and n_samples % batch_size:
            fail(t("the batches have sizes {sizes}: the last, short batch of {short} "
                   "samples is missing{setting}; keep it, so that every sample is used", sizes=sizes,
                   short=n_samples % batch_size, setting=setting))
        if sizes and sizes[-1] == 0:
            fail(t("the last batch is empty (sizes {sizes}){setting}: stop when every sample is in a batch",
                   sizes=sizes, setting=setting))
        fail(t("the batches have sizes {sizes}, expected {expected}{setting}", sizes=sizes, expected=expected_sizes,
               setting=setting))
    for index, (X_batch, _) in enumerate(batches):
        rows = X_batch[:, 0].astype(np.int64)
        if (np.any(rows < 0) or np.any(rows >= n_samples) or np.any(X_batch[:, 0] != rows)
                or not np.array_equal(X_batch, X[rows])):
            fail(t("batch {index}'s X_batch holds rows that are not rows of X{setting}: "
                   "take whole rows, X[indices]", index=index, setting=setting))
    order = np.concatenate([X_batch[:, 0] for X_batch, _ in batches]).astype(np.int64)
    counts = np.bincount(order, minlength=n_samples)
    if np.any(counts != 1):
        missing, repeated = np.flatnonzero(counts == 0), np.flatnonzero(counts > 1)
        fail(t("in one epoch, sample(s) {missing} are missing and {repeated} repeated"
               "{setting}: every sample must be in exactly one batch", missing=missing.tolist(),
               repeated=repeated.tolist(), setting=setting))
    for index, (X_batch, y_batch) in enumerate(batches):
        if not np.array_equal(y_batch, y[X_batch[:, 0].astype(np.int64)]):
            fail(t("batch {index}'s y_batch does not hold the labels of its X_batch's rows{setting}: "
                   "shuffle X and y with one and the same order", index=index, setting=setting))
    return order


@hidden.check(points=5)
def iterate_minibatches_hidden(iterate_minibatches):
    """23 samples in batches of 5: sizes 5, 5, 5, 5, 3; 20 samples in batches of 5 and of 32; each time
    every sample in exactly one batch, each row with its label, X and y unchanged."""
    for n_samples, batch_size in ((23, 5), (20, 5), (20, 32)):
        X, y = _samples(n_samples, seed=41)
        setting = t(" ({n} samples, batch_size {batch_size})", n=n_samples, batch_size=batch_size)
        _order(_batches(iterate_minibatches, X, y, batch_size, np.random.default_rng(4), setting),
               X, y, batch_size, setting)


def _shuffled_order(iterate_minibatches, X, y, rng, setting):
    """The order of the samples in one epoch, read from column 0 of the batches (whatever their sizes)."""
    batches = _batches(iterate_minibatches, X.copy(), y.copy(), 5, rng, setting, unchanged=False)
    if not batches:
        fail(t("iterate_minibatches returned no batches{setting}", setting=setting))
    return np.concatenate([X_batch[:, 0] for X_batch, _ in batches]).astype(np.int64)


@hidden.check(points=4)
def iterate_minibatches_shuffle_hidden(iterate_minibatches):
    """A shuffled order drawn from rng: not the order of X; the same seed gives the same order; another
    seed, or the next epoch with the same generator, gives another."""
    X, y = _samples(23, seed=43)
    setting = t(" ({n} samples, batch_size {batch_size})", n=23, batch_size=5)

    def epoch(rng):
        return _shuffled_order(iterate_minibatches, X, y, rng, setting)

    first = epoch(np.random.default_rng(1))
    if np.array_equal(first, np.arange(len(first))):
        fail(t("the batches follow the order of X{setting}: shuffle it with rng.permutation(len(X))",
               setting=setting))
    if not np.array_equal(epoch(np.random.default_rng(1)), first):
        fail(t("two calls with generators of the same seed gave different orders{setting}: shuffle with the "
               "rng argument (rng.permutation), not with np.random", setting=setting))
    if np.array_equal(epoch(np.random.default_rng(2)), first):
        fail(t("generators of different seeds gave the same order{setting}: draw the order from rng",
               setting=setting))
    rng = np.random.default_rng(3)
    if np.array_equal(epoch(rng), epoch(rng)):
        fail(t("two epochs with the same generator gave the same order{setting}: draw a new order from rng on "
               "every call (do not make a new generator inside)", setting=setting))


# ---------------------------------------------------------------- predict and accuracy

@hidden.check(points=3)
def predict_hidden(predict):
    """The class of the largest score in each row, for scores of any sign with the largest in any
    column; one forward call for the whole batch; X unchanged; the same classes as argmax for a
    reference network."""
    scores = np.array([[0.1, 2.0, -1.0, 0.3], [3.0, -2.0, 0.5, 2.9], [-5.0, -4.0, -3.5, -3.0],
                       [0.0, 0.2, 0.1, -0.2], [1.0, 1.5, 9.0, 8.0]])
    X = seeded(51).randn(5, 3)
    X_before = X.copy()
    network = FixedScores(scores)
    note = t(" (scores of shape {shape}: one class per row, the index of its largest score)", shape=scores.shape)
    classes = expect_shape("predict(network, X)", call("predict", predict, network, X), (5,), note)
    expect_unchanged("predict", X_before, X)
    if len(network.calls) != 1:
        fail(t("predict called network.forward {count} times for a batch of 5: pass the whole X at once",
               count=len(network.calls)))
    expect_close("predict(network, X)", classes, np.argmax(scores, axis=1), note, rtol=0, atol=0)

    rng = seeded(52)
    network = bricks.NeuralNetwork([bricks.Linear(3, 6), bricks.Sigmoid(), bricks.Linear(6, 4)])
    for layer in network.modules[::2]:
        layer.W, layer.b = rng.randn(*layer.W.shape), rng.randn(*layer.b.shape)
    X = rng.randn(7, 3)
    expected = np.argmax(network.forward(X), axis=1)
    expect_close("predict(network, X)", call("predict", predict, network, X), expected,
                 t(" (a 3-6-4 reference network, X of shape (7, 3))"), rtol=0, atol=0)


@hidden.check(points=3)
def accuracy_hidden(accuracy):
    """The fraction of right predictions as one number in [0, 1]: 7 of 10, all, none, int32 labels;
    the inputs unchanged."""
    y_true = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
    y_pred = np.array([3, 1, 4, 7, 5, 9, 0, 6, 5, 8])  # 7 of 10 right
    cases = [(y_true, y_pred, 0.7), (y_true, y_true.copy(), 1.0), (y_true, (y_true + 1) % 10, 0.0),
             (y_true.astype(np.int32), y_pred.astype(np.int32), 0.7)]
    for labels, predicted, expected in cases:
        before = labels.copy(), predicted.copy()
        note = t(" for y_true = {y_true}, y_pred = {y_pred} ({dtype})", y_true=labels.tolist(),
                 y_pred=predicted.tolist(), dtype=labels.dtype)
        value = expect_scalar("accuracy(y_true, y_pred)", call("accuracy", accuracy, labels, predicted), note)
        expect_unchanged("accuracy", before[0], labels)
        expect_unchanged("accuracy", before[1], predicted)
        if abs(value - expected) > 1e-12:
            right = int(round(expected * len(labels)))
            hint = (t("the number of right predictions: divide by their count") if value == right and right else
                    t("a percentage: return a fraction in [0, 1]") if abs(value - 100 * expected) < 1e-9 else
                    t("the error rate: count the samples whose prediction equals the label")
                    if abs(value - (1 - expected)) < 1e-12 else t("the mean of (y_true == y_pred) is wanted"))
            fail(t("accuracy returned {value:g}{note}, expected {expected:g}: that is {hint}", value=value,
                   note=note, expected=expected, hint=hint))


# ---------------------------------------------------------------- fit

def _small_network(rng):
    layers = [bricks.Linear(4, 5), reference.ReLU(), bricks.Linear(5, 3)]
    for layer in layers[::2]:
        layer.W, layer.b = rng.randn(*layer.W.shape), 0.1 * rng.randn(*layer.b.shape)
    return bricks.NeuralNetwork(layers)


def _fit_run(fit):
    """A reference network trained by the student's fit on 3 epochs of 3 batches (new batches every
    epoch), with logged calls; and the same run of the reference fit."""
    rng = seeded(61)
    n_epochs, learning_rate, validation = 3, 0.3, [0.25, 0.5, 0.875]
    epochs = [[(rng.randn(4, 4), rng.randint(0, 3, size=4)) for _ in range(3)] for _ in range(n_epochs)]
    start = _small_network(rng)
    expected_network = copy_network(start)
    stubs = _Epochs(epochs, validation, [])
    expected = reference.fit(expected_network, bricks.NLLLoss(), stubs.batches, stubs.validate,
                             learning_rate, n_epochs)
    log, network = [], copy_network(start)
    stubs = _Epochs(epochs, validation, log)
    history = call("fit", fit, Logged(network, log, "network"), Logged(bricks.NLLLoss(), log, "loss"),
                   stubs.batches, stubs.validate, learning_rate, n_epochs)
    run = {"history": history, "log": log, "network": network, "expected": expected, "validation": validation,
           "expected_network": expected_network, "n_epochs": n_epochs, "learning_rate": learning_rate,
           "setting": t(" (3 epochs of 3 batches, learning_rate {learning_rate})", learning_rate=learning_rate)}
    return run


@hidden.check(points=5)
def fit_hidden(fit):
    """A reference network trained by your fit on 3 epochs of 3 batches each (different batches every
    epoch): batches() called once per epoch, one step(learning_rate) per batch after its backward, and
    the weights of mini-batch SGD at the end."""
    run = _fit_run(fit)
    log, setting, n_epochs, learning_rate = run["log"], run["setting"], run["n_epochs"], run["learning_rate"]
    calls = [name for name, _ in log]
    n_feeds = calls.count("batches()")
    if n_feeds != n_epochs:
        hint = (t(": call batches() at the start of every epoch, for that epoch's shuffle") if n_feeds == 1
                else "")
        fail(t("fit called batches() {count} times in {n} epochs{hint}", count=n_feeds, n=n_epochs, hint=hint))
    steps = [value for name, value in log if name == "network.step"]
    if len(steps) != n_epochs * 3:
        fail(t("fit called network.step {count} times for {n} epochs of 3 batches: one step per batch",
               count=len(steps), n=n_epochs))
    if any(value != learning_rate for value in steps):
        fail(t("fit called network.step({step!r}), expected network.step(learning_rate) with "
               "learning_rate = {learning_rate}", step=steps[0], learning_rate=learning_rate))
    _check_step_order(log, setting)
    for got, want in zip(parameters_of(run["network"]), parameters_of(run["expected_network"])):
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            fail(t("after fit the weights differ from those of mini-batch SGD{setting}: for each batch, "
                   "loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()), "
                   "network.step(learning_rate)", setting=setting))


@hidden.check(points=3)
def fit_history_hidden(fit):
    """The history of the same run: a dict whose 'train_loss' holds each epoch's mean batch loss and
    whose 'val_accuracy' holds what validate() returned, called once after each epoch's steps."""
    run = _fit_run(fit)
    log, setting = run["log"], run["setting"]
    _check_validate_order(log, setting)
    history = as_fit_history(run["history"], run["n_epochs"])
    if history["val_accuracy"] != run["validation"]:
        fail(t("history['val_accuracy'] is {got}, but validate() returned {validation} "
               "after the three epochs: record what validate() returns, once per epoch",
               got=history["val_accuracy"], validation=run["validation"]))
    check_epoch_losses(history["train_loss"], log, setting)


class _Epochs:
    """The stub batches() and validate() of one run: batches() returns epoch k's batches on its
    k-th call (copies, so the student may change them); validate() returns the k-th accuracy given
    on its k-th call, and the same again when called twice in a row."""

    def __init__(self, epochs, accuracies, log):
        self.epochs, self.accuracies, self.log = epochs, accuracies, log
        self.started = self.validated = 0

    def batches(self):
        self.log.append(("batches()", self.started))
        epoch = self.epochs[min(self.started, len(self.epochs) - 1)]
        self.started += 1
        return [(X.copy(), y.copy()) for X, y in epoch]

    def validate(self):
        if not (self.log and self.log[-1][0] == "validate()"):
            self.validated += 1
        self.log.append(("validate()", self.validated))
        return self.accuracies[min(self.validated, len(self.accuracies)) - 1]


def _check_step_order(log, setting):
    """Per batch: network.backward after loss.backward, then one step."""
    pending = set()  # what the current batch has done since its last step
    for name, _ in log:
        if name == "network.step":
            if "network.backward" not in pending or "loss.backward" not in pending:
                fail(t("fit called network.step before network.backward(loss.backward()) for a batch{setting}: "
                       "the step needs the gradients of this batch", setting=setting))
            pending = set()
        elif name == "network.backward" and "loss.backward" not in pending:
            fail(t("fit called network.backward before loss.backward(){setting}: "
                   "network.backward(loss.backward()) passes the loss's gradient back", setting=setting))
        elif name not in ("batches()", "validate()"):
            pending.add(name)


def _check_validate_order(log, setting, batches_per_epoch=3):
    """validate() once (or several times in a row) after each epoch's batches: the k-th call comes
    after k epochs' worth of losses."""
    losses, seen, previous = 0, [], None
    for name, _ in log:
        if name == "loss.forward":
            losses += 1
        elif name == "validate()" and previous != "validate()":
            seen.append(losses)
        previous = name
    expected = [batches_per_epoch * (k + 1) for k in range(len(seen))]
    if seen and seen[0] == 0:
        fail(t("fit called validate() before the epoch's batches{setting}: call it after each epoch's last step",
               setting=setting))
    if seen != expected:
        fail(t("fit called validate() after {seen} batches in all, expected after {expected}{setting}: call it "
               "once at the end of every epoch", seen=seen, expected=expected, setting=setting))
    if losses != batches_per_epoch * len(seen) or previous != "validate()":
        fail(t("fit did not call validate() after the last epoch{setting}: call it once at the end of every "
               "epoch, after the epoch's steps", setting=setting))


# The convergence test's training: plain SGD with the given Linear layers. Its best epoch reaches
# at least 96.7% on 200 runs (seed 71's weights with 100 shuffles, and 100 other seeds of weights
# and shuffle), so any correct shuffle passes the 95% with room to spare.
CONVERGENCE = {"sizes": (64, 64, 10), "learning_rate": 0.5, "batch_size": 64, "n_epochs": 20,
               "min_accuracy": 0.95, "seed": 71}

# What the training needs beside the student's ReLU, iterate_minibatches and fit, defined in the
# student's process so that a step costs no round trip between processes: the bricks the notebook
# gives (a read-only cell shows students this very code), the batches() and validate() that fit
# is handed, and a way to read the weights back. The check trusts none of it: it replays the
# training on the batches it was shown and measures with its own forward pass.
_TRAINING_BESIDE = """

class WithoutParameters:
    \"\"\"The student's activation in the network: its forward and backward; step has nothing to do.\"\"\"

    def __init__(self, layer):
        self.forward, self.backward = layer.forward, layer.backward

    def step(self, learning_rate):
        pass


def network_of(activation, weights):
    \"\"\"Linear, activation, Linear, ... from [(W, b)] of each linear layer.\"\"\"
    layers = []
    for W, b in weights:
        if layers:
            layers.append(WithoutParameters(activation))
        layer = Linear(*W.shape)
        layer.W, layer.b = W.copy(), b.copy()
        layers.append(layer)
    return NeuralNetwork(layers)


def parameters(network):
    return [(layer.W, layer.b) for layer in network.modules if hasattr(layer, "W")]


def epochs(iterate_minibatches, batch_size, seed, show):
    \"\"\"batches(): each call an epoch of iterate_minibatches on the training set, with one
    generator throughout; `show` sees every epoch's batches as fit gets them.\"\"\"
    rng = np.random.default_rng(seed)

    def batches():
        epoch = iterate_minibatches(X_train, y_train, batch_size, rng)
        if hasattr(epoch, "__next__"):  # a generator: the same batches, one at a time
            epoch = list(epoch)
        show(epoch)
        return epoch
    return batches


def validation(network):
    def validate():
        return float(np.mean(np.argmax(network.forward(X_val), axis=1) == y_val))
    return validate
"""


def _training_beside(ReLU):
    """The training's pieces, defined where the student's ReLU lives."""
    data = digits()
    values = {key: data[key] for key in ("X_train", "y_train", "X_val", "y_val")}
    source = source_of(bricks.Linear, bricks.NeuralNetwork, bricks.NLLLoss) + _TRAINING_BESIDE
    return define_beside(ReLU, source, **values)


class _ShownEpochs:
    """What batches() handed fit, epoch by epoch, checked to be batches of the training set."""

    def __init__(self, X_train, y_train):
        self.X_train, self.y_train = X_train, y_train
        self.rows = {row.tobytes() for row in X_train}
        self.epochs = []

    def show(self, epoch):
        where = t("epoch {epoch} of iterate_minibatches(X_train, y_train, {batch_size}, rng)",
                  epoch=len(self.epochs) + 1, batch_size=CONVERGENCE["batch_size"])
        if epoch is None or not isinstance(epoch, (list, tuple)):
            fail(t("{where} is {value}, expected a list of (X_batch, y_batch) pairs", where=where,
                   value=describe(epoch)))
        batches = []
        for index, pair in enumerate(epoch):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                fail(t("batch {index} of {what} is {value}, expected a pair (X_batch, y_batch)", index=index,
                       what=where, value=describe(pair)))
            X_batch = np.asarray(pair[0], dtype=np.float64)
            y_batch = np.asarray(pair[1])
            if X_batch.ndim != 2 or X_batch.shape[1] != self.X_train.shape[1] or y_batch.shape != (len(X_batch),) \
                    or not np.issubdtype(y_batch.dtype, np.integer):
                fail(t("batch {index} of {what} has X_batch of shape {X_shape} and y_batch of shape {y_shape} "
                       "and dtype {dtype}; expected (B, {d}) and integer labels (B,)", index=index, what=where,
                       X_shape=X_batch.shape, y_shape=y_batch.shape, dtype=y_batch.dtype, d=self.X_train.shape[1]))
            if not all(row.tobytes() in self.rows for row in X_batch):
                fail(t("batch {index} of {what} holds rows that are not rows of X_train: a batch is made of whole "
                       "rows of the X it is given, X[indices]", index=index, what=where))
            batches.append((X_batch, y_batch))
        self.epochs.append(batches)


def _replay(start, epochs, learning_rate, X_val, y_val):
    """Mini-batch SGD from the start weights over the shown epochs, with the reference bricks:
    the weights at the end and the validation accuracy after each epoch."""
    layers = []
    for W, b in start:
        if layers:
            layers.append(reference.ReLU())
        layer = bricks.Linear.__new__(bricks.Linear)  # no draw from the global generator
        layer.W, layer.b = W.copy(), b.copy()
        layers.append(layer)
    network, loss, accuracies = bricks.NeuralNetwork(layers), bricks.NLLLoss(), []
    for batches in epochs:
        for X_batch, y_batch in batches:
            loss.forward(network.forward(X_batch), y_batch)
            network.backward(loss.backward())
            network.step(learning_rate)
        accuracies.append(float(np.mean(np.argmax(network.forward(X_val), axis=1) == y_val)))
    return [(layer.W, layer.b) for layer in layers[::2]], accuracies


def _same_weights(got, expected):
    """The student's side computes with the same numpy as the replay; its BLAS may sum in
    another order, so the weights agree to rounding, not to the bit."""
    if len(got) != len(expected):
        return False
    for (W, b), (W_ref, b_ref) in zip(got, expected):
        for value, reference_value in ((W, W_ref), (b, b_ref)):
            value = np.asarray(value, dtype=np.float64)
            if value.shape != reference_value.shape or not np.allclose(value, reference_value, rtol=1e-6,
                                                                        atol=1e-9 * np.abs(reference_value).max()):
                return False
    return True


@hidden.check(points=10)
def fit_converges(ReLU, iterate_minibatches, fit):
    """Your ReLU, iterate_minibatches and fit together learn the digits: a 64-64-10 network (the
    given Linear layers, fixed seeded weights, your ReLU), learning rate 0.5, batches of 64 from your
    iterate_minibatches, 20 epochs, must reach a validation accuracy of at least 95% after one of its
    epochs. The test replays the training on the batches fit was given and measures the accuracy
    itself: fit trains the network it is given, on those batches only."""
    budget = CONVERGENCE
    data = digits()
    init = seeded(budget["seed"])  # the same start for everyone
    start = [(init.randn(n_in, n_out) * math.sqrt(2 / n_in), np.zeros(n_out))
             for n_in, n_out in zip(budget["sizes"][:-1], budget["sizes"][1:])]
    shown = _ShownEpochs(data["X_train"], data["y_train"])
    beside = _training_beside(ReLU)
    network = call("network", beside["network_of"], call("ReLU()", ReLU), start)
    batches = beside["epochs"](iterate_minibatches, budget["batch_size"], budget["seed"], shown.show)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an unstable brick is graded by its own test
        with np.errstate(all="ignore"):
            call("fit", fit, network, beside["NLLLoss"](), batches, beside["validation"](network),
                 budget["learning_rate"], budget["n_epochs"])
            trained = call("network", beside["parameters"], network)
            weights, accuracies = _replay(start, shown.epochs, budget["learning_rate"], data["X_val"], data["y_val"])
    if _same_weights(trained, weights):
        best = max(accuracies, default=0.0)
    else:  # trained otherwise: by a wrong brick (then it rarely learns), or on other data
        best = _accuracy(trained, data["X_val"], data["y_val"])
        if best >= budget["min_accuracy"]:
            fail(t("after fit the network's weights are not those of mini-batch SGD on the batches that batches() "
                   "gave it ({epochs} epoch(s), one step of learning rate {learning_rate} per batch, in order): fit "
                   "must train the network it is given, on those batches only. Fix the failing tests above first (a "
                   "wrong ReLU trains other weights, too).", epochs=len(shown.epochs), **budget))
    if not best >= budget["min_accuracy"]:
        fail(t("training did not converge: the best validation accuracy was {best:.1%} (needed at least "
               "{min_accuracy:.0%}) with a 64-64-10 network of the given Linear layers and your ReLU, your fit, "
               "learning rate {learning_rate}, batches of {batch_size} from your iterate_minibatches, {n_epochs} "
               "epochs. Fix the failing tests above first.", best=best, **budget))


def _accuracy(weights, X, y):
    """The validation accuracy of a Linear-ReLU-...-Linear network with these weights, computed here
    (0 for weights that make no such network)."""
    try:
        for index, (W, b) in enumerate(weights):
            X = X @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64)
            if index < len(weights) - 1:
                X = np.maximum(X, 0)
        return float(np.mean(np.argmax(X, axis=1) == y)) if np.shape(X) == (len(y), 10) else 0.0
    except (TypeError, ValueError):
        return 0.0


# ---------------------------------------------------------------- momentum

def _momentum_layer(LinearMomentum, rng, momentum):
    what = "LinearMomentum(3, 2)" if momentum is None else f"LinearMomentum(3, 2, momentum={momentum})"
    layer = call(what, LinearMomentum, 3, 2) if momentum is None else call(what, LinearMomentum, 3, 2,
                                                                             momentum=momentum)
    hint = t(": call super().__init__(input_size, output_size) first, which makes W and b")
    expect_shape(f"{what}.W", attribute(layer, "W", what, hint), (3, 2))
    b = expect_shape(f"{what}.b", attribute(layer, "b", what, hint), (2,))
    if np.any(b != 0):
        fail(t("{what}.b is {b}, expected zeros, as Linear makes it", what=what, b=b))
    layer.W, layer.b = rng.randn(3, 2), rng.randn(2)
    return layer, what


def _check_momentum(LinearMomentum, parameter):
    """Three steps in a row with new gradients each time, for one parameter ("W" or "b"), with
    momentum 0.5 and with the default 0.9."""
    rng = seeded(81)
    learning_rate = 0.2
    for momentum in (0.5, None):
        mu = 0.9 if momentum is None else momentum
        layer, what = _momentum_layer(LinearMomentum, rng, momentum)
        before = np.array(getattr(layer, parameter), dtype=np.float64)  # a copy
        velocity = np.zeros_like(before)
        gradient_name = "dLdW" if parameter == "W" else "dLdb"
        for step in range(1, 4):
            X, dLdy = rng.randn(4, 3), rng.randn(4, 2)
            call(f"{what}.forward", layer.forward, X)
            call(f"{what}.backward", layer.backward, dLdy)
            gradient = expect_shape(f"{what}.{gradient_name}", attribute(layer, gradient_name, what),
                                    before.shape).copy()
            call(f"{what}.step", layer.step, learning_rate)
            velocity = mu * velocity - learning_rate * gradient
            value = expect_shape(f"{what}.{parameter}", attribute(layer, parameter, what), before.shape)
            note = t(" after step {step} of {what} with learning_rate {learning_rate}", step=step, what=what,
                     learning_rate=learning_rate)
            rule = t("v <- {mu} v - learning_rate dL/d{p}, then {p} <- {p} + v", mu=mu, p=parameter)
            if not np.allclose(value, before + velocity, rtol=1e-10, atol=1e-12):
                if np.allclose(value, before - learning_rate * gradient, rtol=1e-10, atol=1e-12):
                    fail(t("{p} moved like plain SGD{note}: keep the velocity of {p} between steps, {rule}",
                           p=parameter, note=note, rule=rule))
                if np.allclose(value, before - velocity, rtol=1e-10, atol=1e-12):
                    fail(t("{p} moved uphill{note}: {rule} (or v <- {mu} v + dL/d{p}, {p} <- {p} - learning_rate v)",
                           p=parameter, note=note, rule=rule, mu=mu))
                if np.allclose(value, before, rtol=0, atol=0):
                    fail(t("{p} did not move{note}: update it with its velocity", p=parameter, note=note))
                expect_close(parameter, value, before + velocity, t("{note}; expected {rule}", note=note, rule=rule),
                             rtol=1e-10, atol=1e-12)
            before = before + velocity


@hidden.check(points=4)
def momentum_hidden(LinearMomentum):
    """W after three steps in a row with new gradients each time, with momentum 0.5 and with the default
    0.9: v <- mu v - learning_rate dL/dW, W <- W + v, starting from v = 0."""
    _check_momentum(LinearMomentum, "W")


@hidden.check(points=3)
def momentum_bias_hidden(LinearMomentum):
    """b after the same three steps: its own velocity, v_b <- mu v_b - learning_rate dL/db, b <- b + v_b."""
    _check_momentum(LinearMomentum, "b")
