"""One run per course and shard at a time: two would grade the same students twice."""
import fcntl


def run_lock(course_dir, assignment, shard):
    """An exclusive lock on a file of the course, or None when another run holds it."""
    name = f".nn-grade-{assignment}" + (f"-shard-{shard[0]}-of-{shard[1]}" if shard else "") + ".lock"
    handle = open(course_dir / name, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle
