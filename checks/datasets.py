"""The course's data for the checks: seminar 1's, made deterministically (the course ships it as
data.npz), and the split of the 8x8 digits that seminars 2 and 3 grade on."""
import functools
from pathlib import Path

import numpy as np

SEED = 2022

BLOB_CENTRES = ((0.3, 0.3), (0.9, 0.3), (0.6, 0.75))
BLOB_STD = 0.08
POINTS_PER_BLOB = 100

# Radii (inner, outer) of each class: a disc, then two rings, around the origin, with gaps between them.
RING_RADII = ((0.0, 0.3), (0.45, 0.65), (0.8, 1.0))
POINTS_PER_RING = 100


def three_blobs(seed=SEED):
    """Three Gaussian blobs in [0, 1.2] x [0, 1], one class each: a linear model separates them.

    Returns X: float64 (300, 2) and y: int64 (300,), classes 0, 1, 2 in blocks.
    RandomState, not default_rng: its stream is frozen across numpy versions.
    """
    rng = np.random.RandomState(seed)
    X = np.concatenate([rng.normal(centre, BLOB_STD, size=(POINTS_PER_BLOB, 2))
                        for centre in BLOB_CENTRES])
    y = np.repeat(np.arange(len(BLOB_CENTRES), dtype=np.int64), POINTS_PER_BLOB)
    return X.astype(np.float64), y


def three_rings(seed=SEED):
    """A disc and two rings around the origin, in [-1, 1] x [-1, 1], one class each: no straight
    line separates a ring from what it surrounds, so a linear model cannot classify them.

    Points are uniform over each annulus (the radius is the square root of a uniform draw
    between the squared radii). Returns X: float64 (300, 2) and y: int64 (300,), classes in blocks.
    """
    rng = np.random.RandomState(seed)
    parts = []
    for inner, outer in RING_RADII:
        radius = np.sqrt(rng.uniform(inner ** 2, outer ** 2, size=POINTS_PER_RING))
        angle = rng.uniform(0, 2 * np.pi, size=POINTS_PER_RING)
        parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    y = np.repeat(np.arange(len(RING_RADII), dtype=np.int64), POINTS_PER_RING)
    return np.concatenate(parts).astype(np.float64), y


# Seminar 2's file; seminar 3's notebook ships a byte copy of it and keeps 200 of its training images.
DIGITS = Path(__file__).resolve().parent.parent / "source" / "seminar2" / "digits.npz"


@functools.lru_cache(maxsize=1)
def digits():
    """The course's split of the 8x8 digits (the file the notebooks load), read once."""
    from solutions.seminar2.data import load_digits_split
    return load_digits_split(DIGITS)
