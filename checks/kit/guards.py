"""Inputs that notice misuse: loops over samples.

The classes live beside the wire protocol (checks.protocol.rowguard), so that an
array guarded in the grader stays guarded in the student's process and the exception
keeps its class, and its fields, on the way back.
"""
import numpy as np

from ..protocol import words
from ..protocol.rowguard import LoopOverSamples, NoRowLoopArray

__all__ = ["LoopOverSamples", "NoRowLoopArray", "loop_in_words", "row_guarded"]


def row_guarded(X):
    """X viewed as a NoRowLoopArray (the data is shared, not copied)."""
    return np.asarray(X).view(NoRowLoopArray)


def loop_in_words(loop):
    """What the row guard saw (a LoopOverSamples), in the current language."""
    return words.loop_in_words(loop.fields)
