"""An input that notices a loop over samples, in the grader and in the student's process alike.

A hidden check hands student code a NoRowLoopArray; matrix operations, slices and fancy
indexing work as usual, while `for x in X`, `X[i]` or `X[i, j]` raise LoopOverSamples.
The wire protocol carries the array's kind across the process boundary (and the
exception's class back), so the guard works the same on both sides.
"""
import numpy as np

if __package__:  # imported by the grader as checks.protocol.rowguard
    from . import wire
else:            # run in the sandbox next to wire.py, as a plain module
    import wire


class LoopOverSamples(wire.FieldsError):
    """Raised by NoRowLoopArray. fields: how the rows were reached, {"how": "iterated"} or
    {"how": "indexed", "index": "X[0...]"}."""


class NoRowLoopArray(np.ndarray):
    """A 2-D float array that refuses row-by-row access (`for x in X`, `X[i]`, `X[i, j]`)."""

    def __iter__(self):
        raise LoopOverSamples.of("iterated over the rows of its input", how="iterated")

    def __getitem__(self, key):
        first = key[0] if isinstance(key, tuple) and key else key
        # A single row is no batch to loop over: X.mean(axis=0, keepdims=True)[0] is fine.
        if isinstance(first, (int, np.integer)) and self.ndim == 2 and self.shape[0] > 1:
            index = f"X[{first!r}...]"
            raise LoopOverSamples.of(f"indexed its input row by row ({index})", how="indexed", index=index)
        return super().__getitem__(key)


wire.register_array_kind("no-row-loop", NoRowLoopArray)
wire.register_error(LoopOverSamples)
