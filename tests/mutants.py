"""Wrong answers from ../mistakes (the mistakes students make) and right answers in other styles.

MUTANTS: (answer, mistake, wrong object, grade_id of the hidden check that must catch it).
ALTERNATIVES: (answer, style, right object): every hidden check of that answer must pass.
Each mutant changes one thing in the reference solution, so a failure can only come
from that change.
"""
import numpy as np

import solutions.seminar1 as ref
from solutions.seminar1.gradcheck import EPS

# ------------------------------------------------------------------ check_gradient


def _central(func, X, gradient, restore=True, eps_divisor=2, reduce=lambda d: np.max(np.abs(d))):
    numerical = np.zeros(X.shape)
    for index in np.ndindex(X.shape):
        original = X[index]
        X[index] = original + EPS
        f_plus = func(X)
        X[index] = original - EPS
        f_minus = func(X)
        if restore:
            X[index] = original
        numerical[index] = (f_plus - f_minus) / (eps_divisor * EPS)
    return float(reduce(numerical - gradient))


def gradcheck_one_sided(func, X, gradient):
    numerical = np.zeros(X.shape)
    f0 = func(X)
    for index in np.ndindex(X.shape):
        X[index] += EPS
        numerical[index] = (func(X) - f0) / EPS
        X[index] -= EPS
    return float(np.max(np.abs(numerical - gradient)))


def gradcheck_not_restored(func, X, gradient):
    return _central(func, X, gradient, restore=False)


def gradcheck_signed_max(func, X, gradient):
    return _central(func, X, gradient, reduce=np.max)


def gradcheck_mean(func, X, gradient):
    return _central(func, X, gradient, reduce=lambda d: np.mean(np.abs(d)))


def gradcheck_sum(func, X, gradient):
    return _central(func, X, gradient, reduce=lambda d: np.sum(np.abs(d)))


def gradcheck_divides_by_eps(func, X, gradient):
    return _central(func, X, gradient, eps_divisor=1)


def gradcheck_all_at_once(func, X, gradient):
    numerical = (func(X + EPS) - func(X - EPS)) / (2 * EPS) * np.ones(X.shape)
    return float(np.max(np.abs(numerical - gradient)))


def gradcheck_integer_truncated(func, X, gradient):
    X = X.copy()  # keeps the integer dtype: X + EPS rounds back to X
    return _central(func, X, gradient)


def gradcheck_returns_nothing(func, X, gradient):
    _central(func, X, gradient)


def gradcheck_casts_to_float(func, X, gradient):
    return _central(func, np.array(X, dtype=np.float64), gradient)


def gradcheck_nditer(func, X, gradient):
    if not np.issubdtype(X.dtype, np.floating):
        raise TypeError("float input only")
    worst = 0.0
    with np.nditer(X, flags=["multi_index"], op_flags=["readwrite"]) as it:
        for x in it:
            saved = float(x)
            x[...] = saved + EPS
            f_plus = func(X)
            x[...] = saved - EPS
            f_minus = func(X)
            x[...] = saved
            worst = max(worst, abs((f_plus - f_minus) / (2 * EPS) - gradient[it.multi_index]))
    return worst


def gradcheck_nditer_any_dtype(func, X, gradient):
    """np.nditer without a dtype check: an integer X would round X + EPS back to X."""
    worst = 0.0
    with np.nditer(X, flags=["multi_index"], op_flags=["readwrite"]) as it:
        for x in it:
            saved = x.copy()
            x[...] = saved + EPS
            f_plus = func(X)
            x[...] = saved - EPS
            f_minus = func(X)
            x[...] = saved
            worst = max(worst, abs((f_plus - f_minus) / (2 * EPS) - gradient[it.multi_index]))
    return float(worst)


def gradcheck_seed_style(func, X, gradient):
    """The seed's way: add and subtract EPS back (restores X up to one rounding), 2-D only."""
    X = X.astype(np.float64) if not np.issubdtype(X.dtype, np.floating) else X
    numerical = np.zeros(X.shape)
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            X[i, j] += EPS
            f_plus = func(X)
            X[i, j] -= 2 * EPS
            f_minus = func(X)
            X[i, j] += EPS
            numerical[i, j] = (f_plus - f_minus) / (2 * EPS)
    return np.max(np.abs(gradient - numerical))


