"""PUTs without a version guard that are idempotent by definition are retried: a Data Center
grant, revoke or group membership, a Cloud page move (``backends/repeatable.py`` cites why a
repeat is harmless). Faults aimed at exactly those requests, before and after the write landed,
end where a fault-free sync ends, in every seed, and leave no failed item for the next run.

The same scenario as ``test_idempotent_writes`` (a first sync, a member's edit, a config change
with revokes, a removed member and archived meetings, which Cloud moves), with the faults on
these routes only: sparse enough that a retry gets through within its five attempts, certain
enough that every kind meets these routes across the seeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_idempotent_writes import KINDS, fresh_site, scenario

SEEDS = (1, 2, 3, 4)
# The routes, as the fault plan's globs see them (the path with any context path).
ROUTES = {
    "dc": ("*/rest/api/space/*/permissions/*", "*/rest/api/user/*/group/*"),
    "cloud": ("*/rest/api/content/*/move/*",),
}


def fault_specs(flavour: str, seed: int) -> list[str]:
    """Per route: two faults in a row on its first request (kinds turned by the seed, so the
    seeds together meet each kind first and second), then each kind by chance on every later
    one, each rule with its own generator (so a seed is a plan). A Cloud scenario moves one
    page: the deterministic pair is what makes its retries certain."""
    first, second = KINDS[seed % len(KINDS)], KINDS[(seed + 1) % len(KINDS)]
    specs: list[str] = []
    for r, route in enumerate(ROUTES[flavour]):
        specs += [f"{kind}:method=PUT:path={route}:count=1" for kind in (first, second)]
        specs += [
            f"{kind}:method=PUT:path={route}:p=0.08:seed={seed * 100 + r * 10 + n}"
            for n, kind in enumerate(KINDS)
        ]
    return specs


@pytest.mark.parametrize("flavour", ["dc", "cloud"])
def test_faults_on_grants_memberships_and_moves_end_equal_to_a_fault_free_run(
    flavour: str, tmp_path: Path
) -> None:
    with fresh_site(flavour, tmp_path / "clean.yaml") as clean:
        reference = scenario(clean, [])
    assert reference.runs == 2 and not reference.failures
    fired: dict[str, int] = {}
    for seed in SEEDS:
        with fresh_site(flavour, tmp_path / f"seed{seed}.yaml") as site:
            outcome = scenario(site, fault_specs(flavour, seed))
        assert outcome.state == reference.state, (seed, outcome.failures)
        # Every fault was absorbed by a retry inside its run: nothing left for the next.
        assert outcome.failures == [], (seed, outcome.failures)
        assert outcome.runs == 2, (seed, outcome.runs)
        for (kind, _method), count in outcome.fired.items():
            fired[kind] = fired.get(kind, 0) + count
    # the faults met these PUTs in each kind, before and after the commit
    assert all(fired.get(kind, 0) > 0 for kind in KINDS), fired
