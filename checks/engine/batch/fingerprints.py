"""Fingerprints that say when a verdict still holds: the submission's files, the
instructor's notebook and the grading code."""
import hashlib
from pathlib import Path

CACHE_DIRS = {"__pycache__", ".ipynb_checkpoints"}  # written by running things, not by people


def _hash_tree(digest, folder):
    folder = Path(folder)
    for path in sorted(p for p in folder.rglob("*")
                       if p.is_file() and not CACHE_DIRS & set(p.relative_to(folder).parts)):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")


def grading_code_dirs():
    """The packages whose code decides a grade: the engine, the checks, the reference."""
    from ..sandbox import grader_package_dirs
    return grader_package_dirs()


def course_fingerprint(course_dir, assignment):
    """Changes when the instructor's notebook, its files or the grading code change."""
    digest = hashlib.sha256()
    _hash_tree(digest, Path(course_dir) / "source" / assignment)
    for folder in grading_code_dirs():
        _hash_tree(digest, folder)
    config = Path(course_dir) / "nbgrader_config.py"
    if config.exists():
        digest.update(config.read_bytes())
    return digest.hexdigest()


def submission_fingerprint(course_dir, assignment, student, course_print):
    digest = hashlib.sha256(course_print.encode())
    _hash_tree(digest, Path(course_dir) / "submitted" / student / assignment)
    return digest.hexdigest()[:32]
