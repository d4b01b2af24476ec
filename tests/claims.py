"""What the claims tests share: each seed's experiments, run in three processes, and the three ways a
sentence of the prose can be true of the seeds.

A claims test loads its notebook's definitions once per process (its `loader`, into LOADED) and
runs every experiment for one seed in a function of its own (`run_seed`, which reads LOADED and
returns plain data); `over_seeds` spreads the seeds over the processes.
"""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

# One BLAS thread per process: processes use the cores, and threads would only contend for them (on
# these small matrices a second OpenBLAS thread mostly waits).
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
LOADED = {}  # in each process: the notebook's namespace, loaded once
SEEDS = range(30)  # the seeds a claims test runs; the prose was written from seeds 0 to 49
# Three processes on the suite's two cores: the suite's other process spends much of its time waiting
# (for a cell limit, a service, a browser), and a third process of seeds takes up that time.
PROCESSES = 3


def _load(loader):
    LOADED.update(loader())


def over_seeds(run_seed, seeds, loader):
    """{experiment: [its result for each seed]}: run_seed(seed) for every seed, in PROCESSES processes
    (started afresh, so that each reads ONE_THREAD as its BLAS starts)."""
    saved = {name: os.environ.get(name) for name in ONE_THREAD}
    os.environ.update(ONE_THREAD)
    try:
        with ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("spawn"), initializer=_load,
                                 initargs=(loader,)) as pool:
            per_seed = list(pool.map(run_seed, seeds))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {name: [result[name] for result in per_seed] for name in per_seed[0]}


def _false_for(outcomes):
    """The outcomes as booleans, one per seed of SEEDS, and the seeds where the claim is false."""
    outcomes = [bool(outcome) for outcome in outcomes]
    assert len(outcomes) == len(SEEDS)
    return outcomes, [seed for seed, ok in zip(SEEDS, outcomes) if not ok]


def everywhere(outcomes):
    """A claim said of every seed (or a range quoted for seeds 0 to 49): true for each one."""
    _, false_for = _false_for(outcomes)
    assert not false_for, f"false for seeds {false_for}"


def holds(outcomes):
    """A claim said without a frequency: true for all seeds but at most one (49 of 50 in the prose's runs)."""
    _, false_for = _false_for(outcomes)
    assert len(false_for) <= 1, f"false for seeds {false_for}"


def share(outcomes, low, high=1.0):
    """A claim said with a frequency ("on 46 of 50 seeds", "about seven runs in ten"): true for a share of
    the seeds between low and high."""
    outcomes, false_for = _false_for(outcomes)
    assert low <= np.mean(outcomes) <= high, f"true for {np.mean(outcomes):.0%} of the seeds, false for {false_for}"
