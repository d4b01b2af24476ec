"""Mini-batch stochastic gradient descent, watched on a validation set."""
import numpy as np


def fit(network, loss, batches, validate, learning_rate, n_epochs):
    """Train with mini-batch SGD for n_epochs epochs; return the history of the run.

    batches: a function of no arguments; batches() returns the mini-batches of one epoch, a list
        of (X_batch (B, d), y_batch (B,)): call it once at the start of every epoch.
    validate: a function of no arguments returning the network's validation accuracy, a float:
        call it once at the end of every epoch.
    For each batch: L = loss.forward(network.forward(X_batch), y_batch), then
        network.backward(loss.backward()), then network.step(learning_rate).
    Returns {"train_loss": n_epochs floats, each the mean of that epoch's batch losses,
             "val_accuracy": n_epochs floats, what validate() returned after that epoch}.
    """
    # Part 7 (fit)
    ### BEGIN SOLUTION
    history = {"train_loss": [], "val_accuracy": []}
    for _ in range(n_epochs):
        batch_losses = []
        for X_batch, y_batch in batches():  # a new shuffle every epoch
            batch_losses.append(float(loss.forward(network.forward(X_batch), y_batch)))
            network.backward(loss.backward())
            network.step(learning_rate)
        history["train_loss"].append(float(np.mean(batch_losses)))
        history["val_accuracy"].append(float(validate()))
    return history
    ### END SOLUTION
