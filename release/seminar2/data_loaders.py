"""The seminar's data: the 8x8 digits shipped with the course, or MNIST if an instructor provides it.

Nothing is ever downloaded. Every loader returns a dict of six arrays, SPLIT_KEYS:
X_train, X_val, X_test of shape (n, pixels) with pixels in [0, 1], each row an image read
row by row, and y_train, y_val, y_test of shape (n,), int64 labels 0-9.
"""
import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
DIGITS_FILE = "digits.npz"
# MNIST as the four IDX files (each plain or .gz), or as Keras' mnist.npz.
MNIST_IDX_FILES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
                   "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}
MNIST_NPZ_FILE = "mnist.npz"
MNIST_VALIDATION_FRACTION = 1 / 6  # 10,000 of the 60,000 training images
MNIST_VALIDATION_SEED = 0
# The third byte of an IDX magic number says the type of the data, stored big-endian.
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_digits_split(path=DIGITS_FILE):
    """The fixed, stratified split of scikit-learn's 1,797 8x8 digits: a dict of the SPLIT_KEYS arrays.

    X_*: float64 (n, 64), pixels in [0, 1]; y_*: int64 (n,).
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: put digits.npz next to the notebook "
                                "(in Colab, upload it first)")
    with np.load(path) as stored:
        missing = [key for key in SPLIT_KEYS if key not in stored.files]
        if missing:
            raise ValueError(f"{path} has no array(s) {', '.join(missing)}: is it the course's digits.npz?")
        return {key: stored[key] for key in SPLIT_KEYS}


def read_idx(path):
    """The array stored in an IDX file, gzip-compressed or not.

    Layout: bytes 0, 0, a type code, the number of dimensions n; then n big-endian uint32 sizes;
    then the values in C order. Raises ValueError when the file does not follow it.
    """
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":  # gzip's own magic number: .gz or not, the content decides
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"{path}: a damaged gzip file ({error})") from None
    if len(raw) < 4:
        raise ValueError(f"{path}: {len(raw)} bytes, too short for an IDX header (at least 4)")
    zero_1, zero_2, type_code, n_dims = struct.unpack(">BBBB", raw[:4])
    if (zero_1, zero_2) != (0, 0):
        raise ValueError(f"{path} is not an IDX file: its magic number starts with bytes "
                         f"{zero_1}, {zero_2} instead of 0, 0")
    if type_code not in IDX_TYPES:
        raise ValueError(f"{path}: unknown IDX type code 0x{type_code:02x} "
                         f"(known: {', '.join(f'0x{code:02x}' for code in IDX_TYPES)})")
    if n_dims == 0:
        raise ValueError(f"{path}: an IDX file with 0 dimensions holds no array")
    header_size = 4 + 4 * n_dims
    if len(raw) < header_size:
        raise ValueError(f"{path}: the header of {n_dims} dimensions needs {header_size} bytes, "
                         f"the file has {len(raw)}")
    shape = struct.unpack(f">{n_dims}I", raw[4:header_size])
    dtype = np.dtype(IDX_TYPES[type_code])
    expected, found = math.prod(shape) * dtype.itemsize, len(raw) - header_size
    if found != expected:
        raise ValueError(f"{path}: shape {shape} of {dtype.name} needs {expected} bytes of data, "
                         f"the file has {found}")
    values = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return values.astype(dtype.newbyteorder("="))  # native byte order, and a writable copy


def _idx_files(folder):
    """{role: path} of the MNIST IDX files present in folder, each found plain or gzipped."""
    found = {}
    for role, name in MNIST_IDX_FILES.items():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                found[role] = candidate
                break
    return found


def _flat_pixels(images, where):
    """uint8 images (n, height, width) -> float32 (n, height * width) in [0, 1]."""
    if images.dtype != np.uint8 or images.ndim != 3:
        raise ValueError(f"{where}: expected uint8 images of shape (n, height, width), "
                         f"got {images.dtype} of shape {images.shape}")
    # float32 halves the memory of MNIST (70,000 x 784 values); the layers compute in float64 anyway.
    return images.reshape(len(images), -1).astype(np.float32) / 255


def _mnist_split(train_images, train_labels, test_images, test_labels, where):
    """The SPLIT_KEYS dict: a fixed random MNIST_VALIDATION_FRACTION of the training images for validation."""
    for images, labels, part in ((train_images, train_labels, "training"), (test_images, test_labels, "test")):
        if len(images) != len(labels) or np.ndim(labels) != 1:
            raise ValueError(f"{where}: {len(images)} {part} images but labels of shape {np.shape(labels)}")
    X_train, X_test = _flat_pixels(train_images, where), _flat_pixels(test_images, where)
    y_train, y_test = train_labels.astype(np.int64), test_labels.astype(np.int64)
    n_val = int(len(X_train) * MNIST_VALIDATION_FRACTION)
    is_val = np.zeros(len(X_train), dtype=bool)
    is_val[np.random.RandomState(MNIST_VALIDATION_SEED).permutation(len(X_train))[:n_val]] = True
    return {"X_train": X_train[~is_val], "y_train": y_train[~is_val], "X_val": X_train[is_val],
            "y_val": y_train[is_val], "X_test": X_test, "y_test": y_test}


def load_mnist(folder="."):
    """MNIST from the four IDX files (preferred) or mnist.npz in folder: a dict of the SPLIT_KEYS arrays.

    X_*: float32 (n, 784), pixels in [0, 1]; y_*: int64 (n,). Validation: a fixed random sixth
    of the training images (10,000 of 60,000); test: the 10,000 test images.
    """
    folder = Path(folder)
    idx_files = _idx_files(folder)
    if len(idx_files) == len(MNIST_IDX_FILES):
        arrays = {role: read_idx(path) for role, path in idx_files.items()}
        return _mnist_split(arrays["train_images"], arrays["train_labels"], arrays["test_images"],
                            arrays["test_labels"], f"the MNIST IDX files in {folder}")
    npz = folder / MNIST_NPZ_FILE
    if npz.exists():
        with np.load(npz) as stored:
            missing = [key for key in ("x_train", "y_train", "x_test", "y_test") if key not in stored.files]
            if missing:
                raise ValueError(f"{npz} has no array(s) {', '.join(missing)}: expected Keras' mnist.npz")
            return _mnist_split(stored["x_train"], stored["y_train"], stored["x_test"], stored["y_test"], npz)
    if idx_files:
        absent = [f"{name}[.gz]" for role, name in MNIST_IDX_FILES.items() if role not in idx_files]
        raise FileNotFoundError(f"{folder} has only some of the MNIST IDX files; missing: {', '.join(absent)}")
    raise FileNotFoundError(f"no MNIST in {folder}: expected the four IDX files or {MNIST_NPZ_FILE}")


def load_dataset(folder="."):
    """MNIST when its files are in folder, else the 8x8 digits of digits.npz; prints which it loaded.

    Returns the dict of load_mnist or load_digits_split.
    """
    folder = Path(folder)
    if _idx_files(folder) or (folder / MNIST_NPZ_FILE).exists():
        data, name = load_mnist(folder), "MNIST"
    else:
        data, name = load_digits_split(folder / DIGITS_FILE), "the 8x8 digits of digits.npz"
    side = math.isqrt(data["X_train"].shape[1])
    print(f"loaded {name}: {len(data['y_train']):,} training, {len(data['y_val']):,} validation and "
          f"{len(data['y_test']):,} test images of {side}x{side} pixels")
    return data
