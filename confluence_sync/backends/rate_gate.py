"""The shared rate gate every request of a backend passes, and what Confluence Cloud's rate
limit headers say.

Atlassian (developer.atlassian.com/cloud/confluence/rate-limiting/, updated Feb 2 2026):
a 429 carries ``Retry-After`` (seconds; "if you reissue the request before the retry period
expires, the request will fail and return the same or longer Retry-After period") and may
carry ``X-RateLimit-Reset`` ("the timestamp (in ISO 8601 format) when the rate limit will
reset … yyyy-MM-ddTHH:mmZ"); any answer may carry ``X-RateLimit-NearLimit: true`` (less
than 20 % of the budget left). Burst limits count in 10 s windows, quotas per hour.

So the gate (one per backend, shared by all workers): *defers* everyone after a 429 for as
long as the site says, up to ``max_wait``; *slows* every worker while the site says it is
near its limit (one request per ``near_limit_spacing`` seconds for ``near_limit_window``
seconds after the last such answer); *closes* once a wait would pass ``max_wait``: every
later request fails at once with :class:`RateLimitStopError` ("rate limited until HH:MM"),
so the run ends with what is left reported as not done and the next run does it. The words
"rate limited until HH:MM" are logged once per gate.

May import: errors (the backends' part of the house).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Protocol

from confluence_sync.errors import EXIT_PARTIAL, RateLimitedError

log = logging.getLogger(__name__)


class GatePolicy(Protocol):
    """What the gate needs of ``retry.RetryPolicy``."""

    @property
    def clock(self) -> Callable[[], float]: ...
    @property
    def sleep(self) -> Callable[[float], None]: ...
    @property
    def wall_clock(self) -> Callable[[], float]: ...
    @property
    def near_limit_spacing(self) -> float: ...
    @property
    def near_limit_window(self) -> float: ...


class RateLimitStopError(RateLimitedError):
    """The site's rate limit lasts longer than ``--max-wait``: not sent (or not retried).
    Met before any write (while reading), it ends the run as partial too: nothing was done,
    the next run does it (exit 5, not the exit 1 of an unexpected failure)."""

    exit_code = EXIT_PARTIAL


def parse_reset(value: str | None, *, now: float) -> float | None:
    """Seconds until an ``X-RateLimit-Reset`` instant (ISO 8601, e.g. ``2026-03-02T14:05Z``);
    None when missing or unreadable, 0 for an instant past. ``now``: epoch seconds."""
    if value is None or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    # Atlassian writes the instant to the minute (request time + Retry-After, cut to HH:mm):
    # the reset lies within that minute, so its end is the earliest safe moment.
    minute_only = re.fullmatch(r".*T\d{1,2}:\d{2}(?:[+-]\d{2}:\d{2})?", text) is not None
    return max(0.0, when.timestamp() + (60.0 if minute_only else 0.0) - now)


def near_limit(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


def clock_time(epoch: float) -> str:
    """HH:MM of an epoch instant in the local time zone (what the admin's clock shows)."""
    return time.strftime("%H:%M", time.localtime(epoch))


class RateGate:
    """A thread-safe "not before" instant that every request waits for, the near-limit
    slow-down, and the stop once the limit outlasts ``max_wait``."""

    def __init__(self, policy: GatePolicy) -> None:
        self._policy = policy
        self._lock = threading.Lock()
        self._not_before = 0.0
        self._slow_until = 0.0
        self._closed_until: float | None = None  # wall-clock epoch seconds
        self._announced = False

    def defer(self, seconds: float) -> None:
        """Nobody sends before now + ``seconds`` (an earlier deadline never shortens it)."""
        with self._lock:
            self._not_before = max(self._not_before, self._policy.clock() + seconds)
        if seconds >= 10:  # a burst window's worth: worth a line, once
            self.announce(self._policy.wall_clock() + seconds)

    def remaining(self) -> float:
        with self._lock:
            return max(0.0, self._not_before - self._policy.clock())

    def wait(self) -> None:
        """Block until the gate opens; loops because another thread may push it further.
        Near the limit, each passing request pushes the gate on by the spacing."""
        while (delay := self.remaining()) > 0:
            self._policy.sleep(delay)
        with self._lock:
            now = self._policy.clock()
            if now < self._slow_until:
                self._not_before = max(self._not_before, now + self._policy.near_limit_spacing)

    def near_limit(self) -> None:
        """The site said it is close to its limit: slow every worker down for a while."""
        with self._lock:
            fresh = self._policy.clock() >= self._slow_until
            self._slow_until = self._policy.clock() + self._policy.near_limit_window
        if fresh:
            log.info("the site is near its rate limit; slowing down")

    def announce(self, until: float) -> None:
        """Say "rate limited until HH:MM" (once per gate)."""
        with self._lock:
            if self._announced:
                return
            self._announced = True
        log.warning("rate limited until %s", clock_time(until))

    def close(self, until: float) -> None:
        """The limit lasts past ``max_wait``: refuse every later request (``until``: epoch)."""
        with self._lock:
            self._closed_until = max(self._closed_until or 0.0, until)
        self.announce(until)

    @property
    def closed_until(self) -> float | None:
        with self._lock:
            return self._closed_until

    def raise_if_closed(self, what: str) -> None:
        until = self.closed_until
        if until is not None:
            raise stopped(what, until)


def stopped(what: str, until: float) -> RateLimitStopError:
    return RateLimitStopError(
        what,
        429,
        f"not done: rate limited until {clock_time(until)}",
        "the site's rate limit lasts longer than --max-wait; the next sync does the rest "
        "(after that time), or raise --max-wait",
    )
