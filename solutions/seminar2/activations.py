"""Activation layers: elementwise non-linearities without trainable parameters.

Each works on a batch, X of shape (N, d), keeps what its backward pass needs,
never changes its input, and stays finite and warning-free for |x| as large as 1000.
"""
import numpy as np


class ReLU:
    """Rectified linear unit, Y = max(0, X) elementwise; no parameters.

    Shapes: X and Y (N, d).
    """

    def forward(self, X):
        """Y = max(0, X).

        X: (N, d) -> returns Y: (N, d), a new array (X is left as it was).
        """
        # Part 1 (relu): the forward pass.
        ### BEGIN SOLUTION
        self.positive = X > 0  # where the derivative is 1; at exactly 0 we take 0
        return np.maximum(X, 0)
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX = dL/dY * [X > 0], since relu'(x) is 1 for x > 0 and 0 for x < 0.

        dLdy: (N, d) -> returns dL/dX: (N, d).
        """
        # Part 1 (relu): the backward pass.
        ### BEGIN SOLUTION
        return dLdy * self.positive
        ### END SOLUTION

    def step(self, learning_rate):
        """Nothing to update: the layer has no parameters."""
        pass


class Tanh:
    """Hyperbolic tangent, Y = (e^X - e^-X) / (e^X + e^-X) elementwise; no parameters.

    Shapes: X and Y (N, d).
    """

    def forward(self, X):
        """Y = tanh(X), in (-1, 1); finite and warning-free even for |X| ~ 1000.

        X: (N, d) -> returns Y: (N, d), a new array (X is left as it was).
        """
        # Part 2 (tanh): the forward pass.
        ### BEGIN SOLUTION
        # np.tanh never overflows; the ratio of exponentials is inf / inf = nan at x = 1000.
        self.Y = np.tanh(X)
        return self.Y
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX = dL/dY * (1 - Y^2), since tanh'(x) = 1 - tanh(x)^2.

        dLdy: (N, d) -> returns dL/dX: (N, d).
        """
        # Part 2 (tanh): the backward pass.
        ### BEGIN SOLUTION
        return dLdy * (1 - self.Y ** 2)
        ### END SOLUTION

    def step(self, learning_rate):
        """Nothing to update: the layer has no parameters."""
        pass


class ELU:
    """Exponential linear unit: Y = X where X > 0, alpha (e^X - 1) elsewhere; no trainable parameters.

    Shapes: X and Y (N, d).
    """

    def __init__(self, alpha=1.0):
        """alpha > 0 is a setting, not a trained parameter: Y tends to -alpha as X -> -inf."""
        self.alpha = alpha

    def forward(self, X):
        """Y = X where X > 0, alpha (exp(X) - 1) elsewhere; finite and warning-free even for |X| ~ 1000.

        X: (N, d) -> returns Y: (N, d), a new array (X is left as it was).
        """
        # Part 3 (elu): the forward pass.
        ### BEGIN SOLUTION
        # exp sees min(X, 0) <= 0 only: it cannot overflow, even where np.where keeps the other branch.
        self.exp_of_negative = np.exp(np.minimum(X, 0))
        self.positive = X > 0
        return np.where(self.positive, X, self.alpha * (self.exp_of_negative - 1))
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX = dL/dY * (1 where X > 0, alpha exp(X) elsewhere).

        dLdy: (N, d) -> returns dL/dX: (N, d).
        """
        # Part 3 (elu): the backward pass.
        ### BEGIN SOLUTION
        return dLdy * np.where(self.positive, 1.0, self.alpha * self.exp_of_negative)
        ### END SOLUTION

    def step(self, learning_rate):
        """Nothing to update: alpha is a setting, not a trained parameter."""
        pass
