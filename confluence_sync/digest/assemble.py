"""The network's digest from what was read: per group its meeting pages (which page is which
meeting comes from the sync's own index, never from a title) and their bodies.

Pure: the caller reads the wiki (``run_digest``) and resolves the accounts tasks mention
(:func:`references`, then :func:`with_names`).

Which meetings: every meeting page of the index whose page is still listed. Its day is the date
its key-facts table shows (what members see), else the day the index recorded for our last
write. A meeting is *held* when its day is on or before the digest's day (``--until``, else
today) and *upcoming* after it; ``since`` leaves out meetings held before it. Decisions and
tasks are counted for held meetings (an upcoming meeting's page may already hold the agenda's
tasks: they are shown with it, not counted).

Imports: config (identities), wiki (values, storage), digest (model, page, words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from confluence_sync.config.identities import parse
from confluence_sync.digest.model import Digest, Group, Meeting, Recorded, Task
from confluence_sync.digest.page import parse_day, parse_meeting
from confluence_sync.digest.words import Language
from confluence_sync.wiki.storage import StorageFormatError
from confluence_sync.wiki.values import Page

Link = Callable[[str, str], str]  # (space key, page id) → the page's address for people


@dataclass(frozen=True)
class GroupPages:
    """One group's space as read: its meeting identities (identity → page id and the day the
    index recorded, "" when none) and every current page of the space with its body."""

    key: str
    name: str
    space_key: str
    meetings: Mapping[str, tuple[str, str]]
    pages: Mapping[str, Page]


def is_meeting(identity: str) -> bool:
    """Whether an index identity names a meeting page (``group/UPX/meeting/…``)."""
    parsed = parse(identity)
    return parsed is not None and parsed.page.startswith("meeting/")


def assemble(
    network: str,
    language: Language,
    groups: Sequence[GroupPages],
    *,
    day: dt.date,
    since: dt.date | None = None,
    link: Link = lambda space, page_id: "",
) -> Digest:
    """The digest of ``groups`` as of ``day`` (held: on or before it), from ``since`` on."""
    return Digest(
        network=network,
        language=language,
        day=day,
        since=since,
        groups=tuple(_group(g, day, since, link) for g in groups),
    )


def _group(group: GroupPages, day: dt.date, since: dt.date | None, link: Link) -> Group:
    meetings: list[Meeting] = []
    for identity, (page_id, recorded_day) in sorted(group.meetings.items()):
        page = group.pages.get(page_id)
        if page is None or not is_meeting(identity):
            continue  # archived, trashed or moved away: not a meeting of the space now
        try:
            recorded = parse_meeting(page.body, what=f"page {page.info.title!r}")
        except StorageFormatError:
            recorded = Recorded()
        when = recorded.day or parse_day(recorded_day)
        if when is None:
            continue
        held = when <= day
        if held and since is not None and when < since:
            continue
        meetings.append(
            Meeting(
                identity=identity,
                title=page.info.title,
                page_id=page_id,
                link=link(group.space_key, page_id),
                day=when,
                held=held,
                recorded=recorded,
            )
        )
    meetings.sort(key=lambda m: (m.day, m.title))
    return Group(group.key, group.name, group.space_key, tuple(meetings))


def references(digest: Digest) -> list[str]:
    """Every account the digest's tasks mention, once each, in order of appearance."""
    found = (t.assignee for g in digest.groups for m in g.meetings for t in m.recorded.tasks)
    return list(dict.fromkeys(ref for ref in found if ref))


def with_names(digest: Digest, names: Mapping[str, str]) -> Digest:
    """The digest with each task's assignee named (``names``: account → display name)."""

    def named(task: Task) -> Task:
        return replace(task, assignee_name=names.get(task.assignee, "")) if task.assignee else task

    def meeting(m: Meeting) -> Meeting:
        tasks = tuple(named(t) for t in m.recorded.tasks)
        return replace(m, recorded=replace(m.recorded, tasks=tasks))

    groups = tuple(
        replace(g, meetings=tuple(meeting(m) for m in g.meetings)) for g in digest.groups
    )
    return replace(digest, groups=groups)
