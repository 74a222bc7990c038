"""Run schemathesis over one API tree of a running local wiki and sum up what came back.

The run is deterministic: a fixed seed, ``deterministic`` generation, no example database,
one worker and the stateful phase off, so the same requests go out in the same order every
time (the wiki's answers then match too, as its state only depends on them). The budget is
``max-examples`` per operation in the fuzzing phase (positive and negative data) plus the
examples phase and, for operations without a request body, the coverage phase (boundary
values: 2^63, -1, empty strings, wrong types). Coverage of request bodies is left out: its
combinations run into tens of thousands per operation (the v1 space-create body alone takes
minutes to enumerate), which the fuzzing phase samples instead.

What counts is read from the wiki's own request journal (every request, its status), not from
schemathesis' checks, so a 5xx cannot slip through a check's configuration. Transport errors
(a timeout: the wiki hung; a reset) come from the engine's events.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.testing.journal import JournalMiddleware

from .specs import MOUNTS, Plan

SEED = 20260915
MAX_EXAMPLES = 10
REQUEST_TIMEOUT = 10  # seconds; the wiki answers in milliseconds, so this is a hang
TRANSPORT_ERRORS = (requests.Timeout, requests.ConnectionError)


@dataclass
class TreeReport:
    """What one API tree's run sent and got."""

    api: str
    operations: int
    undocumented: int = 0  # implemented routes the spec has no operation for: not generated
    seconds: float = 0.0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # "METHOD path?query → status"
    # Every request carries the admin's credentials: a 401 means the fuzz took the admin's
    # account away (as a self-deletion once did), and every later request tests nothing.
    first_unauthorized: str | None = None
    transport_errors: list[str] = field(default_factory=list)
    generation_errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def summary(self) -> str:
        top = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        return (
            f"[{self.api}] {self.operations} operations ({self.undocumented} routes not in the "
            f"spec), {self.requests} requests in {self.seconds:.1f} s ({top})"
        )


def config_for(plan: Plan, base_url: str, auth: tuple[str, str]) -> SchemathesisConfig:
    no_body_coverage = [
        {"include-method": method, "include-path": path, "phases": {"coverage": {"enabled": False}}}
        for method, path in plan.with_body
    ]
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "base-url": base_url,
            "request-timeout": REQUEST_TIMEOUT,
            "workers": 1,
            # Generation speed is not what is tested; slow or filtered strategies still run.
            "suppress-health-check": ["all"],
            "auth": {"basic": {"username": auth[0], "password": auth[1]}},
            "generation": {
                "mode": "all",
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "stateful": {"enabled": False},
                "coverage": {
                    "unexpected-methods": [],
                    "generate-duplicate-query-parameters": False,
                },
            },
            "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
            "operations": no_body_coverage,
        }
    )


def _journal(wiki: LocalWiki) -> JournalMiddleware:
    assert isinstance(wiki.app, JournalMiddleware)
    return wiki.app


def run_tree(wiki: LocalWiki, plan: Plan) -> TreeReport:
    """Fuzz one tree of ``wiki`` (journal entries before the run are not counted)."""
    journal = _journal(wiki)
    first = len(journal.entries())
    base_url = wiki.root_url + MOUNTS[plan.api]
    schema = schemathesis.openapi.from_dict(
        plan.document, config=config_for(plan, base_url, wiki.admin)
    )
    report = TreeReport(plan.api, len(plan.operations), len(plan.undocumented))
    started = time.perf_counter()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.NonFatalError):
            line = f"{event.label}: {type(event.value).__name__}: {str(event.value)[:300]}"
            if isinstance(event.value, TRANSPORT_ERRORS):
                report.transport_errors.append(line)
            else:
                report.generation_errors.append(line)
        elif isinstance(event, events.FatalError):
            raise event.exception
    report.seconds = time.perf_counter() - started
    for entry in journal.entries()[first:]:
        status = int(entry["status"])
        report.statuses[status] += 1
        query = f"?{entry['query']}" if entry["query"] else ""
        line = f"{entry['method']} {entry['path']}{query} → {status}"
        if status >= 500 or status == 0:
            report.server_errors.append(line)
        elif status == 401 and report.first_unauthorized is None:
            report.first_unauthorized = line
    return report


def describe(reports: list[TreeReport], limit: int = 40) -> str:
    """The reports as text for an assertion message (first ``limit`` findings per kind)."""
    lines: list[Any] = []
    for report in reports:
        lines.append(report.summary())
        lines += [f"  5xx: {line}" for line in report.server_errors[:limit]]
        lines += [f"  transport: {line}" for line in report.transport_errors[:limit]]
        if report.first_unauthorized:
            lines.append(f"  first 401: {report.first_unauthorized}")
    return "\n".join(str(line) for line in lines)
