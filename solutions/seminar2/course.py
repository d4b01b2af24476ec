"""What the course's tools and tests need to know of seminar 2 besides its answers: the fields
of every seminar's facts module (POINTS, WRITTEN, MODEL_ANSWERS, BUG, PARTS, RUN_ALL_BUDGET), each
described in seminar 1's (solutions/seminar1/course.py)."""

POINTS = {
    "relu_forward": 2, "relu_backward": 2, "relu_forward_hidden": 3, "relu_backward_hidden": 3,
    "tanh_forward": 2, "tanh_backward": 2, "tanh_forward_hidden": 2, "tanh_backward_hidden": 3,
    "tanh_stability_hidden": 2, "elu_forward": 2, "elu_backward": 2, "elu_forward_hidden": 3,
    "elu_backward_hidden": 3, "elu_stability_hidden": 2, "make_mlp_layers": 2, "make_mlp_init": 1,
    "make_mlp_hidden": 5, "make_mlp_init_hidden": 3, "iterate_minibatches_epoch": 2,
    "iterate_minibatches_shuffle": 2, "iterate_minibatches_hidden": 5,
    "iterate_minibatches_shuffle_hidden": 4, "predict_values": 2, "predict_hidden": 3, "accuracy_values": 2,
    "accuracy_hidden": 3, "fit_steps": 2, "fit_history": 2, "fit_hidden": 5, "fit_history_hidden": 3,
    "fit_converges": 10, "momentum_step": 2, "momentum_bias": 2, "momentum_hidden": 4,
    "momentum_bias_hidden": 3,
}

WRITTEN = {"activations_discussion": 5, "batch_size_discussion": 5, "mistakes_discussion": 5}

MODEL_ANSWERS = {
    "en": {
        "activations_discussion": "Each sigmoid layer multiplies the gradient by at most 1/4, so the "
                                  "first layer's gradient is about 100 times smaller than the last "
                                  "one's and the early layers barely learn; tanh, ReLU and ELU keep "
                                  "slope 1.",
        "batch_size_discussion": "Small batches make more steps per epoch and get further at the same "
                                 "rate, but fail first at large rates; large batches need larger "
                                 "rates and are faster per epoch.",
        "mistakes_discussion": "About 8 of 359 are wrong, scattered over many pairs; the network "
                               "gives its worst mistakes probabilities above 0.9, so it is "
                               "overconfident.",
    },
    "ru": {
        "activations_discussion": "Каждый слой сигмоиды умножает градиент не больше чем на 1/4, так "
                                  "что градиент первого слоя примерно в 100 раз меньше, чем у "
                                  "последнего, и первые слои почти не учатся; у tanh, ReLU и ELU "
                                  "наклон 1.",
        "batch_size_discussion": "Маленькие батчи делают больше шагов за эпоху и при той же скорости "
                                 "уходят дальше, но первыми проваливаются при больших скоростях; "
                                 "большим батчам нужны большие скорости, зато эпоха проходит быстрее.",
        "mistakes_discussion": "Неверно распознано около 8 из 359, ошибки разбросаны по многим парам; "
                               "худшим ошибкам сеть даёт вероятности больше 0.9, то есть она "
                               "самоуверенна.",
    },
}

BUG = ("predict", "    return np.argmax(network.forward(X), axis=1)",
       "    return np.argmax(network.forward(X), axis=0)  # over the batch")
BUG_COMMENT = {"en": "# over the batch", "ru": "# по батчу"}
BUG_LOSES = ("predict_values", "predict_hidden")

PARTS = {
    "relu": "seminar 2 part 1, the ReLU layer",
    "tanh": "seminar 2 part 2, the Tanh layer",
    "elu": "seminar 2 part 3, the ELU layer",
    "make_mlp": "seminar 2 part 4, a deeper network with He initialisation",
    "iterate_minibatches": "seminar 2 part 5, mini-batches",
    "predict": "seminar 2 part 6, predicted classes",
    "accuracy": "seminar 2 part 6, the accuracy",
    "fit": "seminar 2 part 7, mini-batch SGD with validation, and convergence",
    "momentum": "seminar 2 part 9, SGD with momentum",
    "seminar2": "seminar 2's data, loaders and the claims its prose makes",
}

RUN_ALL_BUDGET = 30
