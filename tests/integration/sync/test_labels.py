"""Labels come from the wiki, not only from what the sync remembers setting.

Data Center ignores labels in a page create, so they are added in their own request; a
managed label missing from a page (removed by a member, dropped by the site) is seen in the
page listing (DC expands labels there) or in a page read (Cloud includes them), and put back.
"""

from __future__ import annotations

from .conftest import GROUP, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"


def test_meeting_pages_carry_their_labels_after_the_first_sync(site: Site) -> None:
    site.write_config()
    site.sync()
    reader = site.backend().reader
    for title in (MEETING, "2026-09-10 Treffen bei Deutsche See GmbH"):
        page = reader.find_page_by_title(GROUP, title)
        assert page is not None
        assert "treffen" in reader.get_labels(page.id), title


def test_a_label_a_member_removed_is_back_after_the_next_sync(site: Site) -> None:
    site.write_config()
    site.sync()
    page = site.page(GROUP, MEETING)
    site.member_backend("cherm").writer().remove_label(page.info.id, "treffen")
    assert "treffen" not in site.backend().reader.get_labels(page.info.id)
    if site.cloud:
        # Cloud's page listing carries no labels: the sync sees them when it reads the page,
        # which it does when the config changes it (here: the meeting moves).
        site.write_config(["2026-03-19", "2026-09-10"])
    site.journal.clear()
    result = site.sync()
    counts = site.journal.counts()
    assert not [r for r in result.results if r.status == "failed"]
    assert "treffen" in site.backend().reader.get_labels(page.info.id)
    if not site.cloud:
        # Noticed from the listing, at no-op cost: observe's reads, then the label, the lock.
        assert counts.reads <= 1 + 2 * 2, counts
        assert counts.writes == 3, counts  # label, lock taken, lock released (index as read)
    again = site.sync()
    assert again.writes == 0


def test_updates_are_minor_edits_on_data_center_and_notify_on_cloud(site: Site) -> None:
    """The journal records which writes notify watchers: a DC update the sync makes is a minor
    edit (no mail); Cloud v2 has no minorEdit, so each updated page notifies."""
    site.write_config()
    site.sync()
    assert site.journal.counts().notifies > 0  # new pages: the space's watchers hear of them
    site.write_config(["2026-03-19", "2026-09-10"])
    site.journal.clear()
    result = site.sync()
    updated = sum(1 for r in result.results if r.status == "updated")
    assert updated >= 1
    assert site.journal.counts().notifies == (updated if site.cloud else 0)