# ------------------------------------------------------------------ Linear

class LinearNoTranspose(ref.Linear):
    def backward(self, dLdy):
        super().backward(dLdy)
        return dLdy @ self.W  # crashes for non-square W, silently wrong for square W


class LinearNoTransposeWhenSquare(ref.Linear):
    """The mistake where it does not crash: a square W, the second layer of the hidden test."""

    def backward(self, dLdy):
        dX = super().backward(dLdy)
        return dLdy @ self.W if self.W.shape[0] == self.W.shape[1] else dX


class LinearDWTransposed(ref.Linear):
    def backward(self, dLdy):
        dX = super().backward(dLdy)
        self.dLdW = dLdy.T @ self.X
        return dX


class LinearDbNotSummed(ref.Linear):
    def backward(self, dLdy):
        dX = super().backward(dLdy)
        self.dLdb = dLdy
        return dX


class LinearNoBiasGradient(ref.Linear):
    def backward(self, dLdy):
        self.dLdW = self.X.T @ dLdy
        return dLdy @ self.W.T

    def step(self, learning_rate):
        self.W -= learning_rate * self.dLdW


class LinearBiasNotStepped(ref.Linear):
    def step(self, learning_rate):
        self.W -= learning_rate * self.dLdW


class LinearAveragesTwice(ref.Linear):
    def backward(self, dLdy):
        dX = super().backward(dLdy)
        self.dLdW = self.dLdW / len(dLdy)
        self.dLdb = dLdy.mean(axis=0)
        return dX


class LinearForwardNoBias(ref.Linear):
    def forward(self, X):
        self.X = X
        return X @ self.W


class LinearForwardTransposedW(ref.Linear):
    def forward(self, X):
        self.X = X
        return X @ self.W.T + self.b


class LinearStepAdds(ref.Linear):
    def step(self, learning_rate):
        self.W += learning_rate * self.dLdW
        self.b += learning_rate * self.dLdb


class LinearStepIgnoresRate(ref.Linear):
    def step(self, learning_rate):
        self.W -= self.dLdW
        self.b -= self.dLdb


class LinearZeroInit(ref.Linear):
    def __init__(self, input_size, output_size):
        self.W = np.zeros((input_size, output_size))
        self.b = np.zeros(output_size)


class LinearInitScale001(ref.Linear):
    def __init__(self, input_size, output_size):
        self.W = np.random.randn(input_size, output_size) * 0.01
        self.b = np.zeros(output_size)


class LinearInitVariance01(ref.Linear):
    """N(0, 0.1) read as variance 0.1: std 0.316."""

    def __init__(self, input_size, output_size):
        self.W = np.random.normal(0, np.sqrt(0.1), size=(input_size, output_size))
        self.b = np.zeros(output_size)


class LinearInitUniform(ref.Linear):
    """Uniform with the right std, 0.1: only the shape of the law is wrong."""

    def __init__(self, input_size, output_size):
        half_width = 0.1 * np.sqrt(3)
        self.W = np.random.uniform(-half_width, half_width, size=(input_size, output_size))
        self.b = np.zeros(output_size)


class LinearInitRandomBias(ref.Linear):
    def __init__(self, input_size, output_size):
        super().__init__(input_size, output_size)
        self.b = np.random.randn(output_size) * 0.1


class LinearStaleCache(ref.Linear):
    def forward(self, X):
        if not hasattr(self, "X"):
            self.X = X  # keeps the first input forever
        return X @ self.W + self.b


class LinearMutatesInput(ref.Linear):
    def forward(self, X):
        X -= X.mean(axis=0)  # centres the caller's array in place
        return super().forward(X)


class LinearLoopsOverSamples(ref.Linear):
    def forward(self, X):
        self.X = X
        return np.array([x @ self.W + self.b for x in X])


