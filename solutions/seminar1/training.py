"""Full-batch gradient descent."""


def train(network, loss, X, y, learning_rate, n_epochs):
    """Train on the whole of (X, y) for n_epochs gradient descent steps.

    One epoch: L = loss.forward(network.forward(X), y), then
    network.backward(loss.backward()), then network.step(learning_rate).
    Returns: list of n_epochs floats, entry k is the loss before update k.
    """
    ### BEGIN SOLUTION
    losses = []
    for _ in range(n_epochs):
        losses.append(float(loss.forward(network.forward(X), y)))
        network.backward(loss.backward())
        network.step(learning_rate)
    return losses
    ### END SOLUTION
