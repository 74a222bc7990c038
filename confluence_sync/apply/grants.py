"""How a space's grants reach the wiki: which go into the space's create, and which are sent
per subject (Data Center 9.1+ takes every operation of one subject in one request) or one by
one.

A space the sync creates takes its grants along with the create (``WikiWriter
.create_space_with_grants``: on Cloud inside the create, on Data Center 9.1+ in one set call
right after it): the plan still lists each grant, and each is reported done, with no request
of its own. A group named by such a grant must exist before the create, so
the space's worker waits for the jobs of exactly those groups first; every other group job is
waited for before the first grant request, as before. Spaces that existed before the sync
(adopted) keep the grant-by-grant path.

Imports: ``plan.changes`` and ``wiki.values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, wait

from confluence_sync.plan.changes import AddGrant, Change, RevokeGrant
from confluence_sync.wiki.values import Grant

TAKEN_BY_CREATE = "set when the space was created"


def subject_of(change: AddGrant | RevokeGrant) -> tuple[str, str, str]:
    return (change.kind, change.grant.subject_type, change.grant.subject)


def by_subject(
    changes: Sequence[Change], taken: frozenset[Grant]
) -> dict[tuple[str, str, str], list[AddGrant | RevokeGrant]]:
    """Grants and revokes of one space grouped per subject, in plan order (read first); the
    grants the create carried are left out."""
    batches: dict[tuple[str, str, str], list[AddGrant | RevokeGrant]] = {}
    for change in changes:
        if isinstance(change, AddGrant) and change.grant in taken:
            continue
        if isinstance(change, AddGrant | RevokeGrant):
            batches.setdefault(subject_of(change), []).append(change)
    return batches


def for_create(changes: Sequence[Change]) -> list[Grant]:
    """The grants a new space's create may carry: every grant the plan gives the space."""
    return [c.grant for c in changes if isinstance(c, AddGrant)]


def await_groups(grants: Sequence[Grant], groups: Mapping[str, Future[None]]) -> None:
    """Wait until the jobs of the groups ``grants`` name have finished (created or failed:
    the writer then leaves a missing group's grants out of the create)."""
    wait([groups[g.subject] for g in grants if g.subject_type == "group" and g.subject in groups])