class LinearLoopsInBackward(ref.Linear):
    def backward(self, dLdy):
        self.dLdW = sum(np.outer(self.X[i], dLdy[i]) for i in range(len(dLdy)))
        self.dLdb = dLdy.sum(axis=0)
        return dLdy @ self.W.T


class LinearNpDotCopies(ref.Linear):
    """np.dot instead of @, a copy of X as the cache, copies instead of in-place updates."""

    def __init__(self, input_size, output_size):
        self.W = np.random.normal(0.0, 0.1, size=(input_size, output_size))
        self.b = np.zeros((output_size,))

    def forward(self, X):
        self._input = np.array(X, copy=True)
        return np.dot(self._input, self.W) + self.b

    def backward(self, dLdy):
        self.dLdW = np.dot(self._input.T, dLdy)
        self.dLdb = np.sum(dLdy, axis=0)
        return np.dot(dLdy, self.W.T)

    def step(self, learning_rate):
        self.W = self.W - learning_rate * self.dLdW
        self.b = self.b - learning_rate * self.dLdb


class LinearEinsum(ref.Linear):
    def forward(self, X):
        self.inputs = X
        return np.einsum("ni,io->no", X, self.W) + self.b

    def backward(self, dLdy):
        self.dLdW = np.einsum("ni,no->io", self.inputs, dLdy)
        self.dLdb = dLdy.sum(0)
        return np.einsum("no,io->ni", dLdy, self.W)


# ------------------------------------------------------------------ Sigmoid

def _naive_sigmoid(X):
    return 1.0 / (1.0 + np.exp(-X))


class SigmoidDerivativeOnInput(ref.Sigmoid):
    def forward(self, X):
        self.X = X
        return super().forward(X)

    def backward(self, dLdy):
        return dLdy * self.X * (1 - self.X)


class SigmoidAppliedTwice(ref.Sigmoid):
    def backward(self, dLdy):
        s = ref.Sigmoid().forward(self.Y)
        return dLdy * s * (1 - s)


class SigmoidIgnoresUpstream(ref.Sigmoid):
    def backward(self, dLdy):
        return self.Y * (1 - self.Y)


class SigmoidNaive(ref.Sigmoid):
    def forward(self, X):
        self.Y = _naive_sigmoid(X)
        return self.Y


class SigmoidNanGradient(ref.Sigmoid):
    def forward(self, X):
        self.X = X
        return super().forward(X)

    def backward(self, dLdy):
        e = np.exp(self.X)
        return dLdy * e / (1 + e) ** 2  # inf / inf = nan at x = 1000


class SigmoidReturnsInput(ref.Sigmoid):
    def forward(self, X):
        self.Y = X
        return X


class SigmoidTanh(ref.Sigmoid):
    def forward(self, X):
        self.out = 0.5 * (1.0 + np.tanh(0.5 * X))
        return self.out

    def backward(self, dLdy):
        return dLdy * self.out * (1.0 - self.out)


class SigmoidPiecewise(ref.Sigmoid):
    def forward(self, X):
        out = np.empty_like(X, dtype=np.float64)
        positive = X >= 0
        out[positive] = 1 / (1 + np.exp(-X[positive]))
        e = np.exp(X[~positive])
        out[~positive] = e / (1 + e)
        self.s = out
        return out

    def backward(self, dLdy):
        return dLdy * self.s * (1 - self.s)


class SigmoidClipped(ref.Sigmoid):
    def forward(self, X):
        self.Y = 1 / (1 + np.exp(-np.clip(X, -500, 500)))
        return self.Y


# ------------------------------------------------------------------ NLLLoss

def _one_hot(y, n_classes):
    return np.eye(n_classes)[y]


class NLLNoMaxShift(ref.NLLLoss):
    def forward(self, X, y):
        exp = np.exp(X)
        self.probs = exp / exp.sum(axis=1, keepdims=True)
        self.y = y
        return float(-np.log(self.probs[np.arange(len(y)), y]).mean())


