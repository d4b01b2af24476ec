"""Seminar 2's reference package against numerical gradients and its own contracts, its data file,
and its loaders on small IDX and npz files written here (nothing is downloaded)."""
import ast
import gzip
import inspect
import struct
import sys
import warnings

import nbformat
import numpy as np
import pytest

import solutions.seminar1 as bricks
import solutions.seminar2 as ref
from checks.kit import numerical_gradient, relative_error
from solutions.seminar2 import data as loaders

from conftest import ROOT

RNG = np.random.RandomState(2025)
DIGITS = ROOT / "source" / "seminar2" / "digits.npz"


def upstream_error(layer, X, R, function):
    """Relative error of layer.backward(R) against d/dX sum(R * function(X))."""
    expected = numerical_gradient(lambda X_: np.sum(R * function(X_)), X.copy())
    layer.forward(X)
    return relative_error(layer.backward(R), expected)


ACTIVATIONS = {
    "relu": (ref.ReLU, lambda X: np.maximum(X, 0)),
    "tanh": (ref.Tanh, np.tanh),
    "elu": (ref.ELU, lambda X: np.where(X > 0, X, np.expm1(np.minimum(X, 0)))),
    "elu alpha 0.3": (lambda: ref.ELU(alpha=0.3), lambda X: np.where(X > 0, X, 0.3 * np.expm1(np.minimum(X, 0)))),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_gradients_values_and_input_left_alone(name):
    make, function = ACTIVATIONS[name]
    X = RNG.choice([-1.0, 1.0], size=(6, 5)) * (0.01 + 3 * np.abs(RNG.randn(6, 5)))
    R = RNG.randn(6, 5)
    before = X.copy()
    layer = make()
    assert np.allclose(layer.forward(X), function(X))
    assert np.array_equal(X, before)
    assert upstream_error(layer, X, R, function) < 1e-7
    assert layer.step(0.1) is None


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activations_are_warning_free_at_1000(name):
    make, function = ACTIVATIONS[name]
    X = np.array([[-1000.0, -745.0, -40.0, 0.0, 40.0, 1000.0]])
    layer = make()
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        Y, dX = layer.forward(X), layer.backward(np.ones_like(X))
    assert np.all(np.isfinite(Y)) and np.all(np.isfinite(dX))
    assert np.allclose(Y, function(X))


@pytest.mark.make_mlp
def test_make_mlp_he_weights_structure_and_seed():
    network = ref.make_mlp([500, 400, 10], ref.ReLU, np.random.default_rng(7))
    first, activation, last = network.modules
    assert isinstance(first, bricks.Linear) and isinstance(activation, ref.ReLU) and isinstance(last, bricks.Linear)
    assert abs(first.W.std() / np.sqrt(2 / 500) - 1) < 0.01 and abs(first.W.mean()) < 0.002
    assert np.array_equal(first.b, np.zeros(400)) and last.W.shape == (400, 10)
    again = ref.make_mlp([500, 400, 10], ref.ReLU, np.random.default_rng(7))
    assert np.array_equal(again.modules[0].W, first.W)
    deeper = ref.make_mlp([8, 6, 6, 3], ref.Tanh, np.random.default_rng(0), linear=ref.LinearMomentum)
    assert [type(layer).__name__ for layer in deeper.modules] == [
        "LinearMomentum", "Tanh", "LinearMomentum", "Tanh", "LinearMomentum"]
    assert deeper.modules[1] is not deeper.modules[3]


@pytest.mark.iterate_minibatches
def test_minibatches_cover_every_sample_once_in_pairs():
    X, y = np.arange(46.0).reshape(23, 2), np.arange(23)
    before = X.copy(), y.copy()
    rng = np.random.default_rng(3)
    epochs = [ref.iterate_minibatches(X, y, 5, rng) for _ in range(2)]
    for batches in epochs:
        assert [len(b) for b, _ in batches] == [5, 5, 5, 5, 3]
        rows = np.concatenate([b[:, 0] for b, _ in batches]) / 2
        assert sorted(rows) == list(range(23))
        assert all(np.array_equal(b[:, 0] / 2, labels) for b, labels in batches)
    assert not np.array_equal(np.concatenate([l for _, l in epochs[0]]), np.concatenate([l for _, l in epochs[1]]))
    assert np.array_equal(X, before[0]) and np.array_equal(y, before[1])
    assert len(ref.iterate_minibatches(X[:20], y[:20], 5, rng)) == 4
    with pytest.raises(ValueError, match="samples"):
        ref.iterate_minibatches(X, y[:-1], 5, rng)


@pytest.mark.accuracy
def test_predict_and_accuracy():
    class Scores:
        def forward(self, X):
            return np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.6]])
    assert ref.predict(Scores(), np.zeros((3, 1))).tolist() == [1, 0, 1]
    value = ref.accuracy(np.array([1, 0, 0]), np.array([1, 0, 1]))
    assert isinstance(value, float) and abs(value - 2 / 3) < 1e-15
    with pytest.raises(ValueError, match="shape"):
        ref.accuracy(np.array([1, 0, 0]), np.array([[1], [0], [1]]))


