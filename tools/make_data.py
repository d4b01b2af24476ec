"""Write source/seminar1/data.npz from the deterministic generator in checks.datasets.

    python tools/make_data.py          # (re)write the file if its arrays differ
    python tools/make_data.py --check  # exit 1 if the file differs from the generator

The arrays are compared, not the bytes: numpy's .npz is a zip that records the time of writing.
"""
import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "source" / "seminar1" / "data.npz"
sys.path.insert(0, str(ROOT))

from checks.datasets import three_blobs  # noqa: E402


def file_matches_generator(path=DATA):
    """True when path holds exactly arr_0 = X and arr_1 = y of three_blobs(), dtypes included."""
    if not path.exists():
        return False
    X, y = three_blobs()
    with np.load(path) as data:
        if sorted(data.files) != ["arr_0", "arr_1"]:
            return False
        return all(stored.dtype == made.dtype and stored.shape == made.shape
                   and np.array_equal(stored, made)
                   for stored, made in ((data["arr_0"], X), (data["arr_1"], y)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if file_matches_generator():
        print(f"{DATA.relative_to(ROOT)} matches the generator")
    elif args.check:
        sys.exit(f"{DATA.relative_to(ROOT)} differs from checks.datasets.three_blobs(); "
                 "run tools/make_data.py")
    else:
        np.savez(DATA, *three_blobs())
        print(f"wrote {DATA.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