class NLLLogOfSoftmax(ref.NLLLoss):
    """Shifts by the max, but takes log(softmax): a tiny probability underflows to 0."""

    def forward(self, X, y):
        exp = np.exp(X - X.max(axis=1, keepdims=True))
        self.probs = exp / exp.sum(axis=1, keepdims=True)
        self.y = y
        return float(-np.log(self.probs[np.arange(len(y)), y]).mean())


class NLLSum(ref.NLLLoss):
    def forward(self, X, y):
        return super().forward(X, y) * len(y)


class NLLForwardWrongSign(ref.NLLLoss):
    def forward(self, X, y):
        return -super().forward(X, y)


class NLLPerSample(ref.NLLLoss):
    def forward(self, X, y):
        shifted = X - X.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return -log_probs[np.arange(len(y)), y]


class NLLBackwardNoMean(ref.NLLLoss):
    def backward(self):
        return super().backward() * len(self.y)


class NLLBackwardDividesTwice(ref.NLLLoss):
    def backward(self):
        return super().backward() / len(self.y)


class NLLWrongIndexing(ref.NLLLoss):
    def forward(self, X, y):
        shifted = X - X.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[:, y].mean())


class NLLSoftmaxOverBatch(ref.NLLLoss):
    def forward(self, X, y):
        shifted = X - X.max(axis=0, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[np.arange(len(y)), y].mean())


class NLLSignFlipped(ref.NLLLoss):
    def backward(self):
        return -super().backward()


class NLLOneHotFromPredictions(ref.NLLLoss):
    def backward(self):
        n, c = self.probs.shape
        return (self.probs - _one_hot(self.probs.argmax(axis=1), c)) / n


class NLLMutatesInput(ref.NLLLoss):
    def forward(self, X, y):
        X -= X.max(axis=1, keepdims=True)
        return super().forward(X, y)


class NLLBackwardEditsCache(ref.NLLLoss):
    def backward(self):
        self.probs[np.arange(len(self.y)), self.y] -= 1  # the second call subtracts again
        return self.probs / len(self.y)


class NLLLogSumExp(ref.NLLLoss):
    """log-softmax via logsumexp (np.logaddexp.reduce) and a one-hot matrix."""

    def forward(self, X, y):
        log_softmax = X - np.logaddexp.reduce(X, axis=1, keepdims=True)
        self.cache = (np.exp(log_softmax), _one_hot(y, X.shape[1]))
        return -np.sum(log_softmax * self.cache[1]) / X.shape[0]

    def backward(self):
        probs, one_hot = self.cache
        return (probs - one_hot) / probs.shape[0]


# ------------------------------------------------------------------ NeuralNetwork

class NetworkBackwardFirstToLast(ref.NeuralNetwork):
    def backward(self, dLdy):
        for module in self.modules:
            dLdy = module.backward(dLdy)
        return dLdy


class NetworkNotChaining(ref.NeuralNetwork):
    def backward(self, dLdy):
        for module in reversed(self.modules):
            result = module.backward(dLdy)
        return result


class NetworkBackwardReturnsNothing(ref.NeuralNetwork):
    def backward(self, dLdy):
        super().backward(dLdy)


class NetworkStepsLastOnly(ref.NeuralNetwork):
    def step(self, learning_rate):
        self.modules[-1].step(learning_rate)


class NetworkStepsOnlyLayersWithW(ref.NeuralNetwork):
    def step(self, learning_rate):
        for module in self.modules:
            if hasattr(module, "W"):
                module.step(learning_rate)


class NetworkStepsTwice(ref.NeuralNetwork):
    def step(self, learning_rate):
        super().step(learning_rate)
        super().step(learning_rate)


class NetworkForwardNotChaining(ref.NeuralNetwork):
    def forward(self, X):
        for module in self.modules:
            Y = module.forward(X)
        return Y


class NetworkSkipsLastLayer(ref.NeuralNetwork):
    def forward(self, X):
        for module in self.modules[:-1]:
            X = module.forward(X)
        return X


