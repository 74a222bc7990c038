"""The planner: what the wanted wiki and the observed one differ in, as a :class:`Plan`.

Pure: no I/O, no clock. Pages are planned by ``page_planner`` (ownership, member safety,
archive); here: new spaces, grants, templates and group memberships, made equal to the config
(as manual steps where the site's release has no REST API for them: ``plan.manual``).
Only what we granted is revoked, and never anything of the sync account itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from confluence_sync.plan.calendar import plan_calendar
from confluence_sync.plan.changes import (
    AddGrant,
    AddMember,
    Change,
    CreateSpace,
    EnsureGroup,
    Plan,
    RecordGrants,
    RecordMember,
    RemoveMember,
    RevokeGrant,
    SaveTemplate,
)
from confluence_sync.plan.digest import plan_digest
from confluence_sync.plan.manual import by_release
from confluence_sync.plan.notes import KeptGrants, Note
from confluence_sync.plan.pages import plan_pages
from confluence_sync.state.observe import ObservedSpace, WikiState
from confluence_sync.wanted.model import Wanted, WantedSpace
from confluence_sync.wiki.values import Grant


def make_plan(
    wanted: Wanted,
    state: WikiState,
    *,
    adopt: bool = False,
    overwrite_conflicts: bool = False,
    self_accounts: Iterable[str] = (),
    revoke_extra: bool = False,
    publish_digest: str | None = None,
) -> Plan:
    """The changes that bring the wiki to ``wanted``; notes for what must not be touched.

    ``revoke_extra``: also revoke, on spaces that existed before the sync, the grants the sync
    did not make and the config does not name (on spaces it created they always go)."""
    me = frozenset(self_accounts)
    # Every identity of the sync account (DC username or user key, Cloud accountId or
    # e-mail); usernames and e-mails compare case-insensitively.
    folded = frozenset(a.casefold() for a in me if a)
    changes: list[Change] = [
        Note("", subject=n.subject, status="manual", text=n.text, fills=n.fills)
        for n in wanted.notes
    ]
    changes += [
        Note(
            key,
            subject=f"space {key}",
            status="skipped",
            text="is no longer in the config; left as it is — archive or delete it by hand",
        )
        for key in state.orphans
    ]
    managed_pages = managed_grants = managed_members = 0
    recorded_groups = state.hub.index.groups if state.hub_key in state.spaces else {}
    created = set(state.hub.index.created) if state.hub_key in state.spaces else set()
    for space in wanted.spaces:
        observed = state.spaces[space.key]
        if observed.info is None:
            changes.append(CreateSpace(space.key, name=space.name, description=space.description))
        # Ours: the hub index lists it, or it carries our index (the hub: its own index).
        recorded = space.key in state.hub.index.spaces or observed.index_prop is not None
        changes += plan_pages(
            space,
            observed,
            adopt=adopt,
            overwrite_conflicts=overwrite_conflicts,
            recorded=recorded,
            me=folded,
        )
        changes += _grants(
            space,
            observed,
            folded,
            created=space.key in created or observed.info is None,
            revoke_extra=revoke_extra,
        )
        changes += _templates(space, observed, state.capabilities.supports_templates)
        managed_pages += sum(not r.archived for r in observed.records.values())
        managed_grants += len(_managed_grants(space, observed))
    for group, members in sorted(wanted.groups.items()):
        current = state.groups.get(group)
        if current is None:
            changes.append(EnsureGroup("", group=group))
            current = frozenset()
        managed_members += len(current)
        changes += [AddMember("", group=group, account=a) for a in sorted(members - current)]
        ours = recorded_groups.get(group, frozenset())
        changes += [
            RecordMember("", group=group, account=a) for a in sorted((members & current) - ours)
        ]
        changes += _removals(group, current - members, recorded_groups.get(group), folded)
    changes += plan_calendar(wanted, state)  # the calendar files (plan/calendar.py)
    # The published digest page, refreshed when what it shows changed (plan/digest.py).
    changes += plan_digest(
        wanted, state, changes, publish=publish_digest, overwrite=overwrite_conflicts
    )
    # What the site's release cannot take over REST becomes a manual step (plan/manual.py).
    return Plan(tuple(by_release(changes, state)), managed_pages, managed_grants, managed_members)


def _removals(
    group: str, extra: frozenset[str], recorded: frozenset[str] | None, me: frozenset[str]
) -> list[Change]:
    """Members not in the config: removed only if the hub index records them as ours (the
    sync added them); people added by hand are reported and stay. Never the sync account."""
    changes: list[Change] = []
    for account in sorted(extra):
        if account.casefold() in me:
            continue
        if recorded is not None and account in recorded:
            changes.append(RemoveMember("", group=group, account=account))
        else:
            changes.append(
                Note(
                    "",
                    subject=f"group {group}",
                    status="skipped",
                    text=f"member {account} was not added by the sync; left in the group — "
                    "remove by hand if that is wanted",
                )
            )
    return changes


def _managed_grants(space: WantedSpace, observed: ObservedSpace) -> frozenset[Grant]:
    recorded = observed.index.grants or frozenset()
    if observed.grants is None:
        return recorded
    return (recorded | space.grants) & observed.grants


def _grants(
    space: WantedSpace,
    observed: ObservedSpace,
    me: frozenset[str],
    *,
    created: bool,
    revoke_extra: bool,
) -> list[Change]:
    """Grants equal to the config plus the sync account's own rights.

    What the sync granted and the config dropped is revoked. A grant the sync never made (a
    site default, one added by hand) is revoked on a space the sync created (private, so only
    a person can have added it); on a space that existed before, it is reported and kept
    unless ``revoke_extra``. The sync account's own rights are never revoked."""
    if observed.info is None:
        return [AddGrant(space.key, grant=g) for g in sorted(space.grants)]
    recorded = observed.index.grants or frozenset()
    current = observed.grants if observed.grants is not None else recorded
    changes: list[Change] = [AddGrant(space.key, grant=g) for g in sorted(space.grants - current)]
    for grant in sorted((recorded & current) - space.grants):
        if grant.subject.casefold() not in me:
            changes.append(RevokeGrant(space.key, grant=grant))
    if observed.grants is not None and observed.index.extra is None:
        changes.append(RecordGrants(space.key))
    extra = extra_grants(space, observed)
    kept: dict[tuple[str, str], list[Grant]] = {}
    for grant in sorted(extra):
        if grant.subject.casefold() in me:
            continue
        if created or revoke_extra:
            changes.append(RevokeGrant(space.key, grant=grant, extra=True, requested=not created))
        else:
            kept.setdefault((grant.subject_type, grant.subject), []).append(grant)
    for (subject_type, subject), grants in kept.items():
        operations = ", ".join(g.operation for g in grants)
        changes.append(
            KeptGrants(
                space.key,
                subject=f"{operations} for {subject_type} {subject} on {space.key}",
                status="skipped",
                text="not in the config and not made by the sync (a site default or added by "
                "hand; the space existed before the sync): kept — --revoke-extra-grants "
                "revokes it",
                grants=tuple(grants),
            )
        )
    return changes


def extra_grants(space: WantedSpace, observed: ObservedSpace) -> frozenset[Grant]:
    """Grants on the space that the sync neither made nor wants: from the listing when observe
    listed them, else as the index last recorded them."""
    if observed.grants is None:
        return observed.index.extra or frozenset()
    recorded = observed.index.grants or frozenset()
    return observed.grants - recorded - space.grants


def _templates(space: WantedSpace, observed: ObservedSpace, supported: bool) -> list[Change]:
    if not supported or not space.templates:
        return []
    existing = {t.name: t for t in observed.templates or []}
    changes: list[Change] = []
    for template in (t.template for t in space.templates):
        digest = template.digest()
        recorded = observed.index.templates.get(template.name)
        if observed.templates is None and recorded and recorded[1] == digest:
            continue
        found = existing.get(template.name)
        if recorded and recorded[1] == digest and found is not None:
            continue
        with_id = replace(template, id=found.id if found else "")
        changes.append(SaveTemplate(space.key, template=with_id, digest=digest))
    return changes
