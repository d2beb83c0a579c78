"""Ordered, bounded, optionally parallel mapping of a work function over a stream of items.

The one machinery behind ``cleaner clean --jobs N`` and :meth:`Cleaner.clean_many`:

- items are grouped into batches (by count and by weight, e.g. bytes), so a worker process
  gets a few hundred records per round trip instead of one;
- at most ``jobs * IN_FLIGHT_PER_JOB`` batches are pending at once, so memory does not grow
  with the length of the input, however fast it is read;
- results come back in input order, so N jobs write exactly what 1 job writes;
- each worker gets the shared object (a Cleaner) and the work function once, through the pool initializer,
  never with each task.

The engine never prints, and neither does this module: work functions return values.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

# S: the shared object every worker gets once (a Cleaner); T: an item; R: a result.
S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

Work = Callable[[S, T], R]

# A batch closes at whichever comes first; both keep a round trip (tens of microseconds of
# pickling and queueing) small next to its cleaning time, while batches stay short enough
# (a fraction of a second) for the workers to share the work evenly, and in-flight memory
# stays at a few MB.
BATCH_ITEMS = 256
BATCH_WEIGHT = 256 * 1024
# Batches queued per worker: enough that a worker never waits for the reader, few enough
# that memory stays flat.
IN_FLIGHT_PER_JOB = 4


# Processes per CPU core at most: more only adds memory and start-up time (-j 2000 started
# 2,000 processes). The bound applies to --jobs and Cleaner.clean_many(jobs=...) alike.
MAX_JOBS_PER_CORE = 4


def max_jobs() -> int:
    """The most processes ``jobs`` may ask for on this machine (at least 8)."""
    return max(8, MAX_JOBS_PER_CORE * (os.cpu_count() or 1))


def jobs_problem(jobs: int) -> str:
    """What is wrong with a ``jobs`` outside 0 to :func:`max_jobs` (one wording for every caller)."""
    return f"jobs must be between 0 (one per CPU core) and {max_jobs()} ({MAX_JOBS_PER_CORE} per core), got {jobs}"


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as a process count: 0 means one per CPU core; more than :func:`max_jobs` is an error.

    >>> resolve_jobs(1)
    1
    """
    if jobs < 0 or jobs > max_jobs():
        raise ValueError(jobs_problem(jobs))
    return jobs if jobs >= 1 else max(1, os.cpu_count() or 1)


def batched(
    items: Iterable[T], weigh: Callable[[T], int] | None = None, *, max_items: int = BATCH_ITEMS,
    max_weight: int = BATCH_WEIGHT,
) -> Iterator[list[T]]:
    """Group ``items`` in order into lists of at most ``max_items`` items or ``max_weight`` weight.

    A single item heavier than ``max_weight`` forms a batch of its own.

    >>> list(batched(["aa", "bb", "cccc", "d"], len, max_weight=4))
    [['aa', 'bb'], ['cccc'], ['d']]
    """
    batch: list[T] = []
    weight = 0
    for item in items:
        w = weigh(item) if weigh else 1
        if batch and (len(batch) >= max_items or weight + w > max_weight):
            yield batch
            batch, weight = [], 0
        batch.append(item)
        weight += w
    if batch:
        yield batch


def ordered_map_batches(
    shared: S, work: Work[S, T, R], items: Iterable[T], *, jobs: int = 1,
    weigh: Callable[[T], int] | None = None, max_items: int = BATCH_ITEMS, max_weight: int = BATCH_WEIGHT,
) -> Generator[list[R], None, None]:
    """Apply ``work(shared, item)`` to every item; yield the results batch by batch, in input order.

    ``work`` must be picklable (a module-level function or a ``functools.partial`` of one)
    when ``jobs > 1``; it and ``shared`` reach each worker process once.

    >>> def shout(prefix, text): return prefix + text.upper()
    >>> list(ordered_map_batches("> ", shout, ["a", "b", "c"], max_items=2))
    [['> A', '> B'], ['> C']]
    """
    batches = batched(items, weigh, max_items=max_items, max_weight=max_weight)
    jobs = resolve_jobs(jobs)
    if jobs == 1:
        for batch in batches:
            yield [work(shared, item) for item in batch]
        return
    yield from _parallel(shared, work, batches, jobs)


