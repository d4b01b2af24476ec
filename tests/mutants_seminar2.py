"""Seminar 2's mistakes, and right answers in other styles, as answer-cell sources.

MUTANTS: (answer grade_id, mistake, edits, grade_id of the hidden check that must catch it,
    words its message must contain). Each mutant is the reference answer with the edits applied,
    (old, new) replacements that each match the reference exactly once: one change, so a failure can
    only come from it. The list covers the mistakes students make in this seminar (ELU's derivative 2
    for x > 0 or exp applied to the upstream gradient, backward passes that ignore dL/dY, Tanh returning
    its input, activations that change their input in place) and the course's own catalogue for the
    other parts.
ALTERNATIVES: (answer grade_id, style, source): a whole answer cell written another way; every hidden
    check of that answer must give it full marks.
The sources are plain answer cells (numpy and the given bricks only), so the same text is exec'd
in-process by tests/test_seminar2_checks.py and pasted into a submission graded in the sandbox.
"""
import sys
from pathlib import Path

import numpy as np

import solutions.seminar1 as bricks
import solutions.seminar2 as reference

from catalogue import Catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

MUTANTS = [
    # ReLU
    ("relu", "backward ignores dL/dY", [("return dLdy * self.positive", "return self.positive * 1.0")],
     "relu_backward_hidden", "local derivative alone"),
    ("relu", "backward returns dL/dY unchanged", [("return dLdy * self.positive", "return dLdy")],
     "relu_backward_hidden", "wrong where X < 0"),
    ("relu", "forward zeroes the caller's X in place",
     [("return np.maximum(X, 0)", "X[X < 0] = 0\n        return X")], "relu_forward_hidden", "changed its input"),
    ("relu", "backward keeps the mask of the first forward call",
     [("self.positive = X > 0", "self.positive = getattr(self, 'positive', X > 0)")], "relu_backward_hidden",
     "is wrong"),
    ("relu", "forward loops over samples",
     [("return np.maximum(X, 0)", "return np.array([np.maximum(row, 0) for row in X])")], "relu_forward_hidden",
     "loop over samples"),
    # Tanh
    ("tanh", "returns its input", [("self.Y = np.tanh(X)\n        return self.Y", "self.Y = np.tanh(X)\n        return X")],
     "tanh_forward_hidden", "returned its input unchanged"),
    ("tanh", "derivative on the input, 1 - X^2",
     [("self.Y = np.tanh(X)\n", "self.X, self.Y = X, np.tanh(X)\n"), ("(1 - self.Y ** 2)", "(1 - self.X ** 2)")],
     "tanh_backward_hidden", "the derivative there is"),
    ("tanh", "derivative 1 - tanh, the square forgotten", [("(1 - self.Y ** 2)", "(1 - self.Y)")],
     "tanh_backward_hidden", "the derivative there is"),
    ("tanh", "backward ignores dL/dY", [("return dLdy * (1 - self.Y ** 2)", "return 1 - self.Y ** 2")],
     "tanh_backward_hidden", "local derivative alone"),
    ("tanh", "np.tanh(X, out=X) overwrites the caller's X",
     [("self.Y = np.tanh(X)\n", "self.Y = np.tanh(X, out=X)\n")], "tanh_forward_hidden", "changed its input"),
    ("tanh", "overflow in the ratio of exponentials",
     [("self.Y = np.tanh(X)\n", "self.Y = (np.exp(X) - np.exp(-X)) / (np.exp(X) + np.exp(-X))\n")],
     "tanh_stability_hidden", "not finite"),
    # ELU
    ("elu", "derivative 2 for x > 0", [("np.where(self.positive, 1.0,", "np.where(self.positive, 2.0,")],
     "elu_backward_hidden", "wrong where X > 0"),
    ("elu", "derivative Y + alpha also for x > 0",
     [("return np.where(self.positive, X,", "self.Y = np.where(self.positive, X,"),
      ("self.alpha * (self.exp_of_negative - 1))\n", "self.alpha * (self.exp_of_negative - 1))\n        return self.Y\n"),
      ("return dLdy * np.where(self.positive, 1.0, self.alpha * self.exp_of_negative)",
       "return dLdy * (self.Y + self.alpha)")],
     "elu_backward_hidden", "wrong where X > 0"),
    ("elu", "exp applied to the upstream gradient",
     [("return dLdy * np.where(self.positive, 1.0, self.alpha * self.exp_of_negative)",
       "return np.where(self.positive, dLdy, self.alpha * np.exp(dLdy))")], "elu_backward_hidden", "wrong where X < 0"),
    ("elu", "backward ignores dL/dY",
     [("return dLdy * np.where(self.positive, 1.0, self.alpha * self.exp_of_negative)",
       "return np.where(self.positive, 1.0, self.alpha * self.exp_of_negative)")], "elu_backward_hidden",
     "local derivative alone"),
    ("elu", "alpha ignored",
     [("self.alpha * (self.exp_of_negative - 1)", "(self.exp_of_negative - 1)"),
      ("self.alpha * self.exp_of_negative)", "self.exp_of_negative)")], "elu_forward_hidden", "as if alpha were 1"),
    ("elu", "forward overwrites the caller's X",
     [("return np.where(self.positive, X, self.alpha * (self.exp_of_negative - 1))",
       "X[~self.positive] = self.alpha * (self.exp_of_negative[~self.positive] - 1)\n        return X")],
     "elu_forward_hidden", "changed its input"),
    ("elu", "masks instead of np.where: inf * 0 = nan at 1000",
     [("return np.where(self.positive, X, self.alpha * (self.exp_of_negative - 1))",
       "return X * self.positive + self.alpha * (np.exp(X) - 1) * ~self.positive")],
     "elu_stability_hidden", "not finite"),
    # make_mlp
    ("make_mlp", "the variance 2 / n_in used as the standard deviation",
     [("* np.sqrt(2 / n_in)", "* (2 / n_in)")], "make_mlp_init_hidden", "the variance used as the standard deviation"),
    ("make_mlp", "n_out instead of n_in", [("* np.sqrt(2 / n_in)", "* np.sqrt(2 / n_out)")], "make_mlp_init_hidden",
     r"sqrt\(2 / n_out\)"),
    ("make_mlp", "seminar 1's standard deviation 0.1", [("* np.sqrt(2 / n_in)", "* 0.1")], "make_mlp_init_hidden",
     "0.1, seminar 1's"),
    ("make_mlp", "LeCun's 1 / n_in instead of He's", [("* np.sqrt(2 / n_in)", "* np.sqrt(1 / n_in)")],
     "make_mlp_init_hidden", "LeCun's"),
    ("make_mlp", "Glorot and Bengio's (Xavier) 2 / (n_in + n_out) instead of He's",
     [("* np.sqrt(2 / n_in)", "* np.sqrt(2 / (n_in + n_out))")], "make_mlp_init_hidden", r"Glorot and Bengio's \(Xavier\)"),
    ("make_mlp", "weights from np.random instead of rng",
     [("rng.standard_normal((n_in, n_out))", "np.random.randn(n_in, n_out)")], "make_mlp_init_hidden", "not from np.random"),
    ("make_mlp", "an activation after the last layer",
     [("        if layers:  # an activation between two linear layers, none after the last\n"
       "            layers.append(activation())\n", ""),
      ("layers.append(layer)", "layers += [layer, activation()]")], "make_mlp_hidden", "after the last layer"),
    ("make_mlp", "one activation object shared by every hidden layer",
     [("layers = []", "layers, shared = [], activation()"), ("layers.append(activation())", "layers.append(shared)")],
     "make_mlp_hidden", "one activation object"),
    ("make_mlp", "random biases", [("layer.b = np.zeros(n_out)", "layer.b = 0.1 * rng.standard_normal(n_out)")],
     "make_mlp_init_hidden", "is not zero"),
    ("make_mlp", "returns the list of layers", [("return NeuralNetwork(layers)", "return layers")],
     "make_mlp_hidden", r"wrap them in NeuralNetwork\(layers\)"),
    ("make_mlp", "the class passed as linear ignored", [("layer = linear(n_in, n_out)", "layer = Linear(n_in, n_out)")],
     "make_mlp_hidden", "not with the class it was given"),
    ("make_mlp", "LeCun's 1 / n_in, drawn from np.random",
     [("rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)", "np.random.randn(n_in, n_out) * np.sqrt(1 / n_in)")],
     "make_mlp_init_hidden", "LeCun's. Also: .*not from np.random"),
    # iterate_minibatches
    ("iterate_minibatches", "drops the short last batch",
     [("for start in range(0, len(X), batch_size)]", "for start in range(0, len(X) - batch_size + 1, batch_size)]")],
     "iterate_minibatches_hidden", "short batch of 3 samples is missing"),
    ("iterate_minibatches", "no shuffle", [("order = rng.permutation(len(X))", "order = np.arange(len(X))")],
     "iterate_minibatches_shuffle_hidden", "follow the order of X"),
    ("iterate_minibatches", "X and y shuffled with two different orders",
     [("order = rng.permutation(len(X))", "order, other = rng.permutation(len(X)), rng.permutation(len(X))"),
      ("y[order[start:start + batch_size]]", "y[other[start:start + batch_size]]")],
     "iterate_minibatches_hidden", "does not hold the labels"),
    ("iterate_minibatches", "shuffles the caller's X and y in place",
     [("order = rng.permutation(len(X))", "order = rng.permutation(len(X))\n    X[:], y[:] = X[order], y[order]\n"
       "    order = np.arange(len(X))")], "iterate_minibatches_hidden", "changed its input"),
    ("iterate_minibatches", "np.random instead of rng",
     [("order = rng.permutation(len(X))", "order = np.random.permutation(len(X))")],
     "iterate_minibatches_shuffle_hidden", "not with np.random"),
    ("iterate_minibatches", "a new generator inside, the same order every time",
     [("order = rng.permutation(len(X))", "order = np.random.default_rng(0).permutation(len(X))")],
     "iterate_minibatches_shuffle_hidden", "draw the order from rng"),
    ("iterate_minibatches", "shuffles with a copy of rng: the same order every epoch",
     [("order = rng.permutation(len(X))", "order = __import__('copy').deepcopy(rng).permutation(len(X))")],
     "iterate_minibatches_shuffle_hidden", "draw a new order from rng on every call"),
    ("iterate_minibatches", "an empty batch at the end when batch_size divides N",
     [("for start in range(0, len(X), batch_size)]",
       "for start in range(0, (len(X) // batch_size + 1) * batch_size, batch_size)]")],
     "iterate_minibatches_hidden", "last batch is empty"),
    ("iterate_minibatches", "the last batch filled up from the start",
     [("order = rng.permutation(len(X))", "order = rng.permutation(len(X))\n"
       "    order = np.concatenate([order, order[:-len(X) % batch_size]])")],
     "iterate_minibatches_hidden", "the batches have sizes"),
    # predict
    ("predict", "argmax over the batch (axis 0)", [("axis=1)", "axis=0)")], "predict_hidden", "has shape"),
    ("predict", "the largest score instead of its class", [("np.argmax(network.forward(X), axis=1)",
                                                             "np.max(network.forward(X), axis=1)")],
     "predict_hidden", "is wrong"),
    ("predict", "a column (N, 1) instead of (N,)", [("np.argmax(network.forward(X), axis=1)",
                                                    "np.argmax(network.forward(X), axis=1).reshape(-1, 1)")],
     "predict_hidden", r"expected \(5,\)"),
    ("predict", "one forward call per sample", [("np.argmax(network.forward(X), axis=1)",
                                                  "np.array([np.argmax(network.forward(X[i:i + 1])) for i in range(len(X))])")],
     "predict_hidden", "pass the whole X at once"),
    # accuracy
    ("accuracy", "the number of right predictions", [("float(np.mean(y_true == y_pred))", "float(np.sum(y_true == y_pred))")],
     "accuracy_hidden", "divide by their count"),
    ("accuracy", "a percentage", [("float(np.mean(y_true == y_pred))", "100 * float(np.mean(y_true == y_pred))")],
     "accuracy_hidden", "a percentage"),
    ("accuracy", "the error rate", [("float(np.mean(y_true == y_pred))", "float(np.mean(y_true != y_pred))")],
     "accuracy_hidden", "the error rate"),
    ("accuracy", "integer division", [("float(np.mean(y_true == y_pred))",
                                       "float(np.sum(y_true == y_pred) // len(y_true))")],
     "accuracy_hidden", "expected 0.7"),
    # fit
    ("fit", "batches() called once, its batches reused every epoch",
     [("history = {\"train_loss\": [], \"val_accuracy\": []}\n",
       "history = {\"train_loss\": [], \"val_accuracy\": []}\n    epoch_batches = batches()\n"),
      ("in batches():", "in epoch_batches:")], "fit_hidden", "call batches\\(\\) at the start of every epoch"),
    ("fit", "the last batch's loss instead of the mean",
     [("float(np.mean(batch_losses))", "batch_losses[-1]")], "fit_history_hidden", "the last batch's loss"),
    ("fit", "the sum of the batch losses", [("float(np.mean(batch_losses))", "float(np.sum(batch_losses))")],
     "fit_history_hidden", "the sum of the batch losses"),
    ("fit", "validate() before the epoch's steps",
     [("        for X_batch, y_batch in batches():",
       "        history[\"val_accuracy\"].append(float(validate()))\n        for X_batch, y_batch in batches():"),
      ("        history[\"val_accuracy\"].append(float(validate()))\n    return", "    return")],
     "fit_history_hidden", "validate\\(\\) before the epoch's batches"),
    ("fit", "step before backward",
     [("network.backward(loss.backward())\n            network.step(learning_rate)",
       "network.step(learning_rate)\n            network.backward(loss.backward())")],
     "fit_hidden", "before network.backward"),
    ("fit", "a fixed learning rate", [("            network.step(learning_rate)", "            network.step(0.1)")], "fit_hidden",
     "expected network.step\\(learning_rate\\)"),
    ("fit", "no step", [("            network.step(learning_rate)\n", "")], "fit_hidden", "one step per batch"),
    ("fit", "a tuple of lists instead of the dict",
     [("    return history", "    return history[\"train_loss\"], history[\"val_accuracy\"]")], "fit_history_hidden",
     "return a dict"),
    # LinearMomentum
    ("momentum", "the velocity of W forgotten between steps",
     [("self.velocity_W = self.momentum * self.velocity_W - learning_rate * self.dLdW",
       "self.velocity_W = -learning_rate * self.dLdW")], "momentum_hidden", "W moved like plain SGD"),
    ("momentum", "b without momentum",
     [("self.velocity_b = self.momentum * self.velocity_b - learning_rate * self.dLdb",
       "self.velocity_b = -learning_rate * self.dLdb")], "momentum_bias_hidden", "b moved like plain SGD"),
    ("momentum", "v <- mu v + lr dL/dW, W <- W + v: uphill",
     [("self.momentum * self.velocity_W - learning_rate", "self.momentum * self.velocity_W + learning_rate"),
      ("self.momentum * self.velocity_b - learning_rate", "self.momentum * self.velocity_b + learning_rate")],
     "momentum_hidden", "moved uphill"),
    ("momentum", "the momentum argument ignored", [("self.momentum = momentum", "self.momentum = 0.9")],
     "momentum_hidden", "momentum=0.5"),
    ("momentum", "super().__init__ not called",
     [("        super().__init__(input_size, output_size)\n", "")], "momentum_hidden", "raised AttributeError"),
    ("momentum", "W stepped with the gradient, not the velocity",
     [("self.W += self.velocity_W", "self.W -= learning_rate * self.dLdW")], "momentum_hidden",
     "W moved like plain SGD"),
]

