"""What a valid config will give: a plain, JSON-ready summary and its text rendering.

``validate`` prints this so an admin sees at a glance what the file describes - spaces,
meetings and who hosts them - before anything is sent to the wiki. Each group's meetings are
``past`` (before today), ``next`` (the first on or after today: one per group) or ``later``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from confluence_sync.config.model import NetworkConfig, space_key
from confluence_sync.config.schedule import expand_meetings
from confluence_sync.config.titles import meeting_page_title


def summarise(config: NetworkConfig, today: dt.date) -> dict[str, Any]:
    """A JSON-ready summary of ``config`` as of ``today``."""
    network = config.network
    contacts = [c for o in config.organisations for c in o.contacts]
    with_account = sum(1 for c in contacts if c.account)
    spaces: list[dict[str, Any]] = [{"key": network.key, "name": network.name, "kind": "hub"}]
    groups: list[dict[str, Any]] = []
    for group in config.working_groups:
        key = space_key(network, group)
        spaces.append({"key": key, "name": group.name, "kind": "working_group"})
        meetings = []
        next_seen = False
        for meeting in expand_meetings(config, group, today):  # sorted by date
            upcoming = meeting.date >= today
            is_next = upcoming and not next_seen
            next_seen = next_seen or upcoming
            host = config.organisation(meeting.host)
            meetings.append(
                {
                    "identity": meeting.identity,
                    "date": meeting.date.isoformat(),
                    "host": meeting.host,
                    "host_name": host.name if host else meeting.host,
                    "title": meeting.title,
                    "page_title": meeting_page_title(meeting),
                    "source": meeting.source,
                    "upcoming": upcoming,
                    "next": is_next,
                }
            )
        groups.append(
            {
                "key": group.key,
                "space": key,
                "name": group.name,
                "visibility": group.visibility,
                "members": len(group.members),
                "meetings": meetings,
            }
        )
    return {
        "network": {"key": network.key, "name": network.name, "language": network.language},
        "today": today.isoformat(),
        "admins": len(network.admins),
        "organisations": len(config.organisations),
        "contacts": {
            "total": len(contacts),
            "with_account": with_account,
            "without_account": len(contacts) - with_account,
        },
        "working_groups": groups,
        "spaces": spaces,
    }


def render_text(summary: dict[str, Any]) -> str:
    """The summary as a few lines for a terminal."""
    network = summary["network"]
    contacts = summary["contacts"]
    lines = [
        f"valid: {network['name']} ({network['key']}, language {network['language']}), "
        f"as of {summary['today']}",
        f"  organisations: {summary['organisations']}; contacts: {contacts['total']} "
        f"({contacts['with_account']} with a wiki account, {contacts['without_account']} "
        "without); admins: " + str(summary["admins"]),
        f"  working groups: {len(summary['working_groups'])}; spaces: "
        + ", ".join(f"{s['key']} ({s['name']})" for s in summary["spaces"]),
    ]
    for group in summary["working_groups"]:
        lines.append(
            f"  {group['space']} {group['name']}: {group['members']} members, "
            f"visibility {group['visibility']}, {len(group['meetings'])} meetings"
        )
        for meeting in group["meetings"]:
            when = "next" if meeting["next"] else "later" if meeting["upcoming"] else "past"
            origin = "schedule" if meeting["source"] == "schedule" else "config"
            lines.append(
                f"    {meeting['date']}  {when:5}  {meeting['title']}  "
                f"(host: {meeting['host_name']}; from {origin})"
            )
    return "\n".join(lines)
