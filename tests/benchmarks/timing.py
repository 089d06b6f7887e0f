"""How the benchmarks time their work: the best of several runs, in wall or CPU time, the load they ran under, and
a step timed as it runs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest wall time of `runs` runs of `work`, in seconds."""
    return _least(runs, work, time.perf_counter)


def cpu_of(runs: int, work: Callable[[], object]) -> float:
    """The least CPU time of this process over `runs` runs of `work`, which a busy machine inflates less than wall
    time."""
    return _least(runs, work, time.process_time)


def _least(runs: int, work: Callable[[], object], clock: Callable[[], float]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = clock()
        work()
        best = min(best, clock() - started)
    return best


def load() -> str:
    """The one-minute load average: other work on the machine inflates every wall time measured next to it."""
    return f"load {os.getloadavg()[0]:.2f}"


@contextmanager
def reported(what: str) -> Iterator[None]:
    """Print `what` and the seconds the block took, once it is done."""
    started = time.perf_counter()
    yield
    print(f"{what} in {time.perf_counter() - started:.1f} s", flush=True)
