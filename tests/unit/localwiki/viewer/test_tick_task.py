"""Ticking a task on the page view changes that task's status and no other byte."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.viewer.tasks import TaskError, task_count, tick


def task(number: int, status: str, words: str) -> str:
    return (
        f"<ac:task><ac:task-id>{number}</ac:task-id><ac:task-status>{status}</ac:task-status>"
        f"<ac:task-body>{words}</ac:task-body></ac:task>"
    )


BODY = (
    '<p local-id="a">Vorher</p><ac:structured-macro ac:name="code" ac:macro-id="m">'
    "<ac:plain-text-body><![CDATA[<ac:task-status>incomplete</ac:task-status>]]>"
    "</ac:plain-text-body></ac:structured-macro>"
    f"<ac:task-list>{task(1, 'incomplete', 'Raum')}{task(2, 'complete', 'Agenda')}</ac:task-list>"
)


def test_only_the_status_of_the_task_changes() -> None:
    ticked = tick(BODY, 0, True, expected_count=2)
    assert ticked == BODY.replace(task(1, "incomplete", "Raum"), task(1, "complete", "Raum"))
    reopened = tick(BODY, 1, False, expected_count=2)
    assert reopened == BODY.replace(task(2, "complete", "Agenda"), task(2, "incomplete", "Agenda"))


def test_text_inside_cdata_is_no_task() -> None:
    assert task_count(BODY) == 2


def test_a_view_that_no_longer_matches_the_page_is_refused() -> None:
    with pytest.raises(TaskError, match="reload"):
        tick(BODY, 0, True, expected_count=3)
    with pytest.raises(TaskError, match="already complete"):
        tick(BODY, 1, True, expected_count=2)
    with pytest.raises(TaskError, match="no task 3"):
        tick(BODY, 2, True, expected_count=2)
