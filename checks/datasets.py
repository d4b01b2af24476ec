"""The seminar's data, made deterministically (the course ships it as data.npz)."""
import numpy as np

BLOB_CENTRES = ((0.3, 0.3), (0.9, 0.3), (0.6, 0.75))
BLOB_STD = 0.08
POINTS_PER_BLOB = 100
SEED = 2022


def three_blobs(seed=SEED):
    """Three Gaussian blobs in [0, 1.2] x [0, 1], one class each.

    Returns X: float64 (300, 2) and y: int64 (300,), classes 0, 1, 2 in blocks.
    RandomState, not default_rng: its stream is frozen across numpy versions.
    """
    rng = np.random.RandomState(seed)
    X = np.concatenate([rng.normal(centre, BLOB_STD, size=(POINTS_PER_BLOB, 2))
                        for centre in BLOB_CENTRES])
    y = np.repeat(np.arange(len(BLOB_CENTRES), dtype=np.int64), POINTS_PER_BLOB)
    return X.astype(np.float64), y
