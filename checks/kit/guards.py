"""Inputs that notice misuse: loops over samples.

The classes live beside the engine's wire protocol (checks.engine.rowguard), so that an
array guarded in the grader stays guarded in the student's process and the exception
keeps its class on the way back.
"""
import re

import numpy as np

from ..engine.rowguard import LoopOverSamples, NoRowLoopArray
from .i18n import t

__all__ = ["LoopOverSamples", "NoRowLoopArray", "loop_in_words", "row_guarded"]


def row_guarded(X):
    """X viewed as a NoRowLoopArray (the data is shared, not copied)."""
    return np.asarray(X).view(NoRowLoopArray)


_INDEXED = re.compile(r"^indexed its input row by row \((?P<index>.*)\)$")


def loop_in_words(loop):
    """What the row guard saw (checks.engine.rowguard), in the current language."""
    message = str(loop)
    if message == "iterated over the rows of its input":
        return t("iterated over the rows of its input")
    match = _INDEXED.match(message)
    if match:
        return t("indexed its input row by row ({index})", index=match.group("index"))
    return message
