"""A small wanted network built by hand (no config, no templates) and a fake wiki."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from confluence_sync.apply.applier import Applier, ItemResult
from confluence_sync.plan.changes import Plan
from confluence_sync.plan.planner import make_plan
from confluence_sync.state.observe import WikiState, observe
from confluence_sync.target.wanted import Wanted, WantedPage, WantedSpace
from confluence_sync.wiki.regions import wrap_region
from confluence_sync.wiki.values import Grant

from .fake import FakeWiki

HUB, GROUP = "PUU", "PUUUPX"


def page(
    identity: str,
    space: str,
    title: str,
    parent: str | None,
    regions: dict[str, str],
    *,
    scaffold: str = "",
    labels: Iterable[str] = (),
    home: bool = False,
    archive: bool = False,
) -> WantedPage:
    body = "".join(wrap_region(name, content) for name, content in regions.items()) + scaffold
    return WantedPage(
        identity=identity,
        space_key=space,
        title=title,
        body=body,
        parent=parent,
        regions=regions,
        labels=frozenset(labels),
        kind="scaffold" if scaffold else "managed",
        home=home,
        archive=archive,
    )


def network(
    meetings: Iterable[str] = ("2026-03-12", "2026-09-10"),
    *,
    members: Iterable[str] = ("cherm", "sluedtke"),
    facts: str = "Bremen",
    extra_pages: int = 0,
) -> Wanted:
    """Hub with home + directory; one group space with home, meetings, archive, meetings."""
    members = tuple(members)
    hub_pages = (
        page("hub/home", HUB, "PUU", None, {"intro": "<p>Netzwerk</p>"}, home=True),
        page("hub/directory", HUB, "Mitglieder", "hub/home", {"list": f"<p>{len(members)}</p>"}),
    )
    group_pages = [
        page(
            "group/UPX/home",
            GROUP,
            "Arbeitskreis",
            None,
            {"facts": f"<p>{facts}</p>"},
            home=True,
            labels=["arbeitskreis"],
        ),
        page(
            "group/UPX/meetings",
            GROUP,
            "Treffen",
            "group/UPX/home",
            {"index": "<p>" + ", ".join(meetings) + "</p>"},
        ),
        page(
            "group/UPX/archive",
            GROUP,
            "Archiv",
            "group/UPX/home",
            {"about": "<p>alt</p>"},
            archive=True,
        ),
    ]
    for day in meetings:
        group_pages.append(
            page(
                f"group/UPX/meeting/{day[:7]}",
                GROUP,
                f"{day} Treffen",
                "group/UPX/meetings",
                {"facts": f"<p>Am {day} in {facts}</p>"},
                scaffold="<h2>Protokoll</h2><p></p>",
                labels=["treffen"],
            )
        )
    for n in range(extra_pages):
        group_pages.append(
            page(
                f"group/UPX/extra/{n}", GROUP, f"Extra {n}", "group/UPX/home", {"x": f"<p>{n}</p>"}
            )
        )
    admins = frozenset(
        {Grant("user", "netzwerkbuero", "admin"), Grant("user", "netzwerkbuero", "read")}
    )
    hub = WantedSpace(
        HUB, "PUU", pages=hub_pages, grants=admins | {Grant("group", "puu-contacts", "read")}
    )
    group = WantedSpace(
        GROUP,
        "Arbeitskreis",
        pages=tuple(group_pages),
        grants=admins
        | {Grant("group", "puu-upx-members", "read"), Grant("group", "puu-upx-members", "write")},
    )
    groups = {"puu-contacts": frozenset(members), "puu-upx-members": frozenset(members)}
    return Wanted(HUB, (hub, group), groups)


def plan_for(
    wiki: FakeWiki,
    wanted: Wanted,
    *,
    force: bool = False,
    adopt: bool = False,
    trust_versions: bool = False,
) -> tuple[Plan, WikiState]:
    state = observe(wiki, wanted, adopt=adopt, workers=2, trust_versions=trust_versions)
    return make_plan(wanted, state, force=force, adopt=adopt, self_accounts=["sync-bot"]), state


def sync(
    wiki: FakeWiki,
    wanted: Wanted,
    *,
    force: bool = False,
    adopt: bool = False,
    trust_versions: bool = False,
) -> tuple[Plan, list[ItemResult]]:
    """observe → plan → apply → write the hub index (as the engine does, without the lock).

    ``trust_versions``: the opt-in no-read path (``RunOptions.trust_versions``)."""
    plan, state = plan_for(wiki, wanted, force=force, adopt=adopt, trust_versions=trust_versions)
    applier = Applier(wanted, state, wiki, wiki, workers=2)
    results = applier.run(plan)
    if state.spaces[HUB].info is not None:
        applier.write_index(HUB, applier.index_for(HUB))
    return plan, results


@pytest.fixture
def wiki() -> FakeWiki:
    return FakeWiki()
