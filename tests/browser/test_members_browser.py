"""Members in the local wiki, in a real headless Chromium, both flavours: logging in as an
account the config names, seeing only what REST would show them, editing the minutes of a
meeting and saving them through REST, a re-sync keeping them, a concurrent edit, ticking a
task and adding one."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import (
    EUK,
    HUB,
    MEETING,
    UPX,
    Network,
    log_in,
    open_editor,
    save_and_wait,
    type_over_placeholder,
    wait_for,
)

pytestmark = pytest.mark.browser

LEAD = "cherm"  # Christian Herm, HANSA-FLEX: a contact of a UPX member organisation
OUTSIDER = "hpgrossmann"  # a contact of an EUK organisation only: UPX is members-only
MINUTES_HINT = "Was wurde besprochen?"
TASK_HINT = "Aufgaben: [] tippen, dann Aufgabe, @Person, //Datum"
WORDS = "Rundgang durch die Halle & Abwärme <ISO 50001>"


def listed_spaces(browser: Any) -> set[str]:
    links = browser.find_elements(By.CSS_SELECTOR, "table.list a[href*='/viewer/spaces/']")
    return {link.text for link in links}


def rest_spaces(network: Network, account: str) -> set[str]:
    """The space keys the account's own REST reads list."""
    auth = (account, network.passwords[account])
    if network.flavour == "cloud":
        answer = requests.get(f"{network.wiki.url}/api/v2/spaces?limit=250", auth=auth, timeout=10)
    else:
        answer = requests.get(f"{network.wiki.url}/rest/api/space?limit=500", auth=auth, timeout=10)
    assert answer.status_code == 200, answer.text
    return {space["key"] for space in answer.json()["results"]}


def tasks_of(body: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r"<ac:task><ac:task-id>(\d+)</ac:task-id>(?:<ac:task-uuid>[^<]*</ac:task-uuid>)?"
        r"<ac:task-status>(\w+)</ac:task-status><ac:task-body>(.*?)</ac:task-body></ac:task>",
        body,
    )


def test_a_member_named_by_the_config_logs_in_and_out(browser: Any, network: Network) -> None:
    log_in(browser, network, LEAD, then=f"/spaces/{UPX}")
    assert browser.current_url == network.url(f"/spaces/{UPX}")
    assert browser.find_element(By.CSS_SELECTOR, "header .who .user").text == LEAD
    session = browser.get_cookie("JSESSIONID")
    assert session["httpOnly"] is True and session["sameSite"] == "Lax"
    assert browser.execute_script("return document.cookie") == ""  # no script reads it
    browser.find_element(By.CSS_SELECTOR, "button.logout").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "a.login-link"))
    browser.get(network.url(f"/spaces/{UPX}"))
    assert browser.title.startswith("404")


def test_an_anonymous_visitor_sees_no_members_only_space(browser: Any, network: Network) -> None:
    browser.get(network.url("/"))
    assert UPX not in listed_spaces(browser) and not listed_spaces(browser)
    meeting = network.page_id(UPX, MEETING)
    for path in (f"/spaces/{UPX}", f"/pages/{meeting}", f"/pages/{meeting}/storage"):
        browser.get(network.url(path))
        assert browser.title.startswith("404"), path  # as REST: not found, not forbidden
        assert "Frühjahrstreffen" not in browser.page_source


def test_each_member_sees_the_spaces_their_rest_reads_show(browser: Any, network: Network) -> None:
    log_in(browser, network, OUTSIDER)
    shown = listed_spaces(browser)
    assert shown == rest_spaces(network, OUTSIDER)
    assert {HUB, EUK} <= shown and UPX not in shown
    browser.get(network.url(f"/pages/{network.page_id(UPX, MEETING)}"))
    assert browser.title.startswith("404")
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    log_in(browser, network, LEAD)
    assert UPX in listed_spaces(browser)
    assert listed_spaces(browser) == rest_spaces(network, LEAD)


