"""Ticking a task on the page view: one task's status changes, every other byte stays.

Confluence lets a reader with edit rights tick a task in view mode without opening the
editor; the page is not re-serialised, only the task's ``ac:task-status`` changes between
``incomplete`` and ``complete``. The viewer does the same: the task is found by its place
among the page's tasks in document order (the order the page view draws its check boxes),
and the status text is replaced in the stored body, so managed regions and the member's
bytes stay exactly as they were. The new body is then saved through the REST API.

Pure. Imports: ``rules.storage_format`` (to count the tasks the way the renderer sees them).
"""

from __future__ import annotations

import re
from typing import Final

from confluence_sync.localwiki.rules.storage_format import AC_NS, parse

_STATUS: Final = re.compile(
    r"<ac:task-status>\s*(complete|incomplete)?\s*</ac:task-status>|<ac:task-status\s*/>"
)
# Literal text that only looks like markup: CDATA sections and comments are skipped.
_OPAQUE: Final = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->", re.DOTALL)


class TaskError(ValueError):
    """The task asked for is not the page's (a stale view, or a page that changed)."""


def _status_spans(body: str) -> list[tuple[int, int, str]]:
    opaque = [m.span() for m in _OPAQUE.finditer(body)]
    spans = []
    for match in _STATUS.finditer(body):
        if any(start <= match.start() < end for start, end in opaque):
            continue
        spans.append((match.start(), match.end(), match.group(1) or "incomplete"))
    return spans


def task_count(body: str) -> int:
    """How many tasks the page has (the check boxes its view draws)."""
    return len(parse(body).findall(f".//{{{AC_NS}}}task"))


def tick(body: str, index: int, complete: bool, *, expected_count: int) -> str:
    """``body`` with task ``index`` (0-based, document order) set to complete or incomplete.

    ``expected_count`` is how many tasks the member's view showed: when the page has another
    number, the view and the page disagree about which task is meant (TaskError).
    """
    spans = _status_spans(body)
    if task_count(body) != len(spans) or len(spans) != expected_count:
        raise TaskError("the page's tasks are not the ones shown; reload the page")
    if not 0 <= index < len(spans):
        raise TaskError(f"the page has no task {index + 1}")
    start, end, status = spans[index]
    wanted = "complete" if complete else "incomplete"
    if status == wanted:
        raise TaskError(f"the task is already {wanted}; reload the page")
    return f"{body[:start]}<ac:task-status>{wanted}</ac:task-status>{body[end:]}"


__all__ = ["TaskError", "task_count", "tick"]
