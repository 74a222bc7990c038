"""Stopping a run: waiting for its jobs must not hang on jobs that were cancelled."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from confluence_sync.apply.order import join


def test_join_returns_when_queued_jobs_were_cancelled() -> None:
    release = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1)
    running = pool.submit(release.wait, 5)
    queued = [pool.submit(lambda: None) for _ in range(3)]
    pool.shutdown(wait=False, cancel_futures=True)
    assert all(job.cancelled() for job in queued)
    release.set()
    finished = threading.Event()
    waiter = threading.Thread(
        target=lambda: (join([running, *queued]), finished.set()), daemon=True
    )
    waiter.start()
    waiter.join(10)
    assert finished.is_set(), "join hung on cancelled jobs"
    assert running.done()
