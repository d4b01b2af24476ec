"""Benchmark of grading as submissions arrive: the service and its workers under a burst.

    python3 tasks.py bench-service [--submissions 200] [--idle 10]

In a temporary copy of the course, with the course's own exchange and the default queue
(filesystem://, no broker to run), for 1 and for 2 workers in turn:
- a burst: N submissions written into the exchange at once (40% correct, 30% with the one-bug
  sample's bug, 20% untouched, 10% hostile: cells that kill what they can see, or leave
  processes behind), as `nbgrader submit` leaves them; then the service and the workers already
  running, until every feedback is released: the throughput (submissions per second) and the
  time from submission to released feedback (p50, p95, max);
- before them, `nn-grade grade --workers 1` on the same N submissions in submitted/ (with
  feedback), the batch each worker should keep up with: its submissions per second.
Then an idle service with one worker: submissions one at a time, each waiting for its
feedback: the time from submission to released feedback (p50, p95; target: at most 5 s at p95).
Targets: per worker, the service at least 0.9x as fast as `nn-grade grade --workers 1`; idle
p95 at most 5 s. The last line names a missed target; the exit status is 1 then.
"""
import argparse
import datetime
import os
import secrets
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tools"))
from targets import positive_int, report_targets  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
import hostile  # noqa: E402  (the integrity tests' crafted submissions)


def environment():
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "MPLBACKEND": "Agg"}


def run(course, *command):
    result = subprocess.run([str(part) for part in command], cwd=course, env=environment(), capture_output=True,
                            text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout[-2000:]}"
                 f"{result.stderr[-2000:]}")


def notebooks(count):
    """[(student, notebook text)]: the class's mix."""
    samples = ROOT / "submitted"
    text = {kind: (samples / f"sample-{kind}" / "seminar1" / "seminar1.ipynb").read_text()
            for kind in ("correct", "one-bug", "untouched")}
    import nbformat
    crafted = {"kills-everything": hostile.kills_everything, "spawns": hostile.spawns}
    hostile_text = {label: nbformat.writes(make({})[0]) for label, make in crafted.items()}
    kinds = (["correct"] * round(count * 0.4) + ["one-bug"] * round(count * 0.3) + ["untouched"] * round(count * 0.2))
    kinds += [["kills-everything", "spawns"][i % 2] for i in range(count - len(kinds))]
    return [(f"s{i:04d}", {**text, **hostile_text}[kind]) for i, kind in enumerate(kinds)]


def make_course(folder):
    course = folder / "course"
    course.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    with open(course / "nbgrader_config.py", "a") as config:
        config.write("\nc.GradingService.attempts = 0\n")
    run(course, BIN / "nbgrader", "generate_assignment", "seminar1", "--force", "--log-level=ERROR")
    run(course, BIN / "nbgrader", "release_assignment", "seminar1", "--force", "--log-level=ERROR")
    return course


def submit(course, student, text):
    """An inbound folder as `nbgrader submit` leaves it; its time of submission (epoch seconds)."""
    now = time.time()
    stamp = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    key = f"{student}+seminar1+{stamp}+{secrets.token_hex(4)}"
    writing = course / f".writing-{key}"
    writing.mkdir()
    (writing / "seminar1.ipynb").write_text(text)
    (writing / "timestamp.txt").write_text(stamp)
    (writing / "submission_secret.txt").write_text(secrets.token_hex(64))
    inbound = course / "exchange" / "nn-from-scratch" / "inbound"
    inbound.mkdir(parents=True, exist_ok=True)
    writing.rename(inbound / key)
    return key, now


def from_state(course, column):
    """{key: column} of the submissions with a feedback released, from the service's state."""
    path = course / ".nn-service" / "state.db"
    if not path.exists():
        return {}
    with sqlite3.connect(str(path)) as db:
        return dict(db.execute(f"SELECT key, {column} FROM submissions WHERE released_at IS NOT NULL"))


def released(course):
    """{key: time its feedback was released}."""
    return from_state(course, "released_at")


