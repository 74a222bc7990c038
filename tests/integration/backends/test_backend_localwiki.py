"""Both adapters over real HTTP against the local wiki, in both flavours."""

from __future__ import annotations

import pytest

from confluence_sync.backends.contract import UnsupportedOperationError
from confluence_sync.errors import (
    ConflictError,
    CredentialsError,
    GoneError,
    NotFoundError,
    TitleExistsError,
)
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.wiki.values import Grant, Page, PageUpdate, Template

from .conftest import Site, connect

MARKER = "confluence-sync"


def test_create_space_reads_back_id_and_home_page(site: Site) -> None:
    space = site.space()
    assert space.key == "UPX" and space.id and space.homepage_id
    assert site.backend.reader.get_space("UPX") == space
    assert site.backend.reader.get_space("NOPE") is None


def test_page_with_labels_and_marker_in_as_few_requests_as_the_api_allows(site: Site) -> None:
    space = site.space()
    before = site.backend.counter.requests
    page = site.backend.writer().create_page(
        "UPX",
        "Treffen März & „Ausblick“",
        "<p>Tagesordnung</p>",
        parent_id=space.homepage_id,
        labels=["meeting", "upx-2026"],
        properties={MARKER: {"id": "group/UPX/meeting/2026-03", "hash": "abc"}},
    )
    spent = site.backend.counter.requests - before
    # Neither flavour takes labels or properties in a create (DC ignores them there):
    # the create, the marker, the labels.
    assert spent == 3
    reader = site.backend.reader
    assert page.parent_id == space.homepage_id and page.version == 1
    assert reader.get_labels(page.id) == {"meeting", "upx-2026"}
    marker = reader.get_page_property(page.id, MARKER)
    assert marker is not None and marker.value == {"id": "group/UPX/meeting/2026-03", "hash": "abc"}
    assert reader.get_page(page.id).body == "<p>Tagesordnung</p>"


def test_bulk_list_is_one_request_per_page_of_results(site: Site) -> None:
    space = site.space()
    writer = site.backend.writer()
    parent = writer.create_page("UPX", "Treffen", "<p/>", parent_id=space.homepage_id)
    children = [
        writer.create_page("UPX", f"Treffen {n:02d}", "<p/>", parent_id=parent.id) for n in range(6)
    ]
    before = site.backend.counter.requests
    listed = {p.id: p for p in site.backend.reader.list_pages("UPX")}
    assert site.backend.counter.requests - before == 1
    assert {c.id for c in children} <= set(listed)
    assert all(listed[c.id].parent_id == parent.id for c in children)
    assert listed[parent.id].parent_id == space.homepage_id


def test_find_page_by_exact_title(site: Site) -> None:
    site.space()
    page = site.backend.writer().create_page("UPX", "Übersicht", "<p/>")
    assert site.backend.reader.find_page_by_title("UPX", "Übersicht") == page
    assert site.backend.reader.find_page_by_title("UPX", "Nicht da") is None


