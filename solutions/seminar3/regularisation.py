"""Regularisation: weight decay (an L2 penalty on the weight matrices) and inverted dropout."""
import numpy as np


def weight_decay(params, strength):
    """The L2 penalty of the weight matrices and its gradient, added to their gradients.

    params: [(value, gradient), ...] as network.params() lists them. The weight matrices are the
        values with two dimensions (W of shape (n_in, n_out)); biases and other vectors are left alone.
    For every weight matrix W with gradient G: G <- G + strength * W, in place (the layer's own
    gradient array), the gradient of the penalty. The values themselves do not change.
    Returns the penalty strength / 2 * (sum of W_ij^2 over every weight matrix), a float.
    """
    # Part 3 (weight_decay)
    ### BEGIN SOLUTION
    penalty = 0.0
    for value, gradient in params:
        if value.ndim == 2:  # a weight matrix; biases are vectors, and are not decayed
            penalty += 0.5 * strength * float(np.sum(value ** 2))
            gradient += strength * value  # d/dW of strength / 2 * sum(W^2)
    return penalty
    ### END SOLUTION


class Dropout:
    """Inverted dropout: in training, each unit is zeroed with probability p and the others are
    multiplied by 1 / (1 - p), so that each keeps its expected value; in evaluation, Y = X.

    Shapes: X and Y (N, d); the mask of the last forward call (N, d).
    """

    def __init__(self, p, rng):
        """p: the probability of dropping a unit, in [0, 1); rng: a np.random.Generator, the only
        source of the masks. Starts in training mode (training = True)."""
        # Part 4 (dropout): the layer at rest.
        ### BEGIN SOLUTION
        self.p, self.rng = p, rng
        self.training = True
        ### END SOLUTION

    def forward(self, X):
        """Training: a new mask from rng, keep = uniform(0, 1) >= p, and Y = X * keep / (1 - p);
        evaluation: Y = X. X: (N, d) -> returns Y: (N, d), a new array (X is left as it was)."""
        # Part 4 (dropout): the forward pass.
        ### BEGIN SOLUTION
        if not self.training:
            self.scale = np.ones_like(X)  # nothing dropped: the backward pass passes dL/dY on
            return X.copy()
        keep = self.rng.random(X.shape) >= self.p
        self.scale = keep / (1 - self.p)  # what each entry was multiplied by
        return X * self.scale
        ### END SOLUTION

    def backward(self, dLdy):
        """dL/dX = dL/dY times what forward multiplied each entry by (the mask / (1 - p) in
        training, 1 in evaluation). dLdy: (N, d) -> returns dL/dX: (N, d)."""
        # Part 4 (dropout): the backward pass.
        ### BEGIN SOLUTION
        return dLdy * self.scale
        ### END SOLUTION
