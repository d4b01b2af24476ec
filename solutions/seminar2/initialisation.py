"""A deeper network whose initial weights keep the scale of the signal from layer to layer."""
import numpy as np

from solutions.seminar1.layers import Linear
from solutions.seminar1.network import NeuralNetwork


def make_mlp(sizes, activation, rng, linear=Linear):
    """NeuralNetwork([linear, activation(), linear, activation(), ..., linear]) with He weights.

    sizes: [d_in, hidden sizes..., n_classes]; e.g. [64, 128, 10] gives
        Linear(64, 128), activation(), Linear(128, 10): no activation after the last layer,
        since NLLLoss takes raw scores.
    activation: a class (any callable of no arguments), called once per hidden layer: every
        hidden layer gets its own activation object.
    rng: a np.random.Generator, the only source of randomness.
    linear: the class of the linear layers, Linear or a subclass of it.
    Each linear layer of shape (n_in, n_out): W_ij ~ N(0, 2 / n_in) (He), b = 0.
    """
    # Part 4 (make_mlp): build the layers, then replace each Linear's W and b.
    ### BEGIN SOLUTION
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if layers:  # an activation between two linear layers, none after the last
            layers.append(activation())
        layer = linear(n_in, n_out)
        # Var[(xW)_j] = n_in Var[W] E[x^2], and ReLU keeps half of E[z^2]: Var[W] = 2 / n_in makes
        # the product 1, so the signal neither fades nor blows up from layer to layer.
        layer.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        layer.b = np.zeros(n_out)
        layers.append(layer)
    return NeuralNetwork(layers)
    ### END SOLUTION