@pytest.mark.fit
def test_fit_trains_and_records_one_entry_per_epoch():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    y = np.argmax(X @ rng.standard_normal((4, 3)), axis=1)  # a task a small network can learn
    network = ref.make_mlp([4, 16, 3], ref.ReLU, rng)
    history = ref.fit(network, bricks.NLLLoss(), lambda: ref.iterate_minibatches(X, y, 16, rng),
                      lambda: ref.accuracy(y, ref.predict(network, X)), 0.2, 40)
    assert sorted(history) == ["train_loss", "val_accuracy"]
    assert all(isinstance(v, float) for values in history.values() for v in values)
    assert len(history["train_loss"]) == 40 and history["train_loss"][-1] < history["train_loss"][0] / 2
    assert history["val_accuracy"][-1] > 0.7


@pytest.mark.momentum
def test_momentum_matches_the_pytorch_form_and_is_sgd_at_zero():
    """v <- mu v - lr g, W <- W + v equals PyTorch's v <- mu v + g, W <- W - lr v at a fixed rate."""
    rng = np.random.RandomState(1)
    layer, plain = ref.LinearMomentum(3, 2, momentum=0.8), ref.LinearMomentum(3, 2, momentum=0.0)
    plain.W, plain.b = layer.W.copy(), layer.b.copy()
    W, velocity = layer.W.copy(), np.zeros((3, 2))
    for _ in range(4):
        X, R = rng.randn(5, 3), rng.randn(5, 2)
        for each in (layer, plain):
            each.forward(X)
            each.backward(R)
        gradient = layer.dLdW.copy()
        W_sgd = plain.W - 0.1 * plain.dLdW
        layer.step(0.1)
        plain.step(0.1)
        velocity = 0.8 * velocity + gradient
        W = W - 0.1 * velocity
        assert np.allclose(layer.W, W) and np.allclose(plain.W, W_sgd)


# ---------------------------------------------------------------- data

@pytest.mark.seminar2
def test_digits_file_is_the_stratified_split():
    split = loaders.load_digits_split(DIGITS)
    assert list(split) == list(loaders.SPLIT_KEYS)
    sizes = {key: len(split[key]) for key in ("X_train", "X_val", "X_test")}
    assert sizes == {"X_train": 1079, "X_val": 359, "X_test": 359}
    per_class = np.bincount(np.concatenate([split["y_train"], split["y_val"], split["y_test"]]))
    assert per_class.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # scikit-learn's digits
    for part in ("val", "test"):
        assert np.array_equal(np.bincount(split[f"y_{part}"], minlength=10), np.round(0.2 * per_class).astype(int))
    for part in ("train", "val", "test"):
        X, y = split[f"X_{part}"], split[f"y_{part}"]
        assert X.dtype == np.float64 and X.shape[1] == 64 and y.dtype == np.int64
        assert X.min() == 0 and X.max() == 1 and np.array_equal(X * 16, np.round(X * 16))
    assert DIGITS.read_bytes() == (ROOT / "release" / "seminar2" / "digits.npz").read_bytes()


