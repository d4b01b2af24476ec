"""The check kit: what every seminar's hidden checks are made of.

- registry: HiddenChecks, the declaration of each check beside its grade_id and points;
- feedback: GradingFailure, and `call`, which turns whatever student code raises into a
  message that names the call;
- expect: comparisons that fail with the quantity, the gap and the input in words;
- numeric: numerical gradients, the independent oracle for every backward pass;
- guards: inputs that refuse a loop over samples;
- i18n: `t`, every message in the student's language (catalogues locale_<code>);
- beside: the course's own code run where the student's code runs (a training loop).
"""
from .beside import class_name, define_beside, items_of, source_of
from .expect import (GRADIENT_RTOL, advise, as_array, expect_close, expect_gradient, expect_scalar,
                     expect_shape, expect_unchanged, explain, scalar_multiple, seeded, shape_note,
                     strictly)
from .feedback import GradingFailure, call, describe, fail
from .guards import LoopOverSamples, loop_in_words, row_guarded
from .i18n import speaking, t
from .numeric import EPS, numerical_gradient, projection_gradient_error, relative_error
from .registry import HiddenCheck, HiddenChecks

__all__ = [
    "GRADIENT_RTOL", "advise", "as_array", "explain", "scalar_multiple", "expect_close", "expect_gradient", "expect_scalar", "expect_shape",
    "expect_unchanged", "seeded", "shape_note", "strictly", "GradingFailure", "call", "describe", "fail",
    "LoopOverSamples", "loop_in_words", "row_guarded", "EPS", "numerical_gradient", "projection_gradient_error",
    "relative_error", "HiddenCheck", "HiddenChecks", "speaking", "t", "class_name", "define_beside", "items_of", "source_of",
]
