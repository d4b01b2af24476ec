"""Checks of an activation layer: a layer with forward(X) -> Y, backward(dLdy) -> dL/dX and
step(learning_rate), no parameters, applying one function f entry by entry (ReLU, tanh, ELU).

Each check takes the layer's name for messages ("ELU", "ELU(alpha=0.5)"), a function that makes
the student's layer (the answer itself, or a lambda that passes arguments), and the true f, and
its derivative f' where it needs one, as numpy functions of an array. X and dL/dY are (N, d)
batches; every call of student code goes through `call`, so a crash names the call.
"""
import numpy as np

from .expect import advise, expect_close, expect_shape, expect_unchanged, seeded, shape_note, strictly
from .feedback import call, fail
from .guards import LoopOverSamples, loop_in_words, row_guarded
from ..i18n import t
from .numeric import numerical_gradient


def signed_inputs(rng, shape, scale=2.0):
    """Random entries of both signs, at least 0.05 away from 0 (the kink of ReLU and ELU)."""
    return rng.choice([-1.0, 1.0], size=shape) * (0.05 + scale * np.abs(rng.randn(*shape)))


def _label(name):
    """How the layer is made, for messages: "ReLU" -> "ReLU()"; "ELU(alpha=0.5)" stays."""
    return name if name.endswith(")") else f"{name}()"


def explain_activation_gradient(name, dX, expected, local, X, dLdy):
    """A failure that says where backward is wrong and what it computed there.

    dX: what backward returned for the upstream gradient dLdy at input X (all (N, d));
    expected: the numerical dL/dX; local: the numerical derivative of the activation itself.
    dX / dLdy is the local derivative a backward pass applied, entry by entry: comparing it
    with the true one names the mistake (2 instead of 1 for x > 0, the upstream gradient
    ignored, ...).
    """
    what = t("dL/dX (returned by {name})", name=f"{name}.backward")
    note = t("{note}, dL/dY random, so it must be used", note=shape_note(X=X, dLdy=dLdy))
    dX = expect_shape(what, dX, X.shape, note)
    if not np.all(np.isfinite(dX)):
        fail(t("{what} is not finite{note}", what=what, note=note))
    wrong = ~np.isclose(dX, expected, rtol=1e-5, atol=1e-7)
    if not wrong.any():
        return
    if np.allclose(dX, local, rtol=1e-5, atol=1e-7):
        fail(t("{what} is the local derivative alone: multiply it by the upstream gradient, "
               "dL/dX = dL/dY * {name}'(X){note}", what=what, name=name, note=note))
    where = (t("everywhere") if wrong[X > 0].any() and wrong[X < 0].any()
             else t("where X > 0") if wrong[X > 0].any() else t("where X < 0"))
    worst = np.unravel_index(np.argmax(np.abs(dX - expected) * wrong), X.shape)
    x, applied, true = X[worst], dX[worst] / dLdy[worst], local[worst]
    fail(t("{what} is wrong {where}: at X = {x:.4g} it gives dL/dX = {applied:.4g} * dL/dY, "
           "but the derivative there is {true:.4g}{note}", what=what, where=where, x=x, applied=applied,
           true=true, note=note))


def check_activation_forward(name, make_layer, function, seed):
    """Values on inputs of both signs (X of shape (5, 4) from `seed`), X left as it was, no loop
    over samples."""
    rng = seeded(seed)
    X = signed_inputs(rng, (5, 4))
    X_before = X.copy()
    layer = call(_label(name), make_layer)
    Y = call(f"{name}.forward", layer.forward, X)
    expect_unchanged(f"{name}.forward", X_before, X)
    Y = expect_shape(f"{name}.forward(X)", Y, X.shape, shape_note(X=X))
    if np.allclose(Y, X_before):
        fail(t("{name}.forward returned its input unchanged{note}: apply the activation", name=name,
               note=shape_note(X=X)))
    expect_close(f"{name}.forward(X)", Y, function(X_before), shape_note(X=X))
    try:
        call(_label(name), make_layer).forward(row_guarded(X_before))
    except LoopOverSamples as loop:
        fail(t("{name}.forward {loop}: compute elementwise on the whole array (np.maximum, np.where, ...), "
               "not in a loop over samples", name=name, loop=loop_in_words(loop)))


