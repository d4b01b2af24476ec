"""Seminar 3's mistakes, and right answers in other styles, as answer-cell sources.

MUTANTS: (answer grade_id, mistake, edits, grade_id of the hidden check that must catch it, words
    its message must contain), as in tests/mutants_seminar2.py: each mutant is the reference answer
    with the edits applied, (old, new) replacements that each match the reference exactly once. The
    list holds the issue's catalogue (batch norm's dL/dX without the terms through the mean and the
    variance, running averages updated in evaluation, dropout not rescaled or rescaled in evaluation,
    Adam without bias correction or with it applied twice, weight decay on the bias, the schedule
    applied per batch, the best weights not restored or restored by reference) and more.
ALSO_LOSES: the other cells of its part a mistake may cost (one edit wrong in two ways).
ALTERNATIVES: (answer grade_id, style, source): a whole answer cell written another way; every
    hidden check of that answer must give it full marks.
The sources are plain answer cells (numpy and the given bricks only), so the same text is exec'd
in-process and in the sandboxed student process by tests/test_seminar3_checks.py.
"""
import inspect
import sys
from pathlib import Path

import solutions.seminar3 as reference

from catalogue import Catalogue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from sync_course import without_markers  # noqa: E402

MUTANTS = [
    # SGD (optimizers)
    ("optimizers", "the value rebound instead of changed in place",
     [("value += velocity  #", "value = value + velocity  #")], "optimizers_hidden", "did not change"),
    ("optimizers", "uphill", [("velocity -= learning_rate * gradient", "velocity += learning_rate * gradient")],
     "optimizers_hidden", "moved uphill"),
    ("optimizers", "the learning rate ignored", [("velocity -= learning_rate * gradient", "velocity -= gradient")],
     "optimizers_hidden", "ignores learning_rate"),
    ("optimizers", "the velocity forgotten between steps", [("velocity *= self.momentum", "velocity *= 0.0")],
     "optimizers_momentum_hidden", "moved like plain SGD"),
    ("optimizers", "the momentum argument ignored", [("self.momentum = momentum", "self.momentum = 0.9")],
     "optimizers_momentum_hidden", "ignores its momentum argument"),
    ("optimizers", "momentum 0.9 by default",
     [("def __init__(self, momentum=0.0):", "def __init__(self, momentum=0.9):")],
     "optimizers_hidden", "the default is momentum = 0"),
    # Adam
    ("adam", "no bias correction",
     [("m_hat = m / (1 - self.beta1 ** self.t)", "m_hat = m"), ("v_hat = v / (1 - self.beta2 ** self.t)", "v_hat = v")],
     "adam_hidden", "has no bias correction"),
    ("adam", "bias correction applied twice",
     [("m_hat = m / (1 - self.beta1 ** self.t)", "m_hat = m / (1 - self.beta1 ** self.t) ** 2"),
      ("v_hat = v / (1 - self.beta2 ** self.t)", "v_hat = v / (1 - self.beta2 ** self.t) ** 2")],
     "adam_hidden", "corrects the bias twice"),
    ("adam", "t counted once per parameter",
     [("        self.t += 1  # one count per step, shared by every parameter\n", ""),
      ("zip(params, self.m, self.v):\n", "zip(params, self.m, self.v):\n            self.t += 1\n")],
     "adam_hidden", "counts t once per parameter"),
    ("adam", "eps inside the square root",
     [("(np.sqrt(v_hat) + self.eps)", "np.sqrt(v_hat + self.eps)")], "adam_extremes_hidden",
     "inside the square root"),
    ("adam", "the values rebound instead of changed in place",
     [("value -= learning_rate * m_hat", "value = value - learning_rate * m_hat")], "adam_hidden", "did not change"),
    # weight decay
    ("weight_decay", "the bias decayed too", [("if value.ndim == 2:", "if value.ndim >= 1:")],
     "weight_decay_bias_hidden", "not the biases"),
    ("weight_decay", "the penalty without its 1 / 2", [("penalty += 0.5 * strength", "penalty += strength")],
     "weight_decay_hidden", "without the 1 / 2"),
    ("weight_decay", "the gradient rebound instead of changed in place",
     [("gradient += strength * value", "gradient = gradient + strength * value")], "weight_decay_hidden",
     "left the gradient of W1 as it was"),
    ("weight_decay", "the weights shrunk instead of the gradient",
     [("gradient += strength * value", "value -= strength * value")], "weight_decay_hidden", "changed the values"),
    ("weight_decay", "2 * strength * W added", [("gradient += strength * value", "gradient += 2 * strength * value")],
     "weight_decay_hidden", "added 2 \\* strength \\* W"),
    # dropout
    ("dropout", "not rescaled", [("self.scale = keep / (1 - self.p)", "self.scale = keep * 1.0")],
     "dropout_forward_hidden", "not rescaled"),
    ("dropout", "rescaled in evaluation", [("            return X.copy()\n", "            return X / (1 - self.p)\n")],
     "dropout_eval_hidden", "the rescaling belongs to training"),
    ("dropout", "dropped in evaluation too", [("if not self.training:", "if False:")], "dropout_eval_hidden",
     "still drops units"),
    ("dropout", "p taken as the probability of keeping",
     [("keep = self.rng.random(X.shape) >= self.p", "keep = self.rng.random(X.shape) < self.p")],
     "dropout_forward_hidden", "keeps the units it should drop"),
    ("dropout", "the mask from np.random",
     [("keep = self.rng.random(X.shape) >= self.p", "keep = np.random.random(X.shape) >= self.p")],
     "dropout_forward_hidden", "from the layer's own generator"),
    ("dropout", "the mask from rng.binomial, another draw than the notebook's",
     [("keep = self.rng.random(X.shape) >= self.p", "keep = self.rng.binomial(1, 1 - self.p, size=X.shape) == 1")],
     "dropout_forward_hidden", "draw exactly that"),
    ("dropout", "backward ignores the mask", [("return dLdy * self.scale", "return dLdy")], "dropout_backward_hidden",
     "dL/dY unchanged"),
    ("dropout", "forward loops over samples",
     [("return X * self.scale", "return np.array([row * scale for row, scale in zip(X, self.scale)])")],
     "dropout_forward_hidden", "loop over samples"),
    # batch norm
    ("batchnorm", "dL/dX without the terms through the mean and the variance",
     [("return self.inv_std * (dX_hat - dX_hat.mean(axis=0) - self.X_hat * np.mean(dX_hat * self.X_hat, axis=0))",
       "return self.inv_std * dX_hat")], "batchnorm_backward_hidden", "as constants"),
    ("batchnorm", "dL/dX without the term through the variance",
     [(" - self.X_hat * np.mean(dX_hat * self.X_hat, axis=0))", ")")], "batchnorm_backward_hidden",
     "term through the variance"),
    ("batchnorm", "running averages updated in evaluation",
     [("            mean, var = self.running_mean, self.running_var\n",
       "            mean, var = self.running_mean, self.running_var\n"
       "            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * X.mean(axis=0)\n")],
     "batchnorm_eval_hidden", "changed in evaluation"),
    ("batchnorm", "the batch's statistics in evaluation", [("if self.training:", "if True:")],
     "batchnorm_eval_hidden", "uses the batch's mean and variance"),
    ("batchnorm", "the unbiased variance", [("X.var(axis=0)\n", "X.var(axis=0, ddof=1)\n")],
     "batchnorm_forward_hidden", "unbiased variance"),
    ("batchnorm", "no eps", [("1 / np.sqrt(var + self.eps)", "1 / np.sqrt(var)")], "batchnorm_zero_variance_hidden",
     "divides by zero"),
    ("batchnorm", "the running averages' momentum the other way round",
     [("self.momentum * self.running_mean + (1 - self.momentum) * mean",
       "(1 - self.momentum) * self.running_mean + self.momentum * mean")], "batchnorm_forward_hidden",
     "share of the old average"),
    ("batchnorm", "gamma left out of dL/dX", [("dX_hat = dLdy * self.gamma", "dX_hat = dLdy")],
     "batchnorm_backward_hidden", "leaves out gamma"),
    # fit
    ("fit", "the schedule applied per batch",
     [("    best_loss, best_values = np.inf, None\n", "    best_loss, best_values = np.inf, None\n    step = 0\n"),
      ("        learning_rate = schedule(epoch)\n", ""),
      ("            optimizer.step(network.params(), learning_rate)",
       "            learning_rate = schedule(step)\n            step += 1\n"
       "            optimizer.step(network.params(), learning_rate)")],
     "fit_hidden", "once per batch"),
    ("fit", "the best weights not restored", [("value[...] = best  #", "pass  #")], "fit_best_hidden",
     "weights of the last epoch"),
    ("fit", "the best weights kept by reference",
     [("[value.copy() for value, _ in network.params()]", "[value for value, _ in network.params()]")],
     "fit_best_hidden", "by reference"),
    ("fit", "the best epoch by validation accuracy",
     [("if val_loss < best_loss:", "if -val_accuracy < best_loss:"),
      ("best_loss, best_values = val_loss,", "best_loss, best_values = -val_accuracy,")],
     "fit_best_hidden", "highest validation accuracy"),
    ("fit", "validate() in training mode", [("        network.eval()\n", "")], "fit_hidden", "in training mode"),
    ("fit", "network.train() never called", [("        network.train()\n", "")], "fit_hidden",
     "trained in evaluation mode in epoch 2"),
    ("fit", "params() taken once, before training",
     [("    best_loss, best_values = np.inf, None\n", "    best_loss, best_values = np.inf, None\n"
       "    params = network.params()\n"),
      ("            optimizer.step(network.params(), learning_rate)",
       "            optimizer.step(params, learning_rate)")],
     "fit_hidden", "not network.params\\(\\) as they are"),
    ("fit", "no val_loss in the history", [("        history[\"val_loss\"].append(float(val_loss))\n", "")],
     "fit_history_hidden", "val_loss"),
    ("fit", "the last batch's loss instead of the mean",
     [("float(np.mean(batch_losses))", "batch_losses[-1]")], "fit_history_hidden", "the last batch's loss"),
]

