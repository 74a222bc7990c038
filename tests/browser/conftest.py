"""Browser tests: a real headless Chromium (Debian's ``chromium`` and ``chromium-driver``)
against a LocalWiki on a free port that the example network was synced into.

Nothing here is skipped: without Chromium the tests fail and say how to get it (``.ci/run``
installs it). One browser serves the whole session; each test gets a fresh wiki, synced
from ``config.example.yaml`` (about a second), with the accounts the config names as users
whose passwords the test knows, and starts with no cookies.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.backends import open_backend
from confluence_sync.backends.contract import Backend
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.testing.headless import CHROMEDRIVER, CHROMIUM, chromium_flags
from confluence_sync.run import RunOptions, RunResult, load_wanted, sync_run
from confluence_sync.settings import Settings

CONFIG = Path(__file__).resolve().parents[2] / "config.example.yaml"
TODAY = dt.date(2026, 1, 15)
UPX, EUK, HUB = "PUUUPX", "PUUEUK", "PUU"  # UPX is `visibility: members`, EUK `network`
MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"  # a UPX meeting page


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session, driven through chromedriver."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if missing:
        pytest.fail(
            f"headless Chromium is missing ({', '.join(missing)}): the browser tests need "
            "Debian's chromium and chromium-driver; .ci/run installs them "
            "(apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="browser-tests-") as profile:
        options = Options()
        options.binary_location = str(CHROMIUM)
        for flag in chromium_flags(1200, 1600, f"--user-data-dir={profile}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        driver.set_page_load_timeout(30)
        try:
            yield driver
        finally:
            driver.quit()


@dataclass
class Network:
    """A LocalWiki holding the synced example network, and its members' passwords."""

    wiki: LocalWiki
    flavour: str
    config: Path
    passwords: dict[str, str] = field(default_factory=dict)
    backends: list[Backend] = field(default_factory=list)

    def settings(self) -> Settings:
        return Settings.from_env(
            {},
            url=self.wiki.url,
            flavour="cloud" if self.flavour == "cloud" else "datacenter",
            username=self.wiki.admin[0],
            api_token=self.wiki.admin[1],
        )

    def sync(self) -> RunResult:
        options = RunOptions(today=TODAY, workers=4, self_accounts=(self.wiki.admin[0],))
        backend = open_backend(self.settings())
        self.backends.append(backend)
        return sync_run(backend, load_wanted(self.config, options), options)

    def page_id(self, space: str, title: str) -> int:
        found = self.wiki.store.space_by_key(space)
        assert found is not None, space
        pages = self.wiki.store.find_pages(space_ids=[found.id], title=title, limit=1)
        assert pages, f"no page {title!r} in {space}"
        return pages[0].id

    def home_id(self, space: str) -> int:
        found = self.wiki.store.space_by_key(space)
        assert found is not None and found.homepage_id is not None, space
        return found.homepage_id

    def rest_page(self, page_id: int) -> tuple[int, str, str]:
        """(version, storage body, last author) as the admin reads them over REST."""
        if self.flavour == "cloud":
            url = f"{self.wiki.url}/api/v2/pages/{page_id}?body-format=storage"
            data = requests.get(url, auth=self.wiki.admin, timeout=10).json()
            author = self.wiki.store.versions(page_id)[0]["author"]
            return data["version"]["number"], data["body"]["storage"]["value"], str(author)
        url = f"{self.wiki.url}/rest/api/content/{page_id}?expand=body.storage,version"
        data = requests.get(url, auth=self.wiki.admin, timeout=10).json()
        author = data["version"]["by"]["username"]
        return data["version"]["number"], data["body"]["storage"]["value"], str(author)

    def url(self, path: str) -> str:
        return self.wiki.viewer_url + path


def _accounts(text: str) -> list[str]:
    return sorted(set(re.findall(r"^\s*-?\s*account:\s*([\w.-]+)\s*$", text, re.MULTILINE)))


@pytest.fixture(params=["dc", "cloud"])
def network(request: pytest.FixtureRequest, tmp_path: Path, browser: Any) -> Iterator[Network]:
    """The example network synced into a fresh wiki of each flavour; the browser forgets
    every cookie (sessions of an earlier wiki on the same host)."""
    flavour = str(request.param)
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    text = CONFIG.read_text(encoding="utf-8")
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud") as wiki:  # type: ignore[arg-type]
        passwords = {}
        for account in _accounts(text):
            user = wiki.store.create_user(account, f"pw-{account}")
            passwords[account] = f"pw-{account}"
            if flavour == "cloud":  # Cloud names people by account id
                text = re.sub(
                    rf"(account:\s*){re.escape(account)}\s*$",
                    rf'\g<1>"{user.account_id}"',
                    text,
                    flags=re.MULTILINE,
                )
        config = tmp_path / "network.yaml"
        config.write_text(text, encoding="utf-8")
        network = Network(wiki, flavour, config, passwords)
        result = network.sync()
        assert result.applied and not [r for r in result.results if r.status == "failed"]
        try:
            yield network
        finally:
            for backend in network.backends:
                backend.close()


# -- what a person does in the browser ------------------------------------------------------
def wait_for(browser: Any, condition: Any, seconds: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds).until(condition)


def log_in(browser: Any, network: Network, account: str, then: str = "/") -> None:
    """Log in through the viewer's form as ``account`` and land on ``then``."""
    from selenium.webdriver.common.by import By

    browser.get(network.url(f"/login?next=/viewer{then}"))
    browser.find_element(By.NAME, "username").send_keys(account)
    browser.find_element(By.NAME, "password").send_keys(network.passwords[account])
    browser.find_element(By.ID, "login-submit").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "header .who .user"))


def open_editor(browser: Any, network: Network, page_id: int) -> None:
    """From the page view, follow its Edit link to the editor."""
    from selenium.webdriver.common.by import By

    browser.get(network.url(f"/pages/{page_id}"))
    browser.find_element(By.CSS_SELECTOR, "a.edit-link").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "save-page"))


def type_over_placeholder(browser: Any, hint: str, words: str) -> None:
    """Click the instructional text ``hint`` (it goes away) and type ``words`` there."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    hint_path = f"//span[contains(@class, 'text-placeholder') and normalize-space()='{hint}']"
    browser.find_element(By.XPATH, hint_path).click()
    ActionChains(browser).send_keys(words).perform()


def save_and_wait(browser: Any, network: Network, page_id: int) -> None:
    """Press Save and wait until the browser is back on the page view."""
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, "save-page").click()
    view = network.url(f"/pages/{page_id}")
    wait_for(browser, lambda b: b.current_url == view)
