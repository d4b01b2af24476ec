"""The reference package against numerical gradients, and on the seminar's training task."""
import warnings

import numpy as np
import pytest

import solutions.seminar1 as ref
from checks.datasets import RING_RADII, three_blobs, three_rings
from checks.kit import numerical_gradient, projection_gradient_error, relative_error

RNG = np.random.RandomState(2024)


def upstream_check(forward, backward, X, R):
    """Relative error of backward(R) against d/dX sum(R * forward(X))."""
    expected = numerical_gradient(lambda X_: np.sum(R * forward(X_)), X.copy())
    forward(X)
    return relative_error(backward(R), expected)


def test_numerical_gradient_matches_calculus():
    X = RNG.randn(3, 4)
    assert relative_error(numerical_gradient(lambda X_: np.sum(np.sin(X_)), X), np.cos(X)) < 1e-8
    assert projection_gradient_error(lambda X_: np.sum(X_ ** 3), X, 3 * X ** 2) < 1e-7
    assert projection_gradient_error(lambda X_: np.sum(X_ ** 3), X, 3 * X ** 2 + 0.1) > 1e-3


@pytest.mark.check_gradient
def test_check_gradient_small_for_right_gradient_and_restores_X():
    X = RNG.randn(5, 3)
    before = X.copy()
    assert ref.check_gradient(lambda X_: np.sum(np.exp(X_)), X, np.exp(X)) < 1e-7
    assert np.array_equal(X, before)
    assert ref.check_gradient(lambda X_: np.sum(np.exp(X_)), X, np.exp(X) + 1e-3) > 9e-4
    with pytest.raises(TypeError):
        ref.check_gradient(lambda X_: np.sum(X_), np.ones((2, 2), dtype=int), np.ones((2, 2)))


@pytest.mark.linear
@pytest.mark.parametrize("n_samples, n_in, n_out", [(1, 1, 1), (4, 3, 5), (6, 4, 4), (7, 5, 2)])
def test_linear_gradients(n_samples, n_in, n_out):
    layer = ref.Linear(n_in, n_out)
    layer.b = RNG.randn(n_out)
    X, R = RNG.randn(n_samples, n_in), RNG.randn(n_samples, n_out)
    assert layer.forward(X).shape == (n_samples, n_out)
    assert upstream_check(layer.forward, layer.backward, X, R) < 1e-7
    W, b = layer.W.copy(), layer.b.copy()

    def loss_of_W(W_):
        layer.W = W_
        return np.sum(R * layer.forward(X))

    def loss_of_b(b_):
        layer.b = b_
        return np.sum(R * layer.forward(X))

    dW, db = numerical_gradient(loss_of_W, W.copy()), numerical_gradient(loss_of_b, b.copy())
    layer.W, layer.b = W, b
    layer.forward(X)
    layer.backward(R)
    assert layer.dLdW.shape == W.shape and layer.dLdb.shape == b.shape
    assert relative_error(layer.dLdW, dW) < 1e-7
    assert relative_error(layer.dLdb, db) < 1e-7


@pytest.mark.linear
def test_linear_init_and_step():
    np.random.seed(0)
    layer = ref.Linear(300, 400)
    assert abs(layer.W.std() - 0.1) < 0.002 and abs(layer.W.mean()) < 0.002
    assert np.array_equal(layer.b, np.zeros(400))
    X, R = RNG.randn(3, 300), RNG.randn(3, 400)
    layer.forward(X)
    layer.backward(R)
    W, b = layer.W.copy(), layer.b.copy()
    layer.step(0.25)
    assert np.allclose(layer.W, W - 0.25 * layer.dLdW) and np.allclose(layer.b, b - 0.25 * layer.dLdb)


