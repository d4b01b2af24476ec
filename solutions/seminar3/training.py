"""Training with any optimizer: a learning rate per epoch, validation loss, and the best weights kept."""
import numpy as np


def fit(network, loss, optimizer, batches, validate, schedule, n_epochs):
    """Train for n_epochs epochs; at the end the network holds the weights of its best epoch.

    Every epoch:
    - learning_rate = schedule(epoch) (epoch = 0, 1, ..., n_epochs - 1), called once at its start;
    - network.train(), then for each (X_batch (B, d), y_batch (B,)) of batches() (called once):
      L = loss.forward(network.forward(X_batch), y_batch), network.backward(loss.backward()),
      optimizer.step(network.params(), learning_rate);
    - network.eval(), then val_loss, val_accuracy = validate() (called once).
    After the epoch with the lowest validation loss so far, keep a copy of every value of
    network.params(); at the end, copy them back into those arrays.
    Returns {"train_loss": n_epochs floats, each the mean of that epoch's batch losses,
             "val_loss": and "val_accuracy": what validate() returned after each epoch,
             "learning_rate": each epoch's learning rate}.
    """
    # Part 6 (fit)
    ### BEGIN SOLUTION
    history = {"train_loss": [], "val_loss": [], "val_accuracy": [], "learning_rate": []}
    best_loss, best_values = np.inf, None
    for epoch in range(n_epochs):
        learning_rate = schedule(epoch)
        network.train()
        batch_losses = []
        for X_batch, y_batch in batches():
            batch_losses.append(float(loss.forward(network.forward(X_batch), y_batch)))
            network.backward(loss.backward())
            optimizer.step(network.params(), learning_rate)  # new gradient arrays after every backward
        network.eval()
        val_loss, val_accuracy = validate()
        history["train_loss"].append(float(np.mean(batch_losses)))
        history["val_loss"].append(float(val_loss))
        history["val_accuracy"].append(float(val_accuracy))
        history["learning_rate"].append(float(learning_rate))
        if val_loss < best_loss:
            # Copies: the arrays themselves keep changing as training goes on.
            best_loss, best_values = val_loss, [value.copy() for value, _ in network.params()]
    if best_values is not None:
        for (value, _), best in zip(network.params(), best_values):
            value[...] = best  # into the layers' own arrays
    return history
    ### END SOLUTION