def test_the_member_edits_the_minutes_and_a_resync_keeps_them(
    browser: Any, network: Network
) -> None:
    meeting = network.page_id(UPX, MEETING)
    version, before, _ = network.rest_page(meeting)
    log_in(browser, network, LEAD)
    open_editor(browser, network, meeting)
    # Our regions are shown, not editable; the minutes are the member's.
    region = browser.find_element(By.CSS_SELECTOR, ".managed-region")
    assert region.get_attribute("contenteditable") is None and "HANSA-FLEX" in region.text
    type_over_placeholder(browser, MINUTES_HINT, WORDS)
    save_and_wait(browser, network, meeting)
    saved_version, body, author = network.rest_page(meeting)
    assert (saved_version, author) == (version + 1, LEAD)
    # A paragraph of its own, escaped (the Cloud editor adds a local-id to it).
    assert re.search(
        r"<p( local-id=\"\w+\")?>Rundgang durch die Halle &amp; Abwärme "
        r"&lt;ISO 50001&gt;</p>",
        body,
    )
    assert MINUTES_HINT not in body
    assert "Rundgang durch die Halle" in browser.find_element(By.CSS_SELECTOR, ".wiki-body").text
    # The regions' markers are intact, so the sync still finds its regions.
    for marker in re.findall(r"confluence-sync:(?:begin|end):[a-z0-9-]+", before):
        assert marker in body

    result = network.sync()
    assert not [r for r in result.results if r.status in ("conflict", "failed")]
    _, after, _ = network.rest_page(meeting)
    assert "Rundgang durch die Halle &amp; Abwärme &lt;ISO 50001&gt;" in after


def test_a_concurrent_edit_is_shown_as_such(browser: Any, network: Network) -> None:
    meeting = network.page_id(UPX, MEETING)
    log_in(browser, network, LEAD)
    open_editor(browser, network, meeting)
    version, body, _ = network.rest_page(meeting)
    # Someone else saves the page while the member is still typing.
    other = requests.post(
        network.wiki.root_url + "/__localwiki/editor-save",
        json={"pageId": meeting, "username": "sluedtke", "body": body},
        auth=network.wiki.admin,
        timeout=10,
    )
    assert other.status_code == 200, other.text
    type_over_placeholder(browser, MINUTES_HINT, "Meine Notizen")
    browser.find_element(By.ID, "save-page").click()
    box = wait_for(
        browser,
        lambda b: (
            b.find_element(By.ID, "editor-message").is_displayed()
            and b.find_element(By.ID, "editor-message")
        ),
    )
    assert "Someone else saved this page meanwhile" in box.text
    assert box.find_element(By.CSS_SELECTOR, "button.reload").is_displayed()
    saved_version, saved_body, author = network.rest_page(meeting)
    assert (saved_version, author) == (version + 1, "sluedtke")
    assert "Meine Notizen" not in saved_body
    box.find_element(By.CSS_SELECTOR, "button.reload").click()
    wait_for(
        browser,
        lambda b: b.find_element(By.ID, "editor").get_attribute("data-version") == str(version + 1),
    )


def test_the_member_ticks_a_task_as_done_on_the_page(browser: Any, network: Network) -> None:
    meeting = network.page_id(UPX, MEETING)
    version, body, _ = network.rest_page(meeting)
    assert tasks_of(body) == []  # the page starts with a hint, not an empty task
    hint = f"<p><ac:placeholder>{TASK_HINT}</ac:placeholder></p>"
    assert hint in body
    body = body.replace(
        hint,
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
        "</ac:task-status><ac:task-body>Angebot einholen</ac:task-body></ac:task></ac:task-list>",
    )
    page = network.wiki.store.page(meeting)
    assert page is not None
    network.wiki.store.update_page(  # a task the member wrote earlier
        meeting, title=page.title, version=version + 1, author=LEAD, body=body
    )
    version += 1
    assert [status for _, status, _ in tasks_of(body)] == ["incomplete"]
    log_in(browser, network, LEAD, then=f"/pages/{meeting}")
    box = browser.find_element(By.CSS_SELECTOR, ".wiki-body li.task input[type=checkbox]")
    assert box.is_enabled() and not box.is_selected()
    box.click()
    wait_for(browser, lambda b: network.rest_page(meeting)[0] == version + 1)
    _, saved, author = network.rest_page(meeting)
    assert author == LEAD and [s for _, s, _ in tasks_of(saved)] == ["complete"]
    assert saved.replace("<ac:task-status>complete", "<ac:task-status>incomplete") == body
    wait_for(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, ".wiki-body li.task input").is_selected(),
    )


