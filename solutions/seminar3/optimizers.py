"""Optimizers: update rules that live outside the layers and update any network's parameters.

An optimizer's step(params, learning_rate) takes the list of (value, gradient) pairs that
network.params() returns, the same parameters in the same order at every step, and changes each
value in place (value -= ..., value += ...: the layer holds that very array). What it remembers
between steps (velocities, moments) it keeps in lists of the same order, made at the first step.
"""
import numpy as np


class SGD:
    """Stochastic gradient descent, with momentum mu (0: plain SGD), for every parameter:
    v <- mu v - learning_rate dL/dvalue, then value <- value + v.

    Shapes: each velocity has the shape of its value.
    """

    def __init__(self, momentum=0.0):
        """momentum: mu in [0, 1); the velocities start at zero at the first step."""
        # Part 1 (optimizers): the optimizer at rest.
        ### BEGIN SOLUTION
        self.momentum = momentum
        self.velocities = None  # one per parameter, made at the first step
        ### END SOLUTION

    def step(self, params, learning_rate):
        """One step for every (value, gradient) pair of params, each value changed in place.

        params: [(value, gradient), ...], arrays of any shapes, value and gradient of the same shape.
        """
        # Part 1 (optimizers): one step.
        ### BEGIN SOLUTION
        if self.velocities is None:
            self.velocities = [np.zeros_like(value) for value, _ in params]
        for (value, gradient), velocity in zip(params, self.velocities):
            velocity *= self.momentum  # in place: the list keeps this very array
            velocity -= learning_rate * gradient
            value += velocity  # in place: `value = value + velocity` would leave the layer's array as it was
        ### END SOLUTION


class Adam:
    """Adam (Kingma and Ba, 2015): per parameter, running averages of the gradient and of its square,
    corrected for their start at zero, make the step:
        m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2            (g = dL/dvalue)
        m_hat = m / (1 - beta1^t),      v_hat = v / (1 - beta2^t)                 (t = 1, 2, ...: the step)
        value <- value - learning_rate m_hat / (sqrt(v_hat) + eps)

    Shapes: m and v of each parameter have the shape of its value.
    """

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        """The decay rates of the two averages and eps; m and v start at zero, t at 0."""
        # Part 2 (adam): the optimizer at rest.
        ### BEGIN SOLUTION
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = self.v = None  # one of each per parameter, made at the first step
        ### END SOLUTION

    def step(self, params, learning_rate):
        """One Adam step for every (value, gradient) pair of params, each value changed in place."""
        # Part 2 (adam): one step.
        ### BEGIN SOLUTION
        if self.m is None:
            self.m = [np.zeros_like(value) for value, _ in params]
            self.v = [np.zeros_like(value) for value, _ in params]
        self.t += 1  # one count per step, shared by every parameter
        for (value, gradient), m, v in zip(params, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * gradient
            v *= self.beta2
            v += (1 - self.beta2) * gradient ** 2
            # Both averages start at 0 and are too small at first: dividing by 1 - beta^t undoes it
            # (at t = 1, m_hat = g and v_hat = g^2, so the first step is learning_rate * sign(g)).
            m_hat = m / (1 - self.beta1 ** self.t)
            v_hat = v / (1 - self.beta2 ** self.t)
            value -= learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)
        ### END SOLUTION