@pytest.mark.sigmoid
def test_sigmoid_gradient_and_stability():
    layer = ref.Sigmoid()
    X, R = 4 * RNG.randn(5, 3), RNG.randn(5, 3)
    assert upstream_check(layer.forward, layer.backward, X, R) < 1e-7
    assert np.allclose(layer.forward(X), 1 / (1 + np.exp(-X)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Y = layer.forward(np.array([[-1000.0, 1000.0, -745.0, 40.0]]))
    assert np.array_equal(Y[0, :2], [0.0, 1.0]) and np.all(np.isfinite(Y))


@pytest.mark.nll_loss
def test_nll_value_gradient_and_stability():
    X, y = RNG.randn(6, 4), np.array([0, 3, 1, 2, 3, 0])
    loss = ref.NLLLoss()
    naive = -np.mean(np.log(np.exp(X) / np.exp(X).sum(1, keepdims=True))[np.arange(6), y])
    assert isinstance(loss.forward(X, y), float)
    assert np.isclose(loss.forward(X, y), naive)
    expected = numerical_gradient(lambda X_: ref.NLLLoss().forward(X_, y), X.copy())
    loss.forward(X, y)
    assert relative_error(loss.backward(), expected) < 1e-7
    assert relative_error(loss.backward(), expected) < 1e-7  # backward twice
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = ref.NLLLoss().forward(np.array([[1000.0, 0.0, -1000.0]]), np.array([2]))
    assert value == 2000.0


@pytest.mark.mse_loss
def test_mse_value_gradient_and_shape_guard():
    X, Y = RNG.randn(5, 3), np.eye(3)[[0, 1, 2, 1, 0]]
    loss = ref.MSELoss()
    assert np.isclose(loss.forward(X, Y), np.sum((X - Y) ** 2) / 5)
    expected = numerical_gradient(lambda X_: ref.MSELoss().forward(X_, Y), X.copy())
    assert relative_error(loss.backward(), expected) < 1e-7
    with pytest.raises(ValueError, match="shape"):
        loss.forward(X, np.zeros((5, 1)))


@pytest.mark.neural_network
def test_network_gradients_for_input_and_every_parameter():
    np.random.seed(1)
    layers = [ref.Linear(2, 4), ref.Sigmoid(), ref.Linear(4, 5), ref.Sigmoid(), ref.Linear(5, 3)]
    network = ref.NeuralNetwork(tuple(layers))
    X, R = RNG.randn(6, 2), RNG.randn(6, 3)
    assert upstream_check(network.forward, network.backward, X, R) < 1e-7
    for layer in layers[::2]:
        for name, grad_name in (("W", "dLdW"), ("b", "dLdb")):
            value = getattr(layer, name)
            expected = numerical_gradient(lambda v: np.sum(R * network.forward(X)), value)
            network.forward(X)
            network.backward(R)
            assert relative_error(getattr(layer, grad_name), expected) < 1e-6


@pytest.mark.train
def test_training_task_plateau_then_convergence():
    """The notebook's first run: at lr 1 the loss sits near ln 3 for a few hundred epochs, then learns
    the blobs (tests/test_seminar1_claims.py checks the notebook's claims over 10 seeds)."""
    X, y = three_blobs()
    np.random.seed(0)
    network = ref.NeuralNetwork([ref.Linear(2, 10), ref.Sigmoid(), ref.Linear(10, 10),
                                 ref.Sigmoid(), ref.Linear(10, 3)])
    losses = ref.train(network, ref.NLLLoss(), X, y, 1.0, 1000)
    assert len(losses) == 1000 and all(isinstance(value, float) for value in losses)
    assert abs(losses[0] - np.log(3)) < 0.02
    assert min(losses[:250]) > 1.05, "the plateau should last a few hundred epochs"
    assert losses[-1] < 0.03
    assert np.mean(np.argmax(network.forward(X), axis=1) == y) >= 299 / 300


@pytest.mark.train
def test_loss_history_is_taken_before_each_update():
    np.random.seed(3)
    X, y = RNG.randn(10, 2), RNG.randint(0, 3, 10)
    network = ref.NeuralNetwork([ref.Linear(2, 3)])
    first = ref.NLLLoss().forward(network.forward(X), y)
    losses = ref.train(network, ref.NLLLoss(), X, y, 0.5, 5)
    assert losses[0] == first and losses[-1] < losses[0]


def test_data_generator_is_deterministic_and_in_the_box():
    X, y = three_blobs()
    X2, y2 = three_blobs()
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert X.shape == (300, 2) and X.dtype == np.float64 and y.shape == (300,) and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), [100, 100, 100])
    assert X[:, 0].min() > 0 and X[:, 0].max() < 1.2 and X[:, 1].min() > 0 and X[:, 1].max() < 1


def test_rings_generator_is_deterministic_with_gaps_between_the_classes():
    X, y = three_rings()
    X2, y2 = three_rings()
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert X.shape == (300, 2) and X.dtype == np.float64 and y.shape == (300,) and y.dtype == np.int64
    assert np.array_equal(np.bincount(y), [100, 100, 100])
    radius = np.linalg.norm(X, axis=1)
    for label, (inner, outer) in enumerate(RING_RADII):
        assert inner <= radius[y == label].min() and radius[y == label].max() <= outer
    assert np.abs(X).max() <= 1.0
