"""The plan: a plain, sorted list of changes with counts and a checksum.

Printing a plan is the job of ``report``; executing it is the job of ``apply``. Each change
type is tiny: what it touches, an ordering key (parents before children, grants of read
before anything else, removals last) and a one-line ``repr``. Items that change nothing but
must be reported (a conflict, a page blocked for lack of our marker, a manual step) are
changes too, with ``writes = False``: :mod:`confluence_sync.plan.notes`; the page changes are
:mod:`confluence_sync.plan.page_changes`'s.

Safety belongs to the plan (octodns' ``raise_if_unsafe``): archiving pages or revoking
grants/memberships above a share of what we manage is refused without ``--allow-removals``.
Each change type says what it takes away (``takes``), so the plan counts removals without
knowing the types.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final

from confluence_sync.errors import UnsafePlanError
from confluence_sync.wiki.values import Grant, Template

# Refuse when more than this share of the managed objects would go …
MAX_REMOVAL_SHARE: Final = 0.25
# … once there are at least this many of them (small networks change by whole pages).
MIN_EXISTING: Final = 8

# Phases: the order apply runs changes in, within one space.
PHASE_SPACE, PHASE_GROUP, PHASE_MEMBER, PHASE_GRANT, PHASE_TEMPLATE = 0, 1, 2, 3, 4
PHASE_PAGE, PHASE_ARCHIVE, PHASE_REVOKE, PHASE_NOTE = 5, 6, 7, 8


@dataclass(frozen=True)
class Change:
    """Base of every plan item. ``space`` is the space key ('' for network-wide items)."""

    space: str
    kind: ClassVar[str] = "change"
    phase: ClassVar[int] = PHASE_NOTE
    writes: ClassVar[bool] = True
    because: ClassVar[str] = ""  # the reason people read, where it is the same for every item
    # What the change takes away, for the safety share ("pages", "grants", …); None: nothing.
    takes: ClassVar[str | None] = None

    @property
    def item(self) -> str:
        """What the change is about, for people (``page group/UPX/home``)."""
        return self.space

    @property
    def reason(self) -> str:
        return self.because

    def sort_key(self) -> tuple[Any, ...]:
        return (self.phase, self.space, 0, self.item)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "space": self.space, "item": self.item, "reason": self.reason}

    @property
    def removes(self) -> str | None:
        """What this change takes away and the safety share counts (None: nothing)."""
        return self.takes

    @property
    def shown_kind(self) -> str:
        """The kind a report and the counts show (a note: its status, ``conflict`` …)."""
        return self.kind

    def __repr__(self) -> str:
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.kind} {self.item}{reason}"


@dataclass(frozen=True, repr=False)
class CreateSpace(Change):
    name: str = ""
    description: str = ""
    kind: ClassVar[str] = "create-space"
    phase: ClassVar[int] = PHASE_SPACE
    because: ClassVar[str] = "not in the wiki yet"

    @property
    def item(self) -> str:
        return f"space {self.space}"


def grant_item(operations: Iterable[str], grant: Grant, space: str) -> str:
    """How a grant item reads: ``read, write for group puu-upx-members on PUUUPX``."""
    return f"{', '.join(operations)} for {grant.subject_type} {grant.subject} on {space}"


@dataclass(frozen=True, repr=False)
class GrantChange(Change):
    grant: Grant = field(default_factory=lambda: Grant("user", "", "read"))
    kind: ClassVar[str] = "grant"
    phase: ClassVar[int] = PHASE_GRANT

    @property
    def item(self) -> str:
        return grant_item((self.grant.operation,), self.grant, self.space)

    def sort_key(self) -> tuple[Any, ...]:
        # read first: Confluence refuses other permissions for a subject without read
        return (self.phase, self.space, 0 if self.grant.operation == "read" else 1, self.item)


@dataclass(frozen=True, repr=False)
class AddGrant(GrantChange):
    kind: ClassVar[str] = "grant"
    because: ClassVar[str] = "the config gives it"


@dataclass(frozen=True, repr=False)
class RevokeGrant(GrantChange):
    """Revoke a grant: one the sync made that the config no longer gives (``extra`` False),
    or one it never made — on a space the sync created itself, or with
    ``--revoke-extra-grants`` (``requested``: the admin asked for exactly this, so it does not
    count towards the safety share)."""

    extra: bool = False
    requested: bool = False
    kind: ClassVar[str] = "revoke"
    phase: ClassVar[int] = PHASE_REVOKE
    takes: ClassVar[str | None] = "grants"

    @property
    def removes(self) -> str | None:
        return None if self.requested else self.takes

    @property
    def reason(self) -> str:
        if not self.extra:
            return "no longer in the config"
        if self.requested:
            return "not in the config, not made by the sync (--revoke-extra-grants)"
        return "not in the config (a site default or added by hand) on a space the sync created"


@dataclass(frozen=True, repr=False)
class EnsureGroup(Change):
    group: str = ""
    kind: ClassVar[str] = "create-group"
    phase: ClassVar[int] = PHASE_GROUP

    @property
    def item(self) -> str:
        return f"group {self.group}"


@dataclass(frozen=True, repr=False)
class MemberChange(Change):
    group: str = ""
    account: str = ""
    kind: ClassVar[str] = "add-member"
    phase: ClassVar[int] = PHASE_MEMBER

    @property
    def item(self) -> str:
        return f"member {self.account} of group {self.group}"


@dataclass(frozen=True, repr=False)
class AddMember(MemberChange):
    kind: ClassVar[str] = "add-member"


@dataclass(frozen=True, repr=False)
class RecordMember(MemberChange):
    """A member the config wants who is in the group, but not in the hub index's record of
    what the sync added (an add that landed although its answer was lost). Nothing is sent:
    the hub index records the member as the sync's, so dropping them from the config later
    removes them again."""

    kind: ClassVar[str] = "record-member"
    because: ClassVar[str] = "in the group as the config wants; recorded as added by the sync"


@dataclass(frozen=True, repr=False)
class RemoveMember(MemberChange):
    kind: ClassVar[str] = "remove-member"
    phase: ClassVar[int] = PHASE_REVOKE
    takes: ClassVar[str | None] = "group memberships"
    because: ClassVar[str] = "no longer in the config"


@dataclass(frozen=True, repr=False)
class SaveTemplate(Change):
    template: Template = field(default_factory=lambda: Template("", ""))
    digest: str = ""
    kind: ClassVar[str] = "template"
    phase: ClassVar[int] = PHASE_TEMPLATE

    @property
    def item(self) -> str:
        return f"template {self.template.name!r} in {self.space}"

    @property
    def reason(self) -> str:
        return "changed" if self.template.id else "new"


@dataclass(frozen=True, repr=False)
class RecordGrants(Change):
    """The space's index does not yet say which of its grants the sync did not make (an
    index of an earlier release): observe listed them once; nothing is sent, the index
    records them, so later runs need not list them again."""

    kind: ClassVar[str] = "record-grants"
    phase: ClassVar[int] = PHASE_GRANT
    because: ClassVar[str] = "grants listed once; the index records which are not the sync's"

    @property
    def item(self) -> str:
        return f"grants of space {self.space}"


@dataclass(frozen=True)
class Plan:
    """Sorted changes plus what the safety check compares them with."""

    changes: tuple[Change, ...]
    managed_pages: int = 0
    managed_grants: int = 0
    managed_members: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", tuple(sorted(self.changes, key=lambda c: c.sort_key())))

    @property
    def writes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.writes)

    @property
    def empty(self) -> bool:
        """Nothing to write (notes may remain)."""
        return not self.writes

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(c.shown_kind for c in self.changes).items()))

    @property
    def checksum(self) -> str:
        """Stable digest of the changes, shown with a plan (``plan --format markdown`` and the
        JSON report), so two plans can be told apart at a glance."""
        data = json.dumps([c.to_json() for c in self.changes], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()[:16]

    def raise_if_unsafe(self, *, allow_removals: bool = False) -> None:
        """Refuse archiving/revoking more than 25 % of what we manage (once ≥ 8), unless the
        admin said ``--allow-removals``. Overwriting conflicts is a separate decision."""
        if allow_removals:
            return
        removed_of = Counter(c.removes for c in self.changes if c.removes)
        managed = {
            "pages": self.managed_pages,
            "grants": self.managed_grants,
            "group memberships": self.managed_members,
        }
        for what, existing in managed.items():
            removed = removed_of[what]
            if existing >= MIN_EXISTING and removed > existing * MAX_REMOVAL_SHARE:
                share = removed / existing
                raise UnsafePlanError(
                    f"the plan would archive or revoke {removed} of {existing} managed {what} "
                    f"({share:.0%}, more than {MAX_REMOVAL_SHARE:.0%}); nothing was changed",
                    hint="check the config (a group or organisation deleted by mistake?); "
                    "re-run with --allow-removals if this is intended (--force also allows "
                    "it, and overwrites member edits too)",
                )
