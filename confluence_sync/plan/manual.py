"""Changes the site's release cannot take over REST, as manual steps an admin can follow.

Data Center has REST space permissions only from 9.1 (CONFSERVER-78176) and REST group admin
only from 8.2 (atlassian-python-api#1180); 9.1+ answers the permission listing of a caller
without space admin with 500 (CONFSERVER-99908). ``by_release`` turns the grants, revokes,
group creates and memberships such a site cannot take into ``manual`` notes — one per space
for the permissions (the release cannot list them either, so the note says first that it
cannot be checked and that nothing changes once done), one per group change — in the words
of Confluence's own screens; ``by_hand`` says the same to ``doctor`` before a first sync.
The site's release is asked for (``Capabilities.release``, one read per run) only when the
plan holds such a change.

Imports: ``plan.changes``, ``plan.notes`` and ``state.observe`` (what observe could not list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from confluence_sync.plan.changes import (
    AddGrant,
    AddMember,
    Change,
    EnsureGroup,
    RecordGrants,
    RemoveMember,
    RevokeGrant,
)
from confluence_sync.plan.notes import Note
from confluence_sync.state.observe import NO_API, NOT_ADMIN, WikiState

# Our operations as the columns of Data Center's space permission screen name them
# (Space tools → Permissions → Edit Permissions: "All: View, Delete Own", "Pages: Add, …").
UI_WORDS: Final = {
    "read": "All — View",
    "delete_own": "All — Delete Own",
    "write": "Pages — Add",
    "delete_page": "Pages — Delete",
    "archive": "Pages — Archive",
    "blog": "Blog — Add",
    "attach": "Attachments — Add",
    "comment": "Comments — Add",
    "restrict": "Restrictions — Add/Delete",
    "export": "Space — Export",
    "admin": "Space — Admin",
}
# One note per space (not one per subject, repeated on every run): such a release cannot
# list the permissions either, so the sync cannot tell a step done by hand from one not
# done. The note says so first, then the steps for whoever has not done them yet.
NO_PERMISSION_API: Final = (
    "cannot be checked on {site}: it has no REST API for space permissions (Data Center 9.1 "
    "added it), so the sync can neither set nor read them and lists them in every plan. "
    "Done by hand already? Then nothing changes. If not, a space admin: in space {space}, "
    "Space tools → Permissions → Edit Permissions; {steps}; then click Save all"
)
GRANT_STEP: Final = (
    "under {section} type '{subject}' into 'Grant browse permission to', click Add and tick "
    "{boxes} in its row"
)
REVOKE_STEP: Final = "in the row of '{subject}' under {section} untick {boxes}"
NOT_ADMIN_NOTE: Final = (
    "the wiki answered 500 to the sync account's reading of the space permissions, which is "
    "what Confluence 9.1+ answers a caller without space admin (CONFSERVER-99908): give the "
    "sync account 'Space — Admin' in space {space} (Space tools → Permissions) or make it a "
    "Confluence administrator; the space's grants were left as they are this run"
)
NO_GROUP_API: Final = (
    "this Confluence ({release}) has no REST API for group admin (Data Center 8.2 added it): "
    "a Confluence administrator does it by hand — Administration (cog) → User management → "
)
GROUP_STEPS: Final = {
    "create": "Groups → Add group, name '{group}', click Save",
    "add": "Groups → '{group}' → Add members, enter '{account}' and click Add selected users",
    "remove": "Groups → '{group}', click Remove in the row of '{account}'",
}


# What ``doctor`` tells an admin before the first sync of such a release (``by_hand``): the
# same steps as the plan's, announced, so nobody meets them first in a plan.
DOCTOR_NO_PERMISSION_API: Final = (
    "Data Center {release} has no REST API for space permissions (9.1 added it): the plan "
    "will list the grants and revokes the config asks for as manual steps, one per space, "
    "for a space admin to do by hand (Space tools → Permissions → Edit Permissions); the "
    "sync cannot read them back, so they stay in every plan, and once done nothing changes"
)
DOCTOR_NO_GROUP_API: Final = (
    "Data Center {release} has no REST API for group admin (8.2 added it): each group and "
    "membership the config asks for will be a manual step in the plan, for a Confluence "
    "administrator to do by hand (Administration (cog) → User management → Groups)"
)


def by_hand(release: str, *, permissions: bool, groups: bool) -> list[str]:
    """What an admin of ``release`` will be asked to do by hand, one sentence per missing
    API (``permissions``/``groups``: whether the release has that REST API)."""
    said = [] if permissions else [DOCTOR_NO_PERMISSION_API]
    said += [] if groups else [DOCTOR_NO_GROUP_API]
    return [text.format(release=release) for text in said]


def by_release(changes: Sequence[Change], state: WikiState) -> list[Change]:
    """``changes`` with what the site cannot take over REST turned into manual steps."""
    refused = {k: s.grants_refused for k, s in state.spaces.items() if s.grants_refused}
    capabilities = state.capabilities
    grants = [c for c in changes if isinstance(c, (AddGrant, RevokeGrant))]
    no_grants = bool(grants) and not capabilities.space_permission_api
    groups = [c for c in changes if isinstance(c, (EnsureGroup, AddMember, RemoveMember))]
    no_groups = bool(groups) and not capabilities.group_admin_api
    # Asked only now that a step needs it (both flags above read it only for such a change).
    release = (capabilities.release or "release unknown") if no_grants or no_groups else ""
    kept: list[Change] = []
    steps: dict[tuple[str, str, str, str], list[str]] = {}  # space, action, type, subject
    for change in changes:
        if isinstance(change, (AddGrant, RevokeGrant)):
            why = refused.get(change.space, "")
            if why == NOT_ADMIN:
                continue  # one note for the space below
            if no_grants or why == NO_API:
                action = "grant" if isinstance(change, AddGrant) else "revoke"
                key = (change.space, action, change.grant.subject_type, change.grant.subject)
                steps.setdefault(key, []).append(change.grant.operation)
                continue
        elif isinstance(change, RecordGrants) and change.space in refused:
            continue
        elif no_groups and isinstance(change, (EnsureGroup, AddMember, RemoveMember)):
            kept.append(_group_step(change, release))
            continue
        kept.append(change)
    by_space: dict[str, list[tuple[str, str, str, list[str]]]] = {}
    for (space, action, subject_type, subject), operations in steps.items():
        by_space.setdefault(space, []).append((action, subject_type, subject, operations))
    kept += [_space_steps(space, found, release) for space, found in by_space.items()]
    kept += [
        Note(
            key,
            subject="permissions of space {space}",
            status="blocked",
            text=NOT_ADMIN_NOTE,
            fills=(("space", key),),
        )
        for key, why in sorted(refused.items())
        if why == NOT_ADMIN
    ]
    return kept


def _boxes(operations: Sequence[str]) -> str:
    words = [UI_WORDS.get(op, f"the permission {op}") for op in operations]
    return ", ".join(f"'{w}'" for w in words)


def _space_steps(space: str, found: list[tuple[str, str, str, list[str]]], release: str) -> Note:
    """The one manual note of ``space``: every grant and revoke of its subjects, granted
    subjects first, groups before users, each with View first (the screen's order of work)."""
    clauses, subjects = [], []
    for action, subject_type, subject, operations in sorted(
        found, key=lambda f: (f[0] != "grant", f[1] != "group", f[2])
    ):
        ordered = sorted(operations, key=lambda op: (op != "read", op))
        section = "Groups" if subject_type == "group" else "Individual Users"
        step = GRANT_STEP if action == "grant" else REVOKE_STEP
        clauses.append(step.format(section=section, subject=subject, boxes=_boxes(ordered)))
        subjects.append(f"{'revoke ' if action == 'revoke' else ''}{subject_type} {subject}")
    site = f"Data Center {release}" if release and release != "release unknown" else "this site"
    return Note(
        space,
        subject="permissions of space {space} ({subjects})",
        status="manual",
        text=NO_PERMISSION_API,
        fills=(
            ("space", space),
            ("subjects", ", ".join(subjects)),
            ("site", site),
            ("steps", "; ".join(clauses)),
        ),
    )


def _group_step(change: EnsureGroup | AddMember | RemoveMember, release: str) -> Note:
    if isinstance(change, EnsureGroup):
        step, subject, account = "create", "group {group}", ""
    else:
        account = change.account
        step = "add" if isinstance(change, AddMember) else "remove"
        subject = ("" if step == "add" else "remove ") + "member {account} of group {group}"
    return Note(
        "",
        subject=subject,
        status="manual",
        text=NO_GROUP_API + GROUP_STEPS[step],
        fills=(("group", change.group), ("account", account), ("release", release)),
    )