# The cells of its own part a mistake may cost besides the hidden check meant for it and that check's
# visible twin (tests/test_seminar2_checks.py, TWINS): when one edit is wrong in two ways, or when
# a visible test's expected values follow from the training the mistake changes.
ALSO_LOSES = {
    "elu: alpha ignored": {"elu_backward_hidden", "elu_backward"},
    "make_mlp: returns the list of layers": {"make_mlp_init"},
    "fit: step before backward": {"fit_history"},
    "fit: a fixed learning rate": {"fit_history"},
    "fit: no step": {"fit_history"},
    "momentum: v <- mu v + lr dL/dW, W <- W + v: uphill": {"momentum_bias_hidden", "momentum_bias"},
    "momentum: the momentum argument ignored": {"momentum_bias_hidden"},
    "momentum: super().__init__ not called": {"momentum_bias_hidden", "momentum_bias"},
}

ALTERNATIVES = [
    ("relu", "np.where, a float mask, backward on a copy", '''
class ReLU:
    def __init__(self):
        self.mask = None

    def forward(self, X):
        self.mask = np.where(X > 0, 1.0, 0.0)
        return np.where(X > 0, X, 0.0)

    def backward(self, dLdy):
        gradient = np.array(dLdy, dtype=float)
        gradient[self.mask == 0] = 0.0
        return gradient

    def step(self, learning_rate):
        pass
'''),
    ("relu", "X * (X > 0), the input kept", '''
class ReLU:
    def forward(self, X):
        self.X = X.copy()
        return X * (X > 0)

    def backward(self, dLdy):
        return dLdy * (self.X > 0).astype(dLdy.dtype)

    def step(self, learning_rate):
        return None
'''),
    ("tanh", "a stable formula with exp(-2|x|), derivative from the input", '''
class Tanh:
    def forward(self, X):
        self.X = np.array(X, dtype=float)
        e = np.exp(-2 * np.abs(self.X))
        return np.sign(self.X) * (1 - e) / (1 + e)

    def backward(self, dLdy):
        return dLdy / np.cosh(np.clip(self.X, -300, 300)) ** 2

    def step(self, learning_rate):
        pass
'''),
    ("tanh", "1 - 2 / (exp(2x) + 1): numpy warns of an overflow at 1000, the values are right", '''
class Tanh:
    def forward(self, X):
        self.Y = 1 - 2 / (np.exp(2 * X) + 1)
        return self.Y

    def backward(self, dLdy):
        return dLdy * (1 - self.Y ** 2)

    def step(self, learning_rate):
        pass
'''),
    ("elu", "np.where with exp(X): numpy warns of an overflow at 1000, the values are right", '''
class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, X):
        self.X = X.copy()
        return np.where(X > 0, X, self.alpha * (np.exp(X) - 1))

    def backward(self, dLdy):
        return dLdy * np.where(self.X > 0, 1.0, self.alpha * np.exp(self.X))

    def step(self, learning_rate):
        pass
'''),
    ("elu", "masks on a copy, derivative as Y + alpha", '''
class ELU:
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def forward(self, X):
        Y = np.array(X, dtype=float)
        negative = Y <= 0
        Y[negative] = self.alpha * np.expm1(Y[negative])
        self.Y, self.negative = Y, negative
        return Y

    def backward(self, dLdy):
        derivative = np.ones_like(self.Y)
        derivative[self.negative] = self.Y[self.negative] + self.alpha
        return dLdy * derivative

    def step(self, learning_rate):
        pass
'''),
    ("make_mlp", "rng.normal, the linear layers first, then interleaved", '''
def make_mlp(sizes, activation, rng, linear=Linear):
    linears = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        layer = linear(n_in, n_out)
        layer.W = rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))
        layer.b = np.zeros(n_out)
        linears.append(layer)
    layers = [linears[0]]
    for layer in linears[1:]:
        layers.extend([activation(), layer])
    return NeuralNetwork(tuple(layers))
'''),
    ("make_mlp", "biases of shape (1, n_out)", '''
def make_mlp(sizes, activation, rng, linear=Linear):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if layers:
            layers.append(activation())
        layer = linear(n_in, n_out)
        layer.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        layer.b = np.zeros((1, n_out))
        layers.append(layer)
    return NeuralNetwork(layers)
'''),
    ("iterate_minibatches", "np.random.default_rng(rng) first, as numpy's documentation does", '''
def iterate_minibatches(X, y, batch_size, rng=None):
    rng = np.random.default_rng(rng)
    order = rng.permutation(len(X))
    return [(X[order[k:k + batch_size]], y[order[k:k + batch_size]]) for k in range(0, len(X), batch_size)]
'''),
    ("iterate_minibatches", "rng.shuffle of an index array, a tuple of pairs", '''
def iterate_minibatches(X, y, batch_size, rng):
    indices = np.arange(len(X))
    rng.shuffle(indices)
    X_shuffled, y_shuffled = X[indices], y[indices]
    n_batches = int(np.ceil(len(X) / batch_size))
    return tuple((X_shuffled[k * batch_size:(k + 1) * batch_size], y_shuffled[k * batch_size:(k + 1) * batch_size])
                 for k in range(n_batches))
'''),
    ("iterate_minibatches", "a generator that yields the pairs", '''
def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]
'''),
    ("iterate_minibatches", "rng.choice without replacement, a loop that appends", '''
def iterate_minibatches(X, y, batch_size, rng):
    order = rng.choice(len(X), size=len(X), replace=False)
    batches = []
    start = 0
    while start < len(X):
        chosen = order[start:start + batch_size]
        batches.append((X[chosen], y[chosen]))
        start += batch_size
    return batches
'''),
    ("predict", "softmax first, then argmax", '''
def predict(network, X):
    scores = network.forward(X)
    probabilities = np.exp(scores - scores.max(axis=1, keepdims=True))
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    return probabilities.argmax(axis=1)
'''),
    ("accuracy", "a count divided by the length, a numpy float", '''
def accuracy(y_true, y_pred):
    return np.sum(np.asarray(y_true) == np.asarray(y_pred)) / len(y_true)
'''),
    ("accuracy", "a Python loop over the pairs", '''
def accuracy(y_true, y_pred):
    right = 0
    for true, predicted in zip(y_true, y_pred):
        right += int(true == predicted)
    return right / len(y_true)
'''),
    ("fit", "a mean weighted by batch size, numpy arrays, validate twice, an extra key", '''
def fit(network, loss, batches, validate, learning_rate, n_epochs):
    history = {"train_loss": np.zeros(n_epochs), "val_accuracy": [], "n_batches": []}
    for epoch in range(n_epochs):
        total, count, n_batches = 0.0, 0, 0
        for X_batch, y_batch in batches():
            scores = network.forward(X_batch)
            value = loss.forward(scores, y_batch)
            gradient = loss.backward()
            network.backward(gradient)
            network.step(learning_rate)
            total += value * len(X_batch)
            count += len(X_batch)
            n_batches += 1
        history["train_loss"][epoch] = total / count
        print(f"epoch {epoch + 1}: validation accuracy {validate():.3f}")
        history["val_accuracy"].append(validate())
        history["n_batches"].append(n_batches)
    return history
'''),
    ("momentum", "PyTorch's form v <- mu v + g, W <- W - lr v, in-place updates", '''
class LinearMomentum(Linear):
    def __init__(self, input_size, output_size, momentum=0.9):
        Linear.__init__(self, input_size, output_size)
        self.mu = momentum
        self.velocities = {"W": np.zeros(self.W.shape), "b": np.zeros(self.b.shape)}

    def step(self, learning_rate):
        for name, gradient in (("W", self.dLdW), ("b", self.dLdb)):
            velocity = self.velocities[name]
            velocity *= self.mu
            velocity += gradient
            setattr(self, name, getattr(self, name) - learning_rate * velocity)
'''),
]


CATALOGUE = Catalogue(reference)
reference_source, edited, answer_name = CATALOGUE.reference_source, CATALOGUE.edited, CATALOGUE.answer_name
mutant_source, keywords = CATALOGUE.mutant_source, CATALOGUE.keywords


def build(answer, source):
    """The object a cell's source defines, exec'd beside numpy and seminar 1's given bricks."""
    namespace = {"np": np, "Linear": bricks.Linear, "Sigmoid": bricks.Sigmoid, "NLLLoss": bricks.NLLLoss,
                 "NeuralNetwork": bricks.NeuralNetwork}
    exec(compile(source, f"<{answer} answer>", "exec"), namespace)
    return namespace[answer_name(answer)]
