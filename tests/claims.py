"""What the claims tests share: each seed's experiments, run in two processes.

A claims test loads its notebook's definitions once per process (its `loader`, into LOADED) and
runs every experiment for one seed in a function of its own (`run_seed`, which reads LOADED and
returns plain data); `over_seeds` spreads the seeds over the two cores.
"""
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

# One BLAS thread per process: two processes use the two cores, and threads would only contend for
# them (on these small matrices a second OpenBLAS thread mostly waits).
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
LOADED = {}  # in each process: the notebook's namespace, loaded once


def _load(loader):
    LOADED.update(loader())


def over_seeds(run_seed, seeds, loader):
    """{experiment: [its result for each seed]}: run_seed(seed) for every seed, in two processes
    (started afresh, so that each reads ONE_THREAD as its BLAS starts)."""
    saved = {name: os.environ.get(name) for name in ONE_THREAD}
    os.environ.update(ONE_THREAD)
    try:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), initializer=_load,
                                 initargs=(loader,)) as pool:
            per_seed = list(pool.map(run_seed, seeds))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {name: [result[name] for result in per_seed] for name in per_seed[0]}