class NetworkKeepsTuple(ref.NeuralNetwork):
    """Keeps whatever sequence it was given; indexes it backwards."""

    def __init__(self, modules):
        self.layers = modules

    def forward(self, X):
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def backward(self, dLdy):
        for layer in self.layers[::-1]:
            dLdy = layer.backward(dLdy)
        return dLdy

    def step(self, learning_rate):
        for layer in self.layers:
            layer.step(learning_rate)


# ------------------------------------------------------------------ train

def train_loss_after_update(network, loss, X, y, learning_rate, n_epochs):
    losses = []
    for _ in range(n_epochs):
        loss.forward(network.forward(X), y)
        network.backward(loss.backward())
        network.step(learning_rate)
        losses.append(loss.forward(network.forward(X), y))
    return losses


def train_fixed_rate(network, loss, X, y, learning_rate, n_epochs):
    return ref.train(network, loss, X, y, 0.05, n_epochs)


def train_no_step(network, loss, X, y, learning_rate, n_epochs):
    losses = []
    for _ in range(n_epochs):
        losses.append(loss.forward(network.forward(X), y))
        network.backward(loss.backward())
    return losses


def train_returns_last_loss(network, loss, X, y, learning_rate, n_epochs):
    return ref.train(network, loss, X, y, learning_rate, n_epochs)[-1]


