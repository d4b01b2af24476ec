"""Loss histories: what a student's training loop returns, one value per epoch, read into
floats (or a failure that says what came back instead), and checked against the losses the
loop was shown.

Two forms: train's list of losses (seminar 1) and fit's dict {"train_loss": [...],
"val_accuracy": [...]} (seminar 2 on).
"""
import numpy as np

from .feedback import describe, fail
from ..i18n import t


def as_loss_history(history, n_epochs):
    """train's result as a list of n_epochs floats, or a failure that says what came back."""
    if history is None:
        fail(t("train returned None: did you forget `return losses`?"))
    try:
        values = [float(value) for value in history]
    except (TypeError, ValueError):
        fail(t("train returned {value}, expected a list of {n} floats, one loss per epoch",
               value=describe(history), n=n_epochs))
    if len(values) != n_epochs:
        fail(t("train returned {count} losses for n_epochs = {n}, expected one per epoch", count=len(values),
               n=n_epochs))
    return values


def as_fit_history(history, n_epochs):
    """fit's result as {'train_loss': [floats], 'val_accuracy': [floats]}, n_epochs of each, or a
    failure that says what came back."""
    if not isinstance(history, dict):
        fail(t("fit returned {value}; return a dict with the lists 'train_loss' and 'val_accuracy'",
               value=describe(history)))
    result = {}
    for key in ("train_loss", "val_accuracy"):
        if key not in history:
            fail(t("fit's history has the keys {keys}; it needs 'train_loss' and 'val_accuracy'",
                   keys=sorted(map(str, history))))
        try:
            values = [float(value) for value in history[key]]
        except (TypeError, ValueError):
            fail(t("history['{key}'] is {value}, expected a list of {n} floats", key=key,
                   value=describe(history[key]), n=n_epochs))
        if len(values) != n_epochs:
            fail(t("history['{key}'] has {count} entries for n_epochs = {n}: one per epoch", key=key,
                   count=len(values), n=n_epochs))
        result[key] = values
    return result


def check_epoch_losses(train_loss, log, setting, batches_per_epoch=3):
    """train_loss[k] is the mean of the values loss.forward returned in epoch k.

    train_loss: the history's floats, one per epoch; log: the (name, value) calls a Logged loss
    wrote, of which the ("loss.forward", loss) entries count, batches_per_epoch to an epoch;
    setting: the run in words, for messages (" (3 epochs of 3 batches, ...)").
    """
    values = [float(value) for name, value in log if name == "loss.forward"]
    epochs = [values[k:k + batches_per_epoch] for k in range(0, len(values), batches_per_epoch)]
    for index, (got, losses) in enumerate(zip(train_loss, epochs)):
        mean = float(np.mean(losses))
        if abs(got - mean) > 1e-9 * max(1.0, abs(mean)):
            hint = (t("the last batch's loss") if abs(got - losses[-1]) < 1e-12 else
                    t("the first batch's loss") if abs(got - losses[0]) < 1e-12 else
                    t("the sum of the batch losses") if abs(got - sum(losses)) < 1e-9 else "")
            # One message, the hint a field of it: a Text joined to another with + is a plain string,
            # and loses the id the class report counts the mistake by.
            fail(t("history['train_loss'][{index}] is {got:.6g}, but the mean of epoch {epoch}'s batch "
                   "losses {losses} is {mean:.6g}{setting}{hint}", index=index, got=got, epoch=index + 1,
                   losses=[round(v, 6) for v in losses], mean=mean, setting=setting,
                   hint=t(": that is {what}", what=hint) if hint else ""))
