"""The example network (``config.example.yaml``) synced into a local wiki, then looked at in the
viewer over real HTTP, both flavours: the group home's meeting overview and open tasks, the
meetings page's child list, no anchor boxes or instructional text, internals one click away."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Literal

import pytest
import requests

from confluence_sync.backends import open_backend
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.store import ADMIN_USERNAME
from confluence_sync.run import RunOptions, load_wanted, sync_run
from confluence_sync.settings import Settings
from tests.viewer_login import viewer_session

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "config.example.yaml"
ACCOUNT_RE = re.compile(r"^(\s*-?\s*account:\s*)['\"]?([^'\"#\s]+)['\"]?", re.MULTILINE)
TODAY = dt.date(2026, 1, 15)
GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
MARCH = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"


@dataclass
class Example:
    wiki: LocalWiki
    flavour: str

    def page_id(self, space: str, title: str) -> int:
        found = self.wiki.store.space_by_key(space)
        assert found is not None
        pages = self.wiki.store.find_pages(space_ids=[found.id], title=title, limit=1)
        assert pages, f"no page {title!r} in {space}"
        return pages[0].id

    def home_id(self, space: str) -> int:
        found = self.wiki.store.space_by_key(space)
        assert found is not None and found.homepage_id is not None
        return found.homepage_id

    def view(self, path: str, headers: dict[str, str] | None = None) -> str:
        """``path`` as the member ``cherm`` of the working group sees it."""
        browser = viewer_session(self.wiki.viewer_url, "cherm", "pw-cherm")
        response = browser.get(self.wiki.viewer_url + path, headers=headers or GERMAN, timeout=10)
        assert response.status_code == 200, response.text[:500]
        return response.text


def words(html: str) -> str:
    """What a reader sees of the page: the text without tags and attributes."""
    main = html.split("<main>", 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture(scope="module", params=["dc", "cloud"])
def example(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Example]:
    flavour: Literal["dc", "cloud"] = request.param
    text = EXAMPLE.read_text("utf-8")
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:
        known: dict[str, str] = {}
        for name in sorted({m.group(2) for m in ACCOUNT_RE.finditer(text)}):
            user = wiki.store.create_user(name, "pw-" + name)
            known[name] = user.account_id if flavour == "cloud" else name
        config = tmp_path_factory.mktemp(f"example-{flavour}") / "network.yaml"
        config.write_text(
            ACCOUNT_RE.sub(lambda m: f'{m.group(1)}"{known[m.group(2)]}"', text), "utf-8"
        )
        settings = Settings.from_env(
            {},
            url=wiki.url,
            flavour="cloud" if flavour == "cloud" else "datacenter",
            username=wiki.admin[0],
            api_token=wiki.admin[1],
        )
        backend = open_backend(settings)
        try:
            options = RunOptions(today=TODAY, workers=2, self_accounts=(wiki.admin[0],))
            result = sync_run(backend, load_wanted(config, options), options)
        finally:
            backend.close()
        failed = [f"{r.item}: {r.reason}" for r in result.results if r.status == "failed"]
        assert not failed, failed
        yield Example(wiki, flavour)


def test_the_group_home_shows_the_meeting_overview_with_date_host_and_place(
    example: Example,
) -> None:
    html = example.view(f"/pages/{example.home_id('PUUUPX')}")
    overview = html.split('class="wiki-table properties-report"', 1)[1].split("</table>", 1)[0]
    assert "<th>Treffen</th><th>Datum</th><th>Gastgeber</th><th>Ort</th>" in overview
    assert words(f"<main>{overview}</main>").split(" Ort ", 1)[1] == (
        "2026-09-10 Treffen bei ATLAS ELEKTRONIK GmbH Do., 10. September 2026 "
        "ATLAS ELEKTRONIK GmbH Bremen "
        f"{MARCH} Do., 12. März 2026 HANSA-FLEX AG HANSA-FLEX AG, Zentrale, Bremen "
        "2025-09-11 Auftakt „Umweltperspektiven“ bei thyssenkrupp Do., 11. September 2025 "
        "thyssenkrupp AG, Standort Bremen Bremen"
    )
    march = example.page_id("PUUUPX", MARCH)
    assert f'<a class="page-link" href="/viewer/pages/{march}">{MARCH}</a>' in overview
    english = example.view(f"/pages/{example.home_id('PUUUPX')}?lang=en")
    # The overview's date lozenges follow the reader; the page's own words stay German.
    assert "Thu, Mar 12, 2026" in english


def test_the_meetings_page_lists_its_children_newest_first(example: Example) -> None:
    html = example.view(f"/pages/{example.page_id('PUUUPX', 'Treffen')}")
    listed = re.findall(r'<a class="page-link" href="/viewer/pages/\d+">([^<]+)</a>', html)
    assert [unescape(t) for t in listed] == [
        "2026-09-10 Treffen bei ATLAS ELEKTRONIK GmbH",
        MARCH,
        "2025-09-11 Auftakt „Umweltperspektiven“ bei thyssenkrupp",
    ]


def test_no_anchor_box_no_instructional_text_and_no_internals_on_the_pages(
    example: Example,
) -> None:
    march = example.page_id("PUUUPX", MARCH)
    for path in (f"/pages/{example.home_id('PUUUPX')}", f"/pages/{march}"):
        html = example.view(path)
        seen = words(html)
        assert "Macro" not in seen and "anchor" not in seen
        assert "confluence-sync:" not in seen and "sha256" not in html
        for hint in ("Namen eintragen", "Was wurde besprochen?", "[] tippen"):
            assert hint not in seen
        assert "Beschluss" not in seen.replace("Beschlüsse", "")
        assert "Properties" not in seen and "History" not in seen
    info = example.view(f"/pages/{march}/info")
    # A page the sync created carries no marker property (the space's index records it):
    # none is listed here; who created it — the sync account — is, with the other internals.
    assert "group/UPX/meeting/slot/2026-1" not in info and "sha256:" not in info
    assert f"by {escape(ADMIN_USERNAME)}</td>" in info
    assert f'href="/viewer/pages/{march}/storage"' in info
    assert f'href="/viewer/pages/{march}/versions/1"' in info


def test_the_open_tasks_show_a_task_a_member_added(example: Example) -> None:
    store = example.wiki.store
    member = store.user_by_name("cherm")
    assert member is not None
    mention = (
        f'<ri:user ri:account-id="{member.account_id}" />'
        if example.flavour == "cloud"
        else f'<ri:user ri:userkey="{member.user_key}" />'
    )
    march = example.page_id("PUUUPX", MARCH)
    page = store.page(march)
    assert page is not None
    added = (
        "<ac:task-list><ac:task><ac:task-id>9</ac:task-id><ac:task-status>incomplete"
        "</ac:task-status><ac:task-body>Angebot für die Führung einholen "
        f'<ac:link>{mention}</ac:link> <time datetime="2026-04-01" /></ac:task-body></ac:task>'
        "</ac:task-list>"
    )
    saved = requests.post(
        example.wiki.root_url + "/__localwiki/editor-save",
        json={"pageId": str(march), "username": "cherm", "body": page.body + added},
        auth=example.wiki.admin,
        timeout=10,
    )
    assert saved.status_code == 200, saved.text
    html = example.view(f"/pages/{example.home_id('PUUUPX')}")
    report = html.split('class="wiki-table tasks-report"', 1)[1].split("</table>", 1)[0]
    row = next(r for r in report.split("<tr>") if "Angebot für die Führung" in r)
    assert words(f"<main>{row}</main>") == (
        f"Angebot für die Führung einholen @{member.display_name} Mi., 1. April 2026 "
        f"Mi., 1. April 2026 {member.display_name} {MARCH}"
    )
    assert f'href="/viewer/pages/{march}"' in row
