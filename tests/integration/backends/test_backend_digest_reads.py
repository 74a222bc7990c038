"""The reads the digest adds to the contract, over HTTP on both flavours: every page of a
space with its body in bulk (past Data Center's 50 a page), and the names of the accounts
mentions store — in bulk, cached, an unknown one left out."""

from __future__ import annotations

from .conftest import Site


def test_pages_come_with_their_bodies_in_bulk(site: Site) -> None:
    site.space()
    writer = site.backend.writer()
    for number in range(55):
        writer.create_page("UPX", f"Seite {number}", f"<p>Nr. {number} &amp; mehr</p>")
    before = site.backend.counter.requests
    pages = site.backend.reader.list_pages_with_bodies("UPX")
    bodies = {p.info.title: p.body for p in pages}
    assert bodies["Seite 54"] == "<p>Nr. 54 &amp; mehr</p>"
    assert len(pages) == 56  # and the home page
    # Data Center: 50 a page, so two; Cloud: 250 a page (the space was read when made).
    assert site.backend.counter.requests - before == (1 if site.cloud else 2)


def test_accounts_are_named_in_bulk_and_once(site: Site) -> None:
    store = site.wiki.store
    users = [store.create_user(f"m{n}", "pw", display_name=f"Mitglied {n} Ä") for n in range(5)]
    refs = [u.account_id if site.cloud else u.user_key for u in users] + ["unknown-account"]
    counter = site.backend.counter
    before = counter.requests
    found = site.backend.reader.mentioned_users(refs)
    names = {ref: user.display_name for ref, user in found.items()}
    assert names == {ref: f"Mitglied {n} Ä" for n, ref in enumerate(refs[:5])}
    if not site.cloud:  # the username, which a Data Center config names people by
        assert [found[ref].id for ref in refs[:5]] == [f"m{n}" for n in range(5)]
    # Cloud: one bulk read; Data Center: the site's account list (one page here), then the
    # key it did not find, one read.
    assert counter.requests - before == (1 if site.cloud else 2)
    assert site.backend.reader.mentioned_users(refs[:2]) == {r: found[r] for r in refs[:2]}
    assert counter.requests - before == (1 if site.cloud else 2)  # cached: no request more
