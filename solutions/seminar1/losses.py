"""Losses: forward returns a float, backward returns dL/dX of the last forward call."""
import numpy as np


class NLLLoss:
    """Softmax followed by the mean negative log-likelihood of the true classes.

    L = -1/N sum_i log softmax(X)[i, y_i], with log softmax(X) = X - logsumexp(X)
    computed row by row after subtracting the row maximum (the log-sum-exp trick).
    """

    def forward(self, X, y):
        """X: (N, C) logits; y: (N,) integer labels in [0, C) -> returns L, a float."""
        ### BEGIN SOLUTION
        shifted = X - X.max(axis=1, keepdims=True)  # largest logit is 0: exp cannot overflow
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs = np.exp(log_probs)
        self.y = y
        return float(-log_probs[np.arange(len(y)), y].mean())
        ### END SOLUTION

    def backward(self):
        """dL/dX = (softmax(X) - onehot(y)) / N, shape (N, C).

        Reuses the probabilities forward computed stably (exp of the log-softmax):
        a second, naive softmax here could overflow.
        """
        ### BEGIN SOLUTION
        n_samples = len(self.y)
        dLdX = self.probs.copy()  # a copy: backward can be called twice
        dLdX[np.arange(n_samples), self.y] -= 1
        return dLdX / n_samples
        ### END SOLUTION


class MSELoss:
    """Sum of squared errors divided by the number of samples.

    L = 1/N sum_ij (X_ij - Y_ij)^2, with X and Y of the same shape (N, C).
    """

    def forward(self, X, Y):
        """X: (N, C) predictions; Y: (N, C) targets (one-hot or real) -> returns L, a float."""
        ### BEGIN SOLUTION
        if X.shape != Y.shape:
            # (N, 3) - (N, 1) would broadcast silently into a wrong loss.
            raise ValueError(f"targets have shape {Y.shape}, predictions {X.shape}")
        self.diff = X - Y
        return float(np.sum(self.diff ** 2) / len(X))
        ### END SOLUTION

    def backward(self):
        """dL/dX = 2 (X - Y) / N, shape (N, C)."""
        ### BEGIN SOLUTION
        return 2 * self.diff / len(self.diff)
        ### END SOLUTION