@pytest.mark.seminar2
def test_the_loaders_beside_the_notebook_are_the_reference_module():
    """data_loaders.py, handed out beside the notebook (source/ and release/), is solutions/seminar2/data.py
    as it is: one source. It needs nothing but numpy and the standard library, and the notebook imports it
    from an ordinary cell, never from a read-only one: grading runs read-only cells where the folder of the
    notebook is hidden."""
    text = inspect.getsource(loaders)
    for folder in ("source", "release"):
        assert (ROOT / folder / "seminar2" / "data_loaders.py").read_text(encoding="utf-8") == text, folder
    tree = ast.parse(text)
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported - set(sys.stdlib_module_names) == {"numpy"}
    cells = nbformat.read(ROOT / "source" / "seminar2" / "seminar2.ipynb", as_version=4).cells
    importing = [cell for cell in cells if "from data_loaders import" in cell.source]
    assert len(importing) == 1 and "nbgrader" not in importing[0].metadata
    assert not any("data_loaders" in cell.source for cell in cells if cell.metadata.get("nbgrader", {}).get("locked"))


@pytest.mark.seminar2
def test_digits_files_are_what_the_export_tool_makes():
    pytest.importorskip("sklearn", reason="the export needs scikit-learn (pip install -e '.[digits]')")
    sys.path.insert(0, str(ROOT / "tools"))
    import export_digits
    arrays = export_digits.export()
    assert DIGITS in export_digits.DIGITS_FILES
    for path in export_digits.DIGITS_FILES:
        assert export_digits.file_matches(path, arrays), path.relative_to(ROOT)


@pytest.mark.seminar2
def test_every_copy_of_the_digits_holds_seminar2s_arrays():
    """Without scikit-learn: the other assignments' copies the export tool declares hold seminar 2's arrays."""
    sys.path.insert(0, str(ROOT / "tools"))
    import export_digits
    with np.load(DIGITS) as stored:
        arrays = {key: stored[key] for key in stored.files}
    for path in export_digits.DIGITS_FILES:
        assert export_digits.file_matches(path, arrays), path.relative_to(ROOT)


@pytest.mark.seminar2
def test_missing_or_foreign_digits_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="digits.npz not found"):
        loaders.load_digits_split(tmp_path / "digits.npz")
    np.savez(tmp_path / "digits.npz", arr_0=np.zeros(3))
    with pytest.raises(ValueError, match="course's digits.npz"):
        loaders.load_digits_split(tmp_path / "digits.npz")


def idx_bytes(array, type_code=0x08):
    """An IDX file: 0, 0, the type code, the number of dimensions, big-endian sizes, big-endian data."""
    dtype = {0x08: ">u1", 0x0B: ">i2", 0x0D: ">f4"}[type_code]
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.asarray(array, dtype=dtype).tobytes()