def train_stochastic(network, loss, X, y, learning_rate, n_epochs):
    losses, rng = [], np.random.RandomState(0)
    for _ in range(n_epochs):
        batch = rng.choice(len(X), size=max(1, len(X) // 2), replace=False)
        losses.append(loss.forward(network.forward(X[batch]), y[batch]))
        network.backward(loss.backward())
        network.step(learning_rate)
    return losses


def train_returns_nothing(network, loss, X, y, learning_rate, n_epochs):
    ref.train(network, loss, X, y, learning_rate, n_epochs)


def train_numpy_floats(network, loss, X, y, learning_rate, n_epochs):
    history = np.zeros(n_epochs)
    for epoch in range(n_epochs):
        predictions = network.forward(X)
        history[epoch] = loss.forward(predictions, y)
        network.backward(loss.backward())
        network.step(learning_rate)
    return list(history)


# ------------------------------------------------------------------ MSELoss

class MSENoFactor2(ref.MSELoss):
    def backward(self):
        return self.diff / len(self.diff)


class MSEMeanOverEntries(ref.MSELoss):
    def forward(self, X, Y):
        super().forward(X, Y)
        return float(np.mean(self.diff ** 2))

    def backward(self):
        return 2 * self.diff / self.diff.size


class MSEBackwardMismatch(ref.MSELoss):
    def backward(self):
        return 2 * self.diff / self.diff.size  # forward divides by N, not N * C


class MSEWrongSign(ref.MSELoss):
    def backward(self):
        return 2 * (-self.diff) / len(self.diff)


class MSEMutatesInput(ref.MSELoss):
    def forward(self, X, Y):
        X -= Y
        self.diff = X
        return float(np.sum(X ** 2) / len(X))


class MSEMeanTimesClasses(ref.MSELoss):
    def forward(self, X, Y):
        self.X, self.Y = X, Y
        return np.mean((X - Y) ** 2) * X.shape[1]

    def backward(self):
        return 2 * (self.X - self.Y) / self.X.shape[0]


# (answer, mistake, wrong answer, the test cell that must catch it, the words its message must hold)
MUTANTS = [
    ("check_gradient", "one-sided differences", gradcheck_one_sided, "check_gradient_hidden",
     r"one-sided differences.*use central differences"),
    ("check_gradient", "X left perturbed after the call", gradcheck_not_restored, "check_gradient_hidden",
     r"changed its input array"),
    ("check_gradient", "signed max instead of max absolute", gradcheck_signed_max, "check_gradient_hidden",
     r"largest SIGNED deviation"),
    ("check_gradient", "mean deviation", gradcheck_mean, "check_gradient_hidden",
     r"the mean of the absolute deviations"),
    ("check_gradient", "sum of deviations", gradcheck_sum, "check_gradient_hidden",
     r"the sum of the absolute deviations"),
    ("check_gradient", "divides by EPS instead of 2 EPS", gradcheck_divides_by_eps, "check_gradient_hidden",
     r"divide the difference by 2 \* EPS, not by EPS"),
    ("check_gradient", "perturbs all entries at once", gradcheck_all_at_once, "check_gradient_hidden",
     r"perturbing every entry of X at once.*one entry at a time"),
    ("check_gradient", "returns nothing", gradcheck_returns_nothing, "check_gradient_square",
     r"returned None: did you forget `return`"),
    ("linear", "dL/dX without the transpose", LinearNoTranspose, "linear_backward_hidden",
     r"shapes do not fit.*dL/dX = dL/dY @ W.T is \(6, 3\)"),
    ("linear", "dL/dX without the transpose, square W", LinearNoTransposeWhenSquare, "linear_backward_hidden",
     r"is dL/dY @ W: multiply by the transpose"),
    ("linear", "dL/dX without the transpose, visible test", LinearNoTranspose, "linear_backward",
     r"shapes do not fit.*dL/dX = dL/dY @ W.T is \(2, 3\)"),
    ("linear", "dL/dW with the transposed shape", LinearDWTransposed, "linear_backward_hidden",
     r"dL/dW \(self.dLdW\) has shape \(5, 3\), the transpose of the expected \(3, 5\)"),
    ("linear", "dL/db not summed over the batch", LinearDbNotSummed, "linear_backward_hidden",
     r"the shape of dL/dY: sum it over the batch"),
    ("linear", "bias gradient forgotten", LinearNoBiasGradient, "linear_backward_hidden",
     r"did not store self.dLdb"),
    ("linear", "b never updated by step", LinearBiasNotStepped, "linear_step_hidden",
     r"^b did not change"),
    ("linear", "averaging twice", LinearAveragesTwice, "linear_backward_hidden",
     r"is divided by N = 6: a layer's gradients are sums over the batch"),
    ("linear", "forward without + b", LinearForwardNoBias, "linear_forward_hidden", r"is missing \+ b"),
    ("linear", "forward with W.T", LinearForwardTransposedW, "linear_forward_hidden",
     r"shapes do not fit.*Y = X @ W \+ b is \(6, 5\)"),
    ("linear", "forward with W.T, visible test", LinearForwardTransposedW, "linear_forward",
     r"shapes do not fit.*Y = X @ W \+ b is \(2, 2\)"),
    ("linear", "step adds the gradient", LinearStepAdds, "linear_step_hidden", r"moved along the gradient"),
    ("linear", "step ignores the learning rate", LinearStepIgnoresRate, "linear_step_hidden",
     r"moved by the whole gradient: multiply it by learning_rate"),
    ("linear", "zero initialisation", LinearZeroInit, "linear_init_hidden",
     r"all the weights are equal: draw them at random"),
    ("linear", "zero initialisation, visible test", LinearZeroInit, "linear_init", r"every weight is equal"),
    ("linear", "initialisation scale 0.01", LinearInitScale001, "linear_init_hidden",
     r"standard deviation 0.0100: expected mean 0 and standard deviation 0.1"),
    ("linear", "N(0, 0.1) read as variance 0.1", LinearInitVariance01, "linear_init_hidden",
     r"sqrt\(0.1\).*standard deviation 0.1 \(variance 0.01\)"),
    ("linear", "uniform initialisation with std 0.1", LinearInitUniform, "linear_init_hidden",
     r"normal distribution .* not a uniform one"),
    ("linear", "random bias", LinearInitRandomBias, "linear_init_hidden", r"expected zeros: start the bias at zero"),
    ("linear", "random bias, visible test", LinearInitRandomBias, "linear_init", r"it should start at zero"),
    ("linear", "stale cache: backward uses the first input", LinearStaleCache, "linear_backward_hidden",
     r"uses the input of an earlier forward call"),
    ("linear", "forward mutates its input", LinearMutatesInput, "linear_forward_hidden", r"changed its input array"),
    ("linear", "forward loops over samples", LinearLoopsOverSamples, "linear_forward_hidden",
     r"iterated over the rows.*not a loop over samples"),
    ("linear", "backward loops over samples", LinearLoopsInBackward, "linear_backward_hidden",
     r"row by row.*not a loop over samples"),
    ("sigmoid", "derivative on the input, x(1 - x)", SigmoidDerivativeOnInput, "sigmoid_hidden",
     r"uses x \(1 - x\), the derivative at the input"),
    ("sigmoid", "sigmoid applied twice in backward", SigmoidAppliedTwice, "sigmoid_hidden",
     r"applies the sigmoid twice"),
    ("sigmoid", "upstream gradient ignored", SigmoidIgnoresUpstream, "sigmoid_hidden", r"ignores dL/dY"),
    ("sigmoid", "backward gives nan at large inputs", SigmoidNanGradient, "sigmoid_stability_hidden",
     r"Sigmoid.backward\(ones\) is .*nan.*not finite: .*exp\(-\|x\|\)"),
    ("sigmoid", "returns its input", SigmoidReturnsInput, "sigmoid_hidden", r"returns its input"),
    ("nll_loss", "no max shift", NLLNoMaxShift, "nll_loss_stability_hidden",
     r"returned nan .*subtract the row maximum"),
    ("nll_loss", "log(softmax) underflows", NLLLogOfSoftmax, "nll_loss_stability_hidden",
     r"returned inf .*log softmax = X - logsumexp\(X\)"),
    ("nll_loss", "sum instead of mean", NLLSum, "nll_loss_forward_hidden",
     r"is the sum over the batch: return the mean"),
    ("nll_loss", "per-sample vector instead of a scalar", NLLPerSample, "nll_loss_forward_hidden",
     r"an array of shape \(5,\).*expected one number"),
    ("nll_loss", "wrong sign", NLLForwardWrongSign, "nll_loss_forward_hidden", r"has the opposite sign"),
    ("nll_loss", "backward forgets 1/N", NLLBackwardNoMean, "nll_loss_backward_hidden",
     r"is N = 5 times too large: divide by N"),
    ("nll_loss", "backward divides by N twice", NLLBackwardDividesTwice, "nll_loss_backward_hidden",
     r"is divided by N = 5 twice"),
    ("nll_loss", "X[:, y] instead of X[arange(N), y]", NLLWrongIndexing, "nll_loss_forward_hidden",
     r"picks X\[:, y\].*np.arange\(N\)"),
    ("nll_loss", "softmax over axis 0", NLLSoftmaxOverBatch, "nll_loss_forward_hidden",
     r"normalises over the batch \(axis 0\)"),
    ("nll_loss", "sign of the gradient flipped", NLLSignFlipped, "nll_loss_backward_hidden",
     r"has the opposite sign"),
    ("nll_loss", "one-hot built from the predictions", NLLOneHotFromPredictions, "nll_loss_backward_hidden",
     r"builds the one-hot from the predictions"),
    ("nll_loss", "forward mutates X (X -= max)", NLLMutatesInput, "nll_loss_forward_hidden",
     r"changed its input array"),
    ("nll_loss", "backward edits its cache in place", NLLBackwardEditsCache, "nll_loss_backward_hidden",
     r"second call.*backward must not change what forward stored"),
    ("neural_network", "backward first to last", NetworkBackwardFirstToLast, "neural_network_hidden",
     r"should call C.backward, B.backward, A.backward, last to first; it called A.backward"),
    ("neural_network", "backward does not chain the gradient", NetworkNotChaining, "neural_network_hidden",
     r"pass each layer's result to the layer before it; it called C.backward\(1\), B.backward\(1\)"),
    ("neural_network", "backward returns nothing", NetworkBackwardReturnsNothing, "neural_network_chain",
     r"backward returned None: did you forget `return`"),
    ("neural_network", "step only on the last layer", NetworkStepsLastOnly, "neural_network_hidden",
     r"once on every layer.*it called C.step\(0.25\)$"),
    ("neural_network", "step only on layers with W", NetworkStepsOnlyLayersWithW, "neural_network_hidden",
     r"layers without W too\); it called nothing"),
    ("neural_network", "step twice", NetworkStepsTwice, "neural_network_hidden",
     r"once on every layer.*A.step\(0.25\), B.step\(0.25\), C.step\(0.25\), A.step"),
    ("neural_network", "forward does not chain", NetworkForwardNotChaining, "neural_network_hidden",
     r"each layer gets the previous layer's output; it called A.forward\(1\), B.forward\(1\)"),
    ("neural_network", "forward skips a layer", NetworkSkipsLastLayer, "neural_network_hidden",
     r"it called A.forward\(1\), B.forward\(2\)$"),
    ("train", "loss recorded after the update", train_loss_after_update, "train_hidden",
     r"the losses after each update.*before network.step"),
    ("train", "learning rate ignored", train_fixed_rate, "train_hidden",
     r"network.step\(0.05\) with learning_rate = 0.5"),
    ("train", "no step", train_no_step, "train_hidden", r"never called network.step"),
    ("train", "returns only the last loss", train_returns_last_loss, "train_hidden",
     r"returned float .* expected a list of 3 floats"),
    ("train", "mini-batches instead of the full batch", train_stochastic, "train_hidden",
     r"received 4 samples instead of all 8: full-batch"),
    ("train", "returns nothing", train_returns_nothing, "train_history", r"train returned None"),
    ("mse_loss", "missing factor 2", MSENoFactor2, "mse_loss_hidden",
     r"half the right value: the derivative of \(x - y\)\^2 is 2 \(x - y\)"),
    ("mse_loss", "mean over all entries", MSEMeanOverEntries, "mse_loss_hidden",
     r"the mean over all N \* C = 12 entries"),
    ("mse_loss", "backward's /(N C) does not match forward's /N", MSEBackwardMismatch, "mse_loss_hidden",
     r"divided by N \* C = 12 instead of N = 4"),
    ("mse_loss", "sign of the gradient flipped", MSEWrongSign, "mse_loss_hidden", r"has the opposite sign"),
    ("mse_loss", "forward mutates X", MSEMutatesInput, "mse_loss_hidden", r"changed its input array"),
]

# (answer, style, right answer): every test cell of that answer passes. Some are not the
# course's way but harmless, and keep their points by the grading policy.
ALTERNATIVES = [
    ("check_gradient", "casts integer X to float", gradcheck_casts_to_float),
    ("check_gradient", "np.nditer, refuses integers", gradcheck_nditer),
    ("check_gradient", "np.nditer, integer X not handled (the notebook does not ask)", gradcheck_nditer_any_dtype),
    ("check_gradient", "the seed's += EPS / -= 2 EPS / += EPS", gradcheck_seed_style),
    ("check_gradient", "integer X truncated (the notebook does not ask)", gradcheck_integer_truncated),
    ("linear", "np.dot, copies, other cache name", LinearNpDotCopies),
    ("linear", "einsum", LinearEinsum),
    ("sigmoid", "tanh-based", SigmoidTanh),
    ("sigmoid", "piecewise stable", SigmoidPiecewise),
    ("sigmoid", "clipped input", SigmoidClipped),
    ("sigmoid", "the seed's 1 / (1 + exp(-x)): an overflow warning, right values", SigmoidNaive),
    ("nll_loss", "log-softmax via logsumexp, one-hot matrix", NLLLogSumExp),
    ("neural_network", "keeps a tuple, other attribute name", NetworkKeepsTuple),
    ("train", "numpy array of losses, converted to a list", train_numpy_floats),
    ("mse_loss", "np.mean times the number of classes", MSEMeanTimesClasses),
]

REFERENCE = {
    "check_gradient": ref.check_gradient, "linear": ref.Linear, "sigmoid": ref.Sigmoid,
    "nll_loss": ref.NLLLoss, "neural_network": ref.NeuralNetwork, "train": ref.train,
    "mse_loss": ref.MSELoss,
}
