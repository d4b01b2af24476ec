"""Inputs that notice misuse: loops over samples."""
import numpy as np


class NoRowLoopArray(np.ndarray):
    """A float array that refuses row-by-row access (`for x in X`, `X[i]`, `X[i, j]`).

    Matrix operations, slices and fancy indexing work as usual, so vectorised code
    does not notice it; a loop over samples fails with LoopOverSamples.
    """

    def __iter__(self):
        raise LoopOverSamples("iterated over the rows of its input")

    def __getitem__(self, key):
        first = key[0] if isinstance(key, tuple) and key else key
        if isinstance(first, (int, np.integer)) and self.ndim == 2:
            raise LoopOverSamples(f"indexed its input row by row (X[{first!r}...])")
        return super().__getitem__(key)


class LoopOverSamples(Exception):
    """Raised by NoRowLoopArray; the message says how the rows were reached."""


def row_guarded(X):
    """X viewed as a NoRowLoopArray (the data is shared, not copied)."""
    return np.asarray(X).view(NoRowLoopArray)