def start(course, workers):
    """The service and workers; wait until they have started (an empty job round trip)."""
    processes = [subprocess.Popen([str(BIN / "nn-grade"), "serve"], cwd=course, env=environment(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    for _ in range(workers):
        processes.append(subprocess.Popen([str(BIN / "nn-grade"), "worker"], cwd=course, env=environment(),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
    warm, when = submit(course, "warm-up", (ROOT / "submitted" / "sample-correct" / "seminar1" / "seminar1.ipynb")
                        .read_text())
    wait(course, {warm}, 180)
    return processes


def stop(processes):
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def wait(course, keys, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = released(course)
        if all(key in done for key in keys):
            return done
        time.sleep(0.2)
    sys.exit(f"not every feedback was released within {timeout} s")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def burst(folder, workers, count):
    course = make_course(folder / f"burst-{workers}")
    processes = start(course, workers)
    try:
        submitted = dict(submit(course, student, text) for student, text in notebooks(count))
        done = wait(course, set(submitted), 60 * 60)
    finally:
        stop(processes)
    latencies = [done[key] - when for key, when in submitted.items()]
    span = max(done[key] for key in submitted) - min(submitted.values())
    recording = [seconds for key, seconds in from_state(course, "record_seconds").items()
                 if key in submitted and seconds is not None]
    return count / span, latencies, recording


def batch(folder, workers, count):
    course = make_course(folder / f"batch-{workers}")
    for student, text in notebooks(count):
        target = course / "submitted" / student / "seminar1"
        target.mkdir(parents=True)
        (target / "seminar1.ipynb").write_text(text)
    started = time.perf_counter()
    run(course, BIN / "nn-grade", "grade", "seminar1", "--workers", workers)
    return count / (time.perf_counter() - started)


def idle(folder, count):
    course = make_course(folder / "idle")
    processes = start(course, 1)
    latencies = []
    try:
        text = (ROOT / "submitted" / "sample-one-bug" / "seminar1" / "seminar1.ipynb").read_text()
        for index in range(count):
            key, when = submit(course, f"idle{index:03d}", text)
            latencies.append(wait(course, {key}, 120)[key] - when)
    finally:
        stop(processes)
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=positive_int, default=200, help="submissions of a burst (default 200)")
    parser.add_argument("--idle", type=positive_int, default=10, help="submissions one at a time (default 10)")
    args = parser.parse_args()
    missed = []
    print(f"grading service benchmark on {os.cpu_count()} cores, bursts of {args.submissions} submissions")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        one_worker_rate = batch(folder, 1, args.submissions)
        print(f"  nn-grade grade --workers 1: {one_worker_rate:5.2f} submissions/s")
        for workers in (1, 2):
            rate, latencies, recording = burst(folder, workers, args.submissions)
            per_core = rate / workers / one_worker_rate
            print(f"  service, {workers} worker(s): {rate:5.2f} submissions/s ({per_core:.2f}x nn-grade grade "
                  f"--workers 1 per worker, target at least 0.9x); submit to feedback p50 "
                  f"{statistics.median(latencies):6.1f} s, p95 {percentile(latencies, 0.95):6.1f} s, max "
                  f"{max(latencies):6.1f} s; the service's own work per submission (serial): median "
                  f"{statistics.median(recording):.2f} s, a ceiling of {1 / statistics.median(recording):.1f} "
                  "submissions/s")
            if per_core < 0.9:
                missed.append(f"{workers} worker(s): the service at {per_core:.2f}x nn-grade grade per worker")
        latencies = idle(folder, args.idle)
        p95 = percentile(latencies, 0.95)
        print(f"  idle, 1 worker, one at a time: submit to feedback p50 {statistics.median(latencies):.1f} s, "
              f"p95 {p95:.1f} s, max {max(latencies):.1f} s (target: p95 at most 5 s)")
        if p95 > 5:
            missed.append(f"idle p95 {p95:.1f} s > 5 s")
    sys.exit(report_targets(missed))


if __name__ == "__main__":
    main()
