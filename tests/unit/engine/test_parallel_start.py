"""New spaces are created on their space workers, not one after another on the main thread;
a space's grants wait until every group exists (a grant may name one)."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from confluence_sync.apply.applier import Applier
from confluence_sync.wiki.values import Grant, SpaceInfo

from .conftest import GROUP, HUB, network, plan_for
from .fake import FakeWiki


class Recording(FakeWiki):
    """Records which thread created each space and the order of groups and grants."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[str, str] = {}
        self.order: list[str] = []
        self._log = threading.Lock()

    def create_space(self, key: str, name: str, description: str = "") -> SpaceInfo:
        self.threads[key] = threading.current_thread().name
        return super().create_space(key, name, description)

    def ensure_group(self, name: str) -> bool:
        with self._log:
            self.order.append(f"group {name}")
        return super().ensure_group(name)

    def grant(self, space_key: str, grant: Grant) -> None:
        with self._log:
            self.order.append(f"grant {space_key}")
        super().grant(space_key, grant)

    def grant_many(self, space_key: str, grants: Sequence[Grant]) -> None:
        with self._log:
            self.order.append(f"grant {space_key}")
        super().grant_many(space_key, grants)


def test_spaces_are_created_on_workers_and_grants_follow_the_groups() -> None:
    wiki = Recording()
    wanted = network()
    plan, state = plan_for(wiki, wanted)
    results = Applier(wanted, state, wiki, wiki, workers=4).run(plan)
    assert not [r for r in results if r.failed], results
    main = threading.main_thread().name
    assert set(wiki.threads) == {HUB, GROUP}
    assert all(name != main for name in wiki.threads.values()), wiki.threads
    groups = [i for i, entry in enumerate(wiki.order) if entry.startswith("group ")]
    grants = [i for i, entry in enumerate(wiki.order) if entry.startswith("grant ")]
    assert groups and grants and max(groups) < min(grants), wiki.order