def test_the_member_adds_tasks(browser: Any, network: Network) -> None:
    meeting = network.page_id(UPX, MEETING)
    log_in(browser, network, LEAD)
    open_editor(browser, network, meeting)
    type_over_placeholder(browser, TASK_HINT, "[] Angebot einholen")  # "[] " makes a task
    ActionChains(browser).send_keys(Keys.ENTER, "Protokoll verschicken").perform()
    browser.find_element(By.ID, "add-task").click()
    ActionChains(browser).send_keys("Raum buchen").perform()
    save_and_wait(browser, network, meeting)
    _, body, _ = network.rest_page(meeting)
    tasks = tasks_of(body)
    assert [(status, words) for _, status, words in tasks] == [
        ("incomplete", "Angebot einholen"),
        ("incomplete", "Protokoll verschicken"),
        ("incomplete", "Raum buchen"),
    ]
    assert len({task_id for task_id, _, _ in tasks}) == 3
    shown = browser.find_elements(By.CSS_SELECTOR, ".wiki-body li.task")
    assert [item.text for item in shown] == [
        "Angebot einholen",
        "Protokoll verschicken",
        "Raum buchen",
    ]
    # The group home's open-tasks report shows them, each linked to the meeting page.
    browser.get(network.url(f"/pages/{network.home_id(UPX)}"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.tasks-report tbody tr")
    ours = [row for row in rows if row.find_elements(By.LINK_TEXT, MEETING)]
    assert sorted(row.find_element(By.CSS_SELECTOR, "td").text for row in ours) == [
        "Angebot einholen",
        "Protokoll verschicken",
        "Raum buchen",
    ]
    ours[0].find_element(By.LINK_TEXT, MEETING).click()
    wait_for(browser, lambda b: b.current_url == network.url(f"/pages/{meeting}"))


def test_the_group_home_lists_the_meetings_with_date_host_and_place(
    browser: Any, network: Network
) -> None:
    log_in(browser, network, LEAD, then=f"/pages/{network.home_id(UPX)}")
    browser.find_element(By.LINK_TEXT, "Deutsch").click()  # the reader's language, kept
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "html[lang=de]"))
    overview = browser.find_element(By.CSS_SELECTOR, "table.properties-report")
    heads = [cell.text for cell in overview.find_elements(By.CSS_SELECTOR, "thead th")]
    assert heads == ["Treffen", "Datum", "Gastgeber", "Ort"]
    rows = [
        [cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
        for row in overview.find_elements(By.CSS_SELECTOR, "tbody tr")
    ]
    assert rows == [
        [
            "2026-09-10 Treffen bei ATLAS ELEKTRONIK GmbH",
            "Do., 10. September 2026",
            "ATLAS ELEKTRONIK GmbH",
            "Bremen",
        ],
        [MEETING, "Do., 12. März 2026", "HANSA-FLEX AG", "HANSA-FLEX AG, Zentrale, Bremen"],
        [
            "2025-09-11 Auftakt „Umweltperspektiven“ bei thyssenkrupp",
            "Do., 11. September 2025",
            "thyssenkrupp AG, Standort Bremen",
            "Bremen",
        ],
    ]
    overview.find_element(By.LINK_TEXT, MEETING).click()
    wait_for(
        browser, lambda b: b.current_url == network.url(f"/pages/{network.page_id(UPX, MEETING)}")
    )
    assert "Do., 12. März 2026" in browser.find_element(By.CSS_SELECTOR, ".wiki-body").text