def check_activation_backward(name, make_layer, function, seed):
    """dL/dX against numerical gradients for a random upstream gradient, after two forward calls
    (backward uses the last), step, no loop over samples; inputs (5, 4) from `seed`. The forward
    calls get copies, so a forward pass that changes its input costs only the forward test."""
    rng = seeded(seed)
    X_stale, X, dLdy = signed_inputs(rng, (5, 4)), signed_inputs(rng, (5, 4)), rng.randn(5, 4)
    layer = call(_label(name), make_layer)
    call(f"{name}.forward", layer.forward, X_stale.copy())
    call(f"{name}.forward", layer.forward, X.copy())
    expected = numerical_gradient(lambda X_: np.sum(dLdy * function(X_)), X.copy())
    local = numerical_gradient(lambda X_: np.sum(function(X_)), X.copy())
    explain_activation_gradient(name, call(f"{name}.backward", layer.backward, dLdy.copy()), expected, local,
                                X, dLdy)
    call(f"{name}.step", layer.step, 0.1)
    try:
        call(f"{name}.forward", layer.forward, X.copy())
        layer.backward(row_guarded(dLdy))
    except LoopOverSamples as loop:
        fail(t("{name}.backward {loop}: multiply elementwise on the whole array, not in a loop over samples",
               name=name, loop=loop_in_words(loop)))


def expect_finite(values, note, hint):
    """Each value of the (what, value) pairs is finite everywhere, or a failure that names it, the
    input (note: " for X = ...") and the remedy (hint)."""
    for what, value in values:
        if not np.all(np.isfinite(value)):
            fail(t("{what} is {value}{note}, not finite: {hint}", what=what, value=value.tolist(), note=note,
                   hint=hint))


def check_activation_stability(name, make_layer, function, derivative, hint):
    """Inputs of +-1000 give finite values and gradients. Numpy's overflow warnings are harmless
    (advice only). The values at +-1000 are held to the right ones only where the layer is right on
    ordinary inputs: a wrong formula is its own tests' business, not this one's.
    hint: how to compute without overflow, said with every failure."""
    ordinary = np.array([[-3.0, -0.5, 0.7, 2.5]])
    extreme = np.array([[-1000.0, -40.0, -1.0, 0.5, 40.0, 1000.0]])
    note = t(" for X = {X}", X=extreme.tolist())
    layer = call(_label(name), make_layer)
    with np.errstate(all="ignore"):  # warnings are harmless: only the values are graded
        Y0 = call(f"{name}.forward", layer.forward, ordinary.copy())
        dX0 = call(f"{name}.backward", layer.backward, np.ones_like(ordinary))
        forward_right = np.shape(Y0) == ordinary.shape and np.allclose(Y0, function(ordinary))
        backward_right = np.shape(dX0) == ordinary.shape and np.allclose(dX0, derivative(ordinary))
        Y = expect_shape(f"{name}.forward(X)", call(f"{name}.forward" + note, layer.forward, extreme.copy()),
                         extreme.shape, note)
        dX = expect_shape(f"{name}.backward(ones)", call(f"{name}.backward" + note, layer.backward,
                                                        np.ones_like(extreme)), extreme.shape, note)
    expect_finite(((f"{name}.forward(X)", Y), (f"{name}.backward(ones)", dX)), note, hint)
    if forward_right:
        expect_close(f"{name}.forward(X)", Y, function(extreme), f"{note}: {hint}", atol=1e-12)
    if backward_right:
        expect_close(f"{name}.backward(ones)", dX, derivative(extreme), f"{note}: {hint}", atol=1e-12)
    try:
        strictly(layer.forward, extreme.copy())
        strictly(layer.backward, np.ones_like(extreme))
    except FloatingPointError:
        advise(t("your {name} gives the right values, but numpy warns of an overflow{note}. {hint}.", name=name,
                 note=note, hint=hint))
    except Exception:  # graded above; the advice is only about warnings
        pass
