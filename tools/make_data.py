"""Write the course's generated data files from the deterministic generators in checks.datasets.

    python tools/make_data.py [ASSIGNMENT ...]  # (re)write the files whose arrays differ
    python tools/make_data.py --check           # exit 1 if a file differs from its generator

The arrays are compared, not the bytes: numpy's .npz is a zip that records the time of writing.
Data exported from elsewhere has its own tool (seminar 2's digits: tools/export_digits.py).
"""
import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import course  # noqa: E402

sys.path.insert(0, str(course.ROOT))
from checks.datasets import three_blobs, three_rings  # noqa: E402

# assignment -> {file name in source/<assignment>/: function returning {key: array}}
GENERATED = {
    # The blobs keep the names np.savez gives unnamed arrays, as the seminar's original data.npz did.
    "seminar1": {"data.npz": lambda: {**dict(zip(("arr_0", "arr_1"), three_blobs())),
                                      **dict(zip(("X_rings", "y_rings"), three_rings()))}},
}


def file_matches(path, arrays):
    """True when path holds exactly these arrays under these keys, dtypes and shapes included."""
    if not path.exists():
        return False
    with np.load(path) as stored:
        if sorted(stored.files) != sorted(arrays):
            return False
        return all(stored[key].dtype == array.dtype and stored[key].shape == array.shape
                   and np.array_equal(stored[key], array) for key, array in arrays.items())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment under source/")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if a file differs")
    args = parser.parse_args()
    stale = []
    for assignment in course.known_or_exit(args.assignments) or course.assignments():
        for name, generate in GENERATED.get(assignment, {}).items():
            path = course.ROOT / "source" / assignment / name
            arrays = generate()
            where = path.relative_to(course.ROOT)
            if file_matches(path, arrays):
                print(f"{where} matches its generator")
            elif args.check:
                stale.append(str(where))
            else:
                np.savez(path, **arrays)
                print(f"wrote {where}")
    if stale:
        sys.exit(f"{', '.join(stale)} differ(s) from checks.datasets; run tools/make_data.py")


if __name__ == "__main__":
    main()
