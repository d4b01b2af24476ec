"""Stand-ins for the layers, networks and losses that student code is handed: they record how
they are called, so that a check can grade a container, a training loop or a factory on its
own, whatever the student's other answers do.

Student code calls these objects (across the process boundary during grading), so Python's own
errors about them ("_CountdownLoss.backward() takes 1 positional argument but 2 were given")
are part of what a student reads. Each class keeps the name it had in the seminar that first
used it, underscore included, so those messages stay as they were; the kit exports it under
the same name without the underscore.
"""
import numpy as np

from .feedback import GradingFailure, fail
from ..i18n import t


class _RecordingLayer:
    """Stub layer: multiplies by a constant, records each call with the value it received, has no W.

    log: a list shared by the layers of one network, of ("forward" | "backward", name, first
    entry of X or dL/dY) and ("step", name, learning_rate).
    """

    def __init__(self, name, factor, log):
        self.name, self.factor, self.log = name, factor, log

    def forward(self, X):
        self.log.append(("forward", self.name, float(np.ravel(X)[0])))
        return self.factor * X

    def backward(self, dLdy):
        self.log.append(("backward", self.name, float(np.ravel(dLdy)[0])))
        return self.factor * dLdy

    def step(self, learning_rate):
        self.log.append(("step", self.name, float(learning_rate)))


class _CallLog:
    """Stub network for a training loop: the identity, recording the order of calls (in `log`, as
    "network.forward", ..., "network.step(0.5)") and the size of every batch it is given. Its loss
    is a countdown (see CountdownLoss): `value` starts at 10 and each step lowers it by 1."""

    def __init__(self):
        self.log, self.value, self.batch_sizes = [], 10.0, []

    def forward(self, X):
        self.log.append("network.forward")
        self.batch_sizes.append(len(X))
        return X

    def backward(self, dLdy):
        self.log.append("network.backward")
        return dLdy

    def step(self, learning_rate):
        self.log.append(f"network.step({learning_rate:g})")
        self.value -= 1.0


class _CountdownLoss:
    """The loss of a CallLog network: forward returns the network's current `value` (10, 9, 8, ...
    as it steps), backward a (1, 3) array of ones; both write themselves in the network's log."""

    def __init__(self, network):
        self.network = network

    def forward(self, X, y):
        self.network.log.append("loss.forward")
        return self.network.value

    def backward(self):
        self.network.log.append("loss.backward")
        return np.ones((1, 3))


class _Logged:
    """Wraps a network or a loss handed to a student's fit: writes each call in a shared log, then
    delegates. A step without a backward since the last one is logged and not passed on; a call the
    reference cannot serve (arrays of the wrong shape) fails with a message about fit, not about the
    reference's code.

    log: a list of (name, value) shared by the network (prefix "network") and the loss (prefix
    "loss"): ("network.forward", scores), ("loss.forward", the loss), ("loss.backward", dL/dscores),
    ("network.backward", dL/dX), ("network.step", learning_rate).
    """

    def __init__(self, inner, log, prefix):
        self.inner, self.log, self.prefix = inner, log, prefix

    def _delegate(self, method, *args):
        name = f"{self.prefix}.{method}"
        if method == "step" and not any(entry == "network.backward" for entry, _ in self._since_last_step()):
            # No gradients to step with: log the call and let fit go on, so that the check of the
            # steps names the mistake and the check of the history can still grade the history.
            self.log.append((name, args[0]))
            return None
        try:
            value = getattr(self.inner, method)(*args)
        except GradingFailure:
            raise
        except Exception as error:
            shapes = ", ".join(str(np.shape(arg)) for arg in args)
            fail(t("fit called {name} with arguments of shapes ({shapes}), which failed ({error}: "
                   "{message}): for each batch, loss.forward(network.forward(X_batch), y_batch), "
                   "network.backward(loss.backward()), network.step(learning_rate)", name=name, shapes=shapes,
                   error=type(error).__name__, message=error))
        self.log.append((name, value if method != "step" else args[0]))
        return value

    def _since_last_step(self):
        entries = []
        for entry in reversed(self.log):
            if entry[0] == "network.step":
                break
            entries.append(entry)
        return entries

    def forward(self, *args):
        return self._delegate("forward", *(np.asarray(arg) for arg in args))

    def backward(self, *args):
        return self._delegate("backward", *(np.asarray(arg) for arg in args))

    def step(self, learning_rate):
        return self._delegate("step", learning_rate)


class _StubActivation:
    """An activation layer the check can recognise: ReLU's maths, and a record of each instance.

    Handed to a factory of networks as the activation class; `made` lists the instances made
    since the check last set it to [] (which it does before each call of the factory).
    """

    made = []

    def __init__(self):
        _StubActivation.made.append(self)

    def forward(self, X):
        self.positive = np.asarray(X) > 0
        return np.maximum(X, 0)

    def backward(self, dLdy):
        return np.asarray(dLdy) * self.positive

    def step(self, learning_rate):
        pass


class _FixedScores:
    """A stub network whose scores are given, (N, n_classes): forward(X) returns the first len(X)
    rows; `calls` holds the shape of each X it was given."""

    def __init__(self, scores):
        self.scores, self.calls = scores, []

    def forward(self, X):
        self.calls.append(np.shape(X))
        return self.scores[:len(X)].copy()


RecordingLayer, CallLog, CountdownLoss = _RecordingLayer, _CallLog, _CountdownLoss
Logged, StubActivation, FixedScores = _Logged, _StubActivation, _FixedScores
