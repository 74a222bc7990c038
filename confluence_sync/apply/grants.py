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

:class:`SpaceGrants` sends one space's grant changes the way its site takes them and keeps
what the space's index records afterwards.

Imports: ``apply.runner``, ``backends.contract``, ``plan.changes`` and ``wiki.values``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, wait
from dataclasses import dataclass, field

from confluence_sync.apply.runner import Runner
from confluence_sync.backends.contract import WikiWriter
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


@dataclass
class SpaceGrants:
    """One space's grant changes as its worker sends them, and what its index records after:
    the grants the sync made (``granted``) and those it did not make that stay (``extra``)."""

    key: str
    writer: WikiWriter
    runner: Runner
    granted: set[Grant]
    extra: set[Grant]
    taken: frozenset[Grant] = frozenset()  # carried by the space's create
    batches: dict[tuple[str, str, str], list[AddGrant | RevokeGrant]] = field(default_factory=dict)
    together: list[AddGrant | RevokeGrant] = field(default_factory=list)

    @classmethod
    def start(
        cls,
        key: str,
        changes: Sequence[Change],
        writer: WikiWriter,
        runner: Runner,
        *,
        granted: set[Grant],
        extra: set[Grant],
        taken: frozenset[Grant],
    ) -> SpaceGrants:
        sent = [
            c
            for c in changes
            if isinstance(c, AddGrant | RevokeGrant)
            and not (isinstance(c, AddGrant) and c.grant in taken)
        ]
        grants = cls(key, writer, runner, granted, extra, taken)
        if not sent:
            # Cloud's space-role mode is read only where a grant is written (one GET less).
            return grants
        if writer.capabilities.grants_per_space:
            # All grant changes in one request where a site sets them per space (Cloud's roles).
            grants.together = sent
        elif writer.capabilities.batch_grants:
            grants.batches = by_subject(changes, taken)
        return grants

    def send(self, change: AddGrant | RevokeGrant) -> None:
        """Send ``change`` (with the first of a batch, the whole batch; the batch's later
        changes then send nothing more)."""
        key, writer, run = self.key, self.writer, self.runner.run
        capabilities = writer.capabilities
        if isinstance(change, AddGrant) and change.grant in self.taken:
            if run(change, lambda: TAKEN_BY_CREATE):
                self.granted.add(change.grant)
        elif capabilities.grants_per_space:
            if self.together:  # sent with the space's first grant change
                self._batch(self.together, per_space=True)
                self.together = []
        elif capabilities.batch_grants:
            batch = self.batches.pop(subject_of(change), [])
            if batch:
                self._batch(batch)
        elif isinstance(change, AddGrant):
            if run(change, lambda: writer.grant(key, change.grant)):
                self.granted.add(change.grant)
        elif run(change, lambda: writer.revoke(key, change.grant)):
            self.granted.discard(change.grant)
        elif change.extra:
            self.extra.add(change.grant)

    def _batch(self, batch: list[AddGrant | RevokeGrant], *, per_space: bool = False) -> None:
        """Every grant (or revoke) of one subject in one request; with ``per_space`` every
        grant and revoke of the space (``WikiWriter.set_grants``)."""
        adds = [c.grant for c in batch if isinstance(c, AddGrant)]
        revokes = [c.grant for c in batch if isinstance(c, RevokeGrant)]

        def send() -> None:
            if per_space:
                self.writer.set_grants(self.key, adds, revokes)
            elif adds:
                self.writer.grant_many(self.key, adds)
            else:
                self.writer.revoke_many(self.key, revokes)

        if self.runner.run_together(batch, send):
            self.granted.update(adds)
            self.granted.difference_update(revokes)
        else:
            self.extra |= {c.grant for c in batch if isinstance(c, RevokeGrant) and c.extra}
