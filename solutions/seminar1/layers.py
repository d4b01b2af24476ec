"""Layers: each keeps what its backward pass needs from its forward pass.

Every layer works on a batch: rows are samples, so X has shape (N, features).
"""
import numpy as np


class Linear:
    """Fully connected layer, Y = X W + b.

    Shapes: X (N, input_size), W (input_size, output_size), b (output_size,),
    Y (N, output_size).
    """

    def __init__(self, input_size, output_size):
        """W: entries drawn from N(0, 0.1^2) (std 0.1), shape (input_size, output_size).
        b: zeros, shape (output_size,).
        """
        ### BEGIN SOLUTION
        self.W = np.random.randn(input_size, output_size) * 0.1
        self.b = np.zeros(output_size)
        ### END SOLUTION

    def forward(self, X):
        """Y = X W + b.

        X: (N, input_size) -> returns Y: (N, output_size).
        Keep X: backward needs it.
        """
        ### BEGIN SOLUTION
        self.X = X
        return X @ self.W + self.b
        ### END SOLUTION

    def backward(self, dLdy):
        """Backpropagate dL/dY through the layer of the last forward call.

        dLdy: (N, output_size).
        Stores self.dLdW = X^T dL/dY, shape (input_size, output_size),
        and self.dLdb = column sums of dL/dY, shape (output_size,).
        Returns dL/dX = dL/dY W^T, shape (N, input_size).
        """
        ### BEGIN SOLUTION
        self.dLdW = self.X.T @ dLdy
        self.dLdb = dLdy.sum(axis=0)
        return dLdy @ self.W.T
        ### END SOLUTION

    def step(self, learning_rate):
        """One gradient descent step: W <- W - lr dL/dW, b <- b - lr dL/db."""
        ### BEGIN SOLUTION
        self.W -= learning_rate * self.dLdW
        self.b -= learning_rate * self.dLdb
        ### END SOLUTION


class Sigmoid:
    """Elementwise logistic function, Y = 1 / (1 + exp(-X)); no parameters.

    Shapes: X and Y (N, d).
    """

    def __init__(self):
        """Nothing to set up: the layer has no parameters."""
        pass

    def forward(self, X):
        """Y = sigmoid(X), finite and warning-free even for |X| ~ 1000.

        X: (N, d) -> returns Y: (N, d).
        """
        ### BEGIN SOLUTION
        # exp(-|x|) lies in (0, 1], so neither branch can overflow:
        # sigmoid(x) = 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0.
        exp_neg_abs = np.exp(-np.abs(X))
        self.Y = np.where(X >= 0, 1 / (1 + exp_neg_abs), exp_neg_abs / (1 + exp_neg_abs))
        return self.Y
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX = dL/dY * Y * (1 - Y), since sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)).

        dLdy: (N, d) -> returns dL/dX: (N, d).
        """
        ### BEGIN SOLUTION
        return dLdy * self.Y * (1 - self.Y)
        ### END SOLUTION

    def step(self, learning_rate):
        """Nothing to update: the layer has no parameters."""
        ### BEGIN SOLUTION
        pass
        ### END SOLUTION
