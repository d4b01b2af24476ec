"""What the course's tools and tests need to know of seminar 3 besides its answers: the fields
of every seminar's facts module (POINTS, WRITTEN, MODEL_ANSWERS, BUG, BUG_LOSES, PARTS, RUN_ALL_BUDGET), each
described in seminar 1's (solutions/seminar1/course.py)."""

POINTS = {
    # optimizers (12): SGD, with and without momentum
    "optimizers_sgd": 2, "optimizers_momentum": 2, "optimizers_hidden": 4, "optimizers_momentum_hidden": 4,
    # adam (14)
    "adam_first_step": 2, "adam_values": 2, "adam_hidden": 6, "adam_extremes_hidden": 4,
    # weight_decay (10)
    "weight_decay_values": 3, "weight_decay_hidden": 4, "weight_decay_bias_hidden": 3,
    # dropout (14)
    "dropout_train": 2, "dropout_eval": 2, "dropout_forward_hidden": 4, "dropout_backward_hidden": 3,
    "dropout_eval_hidden": 3,
    # batchnorm (20)
    "batchnorm_forward": 2, "batchnorm_backward": 2, "batchnorm_forward_hidden": 4, "batchnorm_backward_hidden": 5,
    "batchnorm_eval_hidden": 4, "batchnorm_zero_variance_hidden": 3,
    # fit (15), and the convergence test (15), which trains your Adam, BatchNorm and fit together
    "fit_schedule": 2, "fit_best": 2, "fit_hidden": 4, "fit_history_hidden": 3, "fit_best_hidden": 4,
    "fit_converges": 15,
}

WRITTEN = {"weight_decay_discussion": 5, "batchnorm_discussion": 5, "learning_rate_discussion": 5}

# Their claims, like the prose's, were measured over seeds 0-49 and are checked over 0-29 by
# tests/test_seminar3_claims.py, which quotes each sentence it checks.
MODEL_ANSWERS = {
    "en": {
        "weight_decay_discussion": "Light decay (1e-4 to 1e-3) usually ends with a lower validation loss than "
                                   "none, with about the same accuracy; the norm of W1 falls as the strength "
                                   "grows. Without decay the first-layer weights look noisy, with strong decay "
                                   "they are smoother and smaller; too much decay (1e-2) underfits: its "
                                   "validation loss ends higher than without decay.",
        "batchnorm_discussion": "A sigmoid's slope is at most 1/4, so through four of them the first layers "
                                "get a gradient about a hundred times smaller and barely learn. Batch norm "
                                "brings every sigmoid's input back to mean 0 and variance 1, where the slope "
                                "is largest, so the gradient reaches the first layers and the network learns.",
        "learning_rate_discussion": "SGD and momentum train well only near one learning rate and fail away "
                                    "from it; Adam divides each step by the running size of its gradient, so "
                                    "its steps are about the learning rate whatever the gradient's scale, and "
                                    "the rate that suits it depends less on the network.",
    },
    "ru": {
        "weight_decay_discussion": "Слабое затухание весов (от 1e-4 до 1e-3) обычно даёт в конце меньшие потери "
                                   "на валидации, чем без него, при примерно той же точности; норма W1 падает с "
                                   "ростом силы. Без затухания веса первого слоя выглядят шумными, при сильном "
                                   "затухании они глаже и меньше; слишком сильное затухание (1e-2) ведёт к "
                                   "недообучению: потери на валидации в конце выше, чем без затухания.",
        "batchnorm_discussion": "Наклон сигмоиды не больше 1/4, так что через четыре сигмоиды первые слои "
                                "получают градиент примерно в сто раз меньше и почти не учатся. Батч-нормализация "
                                "возвращает вход каждой сигмоиды к среднему 0 и дисперсии 1, где наклон "
                                "наибольший, поэтому градиент доходит до первых слоёв и сеть учится.",
        "learning_rate_discussion": "SGD и momentum хорошо обучаются только около одной скорости обучения и "
                                    "проваливаются вдали от неё; Adam делит каждый шаг на скользящий размер "
                                    "своего градиента, так что его шаги порядка скорости обучения при любом "
                                    "масштабе градиента, и подходящая скорость меньше зависит от сети.",
    },
}

BUG = ("dropout", "        self.scale = keep / (1 - self.p)  # what each entry was multiplied by",
       "        self.scale = keep * 1.0  # forgot to divide by 1 - p")
BUG_COMMENT = {"en": "# forgot to divide by 1 - p", "ru": "# забыли разделить на 1 - p"}
# Dropout's backward and its evaluation mode stay right: the bug costs the forward pass's cells alone.
BUG_LOSES = ("dropout_train", "dropout_forward_hidden")

PARTS = {
    "optimizers": "seminar 3 part 1, SGD with momentum as an optimizer",
    "adam": "seminar 3 part 2, Adam",
    "weight_decay": "seminar 3 part 3, weight decay",
    "dropout": "seminar 3 part 4, inverted dropout",
    "batchnorm": "seminar 3 part 5, batch normalisation",
    "fit": "seminar 3 part 6, fit with a schedule and early stopping, and convergence",
    "seminar3": "seminar 3's data, loaders and the claims its prose makes",
}

RUN_ALL_BUDGET = 30
