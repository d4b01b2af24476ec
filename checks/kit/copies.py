"""Independent copies of the course's layers and networks, and their weights.

A check that trains a network twice (once with the student's code, once with the reference's)
starts both from copies of one network, so that neither run sees what the other changed, and
compares the weights afterwards. The layers and networks are the check's own (the reference
bricks, which the seminar passes in): a network is NeuralNetwork(layers), its layers in
`modules`; a layer with parameters holds them as W (n_in, n_out) and b (n_out,).
"""
import numpy as np


def copy_layer(layer):
    """A layer of the same class with a copy of every attribute (arrays and numbers), made
    without calling its constructor (Linear's would draw from the global random generator)."""
    copy = type(layer).__new__(type(layer))
    copy.__dict__ = {key: np.copy(value) for key, value in layer.__dict__.items()}
    return copy


def copy_layers(layers):
    """[copy_layer(layer) for each layer], in order."""
    return [copy_layer(layer) for layer in layers]


def copy_network(network):
    """A network of the same class whose layers are copies of network.modules."""
    return type(network)(copy_layers(network.modules))


def parameters_of(network):
    """Copies of W of every layer of the network that has weights, in order, then of b of each."""
    weighted = [layer for layer in network.modules if hasattr(layer, "W")]
    return [layer.W.copy() for layer in weighted] + [layer.b.copy() for layer in weighted]
