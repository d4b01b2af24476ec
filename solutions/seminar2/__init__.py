"""Reference solutions of seminar 2, the source of its notebook's answer cells.

ANSWER_CELLS maps every autograded answer cell's grade_id, in notebook order, to the object
whose source is that cell, solution regions included. GIVEN_CELLS maps each read-only cell
that hands students code (seminar 1's bricks) to the objects whose sources the cell holds,
modules included. GIVEN_FILES maps each file handed out beside the notebook to the module
whose source it is: the data loaders, which the notebook imports (grading never runs them, so
they need not be a read-only cell). tools/sync_course.py writes all three.

Seminar 1's bricks come from solutions.seminar1 itself, so the two seminars cannot drift apart.
"""
import solutions.seminar1.gradcheck as seminar1_gradcheck
from solutions.seminar1 import Linear, NeuralNetwork, NLLLoss, Sigmoid

from . import data
from .activations import ELU, ReLU, Tanh
from .initialisation import make_mlp
from .metrics import accuracy, predict
from .minibatches import iterate_minibatches
from .momentum import LinearMomentum
from .training import fit

ANSWER_CELLS = {
    "relu": ReLU,
    "tanh": Tanh,
    "elu": ELU,
    "make_mlp": make_mlp,
    "iterate_minibatches": iterate_minibatches,
    "predict": predict,
    "accuracy": accuracy,
    "fit": fit,
    "momentum": LinearMomentum,
}

GIVEN_CELLS = {
    "seminar1_bricks": (seminar1_gradcheck, Linear, Sigmoid, NLLLoss, NeuralNetwork),
}

GIVEN_FILES = {
    "data_loaders.py": data,
}

__all__ = ["ReLU", "Tanh", "ELU", "make_mlp", "iterate_minibatches", "predict", "accuracy", "fit",
           "LinearMomentum", "data", "ANSWER_CELLS", "GIVEN_CELLS", "GIVEN_FILES"]
