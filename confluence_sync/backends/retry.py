"""The one retry policy for every wiki request (tenacity; atlassian-python-api's own is off).

Layers, each for its own reason:

* **Rate limit (429, any method).** The wait comes from ``Retry-After`` (seconds or an HTTP
  date) or, without it, ``X-RateLimit-Reset`` (``rate_gate``), and is waited in full up to
  ``max_wait`` (``--max-wait``, default 300 s): retrying earlier only earns "the same or
  longer" wait (Atlassian). ``0`` or nonsense means the floor, so a broken header cannot
  cause a request storm; a 429 without either header backs off exponentially up to ``cap``.
  The wait is put on a shared :class:`~.rate_gate.RateGate` that *every* request passes, so
  all workers of a run back off together instead of each one finding the limit on its own.
  A wait past ``max_wait`` closes the gate: the run stops cleanly, what is left is "not
  done: rate limited until HH:MM", and the next run does it.
* **Transient failures (5xx, timeouts, resets).** Retried with jittered exponential backoff
  for requests that are safe to send twice (:func:`idempotent`): reads (GET/HEAD), DELETEs and
  *version-guarded* PUTs (the body names the version it creates, ``{"version": {"number":
  n+1}}``). A guarded PUT that did commit before the failure cannot commit twice: the retry
  answers 409, and ``find_committed`` (a re-read: is version n+1 there with our content?)
  turns that 409 into the success it was. A retried DELETE that answers 404 is done: the
  earlier attempt removed it. A POST that failed this way may have been committed: it is
  retried only when the caller passed ``find_existing``, and that lookup runs *before* the
  next attempt, so a create can never duplicate. PUTs idempotent by definition (a Data
  Center grant, revoke or membership, a Cloud move: ``backends.repeatable``) are retried like
  a guarded one; a repeat answers as the first did. Other unguarded PUTs are not retried.
* **Never sent (a connect timeout mid-run).** A :class:`TransportError` whose ``cause`` says
  the request never reached the server (``maybe_committed`` false) is retried for any method,
  without a lookup: nothing can have been written. A host that is not there at all (DNS,
  refused, TLS) is not retried: ``backends.failures`` raises a ``SiteError`` for it, which
  ends the run, and the first request's timeouts end it too (``backends.first_request``).
* **Conflict (409).** Never a blind version+1: ``resolve_conflict`` re-reads and lets the
  caller re-check ownership, returning the request to send instead, or None to give up.
* **Known transient Confluence texts** (:data:`RETRYABLE_TEXTS`): the server rolled the
  transaction back, so nothing was written; retried for any method — except a POST without
  ``find_existing`` that failed with a 5xx: the text may come from a step after the commit.

Attempts and total time are bounded. Clock and sleep are injectable so tests run fast.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TypeVar, cast

from tenacity import RetryCallState, Retrying

from confluence_sync.errors import (
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
    WikiError,
)
from confluence_sync.settings import DEFAULT_MAX_WAIT

from .rate_gate import RateGate, RateLimitStopError, stopped
from .repeatable import (
    IDEMPOTENT_PUTS,
    READ_METHODS,
    RETRYABLE_TEXTS,
    RetryableText,
    idempotent,
    idempotent_put,
    safe_to_repeat,
    version_guarded,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [  # the safe-to-repeat rules live in .repeatable; callers may import them from here
    "DEFAULT_MAX_WAIT",
    "IDEMPOTENT_PUTS",
    "READ_METHODS",
    "RETRYABLE_TEXTS",
    "Retrier",
    "RetryPolicy",
    "RetryableText",
    "idempotent",
    "idempotent_put",
    "parse_retry_after",
    "retryable_text",
    "safe_to_repeat",
    "version_guarded",
]


def retryable_text(error: WikiError) -> RetryableText | None:
    """The table entry the error's message matches, if any."""
    message = error.message.lower()
    for entry in RETRYABLE_TEXTS:
        if entry.text.lower() in message:
            return entry
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta seconds or HTTP date).

    None when missing or unparseable; a date in the past gives 0. ``now`` is wall-clock
    epoch seconds (injectable for tests)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if seconds == seconds and seconds not in (float("inf"),) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


@dataclass
class RetryPolicy:
    """Bounds and timings. Defaults suit a real site; tests shrink ``floor`` and sleep."""

    floor: float = 1.0
    cap: float = 30.0  # the longest wait after a 429 that did not say how long
    max_attempts: int = 5
    max_total: float = 120.0  # per request, for 5xx and timeouts
    # The longest a request waits for a rate limit the site names (``Retry-After``,
    # ``X-RateLimit-Reset``); past it the run stops cleanly (``--max-wait``).
    max_wait: float = DEFAULT_MAX_WAIT
    near_limit_spacing: float = 0.5  # seconds between requests while the site is near it
    near_limit_window: float = 10.0  # Atlassian's burst window
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wall_clock: Callable[[], float] = time.time
    jitter: Callable[[], float] = field(default=random.random)

    def rate_limit_delay(self, retry_after: float | None, attempt: int) -> float:
        """The wait after a 429: what the site said, at least the floor (retrying earlier
        only earns "the same or longer" wait); without a usable header, exponential from the
        floor up to ``cap``. Whether a long wait is waited is ``max_wait``'s to decide."""
        if retry_after is None:
            return min(self.cap, self.floor * 2.0 ** (attempt - 1))
        if retry_after <= 0 or retry_after != retry_after:
            return self.floor
        return max(self.floor, retry_after)

    def backoff_delay(self, attempt: int) -> float:
        """Full-jitter exponential backoff for transient failures."""
        return self.jitter() * min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))