def test_update_with_version_then_conflict_rereads_and_asks(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    page = writer.create_page("UPX", "Verzeichnis", "<p>v1</p>")
    updated = writer.update_page(PageUpdate(page.id, "Verzeichnis", "<p>v2</p>", page.version))
    assert updated.version == 2
    # A member edits in between (saves in the editor): our write based on version 1 is stale.
    member = site.admin_call("/__localwiki/users", {"username": "member", "password": "pw"})
    # The space is private (the sync creates spaces so): the member needs its grants.
    subject = str(member["accountId"]) if site.cloud else "member"
    for operation in ("read", "write"):
        writer.grant("UPX", Grant("user", subject, operation))
    saved = site.admin_call(
        "/__localwiki/editor-save",
        {"pageId": page.id, "username": "member", "body": "<p>member</p>"},
    )
    assert saved["version"] == 3 and "member</p>" in saved["body"]
    seen: list[Page] = []

    def recheck(current: Page) -> PageUpdate | None:
        seen.append(current)
        return PageUpdate(
            page.id, "Verzeichnis", current.body + "<p>ours</p>", current.info.version
        )

    result = writer.update_page(
        PageUpdate(page.id, "Verzeichnis", "<p>ours</p>", 1), recheck=recheck
    )
    assert seen[0].body == saved["body"] and seen[0].info.version == 3
    assert result.version == 4
    assert site.backend.reader.get_page(page.id).body == saved["body"] + "<p>ours</p>"
    with pytest.raises(ConflictError):
        writer.update_page(
            PageUpdate(page.id, "Verzeichnis", "<p>x</p>", 1), recheck=lambda _p: None
        )
    assert site.backend.reader.get_page(page.id).info.version == 4


def test_duplicate_title_names_page_and_space(site: Site) -> None:
    site.space()
    site.backend.writer().create_page("UPX", "Mitglieder", "<p/>")
    with pytest.raises(TitleExistsError) as caught:
        site.backend.writer().create_page("UPX", "Mitglieder", "<p/>")
    assert "Mitglieder" in str(caught.value)
    if not site.cloud:  # the v2 wording does not name the space
        assert caught.value.space_key == "UPX"


def test_missing_page_is_not_found(site: Site) -> None:
    with pytest.raises(NotFoundError) as caught:
        site.backend.reader.get_page("999999")
    assert "page 999999" in str(caught.value)


def test_space_and_page_properties_are_versioned(site: Site) -> None:
    site.space()
    reader, writer = site.backend.reader, site.backend.writer()
    assert reader.get_space_property("UPX", "confluence-sync-index") is None
    first = writer.set_space_property("UPX", "confluence-sync-index", {"pages": []}, current=None)
    second = writer.set_space_property(
        "UPX", "confluence-sync-index", {"pages": ["1"]}, current=first
    )
    assert second.version == first.version + 1
    assert reader.get_space_property("UPX", "confluence-sync-index") == second
    with pytest.raises(ConflictError):  # another run holds a newer version
        writer.set_space_property("UPX", "confluence-sync-index", {"pages": []}, current=first)
    with pytest.raises(ConflictError):  # another run created it first
        writer.set_space_property("UPX", "confluence-sync-index", {"pages": []}, current=None)
    page = writer.create_page("UPX", "Seite", "<p/>")
    marker = writer.set_page_property(page.id, MARKER, {"v": 1}, current=None)
    again = writer.set_page_property(page.id, MARKER, {"v": 2}, current=marker)
    assert reader.get_page_property(page.id, MARKER) == again and again.value == {"v": 2}


def test_labels_add_and_remove(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    page = writer.create_page("UPX", "Seite", "<p/>", labels=["keep"])
    writer.add_labels(page.id, ["Meeting", "upx"])
    assert site.backend.reader.get_labels(page.id) == {"keep", "meeting", "upx"}
    writer.remove_label(page.id, "upx")
    writer.remove_label(page.id, "never-there")
    assert site.backend.reader.get_labels(page.id) == {"keep", "meeting"}


def test_move_page_archives_without_touching_the_body(site: Site) -> None:
    space = site.space()
    writer = site.backend.writer()
    archive = writer.create_page("UPX", "Archiv", "<p/>", parent_id=space.homepage_id)
    page = writer.create_page("UPX", "Altes Treffen", "<p>words</p>", parent_id=space.homepage_id)
    moved = writer.move_page(page.id, archive.id)
    assert moved.parent_id == archive.id
    assert site.backend.reader.get_page(page.id).body == "<p>words</p>"


def test_groups_and_members(site: Site) -> None:
    created = site.admin_call(
        "/__localwiki/users",
        {"username": "jo", "password": "pw-jo-123", "displayName": "Jo Müller"},
    )
    user_id = created["accountId"] if site.cloud else "jo"
    reader, writer = site.backend.reader, site.backend.writer()
    assert reader.resolve_user(user_id) is not None
    assert reader.resolve_user("nobody-here") is None
    assert writer.ensure_group("vorstand-nord") is True
    assert writer.ensure_group("vorstand-nord") is False
    writer.add_group_member("vorstand-nord", user_id)
    assert [u.id for u in reader.list_group_members("vorstand-nord")] == [user_id]
    writer.remove_group_member("vorstand-nord", user_id)
    assert reader.list_group_members("vorstand-nord") == []


def test_space_permissions_grant_list_revoke(site: Site) -> None:
    site.space()
    writer, reader = site.backend.writer(), site.backend.reader
    writer.ensure_group("upx-members")
    read = Grant("group", "upx-members", "read")
    write = Grant("group", "upx-members", "write")
    writer.grant("UPX", read)
    writer.grant("UPX", write)
    grants = reader.list_grants("UPX")
    assert read in grants and write in grants
    writer.revoke("UPX", write)
    grants = reader.list_grants("UPX")
    assert read in grants and write not in grants
    # Users are named as the config names them: Cloud accountId, DC username (not userKey).
    created = site.admin_call("/__localwiki/users", {"username": "kim", "password": "pw-kim-123"})
    kim = created["accountId"] if site.cloud else "kim"
    writer.grant("UPX", Grant("user", kim, "read"))
    writer.grant("UPX", Grant("user", kim, "comment"))
    assert {Grant("user", kim, "read"), Grant("user", kim, "comment")} <= set(
        reader.list_grants("UPX")
    )
    writer.revoke("UPX", Grant("user", kim, "comment"))
    assert Grant("user", kim, "comment") not in reader.list_grants("UPX")


def test_grant_many_sends_one_request_per_subject_on_dc(site: Site) -> None:
    site.space()
    writer, reader = site.backend.writer(), site.backend.reader
    writer.ensure_group("upx-members")
    wanted = [Grant("group", "upx-members", op) for op in ("write", "comment", "read", "attach")]
    before = reader.counter.by_method().get("PUT", 0) + reader.counter.by_method().get("POST", 0)
    writer.grant_many("UPX", wanted)
    after = reader.counter.by_method().get("PUT", 0) + reader.counter.by_method().get("POST", 0)
    # DC: one additive PUT …/grant with every operation; Cloud v1: one POST per permission.
    assert after - before == (len(wanted) if site.cloud else 1)
    assert set(wanted) <= set(reader.list_grants("UPX"))
    writer.revoke_many("UPX", wanted[:2])
    left = set(reader.list_grants("UPX"))
    assert not set(wanted[:2]) & left and set(wanted[2:]) <= left
    with pytest.raises(ValueError, match="one subject"):
        writer.grant_many("UPX", [wanted[0], Grant("group", "other", "read")])


def test_templates_on_cloud_and_the_capability_on_dc(site: Site) -> None:
    site.space()
    reader, writer = site.backend.reader, site.backend.writer()
    template = Template("Protokoll", "<h1>Protokoll</h1>", "für Treffen", ("meeting",))
    if not site.cloud:
        assert reader.capabilities.supports_templates is False
        with pytest.raises(UnsupportedOperationError):
            writer.save_template("UPX", template)
        with pytest.raises(UnsupportedOperationError):
            reader.list_templates("UPX")
        return
    saved = writer.save_template("UPX", template)
    assert saved.id
    writer.save_template(
        "UPX", Template(saved.name, "<h1>Protokoll v2</h1>", saved.description, id=saved.id)
    )
    (listed,) = reader.list_templates("UPX")
    assert listed.id == saved.id and listed.body == "<h1>Protokoll v2</h1>"


def test_wrong_credentials_say_so(site: Site) -> None:
    backend = connect(site.wiki, site.flavour, api_token="definitely-wrong-token")
    # The run's first request: the credentials are named, not the space (exit 8).
    with pytest.raises(CredentialsError) as first:
        backend.reader.get_space("UPX")
    assert first.value.status == 401
    assert "definitely-wrong-token" not in str(first.value)
    assert "CONFLUENCE" in first.value.hint


def test_removed_v1_endpoint_is_gone_on_cloud() -> None:
    with LocalWiki(flavour="cloud", v1_removed=True) as wiki:
        backend = connect(wiki, "cloud")
        transport = backend.reader.transport  # type: ignore[attr-defined]
        with pytest.raises(GoneError) as caught:
            transport.call("GET", "rest/api/content", what="pages", params={"spaceKey": "UPX"})
        assert "v1" in caught.value.hint and caught.value.status == 410
        # Everything the Cloud adapter uses still answers.
        backend.writer().create_space("UPX", "Upper Xanten")
        page = backend.writer().create_page("UPX", "Seite", "<p/>", labels=["a"])
        assert backend.reader.get_labels(page.id) == {"a"}
        backend.close()


def test_user_grants_are_listed_by_username_not_display_name(site: Site) -> None:
    # DC answers a user subject with userKey + displayName; the config speaks usernames.
    site.space()
    writer, reader = site.backend.writer(), site.backend.reader
    created = site.admin_call(
        "/__localwiki/users",
        {"username": "jweiss", "password": "pw-jweiss-1", "displayName": "Jana Weiß"},
    )
    who = created["accountId"] if site.cloud else "jweiss"
    writer.grant("UPX", Grant("user", who, "read"))
    listed = {g.subject for g in reader.list_grants("UPX") if g.subject_type == "user"}
    assert who in listed
    assert "Jana Weiß" not in listed


def test_spaces_are_read_in_one_listing_and_answered_from_it(site: Site) -> None:
    site.space("UPX")
    site.space("EUK", "Energie und Klima")
    fresh = connect(site.wiki, site.flavour)  # a new run: nothing cached
    try:
        reader = fresh.reader
        found = reader.get_spaces(["UPX", "EUK", "NOPE"])
        assert fresh.counter.requests == 1
        assert found["UPX"] is not None and found["EUK"] is not None and found["NOPE"] is None
        assert reader.get_space("EUK") == found["EUK"] and reader.get_space("NOPE") is None
        assert fresh.counter.requests == 1  # both answered from the listing
    finally:
        fresh.close()
