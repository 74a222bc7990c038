"""A LocalWiki per test in either flavour, its users, a config file and a way to run syncs.

Every sync goes over real HTTP through the normal backend. The journal (outside the fault
middleware) counts what reached the server; faults are added to the running server's plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from pydantic import SecretStr

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.backends.retry import RetryPolicy
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.run import RunOptions, RunResult, load_wanted, plan_run, sync_run
from confluence_sync.settings import Settings
from confluence_sync.wiki.regions import find_regions
from confluence_sync.wiki.values import Page

TODAY = dt.date(2026, 1, 15)
# Our own minutes template without at: variables (see templates/de/minutes_template.j2).
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
ACCOUNTS = ("netzwerkbuero", "cherm", "sluedtke", "moeztuerk")
HUB, GROUP = "PUU", "PUUUPX"

CONFIG = """\
network:
  key: PUU
  name: Partnerschaft Umwelt Unternehmen
  language: de
  description: Bremer Unternehmen, die freiwillig mehr für Umwelt & Klima tun.
  templates: "{templates}"
  admins:
    - account: "{netzwerkbuero}"
organisations:
  - id: hansa-flex
    name: HANSA-FLEX AG
    sector: Hydraulik
    city: Bremen
    contacts:
      - name: Christian Herm
        email: christian.herm@hansa-flex.example
        account: "{cherm}"
  - id: deutsche-see
    name: Deutsche See GmbH
    sector: "Fisch & Meeresfrüchte"
    city: Bremerhaven
    contacts:
      - name: Sabine Lüdtke
        email: s.luedtke@deutschesee.example
        account: "{sluedtke}"
{extra_orgs}
working_groups:
  - key: UPX
    name: Arbeitskreis „Umweltperspektiven"
    purpose: Betriebe der Partner besichtigen und Erfahrungen austauschen.
    lead: christian.herm@hansa-flex.example
    members: [{members}]
    topics: [Klimaschutz, Energieeffizienz]
    meetings:
{meetings}
"""

ATLAS = """\
  - id: atlas-elektronik
    name: ATLAS ELEKTRONIK GmbH
    city: Bremen
    contacts:
      - name: Mehmet Öztürk
        email: m.oeztuerk@atlas.example
        account: "{moeztuerk}"