class _ConflictResolved(Exception):
    """Internal: a 409 was re-checked and a fresh request is ready; retry at once."""

    def __init__(self, conflict: ConflictError) -> None:
        super().__init__(str(conflict))
        self.conflict = conflict


class Retrier:
    """Runs one logical request under the policy. Shared by all workers of a backend."""

    def __init__(self, policy: RetryPolicy | None = None) -> None:
        self.policy = policy or RetryPolicy()
        self.gate = RateGate(self.policy)

    def run(
        self,
        method: str,
        what: str,
        send: Callable[[], T],
        *,
        find_existing: Callable[[], T | None] | None = None,
        resolve_conflict: Callable[[], Callable[[], T] | None] | None = None,
        guarded: bool = False,
        find_committed: Callable[[], T | None] | None = None,
    ) -> T:
        """Call ``send`` until it succeeds, fails for good, or the bounds are hit.

        ``what`` names the request in logs (``POST page 'Agenda' in UPX``); never a secret.
        ``guarded``: the request is a version-guarded PUT (:func:`version_guarded`), retried
        like a read. ``find_committed``: after a 409 that follows an attempt which may have
        landed, the result of that attempt if it did (a re-read), else None."""
        method = method.upper()
        policy = self.policy
        started = policy.clock()
        current: list[Callable[[], T]] = [send]
        lookup_pending = [False]
        may_have_landed = [False]  # an earlier attempt failed after it may have been applied
        planned: dict[int, float] = {}
        safe = idempotent(method, guarded=guarded)

        def attempt() -> T:
            if lookup_pending[0] and find_existing is not None:
                found = find_existing()
                if found is not None:
                    log.warning("%s: found the earlier attempt's result; not sending again", what)
                    return found
                lookup_pending[0] = False
            try:
                return current[0]()
            except NotFoundError:
                if method == "DELETE" and may_have_landed[0]:
                    # The earlier attempt deleted it: gone is what was asked for.
                    log.warning("%s: already gone after the earlier attempt; done", what)
                    return cast(T, None)
                raise
            except ConflictError as conflict:
                if may_have_landed[0] and find_committed is not None:
                    landed = find_committed()
                    if landed is not None:
                        log.warning("%s: the earlier attempt had landed; not sending again", what)
                        return landed
                if resolve_conflict is None:
                    raise
                fresh = resolve_conflict()
                if fresh is None:
                    raise
                current[0] = fresh
                raise _ConflictResolved(conflict) from conflict
            except (ServerError, TransportError) as error:
                committed = not isinstance(error, TransportError) or error.maybe_committed
                if method == "POST" and find_existing is not None and committed:
                    lookup_pending[0] = True
                may_have_landed[0] = may_have_landed[0] or committed
                raise error

        def should_retry(state: RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome else None
            if error is None or isinstance(error, RateLimitStopError):
                return False
            if isinstance(error, RateLimitedError | _ConflictResolved):
                return True
            if isinstance(error, TransportError) and not error.maybe_committed:
                return True  # it never reached the server: sending it again cannot duplicate
            blind_post = method == "POST" and find_existing is None
            if isinstance(error, ServerError | TransportError) and blind_post:
                # A 5xx may come after the commit (a proxy timing out, a rollback text from
                # a later step): without a lookup a second POST could duplicate, whatever
                # the text says.
                return False
            if isinstance(error, WikiError) and retryable_text(error) is not None:
                return True
            if isinstance(error, ServerError | TransportError):
                return safe or method == "POST"  # a POST only with its lookup (see above)
            return False

        def delay_for(state: RetryCallState) -> float:
            if state.attempt_number not in planned:
                error = state.outcome.exception() if state.outcome else None
                delay = 0.0
                if isinstance(error, RateLimitedError | ServerError) and (
                    isinstance(error, RateLimitedError) or error.retry_after is not None
                ):
                    delay = policy.rate_limit_delay(error.retry_after, state.attempt_number)
                elif not isinstance(error, _ConflictResolved):
                    delay = policy.backoff_delay(state.attempt_number)
                planned[state.attempt_number] = delay
            return planned[state.attempt_number]

        def should_stop(state: RetryCallState) -> bool:
            if state.attempt_number >= policy.max_attempts:
                return True
            error = state.outcome.exception() if state.outcome else None
            if isinstance(error, RateLimitedError) and error.retry_after is not None:
                # The site named the wait: waited up to max_wait, else the run stops here.
                if policy.clock() - started + delay_for(state) > policy.max_wait:
                    self.gate.close(policy.wall_clock() + delay_for(state))
                    return True
                return False
            return policy.clock() - started + delay_for(state) > policy.max_total

        def wait(state: RetryCallState) -> float:
            delay = delay_for(state)
            error = state.outcome.exception() if state.outcome else None
            rate_limited = isinstance(error, RateLimitedError) or (
                isinstance(error, ServerError) and error.retry_after is not None
            )
            if rate_limited:
                # The gate does the waiting, for this worker and all the others.
                self.gate.defer(delay)
                return 0.0
            return delay

        def before_sleep(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            reason = error.conflict if isinstance(error, _ConflictResolved) else error
            log.warning(
                "retry %d/%d of %s %s after: %s; waiting %.2f s",
                state.attempt_number,
                policy.max_attempts - 1,
                method,
                what,
                str(reason).splitlines()[0] if reason else "?",
                delay_for(state),
            )

        retrying = Retrying(
            retry=should_retry,
            stop=should_stop,
            wait=wait,
            sleep=lambda seconds: policy.sleep(seconds) if seconds > 0 else None,
            before_sleep=before_sleep,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _ConflictResolved as exhausted:
            raise exhausted.conflict from None
        except RateLimitStopError:
            raise
        except RateLimitedError:
            until = self.gate.closed_until
            if until is None:
                raise
            raise stopped(what, until) from None
