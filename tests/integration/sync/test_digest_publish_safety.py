"""The published digest keeps members' words on both flavours, over HTTP, in the cases a review
found: a page whose record the hub's index lost (a kill between its create and the index
write) is taken over only when nobody but the sync saved it; members' words that quote a
region delimiter are words, not a reason to stop refreshing; an inline comment a refresh
unanchors is named in the version message and the result."""

from __future__ import annotations

import dataclasses

from confluence_sync.state import ledger_store

from .conftest import GROUP, HUB, Site
from .test_digest import MEETING
from .test_digest_publish import (
    AFTER_SPRING,
    DECISION,
    digest_page,
    publish,
    ready,
    refreshed,
    sync_on,
)


def lose_the_record(site: Site) -> None:
    """What a run killed after the digest page's create, before the hub's index write, leaves:
    the page, and no record of it."""
    backend = site.backend()
    stored = ledger_store.read(backend.reader, HUB)
    assert stored.index.digest is not None
    ledger_store.write(
        backend.writer(), HUB, dataclasses.replace(stored.index, digest=None), stored
    )


def test_a_page_without_record_that_only_the_sync_saved_is_taken_over(site: Site) -> None:
    ready(site)
    publish(site)
    first = digest_page(site)
    lose_the_record(site)
    spring = site.page(GROUP, MEETING)
    site.member_save("sluedtke", spring, spring.body.replace(DECISION, "Wir messen ab Juni."))

    done = publish(site)
    assert done.result.exit_code() == 0, done.outcome
    assert done.outcome.startswith("refreshed: taken over")
    page = digest_page(site)
    assert page.info.id == first.info.id and "Wir messen ab Juni." in page.body
    index = ledger_store.read(site.backend().reader, HUB).index
    assert index.digest is not None and index.digest.page_id == page.info.id


def test_a_page_without_record_a_member_edited_is_kept_until_overwritten(site: Site) -> None:
    ready(site)
    publish(site)
    page = digest_page(site)
    site.member_save("netzwerkbuero", page, page.body.replace(DECISION, "Von Hand ergänzt."))
    lose_the_record(site)

    kept = publish(site)
    assert kept.result.exit_code(strict=True) == 5, kept.outcome  # as the CLI exits
    assert "without a record" in kept.outcome and "netzwerkbuero" in kept.outcome
    assert "--overwrite-conflicts" in kept.outcome
    assert "Von Hand ergänzt." in digest_page(site).body

    forced = publish(site, overwrite_conflicts=True)
    assert forced.result.exit_code() == 0, forced.outcome
    body = digest_page(site).body
    assert "Von Hand ergänzt." not in body and DECISION in body
    assert sync_on(site, AFTER_SPRING).writes == 0


def test_a_decision_that_quotes_a_region_delimiter_is_shown_and_refreshed(site: Site) -> None:
    ready(site)
    publish(site)
    quoted = "Siehe confluence-sync:end:digest im Protokoll"
    spring = site.page(GROUP, MEETING)
    site.member_save("sluedtke", spring, spring.body.replace(DECISION, quoted))
    result = sync_on(site, AFTER_SPRING)
    assert [s for s, _ in refreshed(result)] == ["refreshed"], refreshed(result)
    assert quoted in digest_page(site).body
    assert sync_on(site, AFTER_SPRING).writes == 0


def test_an_inline_comment_the_refresh_unanchors_is_named(site: Site) -> None:
    ready(site)
    publish(site)
    page = digest_page(site)
    site.inline_comment(page.info.id, "digest", DECISION, "c-77")
    spring = site.page(GROUP, MEETING)
    site.member_save("sluedtke", spring, spring.body.replace(DECISION, "Wir messen ab Juni."))
    result = sync_on(site, AFTER_SPRING)
    [(status, reason)] = refreshed(result)
    assert status == "refreshed" and "inline comment c-77" in reason, reason
    with site.wiki.store._tx() as conn:
        (message,) = conn.execute(
            "SELECT message FROM content WHERE id = ?", (int(page.info.id),)
        ).fetchone()
    assert "inline comment c-77" in message and "loses its words" in message