"""

MEETINGS = {
    "2026-03-12": "      - date: 2026-03-12\n        host: hansa-flex\n"
    "        title: Frühjahrstreffen bei HANSA-FLEX\n        agenda: [Betriebsrundgang]\n",
    "2026-03-19": "      - date: 2026-03-19\n        host: hansa-flex\n"
    "        title: Frühjahrstreffen bei HANSA-FLEX\n        agenda: [Betriebsrundgang]\n",
    "2026-09-10": "      - date: 2026-09-10\n        host: deutsche-see\n",
}


def retry_policy() -> RetryPolicy:
    return RetryPolicy(floor=0.01, cap=0.05, backoff_base=0.01, backoff_cap=0.05)


@dataclass
class Site:
    wiki: LocalWiki
    flavour: str
    path: Path
    accounts: dict[str, str] = field(default_factory=dict)
    backends: list[Backend] = field(default_factory=list)

    @property
    def cloud(self) -> bool:
        return self.flavour == "cloud"

    def settings(self) -> Settings:
        settings = Settings.from_env(
            {},
            url=self.wiki.url,
            flavour="cloud" if self.cloud else "datacenter",
            username=self.wiki.admin[0],
            api_token=self.wiki.admin[1],
        )
        # A dropped connection must not cost a minute's read timeout in a test.
        return settings.model_copy(update={"connect_timeout": 2.0, "read_timeout": 5.0})

    def backend(self) -> Backend:
        backend = open_backend(self.settings(), policy=retry_policy())
        self.backends.append(backend)
        return backend

    def member_backend(self, name: str) -> Backend:
        """A backend with a member's credentials (what a member's script or app would use)."""
        settings = self.settings().model_copy(
            update={"username": name, "api_token": SecretStr("pw-" + name)}
        )
        backend = open_backend(settings, policy=retry_policy())
        self.backends.append(backend)
        return backend

    def member_save(self, name: str, page: Page, body: str) -> Page:
        """Member ``name`` opens ``page`` in the editor, makes it read ``body`` and presses
        Save: the flavour's editor re-serialises the whole body (our regions included) and it
        becomes the next version, saved by that member (``/__localwiki/editor-save``)."""
        answer = requests.post(
            self.wiki.root_url + "/__localwiki/editor-save",
            json={"pageId": page.info.id, "username": name, "body": body},
            auth=self.wiki.admin,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        saved = self.backend().reader.get_page(page.info.id)
        assert saved.info.version == page.info.version + 1
        return saved

    def inline_comment(self, page_id: str, region: str, words: str, ref: str) -> None:
        """A member comments on ``words`` (a whole element's text) in ``region``: Confluence
        puts the marker into the body and adds no page version, which no REST call can do —
        so into the store directly, in a write transaction so the server's caches see it."""
        with self.wiki.store._tx() as conn:
            (body,) = conn.execute(
                "SELECT body FROM content WHERE id = ?", (int(page_id),)
            ).fetchone()
            found = find_regions(body)[region]
            assert f">{words}<" in found.content
            marked = found.content.replace(
                f">{words}<",
                f'><ac:inline-comment-marker ac:ref="{ref}">{words}</ac:inline-comment-marker><',
                1,
            )
            data = body.encode()
            new = data[: found.content_start] + marked.encode() + data[found.content_end :]
            conn.execute("UPDATE content SET body = ? WHERE id = ?", (new.decode(), int(page_id)))

    def write_config(
        self,
        meetings: Sequence[str] = ("2026-03-12", "2026-09-10"),
        *,
        atlas: bool = True,
        raw: str | None = None,
    ) -> Path:
        text = (
            raw
            if raw is not None
            else self.config_text(
                "".join(MEETINGS[m] for m in meetings) or "      []\n", atlas=atlas
            )
        )
        if not meetings and raw is None:
            text = text.replace("    meetings:\n      []\n", "    meetings: []\n")
        self.path.write_text(text, encoding="utf-8")
        return self.path

    def config_text(self, meetings: str, *, atlas: bool = True) -> str:
        """The test network's config with these ``meetings`` (YAML list items)."""
        members = ["hansa-flex", "deutsche-see"] + (["atlas-elektronik"] if atlas else [])
        return CONFIG.format(
            extra_orgs=ATLAS.format(**self.accounts).rstrip("\n") if atlas else "",
            members=", ".join(members),
            meetings=meetings,
            templates=TEMPLATE_DIR,
            **self.accounts,
        )

    def options(self, **kw: Any) -> RunOptions:
        return RunOptions(today=TODAY, workers=2, self_accounts=(self.wiki.admin[0],), **kw)

    def sync(self, **kw: Any) -> RunResult:
        backend = self.backend()
        wanted = load_wanted(self.path, self.options(**kw))
        return sync_run(backend, wanted, self.options(**kw))

    def plan(self, **kw: Any) -> RunResult:
        backend = self.backend()
        wanted = load_wanted(self.path, self.options(**kw))
        return plan_run(backend.reader, wanted, self.options(**kw))

    # --- looking at the wiki ---------------------------------------------------------

    @property
    def journal(self) -> Any:
        return self.wiki.app

    @property
    def faults(self) -> Any:
        return self.wiki.app.app.plan  # type: ignore[attr-defined]

    def page(self, space: str, title: str) -> Page:
        reader = self.backend().reader
        info = reader.find_page_by_title(space, title)
        assert info is not None, f"no page {title!r} in {space}"
        return reader.get_page(info.id)

    def titles(self, space: str) -> dict[str, str]:
        """Page id → title of every current page of the space."""
        return {p.id: p.title for p in self.backend().reader.list_pages(space)}


@pytest.fixture(params=["dc", "cloud"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    flavour = request.param
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:
        accounts = {}
        for name in ACCOUNTS:
            user = wiki.store.create_user(name, "pw-" + name)
            accounts[name] = user.account_id if flavour == "cloud" else name
        current = Site(wiki, flavour, tmp_path / "network.yaml", accounts)
        try:
            yield current
        finally:
            for backend in current.backends:
                backend.close()