def write_mnist(folder, n_train=12, n_test=6, gzipped=True):
    """Tiny MNIST files: image k of a part has every pixel equal to k, its label k % 10."""
    parts = {"train": n_train, "t10k": n_test}
    for part, n in parts.items():
        images = np.repeat(np.arange(n, dtype=np.uint8), 3 * 4).reshape(n, 3, 4)
        labels = (np.arange(n) % 10).astype(np.uint8)
        for kind, array in (("images-idx3", images), ("labels-idx1", labels)):
            raw = idx_bytes(array)
            name = f"{part}-{kind}-ubyte"
            if gzipped:
                (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
            else:
                (folder / name).write_bytes(raw)


@pytest.mark.seminar2
@pytest.mark.parametrize("type_code, array", [
    (0x08, np.arange(24, dtype=np.uint8).reshape(2, 3, 4)), (0x0B, np.array([-3, 0, 700])),
    (0x0D, np.array([[0.5, -1.25], [3.0, 8.0]]))])
@pytest.mark.parametrize("gzipped", [False, True])
def test_read_idx_round_trip(tmp_path, type_code, array, gzipped):
    raw = idx_bytes(array, type_code)
    path = tmp_path / "file.idx"
    path.write_bytes(gzip.compress(raw) if gzipped else raw)
    values = loaders.read_idx(path)
    assert values.shape == array.shape and np.array_equal(values, array)
    assert values.dtype.isnative and values.flags.writeable


@pytest.mark.seminar2
@pytest.mark.parametrize("raw, message", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x01\x05", "magic number"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x05", "unknown IDX type code"),
    (b"\x00\x00\x08\x00", "0 dimensions"),
    (b"\x00\x00\x08\x02\x00\x00\x00\x02", "header of 2 dimensions"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x03\x01\x02", "needs 3 bytes of data"),
    (b"\x00\x00", "too short"),
    (b"\x1f\x8b\x08\x00garbage", "damaged gzip"),
])
def test_read_idx_names_what_is_wrong(tmp_path, raw, message):
    path = tmp_path / "bad.idx"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match=message):
        loaders.read_idx(path)


@pytest.mark.seminar2
@pytest.mark.parametrize("gzipped", [True, False])
def test_load_mnist_from_idx_files(tmp_path, gzipped):
    write_mnist(tmp_path, gzipped=gzipped)
    split = loaders.load_mnist(tmp_path)
    assert {key: split[key].shape for key in split} == {
        "X_train": (10, 12), "y_train": (10,), "X_val": (2, 12), "y_val": (2,), "X_test": (6, 12), "y_test": (6,)}
    assert split["X_train"].dtype == np.float32 and split["y_train"].dtype == np.int64
    # Pixel k / 255 says which image a row is: the training and validation rows are the 12 images once each.
    seen = np.concatenate([split["X_train"][:, 0], split["X_val"][:, 0]]) * 255
    assert sorted(np.round(seen).astype(int)) == list(range(12))
    for part in ("train", "val", "test"):
        X, y = split[f"X_{part}"], split[f"y_{part}"]
        assert np.array_equal(np.round(X[:, 0] * 255).astype(int) % 10, y)
        assert np.all(X == X[:, :1])
    again = loaders.load_mnist(tmp_path)
    assert np.array_equal(again["X_val"], split["X_val"])  # the validation split is fixed


@pytest.mark.seminar2
def test_load_mnist_from_npz_and_dataset_choice(tmp_path, capsys):
    images = np.repeat(np.arange(12, dtype=np.uint8), 4).reshape(12, 2, 2)
    np.savez(tmp_path / "mnist.npz", x_train=images, y_train=np.arange(12) % 10,
             x_test=images[:6], y_test=np.arange(6))
    split = loaders.load_dataset(tmp_path)
    assert split["X_train"].shape == (10, 4) and split["X_test"].shape == (6, 4)
    assert "loaded MNIST: 10 training, 2 validation and 6 test images of 2x2 pixels" in capsys.readouterr().out

    digits_only = tmp_path / "digits"
    digits_only.mkdir()
    (digits_only / "digits.npz").write_bytes(DIGITS.read_bytes())
    split = loaders.load_dataset(digits_only)
    assert split["X_train"].shape == (1079, 64)
    assert "the 8x8 digits of digits.npz" in capsys.readouterr().out


@pytest.mark.seminar2
def test_incomplete_mnist_is_named(tmp_path):
    write_mnist(tmp_path)
    (tmp_path / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match=r"missing: t10k-labels-idx1-ubyte\[.gz\]"):
        loaders.load_mnist(tmp_path)
    with pytest.raises(FileNotFoundError, match="no MNIST"):
        loaders.load_mnist(tmp_path / "elsewhere")
