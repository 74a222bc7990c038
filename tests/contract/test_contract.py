"""Every exchange of a realistic call sequence, checked against the flavour's OpenAPI spec.

One test per (flavour, step): the step's requests must match a documented path and method,
its request bodies must satisfy the spec's request schema, and its responses the schema of
the status returned. Steps that are expected to fail on purpose (a stale version, a missing
page) must fail with exactly that status; every other step must succeed (2xx).
"""

from __future__ import annotations

import pytest

from . import scenario, steps_cloud, steps_dc
from .conftest import FlavourRun
from .openapi import Check

EXPECTED_ERRORS = {
    "page update stale version": {409},
    "page update and stale version": {409},
    "not found": {404},
}
# Routes where the local wiki answers a status the spec does not document. Reported to core;
# strict, so the mark must go when the route is fixed. Each step isolates one route.
CORE_DEVIATIONS: dict[tuple[str, str], str] = {
    # (flavour, step): "what core answers and what the spec documents".
    # History: seven deviations found here were fixed in core (06ffce9 and later); an entry
    # that starts passing fails the run (strict xfail), so this table cannot go stale.
}
STEPS = [
    pytest.param(
        flavour,
        name,
        id=f"{flavour}-{name}",
        marks=[pytest.mark.xfail(strict=True, reason=CORE_DEVIATIONS[(flavour, name)])]
        if (flavour, name) in CORE_DEVIATIONS
        else [],
    )
    for flavour, steps in (("dc", steps_dc.dc_steps()), ("cloud", steps_cloud.cloud_steps()))
    for name, _ in steps
]


def checks_for(run: FlavourRun, step: str) -> list[tuple[scenario.Exchange, Check]]:
    return [
        (
            exchange,
            run.spec_for_path(exchange.path).check(
                exchange.method,
                exchange.path,
                exchange.status,
                request_body=exchange.request_body,
                request_type=exchange.request_type,
                response_body=exchange.response_body,
                response_type=exchange.response_type,
                query=exchange.query,
            ),
        )
        for exchange in run.recorder.exchanges
        if exchange.step == step
    ]


@pytest.mark.parametrize(("flavour", "step"), STEPS)
def test_step_matches_the_spec(runs: dict[str, FlavourRun], flavour: str, step: str) -> None:
    run = runs[flavour]
    assert step not in run.recorder.skipped, run.recorder.skipped.get(step)
    pairs = checks_for(run, step)
    assert pairs, f"step {step!r} sent no request"
    allowed = EXPECTED_ERRORS.get(step, set())
    problems = [
        f"unexpected status: {scenario.describe(exchange)}"
        for exchange, _ in pairs
        if exchange.status >= 300 and exchange.status not in allowed
    ]
    problems += [check.explain() for _, check in pairs if not check.ok]
    if allowed:
        statuses = {exchange.status for exchange, _ in pairs}
        if not statuses & allowed:
            problems.append(f"expected one of {sorted(allowed)}, got {sorted(statuses)}")
    assert not problems, "\n".join(problems)


def test_the_checker_rejects_what_the_spec_forbids() -> None:
    """The validator itself can fail: a wrong type in a request and a response is caught."""
    from .openapi import spec_for, specs_present

    if not specs_present():
        pytest.skip("Atlassian OpenAPI specs not found")
    spec = spec_for("dc")
    bad = spec.check(
        "PUT",
        "/rest/api/content/7",
        200,
        request_body=b'{"id":"7","type":"page","title":"x","version":{"number":"two"}}',
        request_type="application/json",
        response_body=b'{"id":7,"type":"page"}',
        response_type="application/json",
    )
    assert not bad.ok
    assert any("version/number" in e for e in bad.request_errors)
    assert any(e.startswith("id:") for e in bad.response_errors)
    assert spec.check("GET", "/rest/api/nowhere", 200).template is None
    odd = spec.check("GET", "/rest/api/content", 200, query={"spaceKey": "X", "colour": "red"})
    assert odd.request_errors == ["query parameter 'colour' is not in the spec"]
    undocumented = spec.check("GET", "/rest/api/content/7", 418, response_body=b"{}")
    assert any("not documented" in e for e in undocumented.response_errors)
