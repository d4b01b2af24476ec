"""What the course's tools and tests need to know of seminar 1 besides its answers.

One place per seminar: adding a seminar means its package (the answers, solutions/seminarN/),
its checks (checks/seminarN.py), its notebook (source/seminarN/) and this module.
- POINTS: every autograded test cell and its points, the public grading contract (the tests
  hold the notebook's metadata and the grades to it);
- WRITTEN: the written answers, graded by hand, and their points;
- MODEL_ANSWERS: the correct sample's written answers, by language (a language without its own
  gets the English ones);
- BUG: the one-bug sample's single mistake, (answer grade_id, a line of the reference, the line
  with the bug), and the bug's comment in each language; BUG_LOSES: the test cells it costs, all
  of them (the end-to-end tests hold the one-bug sample's grades to it);
- PARTS: the pytest marker of each answer, and what it tags;
- RUN_ALL_BUDGET: seconds for "run all" of the solved notebook (tasks.py bench).
"""

POINTS = {
    "check_gradient_square": 3, "check_gradient_hidden": 7,
    "linear_init": 1, "linear_forward": 2, "linear_backward": 3, "linear_step": 2, "linear_init_hidden": 3,
    "linear_forward_hidden": 3, "linear_backward_hidden": 6, "linear_step_hidden": 3,
    "sigmoid_values": 3, "sigmoid_hidden": 4, "sigmoid_stability_hidden": 3,
    "nll_loss_values": 4, "nll_loss_forward_hidden": 4, "nll_loss_backward_hidden": 5,
    "nll_loss_stability_hidden": 4,
    "neural_network_chain": 3, "neural_network_hidden": 7,
    "train_history": 3, "train_hidden": 7, "train_converges": 10,
    "mse_loss_values": 3, "mse_loss_hidden": 7,
}

WRITTEN = {"lr_discussion": 5, "mse_discussion": 5}

MODEL_ANSWERS = {
    "en": {
        "lr_discussion": "Rates 0.1 and 0.3 stay on the plateau within 1000 epochs; 1 and 3 leave it "
                         "and converge for every seed, sooner at 3; at 10 the loss jumps around and "
                         "most runs fail, and at 30 every run fails because the sigmoids saturate.",
        "mse_discussion": "NLL trains at rates 1 and 3, MSE only at 0.3, and MSE blows up from 1 on: "
                          "its gradient 2(X - Y)/N grows with the error, NLL's (P - onehot)/N is "
                          "bounded, and its curvature at the start, about 7 against NLL's 1.2, allows "
                          "rates up to about 0.28 only. The boundaries agree near the data and differ "
                          "away from it.",
    },
    "ru": {
        "lr_discussion": "При 0.1 и 0.3 сеть за 1000 эпох не уходит с плато; при 1 и 3 уходит и "
                         "сходится при любом seed, при 3 раньше; при 10 потери скачут и большинство "
                         "запусков проваливается, а при 30 проваливаются все, потому что сигмоиды "
                         "насыщаются.",
        "mse_discussion": "NLL обучается при скоростях 1 и 3, MSE — только при 0.3, а начиная с 1 MSE "
                          "расходится: её градиент 2(X - Y)/N растёт вместе с ошибкой, а у NLL (P - "
                          "onehot)/N ограничен, и её кривизна в начале, около 7 против 1.2 у NLL, "
                          "допускает скорости не больше примерно 0.28. Границы совпадают рядом с "
                          "данными и различаются вдали от них.",
    },
}

BUG = ("mse_loss", "        return 2 * self.diff / len(self.diff)",
       "        return self.diff / len(self.diff)  # forgot the factor 2")
BUG_COMMENT = {"en": "# forgot the factor 2", "ru": "# забыт множитель 2"}
BUG_LOSES = ("mse_loss_values", "mse_loss_hidden")

PARTS = {
    "check_gradient": "part 1, the numerical gradient check",
    "linear": "part 2, the Linear layer",
    "sigmoid": "part 3, the Sigmoid layer",
    "nll_loss": "part 4, softmax + negative log-likelihood",
    "neural_network": "part 5, the network container",
    "train": "part 6, the training loop and convergence",
    "mse_loss": "homework 2, the MSE loss",
}

RUN_ALL_BUDGET = 20
