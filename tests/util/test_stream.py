"""cleaner.util.parallel: batching, order, bounded in-flight work, and clean_many over processes."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.engine.cleaner import Cleaner
from cleaner.util.parallel import IN_FLIGHT_PER_JOB, batched, ordered_map, ordered_map_batches, resolve_jobs

SEEDS = sorted(Path(__file__).resolve().parents[2].joinpath("seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner.default()


def _slow_upper(cleaner: Cleaner, item: tuple[int, float]) -> tuple[int, int]:
    # Later items finish first, so results only come back in order if the machinery orders them.
    number, delay = item
    time.sleep(delay)
    return number, os.getpid()


def _pid(cleaner: Cleaner, item: int) -> int:
    return os.getpid()


def _slow_pid(cleaner: Cleaner, item: int) -> int:
    time.sleep(0.001)
    return os.getpid()


def test_batched_closes_on_count_and_on_weight() -> None:
    assert list(batched(range(5), max_items=2)) == [[0, 1], [2, 3], [4]]
    assert list(batched(["aaa", "b", "cc", "dddddd", "e"], len, max_weight=4)) == [
        ["aaa", "b"], ["cc"], ["dddddd"], ["e"],
    ]
    assert list(batched([], len)) == []


def test_resolve_jobs() -> None:
    assert resolve_jobs(3) == 3
    assert resolve_jobs(0) == max(1, os.cpu_count() or 1)


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_back_in_input_order(cleaner: Cleaner, jobs: int) -> None:
    items = [(i, 0.02 if i % 7 == 0 else 0.0) for i in range(60)]
    got = list(ordered_map(cleaner, _slow_upper, items, jobs=jobs))
    assert [number for number, _ in got] == list(range(60))


def test_two_jobs_use_two_worker_processes(cleaner: Cleaner) -> None:
    pids = set(ordered_map(cleaner, _slow_pid, range(2000), jobs=2))
    assert os.getpid() not in pids
    assert len(pids) == 2


def test_input_is_read_only_a_bounded_distance_ahead(cleaner: Cleaner) -> None:
    consumed = 0

    def endless() -> Iterator[int]:
        nonlocal consumed
        for i in itertools.count():
            consumed = i + 1
            yield i

    jobs, batch = 2, 8
    gen = ordered_map_batches(cleaner, _pid, endless(), jobs=jobs, max_items=batch)
    try:
        for _, results in zip(range(50), gen, strict=False):
            assert len(results) == batch
        # 50 batches were delivered; the reader may be at most the in-flight window ahead.
        assert consumed <= (50 + jobs * IN_FLIGHT_PER_JOB + 1) * batch
    finally:
        gen.close()


def test_clean_many_with_two_jobs_equals_one_job(cleaner: Cleaner) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] * 30
    one = list(cleaner.clean_many(texts))
    two = list(cleaner.clean_many(texts, jobs=2))
    assert two == one
    assert one[: len(SEEDS)] == [cleaner.clean(t) for t in texts[: len(SEEDS)]]


def test_clean_many_streams_an_endless_iterable(cleaner: Cleaner) -> None:
    texts = itertools.cycle(["Title\n\nBody text.\n\nSource link", "Another story.\n\nREAD ALSO: elsewhere"])
    got = list(itertools.islice(cleaner.clean_many(texts, jobs=2), 1000))
    assert got[:2] == ["Title\n\nBody text.", "Another story."]
    assert len(got) == 1000


def test_a_threaded_caller_gets_workers_that_unpickle_the_cleaner(cleaner: Cleaner) -> None:
    # With another thread alive, fork is unsafe: the pool starts fresh interpreters instead,
    # which must rebuild the Cleaner from its pickle and give the same results.
    import threading

    from cleaner.util.parallel import _context

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert _context().get_start_method() != "fork"
        texts = [p.read_text(encoding="utf-8") for p in SEEDS]
        assert list(cleaner.clean_many(texts, jobs=2)) == [cleaner.clean(t) for t in texts]
    finally:
        stop.set()
        helper.join()
