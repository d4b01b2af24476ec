"""The seminar's data: a small training set of the 8x8 digits, and two noisy rings.

Nothing is downloaded, and nothing but numpy is needed. `digits.npz` is seminar 2's file, the fixed
stratified split of scikit-learn's 1,797 digits; `load_small_digits` keeps 20 training images of
each digit (200 in all), so that a network overfits them in seconds, and the validation and test
images of seminar 2. `load_noisy_rings` draws two classes of 2-D points whose radii overlap.
Both draw from np.random.RandomState streams, which numpy keeps the same in every version: every
student gets the same images and the same points.
"""
from pathlib import Path

import numpy as np

DIGITS_FILE = "digits.npz"
SPLIT_KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
SMALL_PER_DIGIT = 20    # training images kept of each digit
SMALL_SEED = 2024       # the stream that chooses them
RING_RADII = (0.5, 1.0)  # the mean radius of each class: a disc's edge (class 0), a ring around it (class 1)
RING_NOISE = 0.15        # the spread of each point's radius around its class's
RING_POINTS = {"train": 60, "val": 300}  # points per class
RING_SEEDS = {"train": 1, "val": 2}


def load_digits_split(path=DIGITS_FILE):
    """Seminar 2's split of the digits: a dict of the SPLIT_KEYS arrays.

    X_*: float64 (n, 64), pixels in [0, 1], each image read row by row; y_*: int64 (n,), labels 0-9.
    1,079 training, 359 validation and 359 test images, each digit cut 60 / 20 / 20 on its own.
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


def stratified_subset(y, per_class=SMALL_PER_DIGIT, seed=SMALL_SEED):
    """Sorted indices of `per_class` samples of each class of y, drawn without replacement.

    y: int64 (n,) labels 0..C-1 -> int64 (C * per_class,). One RandomState(seed) stream, class by class.
    """
    rng = np.random.RandomState(seed)
    chosen = [rng.choice(np.flatnonzero(y == label), per_class, replace=False) for label in np.unique(y)]
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def load_small_digits(path=DIGITS_FILE):
    """The digits with a small training set: a dict of the SPLIT_KEYS arrays and two more.

    X_train, y_train: 200 training images, 20 of each digit, chosen from seminar 2's 1,079;
    X_val, y_val, X_test, y_test: seminar 2's 359 validation and 359 test images;
    X_train_full, y_train_full: seminar 2's 1,079 training images (the 200 among them).
    Prints what it loaded.
    """
    split = load_digits_split(path)
    keep = stratified_subset(split["y_train"])
    data = {**split, "X_train": split["X_train"][keep], "y_train": split["y_train"][keep],
            "X_train_full": split["X_train"], "y_train_full": split["y_train"]}
    print(f"loaded the 8x8 digits: {len(data['y_train'])} training images ({SMALL_PER_DIGIT} of each digit, "
          f"out of {len(data['y_train_full']):,}), {len(data['y_val'])} validation and {len(data['y_test'])} test images")
    return data


def noisy_rings(n_per_class, seed, radii=RING_RADII, noise=RING_NOISE):
    """Two classes around the origin whose radii overlap: class k's points lie at radius
    radii[k] + N(0, noise^2), at a uniform angle.

    Returns X: float64 (2 n_per_class, 2) and y: int64 (2 n_per_class,), the classes in blocks.
    """
    rng = np.random.RandomState(seed)
    parts = []
    for radius in radii:
        r = radius + noise * rng.randn(n_per_class)
        angle = rng.uniform(0, 2 * np.pi, size=n_per_class)
        parts.append(np.column_stack([r * np.cos(angle), r * np.sin(angle)]))
    y = np.repeat(np.arange(len(radii), dtype=np.int64), n_per_class)
    return np.concatenate(parts).astype(np.float64), y


def load_noisy_rings():
    """The noisy rings: {"X_train", "y_train", "X_val", "y_val"}, 60 training and 300 validation
    points per class; X_*: float64 (n, 2), y_*: int64 (n,)."""
    data = {}
    for part, n_per_class in RING_POINTS.items():
        data[f"X_{part}"], data[f"y_{part}"] = noisy_rings(n_per_class, RING_SEEDS[part])
    return data
