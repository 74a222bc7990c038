"""The tasks a stored page body holds, as Confluence Cloud's task API lists them: each
``ac:task`` with its page-local id (``ac:task-id``), status, body, assignee (the first
``ri:user`` of its body, by any of its attributes) and due day (the first ``<time datetime>``).
A task whose body has no words, mention or date is *blank* (``include-blank-tasks``).

Pure. Imports: ``rules.storage_format``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from confluence_sync.localwiki.rules.storage_format import AC_NS, RI_NS, parse, serialise

_AC = f"{{{AC_NS}}}"
_RI = f"{{{RI_NS}}}"


@dataclass(frozen=True)
class StoredTask:
    local_id: int
    complete: bool
    body: str  # the task body's inner storage format
    user: dict[str, str]  # the first mention's ``ri:`` attributes, without the prefix
    due: str  # ISO day, "" when none
    blank: bool


def page_tasks(body: str) -> list[StoredTask]:
    """Every task of ``body`` in page order (none for a body that does not parse)."""
    try:
        root = parse(body)
    except ET.ParseError:
        return []
    found: list[StoredTask] = []
    for number, task in enumerate(root.iter(_AC + "task"), start=1):
        raw_id = (task.findtext(_AC + "task-id") or "").strip()
        local = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else number
        status = (task.findtext(_AC + "task-status") or "incomplete").strip()
        inner = task.find(_AC + "task-body")
        user = next(inner.iter(_RI + "user"), None) if inner is not None else None
        dates = [t.get("datetime") or "" for t in inner.iter("time")] if inner is not None else []
        words = "".join(inner.itertext()).strip() if inner is not None else ""
        found.append(
            StoredTask(
                local_id=local,
                complete=status == "complete",
                body=_inner(inner),
                user=_attributes(user),
                due=next((d[:10] for d in dates if d), ""),
                blank=not words and user is None and not any(dates),
            )
        )
    return found


def _inner(element: ET.Element | None) -> str:
    return serialise(element) if element is not None else ""


def _attributes(user: ET.Element | None) -> dict[str, str]:
    return {k.removeprefix(_RI): v for k, v in user.attrib.items()} if user is not None else {}
