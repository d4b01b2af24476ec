"""Write source/seminar2/digits.npz: scikit-learn's 8x8 digits in a fixed, stratified split.

    python tools/export_digits.py          # (re)write the files whose arrays differ
    python tools/export_digits.py --check  # exit 1 if a file differs from the export

Seminar 3 ships the same file (source/seminar3/digits.npz, its small training set cut from it by
the notebook's loader): DIGITS_FILES lists every copy, and each is written and checked alike.

scikit-learn ships the 1,797 images inside its package (nothing is downloaded). It is needed
here only, on the instructor's side: the notebook, the solutions and the checks read the
.npz with numpy. The arrays are compared, not the bytes: a .npz records the time of writing.

The file holds X_train, y_train, X_val, y_val, X_test, y_test. X_*: float64 (n, 64), the
0-16 pixel counts divided by 16 (exact in binary), the dtype of the bricks' weights and of
every gradient check; y_*: int64 (n,). Each class is cut 60/20/20 on its own, so every split
has the same class proportions as the whole set.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_data import file_matches  # noqa: E402  (the same comparison as the generated data's)

ROOT = Path(__file__).resolve().parent.parent
DIGITS = ROOT / "source" / "seminar2" / "digits.npz"
# Every assignment's copy of the export, seminar 2's first.
DIGITS_FILES = (DIGITS, ROOT / "source" / "seminar3" / "digits.npz")
SEED = 2024
VALIDATION_FRACTION = TEST_FRACTION = 0.2
KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test")
MAX_PIXEL = 16  # the 8x8 digits count set pixels of a 4x4 block of the original 32x32 bitmap


def stratified_split(labels, seed=SEED):
    """Index arrays (train, val, test) that cut every class 60/20/20.

    For each class in increasing order: its indices shuffled by one RandomState(seed) stream
    (frozen across numpy versions), the first round(0.2 n_c) to validation, the next
    round(0.2 n_c) to test, the rest to training. Each index array is returned sorted.
    """
    rng = np.random.RandomState(seed)
    train, val, test = [], [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_val = int(round(VALIDATION_FRACTION * len(members)))
        n_test = int(round(TEST_FRACTION * len(members)))
        val.append(members[:n_val])
        test.append(members[n_val:n_val + n_test])
        train.append(members[n_val + n_test:])
    return tuple(np.sort(np.concatenate(part)) for part in (train, val, test))


def export():
    """{key: array} for the six KEYS, from sklearn.datasets.load_digits."""
    from sklearn.datasets import load_digits  # instructor side only; see the module docstring

    digits = load_digits()
    X = (digits.data / MAX_PIXEL).astype(np.float64)
    y = digits.target.astype(np.int64)
    train, val, test = stratified_split(y)
    return {"X_train": X[train], "y_train": y[train], "X_val": X[val], "y_val": y[val],
            "X_test": X[test], "y_test": y[test]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare the file with the export")
    args = parser.parse_args()
    arrays = export()
    stale = []
    for path in DIGITS_FILES:
        where = path.relative_to(ROOT)
        if file_matches(path, arrays):
            print(f"{where} matches the export")
        elif args.check:
            stale.append(str(where))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(path, **{key: arrays[key] for key in KEYS})
            sizes = ", ".join(f"{key} {arrays[key].shape}" for key in KEYS)
            print(f"wrote {where}: {sizes}")
    if stale:
        sys.exit(f"{', '.join(stale)} differ(s) from the export of sklearn's digits; run tools/export_digits.py")


if __name__ == "__main__":
    main()
