"""A small target network built by hand (no config, no templates) and a fake wiki; runs go
through the engine's own entry points (``plan_run``, ``sync_run``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pytest

from confluence_sync.apply.results import ItemResult
from confluence_sync.config.identities import PageIdentity
from confluence_sync.plan.changes import Plan
from confluence_sync.plan.planner import make_plan
from confluence_sync.run import RunOptions, sync_run
from confluence_sync.state.observe import WikiState, observe
from confluence_sync.wanted.model import Region, Wanted, WantedPage, WantedSpace
from confluence_sync.wiki.regions import region_hash, wrap_region
from confluence_sync.wiki.values import Grant

from .fake import FakeWiki

HUB, GROUP = "PUU", "PUUUPX"


def target_regions(space: str, contents: dict[str, str]) -> dict[str, Region]:
    """Managed regions as the builder makes them: content and its hash."""
    return {name: Region(c, region_hash(c, space=space)) for name, c in contents.items()}


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
        identity=PageIdentity(identity),
        space_key=space,
        title=title,
        body=body,
        parent=PageIdentity(parent) if parent else None,
        regions=target_regions(space, regions),
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
    """Observe and plan as a dry run does (the state comes back for tests that look at it)."""
    state = observe(wiki, wanted, adopt=adopt, workers=2, trust_versions=trust_versions)
    return make_plan(
        wanted, state, overwrite_conflicts=force, adopt=adopt, self_accounts=["sync-bot"]
    ), state


def sync(
    wiki: FakeWiki,
    wanted: Wanted,
    *,
    force: bool = False,
    adopt: bool = False,
    trust_versions: bool = False,
) -> tuple[Plan, list[ItemResult]]:
    """One ``sync_run`` on the fake wiki (lock, apply, release), the plan and what it did.

    ``trust_versions``: the opt-in no-read path (``RunOptions.trust_versions``)."""
    options = RunOptions(
        today=dt.date(2026, 1, 15),
        overwrite_conflicts=force,
        allow_removals=force,
        adopt=adopt,
        workers=2,
        self_accounts=("sync-bot",),
        trust_versions=trust_versions,
    )
    result = sync_run(wiki.backend(), wanted, options)
    return result.plan, [r for r in result.results if r.status != "unchanged"]


@pytest.fixture
def wiki() -> FakeWiki:
    return FakeWiki()
