"""Reference solutions of seminar 3, the source of its notebook's answer cells.

ANSWER_CELLS maps every autograded answer cell's grade_id, in notebook order, to the object
whose source is that cell, solution regions included. GIVEN_CELLS maps each read-only cell
that hands students code to the objects whose sources the cell holds, modules included: seminar
1's and 2's bricks, then what seminar 3 adds to them (parameters an optimizer can update, a
training and an evaluation mode). GIVEN_FILES maps each file handed out beside the notebook to
the module whose source it is: the data loaders. tools/sync_course.py writes all three.

One class, SGD(momentum=mu), is both plain SGD (mu = 0, the default) and SGD with momentum, as
in PyTorch's torch.optim.SGD: the issue's "SGD and Momentum objects" are SGD() and
SGD(momentum=0.9), and the answer cell `optimizers` defines one class, as every answer cell does.

The bricks come from solutions.seminar1 and solutions.seminar2 themselves, so the seminars cannot
drift apart. Order matters in the read-only cell: seminar 3's Linear and NeuralNetwork extend
seminar 1's under the same names (class Linear(Linear)), and make_mlp comes after them, so that
its default `linear=Linear` is the Linear with params().
"""
import solutions.seminar1.gradcheck as seminar1_gradcheck
from solutions.seminar1 import Linear as Seminar1Linear
from solutions.seminar1 import NeuralNetwork as Seminar1NeuralNetwork
from solutions.seminar1 import NLLLoss, Sigmoid
from solutions.seminar2 import ReLU, accuracy, iterate_minibatches, make_mlp, predict

from . import data
from .batchnorm import BatchNorm
from .given import Linear, NeuralNetwork
from .optimizers import SGD, Adam
from .regularisation import Dropout, weight_decay
from .training import fit

ANSWER_CELLS = {
    "optimizers": SGD,
    "adam": Adam,
    "weight_decay": weight_decay,
    "dropout": Dropout,
    "batchnorm": BatchNorm,
    "fit": fit,
}

GIVEN_CELLS = {
    "given_bricks": (seminar1_gradcheck, Seminar1Linear, Sigmoid, NLLLoss, Seminar1NeuralNetwork, Linear,
                     NeuralNetwork, ReLU, make_mlp, iterate_minibatches, predict, accuracy),
}

GIVEN_FILES = {
    "data_loaders.py": data,
}

__all__ = ["SGD", "Adam", "weight_decay", "Dropout", "BatchNorm", "fit", "Linear", "NeuralNetwork", "Sigmoid",
           "NLLLoss", "ReLU", "make_mlp", "iterate_minibatches", "predict", "accuracy", "data", "ANSWER_CELLS",
           "GIVEN_CELLS", "GIVEN_FILES"]