ALSO_LOSES = {
    "optimizers: the value rebound instead of changed in place": {"optimizers_momentum_hidden"},
    "optimizers: uphill": {"optimizers_momentum_hidden"},
    "optimizers: the learning rate ignored": {"optimizers_momentum_hidden"},
    "optimizers: the momentum argument ignored": {"optimizers_hidden"},
    "adam: no bias correction": {"adam_extremes_hidden"},
    "adam: bias correction applied twice": {"adam_extremes_hidden"},
    "adam: eps inside the square root": {"adam_hidden"},
    "adam: the values rebound instead of changed in place": {"adam_extremes_hidden"},
    "weight_decay: the bias decayed too": {"weight_decay_hidden"},
    "batchnorm: the batch's statistics in evaluation": {"batchnorm_forward_hidden"},
    "batchnorm: the unbiased variance": {"batchnorm_backward_hidden", "batchnorm_zero_variance_hidden"},
    "batchnorm: gamma left out of dL/dX": {"batchnorm_eval_hidden"},
    "fit: the schedule applied per batch": {"fit_history_hidden"},
}

ALTERNATIVES = [
    ("optimizers", "PyTorch's form v <- mu v + g, value -= lr v, velocities by id of the parameter", '''
class SGD:
    def __init__(self, momentum=0.0):
        self.mu = momentum
        self.state = {}

    def step(self, params, learning_rate):
        for value, gradient in params:
            if id(value) not in self.state:
                self.state[id(value)] = np.zeros(value.shape)
            buffer = self.state[id(value)]
            buffer *= self.mu
            buffer += gradient
            value -= learning_rate * buffer
'''),
    ("optimizers", "np.copyto and new velocity arrays each step", '''
class SGD:
    def __init__(self, momentum=0.0):
        self.momentum = momentum
        self.velocities = []

    def step(self, params, learning_rate):
        if not self.velocities:
            self.velocities = [np.zeros_like(p) for p, g in params]
        for k, (p, g) in enumerate(params):
            self.velocities[k] = self.momentum * self.velocities[k] - learning_rate * g
            np.copyto(p, p + self.velocities[k])
'''),
    ("adam", "moments in a dict, the corrections folded into one step size", '''
class Adam:
    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.moments = {}
        self.steps = 0

    def step(self, params, learning_rate):
        self.steps += 1
        for k, (w, g) in enumerate(params):
            m, v = self.moments.get(k, (np.zeros_like(w), np.zeros_like(w)))
            m = self.beta1 * m + (1 - self.beta1) * g
            v = self.beta2 * v + (1 - self.beta2) * np.square(g)
            self.moments[k] = (m, v)
            m_hat = m / (1 - self.beta1 ** self.steps)
            v_hat = v / (1 - self.beta2 ** self.steps)
            w[...] = w - learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)
'''),
    ("adam", "a list comprehension of the updates", '''
class Adam:
    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t, self.m, self.v = 0, None, None

    def step(self, params, learning_rate):
        gradients = [g for _, g in params]
        if self.m is None:
            self.m = [np.zeros_like(g) for g in gradients]
            self.v = [np.zeros_like(g) for g in gradients]
        self.t += 1
        self.m = [self.beta1 * m + (1 - self.beta1) * g for m, g in zip(self.m, gradients)]
        self.v = [self.beta2 * v + (1 - self.beta2) * g * g for v, g in zip(self.v, gradients)]
        corrected = [(m / (1 - self.beta1 ** self.t), v / (1 - self.beta2 ** self.t)) for m, v in zip(self.m, self.v)]
        updates = [learning_rate * m_hat / (np.sqrt(v_hat) + self.eps) for m_hat, v_hat in corrected]
        for (value, _), update in zip(params, updates):
            value -= update
'''),
    ("weight_decay", "np.add with out=, len(shape) > 1, a sum over a generator", '''
def weight_decay(params, strength):
    matrices = [(value, gradient) for value, gradient in params if len(value.shape) > 1]
    for value, gradient in matrices:
        np.add(gradient, strength * value, out=gradient)
    return strength / 2 * sum(float((value * value).sum()) for value, _ in matrices)
'''),
    ("dropout", "a boolean mask kept, the scale applied in backward, X itself in evaluation", '''
class Dropout:
    def __init__(self, p, rng):
        self.p = p
        self.rng = rng
        self.training = True
        self.mask = None

    def forward(self, X):
        if self.training:
            self.mask = self.rng.random(X.shape) >= self.p
            return np.where(self.mask, X / (1 - self.p), 0.0)
        self.mask = None
        return X

    def backward(self, dLdy):
        if self.mask is None:
            return dLdy
        return np.where(self.mask, dLdy / (1 - self.p), 0.0)
'''),
    ("batchnorm", "the long form through dvar and dmean, keepdims", '''
class BatchNorm:
    def __init__(self, n_features, momentum=0.9, eps=1e-5):
        self.momentum = momentum
        self.eps = eps
        self.gamma = np.ones(n_features)
        self.beta = np.zeros(n_features)
        self.dgamma = np.zeros(n_features)
        self.dbeta = np.zeros(n_features)
        self.running_mean = np.zeros(n_features)
        self.running_var = np.ones(n_features)
        self.training = True

    def forward(self, X):
        if self.training:
            self.mu = X.mean(axis=0, keepdims=True)
            self.var = ((X - self.mu) ** 2).mean(axis=0, keepdims=True)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * self.mu[0]
            self.running_var = m * self.running_var + (1 - m) * self.var[0]
        else:
            self.mu = self.running_mean[None, :]
            self.var = self.running_var[None, :]
        self.X = X.copy()
        self.X_hat = (X - self.mu) / np.sqrt(self.var + self.eps)
        return self.gamma * self.X_hat + self.beta

    def backward(self, dLdy):
        N = len(dLdy)
        self.dgamma = (dLdy * self.X_hat).sum(axis=0)
        self.dbeta = dLdy.sum(axis=0)
        dX_hat = dLdy * self.gamma
        std_inv = 1.0 / np.sqrt(self.var + self.eps)
        if not self.training:
            return dX_hat * std_inv
        dvar = np.sum(dX_hat * (self.X - self.mu), axis=0, keepdims=True) * -0.5 * std_inv ** 3
        dmu = -np.sum(dX_hat * std_inv, axis=0, keepdims=True) + dvar * np.mean(-2 * (self.X - self.mu), axis=0,
                                                                                 keepdims=True)
        return dX_hat * std_inv + dvar * 2 * (self.X - self.mu) / N + dmu / N

    def params(self):
        return [(self.gamma, self.dgamma), (self.beta, self.dbeta)]
'''),
    ("fit", "np.copyto back, the best epoch's index, numpy means, extra keys", '''
def fit(network, loss, optimizer, batches, validate, schedule, n_epochs):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "learning_rate": [], "best_epoch": None}
    best = None
    for epoch in range(n_epochs):
        rate = schedule(epoch)
        history["learning_rate"].append(rate)
        network.train()
        losses = []
        for X_batch, y_batch in batches():
            scores = network.forward(X_batch)
            losses.append(loss.forward(scores, y_batch))
            network.backward(loss.backward())
            optimizer.step(network.params(), rate)
        history["train_loss"].append(np.mean(losses))
        network.eval()
        val_loss, val_accuracy = validate()
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
        if best is None or val_loss < min(history["val_loss"][:-1]):
            best = [np.copy(value) for value, _ in network.params()]
            history["best_epoch"] = epoch
    for (value, _), saved in zip(network.params(), best):
        np.copyto(value, saved)
    return history
'''),
]


CATALOGUE = Catalogue(reference)
reference_source, edited, answer_name = CATALOGUE.reference_source, CATALOGUE.edited, CATALOGUE.answer_name
mutant_source, keywords = CATALOGUE.mutant_source, CATALOGUE.keywords


def given_source():
    """The notebook's read-only cell of given bricks, as tools/sync_course.py writes it."""
    return "\n\n\n".join(without_markers(inspect.getsource(obj).rstrip("\n"))
                         for obj in reference.GIVEN_CELLS["given_bricks"])


_GIVEN = {}


def build(answer, source):
    """The object a cell's source defines, exec'd beside the given bricks (as the notebook runs it)."""
    if not _GIVEN:
        exec(compile(given_source(), "<given bricks>", "exec"), _GIVEN)
    namespace = dict(_GIVEN)
    exec(compile(source, f"<{answer} answer>", "exec"), namespace)
    return namespace[answer_name(answer)]


def mutant_id(case):
    return f"{case[0]}: {case[1]}"


__all__ = ["MUTANTS", "ALSO_LOSES", "ALTERNATIVES", "build", "mutant_source", "mutant_id", "keywords",
           "answer_name", "given_source", "reference_source"]
