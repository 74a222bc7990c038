"""Page creates within one space go in parallel where they are independent: siblings at the
same time, a child only once its parent exists, never more changes under way than
``workers``, the space's index written after all of them, and a child of a failed parent
failed with that reason."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from confluence_sync.apply.applier import Applier
from confluence_sync.errors import ServerError
from confluence_sync.state.ledger import INDEX_KEY
from confluence_sync.wiki.values import JSON, PageInfo, Property

from .conftest import GROUP, network, plan_for
from .fake import FakeWiki

MEETINGS = tuple(f"2026-{month:02d}-12" for month in range(1, 13))


class Watching(FakeWiki):
    """Counts the creates under way; the first two meeting creates meet at a barrier (they
    pass only together, so a run that sends them one after another fails here, not hangs)."""

    def __init__(self, fail_title: str = "") -> None:
        super().__init__()
        self.fail_title = fail_title
        self.in_flight = self.most = 0
        self.missing_parents: list[str] = []
        self.after_index: list[str] = []
        self.met = threading.Barrier(2, timeout=10)
        self._meetings = 0
        self._guard = threading.Lock()

    def create_page(
        self,
        space_key: str,
        title: str,
        body: str,
        *,
        parent_id: str | None = None,
        labels: Iterable[str] = (),
        properties: Mapping[str, JSON] | None = None,
        find_existing: Callable[[], PageInfo | None] | None = None,
    ) -> PageInfo:
        with self._guard:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            first_two = title.endswith(" Treffen") and self._meetings < 2
            self._meetings += first_two
            if parent_id is not None and parent_id not in self.pages:
                self.missing_parents.append(title)
            if (space_key, INDEX_KEY) in self.space_props:
                self.after_index.append(title)
        try:
            if first_two:
                self.met.wait()
            if title == self.fail_title:
                raise ServerError(f"page {title!r}", 503, "unavailable", "try again")
            return super().create_page(
                space_key,
                title,
                body,
                parent_id=parent_id,
                labels=labels,
                properties=properties,
                find_existing=find_existing,
            )
        finally:
            with self._guard:
                self.in_flight -= 1


def _apply(wiki: Watching, workers: int) -> list[Any]:
    wanted = network(MEETINGS)
    plan, state = plan_for(wiki, wanted)
    return Applier(wanted, state, wiki, wiki, workers=workers).run(plan)


def test_sibling_creates_run_together_and_children_wait_for_their_parent() -> None:
    wiki = Watching()
    results = _apply(wiki, workers=3)
    assert not [r for r in results if r.failed], results
    assert not wiki.met.broken  # two meetings were created at the same time
    assert wiki.missing_parents == []
    assert 2 <= wiki.most <= 3  # --workers bounds the changes under way
    assert wiki.after_index == []  # the space's index comes after its pages
    meetings = [p for p in wiki.pages.values() if p.info.title.endswith(" Treffen")]
    assert len(meetings) == len(MEETINGS)
    index = wiki.space_props[(GROUP, INDEX_KEY)]
    assert isinstance(index, Property)


def test_one_worker_creates_one_page_at_a_time() -> None:
    wiki = Watching()
    wiki.met = threading.Barrier(1)  # nobody to meet
    results = _apply(wiki, workers=1)
    assert not [r for r in results if r.failed], results
    assert wiki.most == 1


def test_children_of_a_failed_parent_fail_with_its_reason() -> None:
    wiki = Watching(fail_title="Treffen")  # the meetings page, parent of every meeting
    wiki.met = threading.Barrier(1)
    results = _apply(wiki, workers=4)
    failed = {r.item: r.reason for r in results if r.failed}
    assert "page group/UPX/meetings" in failed
    children = [item for item in failed if "/meeting/" in item]
    assert len(children) == len(MEETINGS), failed
    assert all("parent page group/UPX/meetings" in failed[c] for c in children), failed
    assert next(r for r in results if r.item == "page group/UPX/archive").status == "created"
