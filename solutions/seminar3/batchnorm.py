"""Batch normalisation: each feature of a batch brought to mean 0 and variance 1, then scaled and
shifted by two trained parameters."""
import numpy as np


class BatchNorm:
    """Batch normalisation of d features (Ioffe and Szegedy, 2015).

    Training: with the batch's mean mu and (biased) variance var of each feature,
        X_hat = (X - mu) / sqrt(var + eps),   Y = gamma * X_hat + beta,
    and the running averages move towards the batch's statistics:
        running_mean <- momentum * running_mean + (1 - momentum) * mu   (the same for running_var, var).
    Evaluation: the running averages in place of the batch's statistics.
    Shapes: X and Y (N, d); gamma, beta, running_mean, running_var and the gradients (d,).
    """

    def __init__(self, n_features, momentum=0.9, eps=1e-5):
        """gamma = 1, beta = 0, running_mean = 0, running_var = 1, their gradients dgamma and dbeta 0;
        training mode (training = True)."""
        # Part 5 (batchnorm): the layer at rest.
        ### BEGIN SOLUTION
        self.momentum, self.eps = momentum, eps
        self.gamma, self.beta = np.ones(n_features), np.zeros(n_features)
        self.dgamma, self.dbeta = np.zeros(n_features), np.zeros(n_features)
        self.running_mean, self.running_var = np.zeros(n_features), np.ones(n_features)
        self.training = True
        ### END SOLUTION

    def forward(self, X):
        """Y = gamma * X_hat + beta, X_hat from the batch's statistics (training, which also updates the
        running averages) or from the running averages (evaluation). X: (N, d) -> Y: (N, d); X is left as it was."""
        # Part 5 (batchnorm): the forward pass.
        ### BEGIN SOLUTION
        if self.training:
            mean, var = X.mean(axis=0), X.var(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mean
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mean, var = self.running_mean, self.running_var
        self.inv_std = 1 / np.sqrt(var + self.eps)  # eps keeps a feature of zero variance finite
        self.X_hat = (X - mean) * self.inv_std
        return self.gamma * self.X_hat + self.beta
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX, with dgamma = sum over the batch of dL/dY * X_hat and dbeta = sum of dL/dY stored.

        In training, mu and var depend on every row of X, so dL/dX has three terms; with
        dX_hat = dL/dY * gamma:  dL/dX = inv_std * (dX_hat - mean(dX_hat) - X_hat * mean(dX_hat * X_hat)),
        means over the batch (axis 0), inv_std = 1 / sqrt(var + eps). In evaluation, the statistics are
        constants: dL/dX = dX_hat * inv_std. dLdy: (N, d) -> returns dL/dX: (N, d).
        """
        # Part 5 (batchnorm): the backward pass.
        ### BEGIN SOLUTION
        self.dgamma = np.sum(dLdy * self.X_hat, axis=0)
        self.dbeta = np.sum(dLdy, axis=0)
        dX_hat = dLdy * self.gamma
        if not self.training:
            return dX_hat * self.inv_std
        return self.inv_std * (dX_hat - dX_hat.mean(axis=0) - self.X_hat * np.mean(dX_hat * self.X_hat, axis=0))
        ### END SOLUTION

    def params(self):
        """[(gamma, dgamma), (beta, dbeta)], the arrays themselves."""
        return [(self.gamma, self.dgamma), (self.beta, self.dbeta)]