def ordered_map(
    shared: S, work: Work[S, T, R], items: Iterable[T], *, jobs: int = 1,
    weigh: Callable[[T], int] | None = None,
) -> Iterator[R]:
    """Like :func:`ordered_map_batches`, one result at a time."""
    for results in ordered_map_batches(shared, work, items, jobs=jobs, weigh=weigh):
        yield from results


def _parallel(
    shared: S, work: Work[S, T, R], batches: Iterator[list[T]], jobs: int
) -> Generator[list[R], None, None]:
    # Imported here: process pools are needed only with jobs > 1 (start-up time).
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_init_worker, initargs=(shared, work))
    previous = None
    try:
        # With fork, every worker starts at the first submit: do it now, before the caller
        # (a progress bar) starts a thread, since forking a threaded process can deadlock.
        pool.submit(int).result()
        # SIGTERM (a job scheduler, `timeout`, `kill`) must end the workers as Ctrl-C does; by
        # default it would kill this process alone and leave them waiting forever for work.
        # Set after the fork, so the workers keep the default action.
        previous = _raise_on_sigterm()
        pending: deque[Future[list[R]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_run_batch, batch))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BaseException:
        # Interrupted, terminated, stopped early (`| head`) or failed: the work not yet started
        # is dropped and the workers end after the batch in hand (see _stop).
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _restore_sigterm(previous)


class Terminated(SystemExit):
    """Raised in the main thread on SIGTERM during a parallel run; exits 143 like the signal."""

    def __init__(self) -> None:
        super().__init__(128 + 15)


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _raise_on_sigterm() -> Any:
    # Imported here: only a parallel run sets signal handlers (start-up time).
    import signal

    if threading.current_thread() is not threading.main_thread():
        return None  # only the main thread may set handlers; the caller's own then applies
    return signal.signal(signal.SIGTERM, _on_sigterm)


def _restore_sigterm(previous: Any) -> None:
    # Imported here: only a parallel run sets signal handlers (start-up time).
    import signal

    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


# How long a stopped run lets each worker finish the batch in hand before ending it.
STOP_GRACE_SECONDS = 5.0


def _stop(pool: Any, grace: float = STOP_GRACE_SECONDS) -> None:
    """Drop the work not yet started and let the workers end after their current batch.

    Killing a worker at once can catch it writing its result: the pool's manager thread then
    waits forever for the rest of the message (it holds the pipe's other end, so no EOF comes),
    and the run hangs in shutdown or at exit (seen once in ~20 `| head` runs). A batch is
    bounded (items, weight, the per-document time budget), so waiting for it is short; a worker
    still busy after ``grace`` seconds is sent SIGTERM.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.is_alive():
            process.terminate()


def _context() -> Any:
    # Imported here: process pools are needed only with jobs > 1 (start-up time).
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork shares the compiled rules copy-on-write and starts in milliseconds, but forking a
    # process that runs other threads can deadlock the child (a lock held mid-fork); then use
    # forkserver (or spawn), where each worker unpickles the shared object once, from the initializer.
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


# Set once per worker process by the pool initializer: the shared object and the work function,
# so tasks carry only their items. Never touched in the parent process.
_WORKER_STATE: list[tuple[Any, Callable[[Any, Any], Any]]] = []


def _init_worker(shared: Any, work: Callable[[Any, Any], Any]) -> None:
    # Imported here: process pools are needed only with jobs > 1 (start-up time).
    import signal

    # Ctrl-C is the parent's to handle (it stops feeding and ends the workers); workers dying
    # of it mid-batch would only add a traceback per process. SIGTERM ends a worker at once
    # (a forked worker must not inherit the parent's handler for it).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _WORKER_STATE[:] = [(shared, work)]


def _run_batch(batch: list[Any]) -> list[Any]:
    shared, work = _WORKER_STATE[0]
    return [work(shared, item) for item in batch]
