"""A network is a chain of layers: forward runs them in order, backward in reverse."""


class NeuralNetwork:
    """Sequential container of layers that have forward, backward and step."""

    def __init__(self, modules):
        """modules: a sequence (list, tuple, ...) of layers, first layer first."""
        ### BEGIN SOLUTION
        self.modules = list(modules)
        ### END SOLUTION

    def forward(self, X):
        """Pass X through every layer in order: (N, d_in) -> (N, d_out)."""
        ### BEGIN SOLUTION
        for module in self.modules:
            X = module.forward(X)
        return X
        ### END SOLUTION

    def backward(self, dLdy):
        """Chain rule from the last layer to the first: dL/dY (N, d_out) -> dL/dX (N, d_in)."""
        ### BEGIN SOLUTION
        for module in reversed(self.modules):
            dLdy = module.backward(dLdy)
        return dLdy
        ### END SOLUTION

    def step(self, learning_rate):
        """Update the parameters of every layer once."""
        ### BEGIN SOLUTION
        for module in self.modules:
            module.step(learning_rate)
        ### END SOLUTION
