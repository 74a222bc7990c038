"""Changes the site's release cannot take over REST, as manual steps an admin can follow.

Data Center has REST space permissions only from 9.1 (CONFSERVER-78176) and REST group admin
only from 8.2 (atlassian-python-api#1180); 9.1+ answers the permission listing of a caller
without space admin with 500 (CONFSERVER-99908). ``by_release`` turns the grants, revokes,
group creates and memberships such a site cannot take into ``manual`` notes, one per space
and subject (or per group), in the words of Confluence's own screens. The site's release is
asked for (``Capabilities.release``, one read per run) only when the plan holds such a change.

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
_SCREEN: Final = "in space {space}: Space tools → Permissions → Edit Permissions, "
NO_PERMISSION_API: Final = (
    "this Confluence ({release}) has no REST API for space permissions (Data Center 9.1 added "
    "it): a space admin does it by hand — "
)
GRANT_STEP: Final = (
    _SCREEN + "under {section} type '{subject}' into 'Grant browse permission to', click Add, "
    "tick {boxes} in its row and click Save all"
)
REVOKE_STEP: Final = (
    _SCREEN + "in the row of '{subject}' under {section} untick {boxes} and click Save all"
)
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
    kept += [_grant_step(key, operations, release) for key, operations in steps.items()]
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


def _grant_step(key: tuple[str, str, str, str], operations: list[str], release: str) -> Note:
    space, action, subject_type, subject = key
    ordered = sorted(operations, key=lambda op: (op != "read", op))  # View comes first
    return Note(
        space,
        subject="{operations} for {subject_type} {subject} on {space}",
        status="manual",
        text=NO_PERMISSION_API + (GRANT_STEP if action == "grant" else REVOKE_STEP),
        fills=(
            ("operations", ("revoke " if action == "revoke" else "") + ", ".join(ordered)),
            ("subject_type", subject_type),
            ("subject", subject),
            ("space", space),
            ("release", release),
            ("section", "Groups" if subject_type == "group" else "Individual Users"),
            ("boxes", _boxes(ordered)),
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
