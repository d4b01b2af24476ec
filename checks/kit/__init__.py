"""The check kit: what every seminar's hidden checks are made of.

- registry: HiddenChecks, the declaration of each check beside its grade_id and points;
- feedback: GradingFailure, and `call`, which turns whatever student code raises into a
  message that names the call;
- expect: comparisons that fail with the quantity, the gap and the input in words;
- numeric: numerical gradients, the independent oracle for every backward pass;
- guards: inputs that refuse a loop over samples;
- `t` and `speaking`, from checks.i18n: every message in the student's language;
- beside: the course's own code run where the student's code runs (a training loop);
- activation: the forward, backward and stability checks of an activation layer;
- copies: independent copies of the course's layers and networks, and their weights;
- stubs: stand-in layers, networks and losses that record how student code calls them;
- history: a training loop's per-epoch losses, read and checked.
"""
from .activation import (check_activation_backward, check_activation_forward, check_activation_stability,
                         expect_finite, explain_activation_gradient, signed_inputs)
from .beside import class_name, define_beside, items_of, source_of
from .copies import copy_layer, copy_layers, copy_network, parameters_of
from .expect import (GRADIENT_RTOL, advise, as_array, expect_close, expect_gradient, expect_scalar,
                     expect_shape, expect_unchanged, explain, scalar_multiple, seeded, shape_note,
                     strictly)
from .feedback import GradingFailure, attribute, call, describe, fail
from .guards import LoopOverSamples, loop_in_words, row_guarded
from .history import as_fit_history, as_loss_history, check_epoch_losses
from ..i18n import speaking, t
from .numeric import EPS, numerical_gradient, projection_gradient_error, relative_error
from .registry import HiddenCheck, HiddenChecks
from .stubs import CallLog, CountdownLoss, FixedScores, Logged, RecordingLayer, StubActivation

__all__ = [
    "GRADIENT_RTOL", "advise", "as_array", "explain", "scalar_multiple", "expect_close", "expect_gradient", "expect_scalar", "expect_shape",
    "expect_unchanged", "seeded", "shape_note", "strictly", "GradingFailure", "attribute", "call", "describe", "fail",
    "LoopOverSamples", "loop_in_words", "row_guarded", "EPS", "numerical_gradient", "projection_gradient_error",
    "relative_error", "HiddenCheck", "HiddenChecks", "speaking", "t", "class_name", "define_beside", "items_of", "source_of",
    "check_activation_backward", "check_activation_forward", "check_activation_stability", "expect_finite",
    "explain_activation_gradient", "signed_inputs", "copy_layer", "copy_layers", "copy_network", "parameters_of",
    "CallLog", "CountdownLoss", "FixedScores", "Logged", "RecordingLayer", "StubActivation",
    "as_fit_history", "as_loss_history", "check_epoch_losses",
]
