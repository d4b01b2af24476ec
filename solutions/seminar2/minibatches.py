"""Mini-batches: one epoch visits every sample once, in a fresh random order."""


def iterate_minibatches(X, y, batch_size, rng):
    """The mini-batches of one epoch: a list of (X_batch, y_batch) pairs covering (X, y) once.

    X: (N, d), y: (N,). One random order of the N samples, drawn from rng (a np.random.Generator,
    asked once per call), shuffles X and y together; batch k holds the samples at positions
    k * batch_size ... (k + 1) * batch_size - 1 of that order. Every batch has batch_size samples
    except the last, which keeps the N % batch_size left over (when that is not 0).
    Returns [(X_batch (B, d), y_batch (B,)), ...] (a generator yielding the pairs does as well);
    X and y are left as they were.
    """
    # Part 5 (iterate_minibatches): shuffle once, then cut the order into batches.
    ### BEGIN SOLUTION
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    order = rng.permutation(len(X))  # one order for X and y: each row keeps its label
    # Fancy indexing copies, so the caller's X and y stay as they are.
    return [(X[order[start:start + batch_size]], y[order[start:start + batch_size]])
            for start in range(0, len(X), batch_size)]
    ### END SOLUTION
