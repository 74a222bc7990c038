"""Fault rules for the local wiki: what a spec says, and the plan that decides which rule fires.

A sync must survive what real Confluence sites and their proxies do: rate limits, overloaded
nodes, HTML error pages from a gateway, dropped connections, slow answers, writes that land
although the client saw an error, and concurrent edits. Each of those is one *fault rule*,
written as a short spec string (on the command line, in tests, or through the admin endpoint).

Spec grammar::

    spec    := kind ( ":" option )*
    option  := name "=" value

    kinds   429           rate limited; Retry-After 1 s unless told otherwise
            503           service unavailable; no Retry-After unless told
            502           a proxy's HTML "Bad Gateway" page (not JSON)
            reset         the TCP connection is reset (RST) before the wiki sees the request
            delay         only wait (use ``ms=``), then answer normally
            commit-500    the wiki handles the request (a write commits), the client gets a 500
            commit-reset  the wiki handles the request, then the connection is reset
            409           version conflict on the next page update (defaults: method=PUT,
                          path = a page (``…/content/<id>`` or ``…/pages/<id>``), count=1)
            property-409  Cloud writes a new page's properties in the background right after
                          its create: the first property write meets 409 although the
                          property is there (zeldigas/text2confl#334, the property "produces
                          a conflict (409) when this property is created"; sphinx-contrib/
                          confluencebuilder#1067, #1007). The write lands, the client gets
                          409 (defaults: method=POST, path = a page's property collection
                          ``…/pages/<id>/properties`` or ``…/content/<id>/property``, count=1)
            property-duplicate  the same write meets a duplicate property key in Cloud's
                          database instead: 400 ``jsonproperty.duplicate.key``, nothing
                          written (CONFCLOUD-72142; sphinx-contrib/confluencebuilder#1094,
                          #1098: "a duplicate property entry … Confluence can report a 400
                          error"); defaults as for property-409
            near-limit    answer normally, with ``X-RateLimit-NearLimit: true`` added

    options path=GLOB[,GLOB…]    shell glob on the request path (``*`` also spans ``/``);
                                 the path includes any context path, e.g. ``/wiki/api/v2/pages*``
            method=M[,M…]        HTTP methods, case-insensitive
            after=N              let the first N matching requests through
            count=N              fire at most N times (after ``after``); default: no limit
            p=F                  fire with probability F (0..1) per eligible request …
            seed=N               … drawn from the rule's own generator seeded with N (default
                                 0), so the same sequence of requests meets the same faults
            retry-after=N|none   Retry-After in seconds (429, 503); ``0`` is sent as ``0``
            retry-format=seconds|date   send Retry-After as seconds or as an HTTP date
            reset=N              (429, 503) ``X-RateLimit-Reset`` N seconds from now, as
                                 Atlassian writes it (ISO 8601, ``yyyy-MM-ddTHH:mmZ``)
            near-limit           (a flag, no value) ``X-RateLimit-NearLimit: true`` as well

Cloud's rate limit headers (developer.atlassian.com/cloud/confluence/rate-limiting/, updated
Feb 2 2026): a 429 carries ``Retry-After`` (seconds) and may carry ``X-RateLimit-Reset``,
"the timestamp (in ISO 8601 format) when the rate limit will reset, calculated as the request
timestamp plus the Retry-After period … yyyy-MM-ddTHH:mmZ"; ``X-RateLimit-NearLimit: true``
says less than 20 % of the budget is left. Quota windows are an hour long, so a real
``Retry-After`` can say 3600: ``429:retry-after=3600:reset=3600`` is that site.
            delay=MS (or ms=MS)  extra latency in milliseconds before this rule's answer

Example: ``429:retry-after=2:path=/rest/api/content*:method=POST:count=3``.

Rules are tried in order; the first that fires decides the request. ``fault_middleware``
applies a plan to a running wiki.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import fnmatch
import random
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for annotations; the middleware talks plain WSGI
    pass

KINDS = (
    "429",
    "503",
    "502",
    "reset",
    "delay",
    "commit-500",
    "commit-reset",
    "409",
    "property-409",
    "property-duplicate",
    "near-limit",
)
PROPERTY_KINDS = ("property-409", "property-duplicate")

_PAGE_UPDATE = re.compile(r"/(?:content|pages)/\d+/?$")
_PAGE_PROPERTIES = re.compile(r"/(?:content/\d+/property|pages/\d+/properties)/?$")
_OPTION_NAMES = {
    "path",
    "method",
    "after",
    "count",
    "p",
    "seed",
    "retry-after",
    "retry-format",
    "delay",
    "ms",
    "reset",
    "near-limit",
}


@dataclass
class FaultRule:
    """One parsed fault spec plus its counters (guarded by the owning plan's lock)."""

    kind: str
    spec: str
    paths: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    after: int = 0
    count: int | None = None
    probability: float | None = None
    seed: int = 0
    retry_after: int | None = None
    retry_format: str = "seconds"
    delay_ms: int = 0
    reset_in: int | None = None  # X-RateLimit-Reset, seconds from the answer
    near_limit: bool = False  # X-RateLimit-NearLimit: true
    matched: int = field(default=0, compare=False)
    fired: int = field(default=0, compare=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def matches(self, method: str, path: str) -> bool:
        """True if the request is one this rule is about (counters aside)."""
        if self.methods and method.upper() not in self.methods:
            return False
        if self.paths:
            return any(fnmatch.fnmatchcase(path, glob) for glob in self.paths)
        if self.kind == "409":
            return _PAGE_UPDATE.search(path) is not None
        if self.kind in PROPERTY_KINDS:
            return _PAGE_PROPERTIES.search(path) is not None
        return True

    def _should_fire(self) -> bool:
        # Called only for matching requests, under the plan's lock.
        self.matched += 1
        if self.matched <= self.after:
            return False
        if self.count is not None and self.fired >= self.count:
            return False
        if self.probability is not None and self._rng.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the admin endpoint."""
        return {
            "spec": self.spec,
            "kind": self.kind,
            "paths": list(self.paths),
            "methods": list(self.methods),
            "after": self.after,
            "count": self.count,
            "p": self.probability,
            "seed": self.seed,
            "retry_after": self.retry_after,
            "retry_format": self.retry_format,
            "delay_ms": self.delay_ms,
            "reset": self.reset_in,
            "near_limit": self.near_limit,
            "matched": self.matched,
            "fired": self.fired,
        }


def _int_option(name: str, value: str, spec: str, *, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"fault spec {spec!r}: {name}={value!r} is not a whole number") from None
    if number < minimum:
        raise ValueError(f"fault spec {spec!r}: {name} must be ≥ {minimum}, got {number}")
    return number


def parse_fault_spec(spec: str) -> FaultRule:
    """Parse ``kind[:name=value…]`` into a rule; ``ValueError`` says what is wrong and where."""
    parts = [part.strip() for part in spec.strip().split(":")]
    kind = parts[0].lower()
    if kind not in KINDS:
        raise ValueError(
            f"fault spec {spec!r}: unknown kind {parts[0]!r}; expected one of {', '.join(KINDS)}"
        )
    rule = FaultRule(kind=kind, spec=spec.strip())
    if kind == "429":
        rule.retry_after = 1
    if kind == "409":
        rule.methods, rule.count = ("PUT",), 1
    if kind in PROPERTY_KINDS:
        rule.methods, rule.count = ("POST",), 1
    if kind == "near-limit":
        rule.near_limit = True
    for part in parts[1:]:
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        value = value.strip()
        if name == "near-limit" and not sep:
            rule.near_limit = True
            continue
        if not sep or not name:
            raise ValueError(f"fault spec {spec!r}: option {part!r} is not name=value")
        if name not in _OPTION_NAMES:
            raise ValueError(
                f"fault spec {spec!r}: unknown option {name!r}; "
                f"expected one of {', '.join(sorted(_OPTION_NAMES))}"
            )
        if name == "path":
            rule.paths = tuple(glob for glob in value.split(",") if glob)
            if not rule.paths or any(not glob.startswith(("/", "*")) for glob in rule.paths):
                raise ValueError(f"fault spec {spec!r}: path globs must start with / or *")
        elif name == "method":
            rule.methods = tuple(m.strip().upper() for m in value.split(",") if m.strip())
            if not rule.methods or not all(m.isalpha() for m in rule.methods):
                raise ValueError(f"fault spec {spec!r}: method={value!r} is not a method list")
        elif name == "after":
            rule.after = _int_option(name, value, spec)
        elif name == "count":
            rule.count = _int_option(name, value, spec, minimum=1)
        elif name == "seed":
            rule.seed = _int_option(name, value, spec)
        elif name == "reset":
            rule.reset_in = _int_option(name, value, spec)
        elif name == "near-limit":
            if value.lower() not in ("true", "false"):
                raise ValueError(f"fault spec {spec!r}: near-limit takes no value (or true)")
            rule.near_limit = value.lower() == "true"
        elif name in ("delay", "ms"):
            rule.delay_ms = _int_option(name, value, spec)
        elif name == "p":
            try:
                rule.probability = float(value)
            except ValueError:
                raise ValueError(f"fault spec {spec!r}: p={value!r} is not a number") from None
            if not 0.0 <= rule.probability <= 1.0:
                raise ValueError(f"fault spec {spec!r}: p must be between 0 and 1")
        elif name == "retry-after":
            rule.retry_after = None if value.lower() == "none" else _int_option(name, value, spec)
        elif name == "retry-format":
            if value not in ("seconds", "date"):
                raise ValueError(f"fault spec {spec!r}: retry-format must be seconds or date")
            rule.retry_format = value
    if kind == "delay" and rule.delay_ms == 0:
        raise ValueError(f"fault spec {spec!r}: delay needs ms=MILLISECONDS")
    rule.__post_init__()  # reseed after options were applied
    return rule


class FaultPlan:
    """The ordered, thread-safe list of fault rules a running wiki applies."""

    def __init__(self, rules: Iterable[FaultRule] = ()) -> None:
        self._lock = threading.Lock()
        self._rules: list[FaultRule] = list(rules)

    @classmethod
    def from_specs(cls, specs: Iterable[str]) -> FaultPlan:
        """Build a plan from spec strings; the first bad spec raises ``ValueError``."""
        return cls(parse_fault_spec(spec) for spec in specs)

    def add(self, rule: FaultRule | str) -> FaultRule:
        """Append a rule (or a spec string) and return it."""
        parsed = parse_fault_spec(rule) if isinstance(rule, str) else rule
        with self._lock:
            self._rules.append(parsed)
        return parsed

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[FaultRule]:
        """A snapshot of the rules, in the order they are tried."""
        with self._lock:
            return list(self._rules)

    def snapshot(self) -> list[dict[str, Any]]:
        """The rules with their counters, JSON-ready, read consistently."""
        with self._lock:
            return [rule.as_dict() for rule in self._rules]

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The rule that fires for this request, if any; advances the counters."""
        if not self._rules:  # the usual case: no lock, no matching (a list's length is atomic)
            return None
        with self._lock:
            for rule in self._rules:
                if rule.matches(method, path) and rule._should_fire():
                    return rule
        return None


__all__ = [
    "KINDS",
    "PROPERTY_KINDS",
    "FaultPlan",
    "FaultRule",
    "parse_fault_spec",
]
