"""SGD with momentum, kept where the bricks keep their updates: in the layer's step."""
import numpy as np

from solutions.seminar1.layers import Linear


class LinearMomentum(Linear):
    """A Linear layer whose step is SGD with momentum mu, for W and for b:
    v <- mu v - learning_rate dL/dW, then W <- W + v.

    Shapes: as Linear; the velocity of W is (input_size, output_size), that of b (output_size,).
    """

    def __init__(self, input_size, output_size, momentum=0.9):
        """Linear's W and b, the momentum mu = momentum, and velocities of zero for W and b."""
        # Part 9 (momentum): the layer at rest.
        ### BEGIN SOLUTION
        super().__init__(input_size, output_size)
        self.momentum = momentum
        self.velocity_W = np.zeros_like(self.W)  # at rest: the first step is a plain SGD step
        self.velocity_b = np.zeros_like(self.b)
        ### END SOLUTION

    def step(self, learning_rate):
        """v_W <- mu v_W - lr dL/dW, W <- W + v_W; v_b <- mu v_b - lr dL/db, b <- b + v_b."""
        # Part 9 (momentum): one step.
        ### BEGIN SOLUTION
        self.velocity_W = self.momentum * self.velocity_W - learning_rate * self.dLdW
        self.velocity_b = self.momentum * self.velocity_b - learning_rate * self.dLdb
        self.W += self.velocity_W
        self.b += self.velocity_b
        ### END SOLUTION
