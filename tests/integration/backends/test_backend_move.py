"""Archiving moves a page without rewriting it where the API has a move (Cloud v1
``PUT /content/{id}/move/append/{target}``); Data Center 10.0.3 has none and re-sends the body."""

from __future__ import annotations

from typing import Any

from .conftest import Site


def _requests(site: Site) -> list[tuple[str, str]]:
    entries: list[dict[str, Any]] = site.wiki.app.entries()  # type: ignore[attr-defined]
    return [(str(e["method"]), str(e["path"])) for e in entries]


def test_archive_moves_without_a_new_version_where_the_api_can(site: Site) -> None:
    space = site.space()
    writer = site.backend.writer()
    reader = site.backend.reader
    archive = writer.create_page("UPX", "Archiv", "<p/>", parent_id=space.homepage_id)
    page = writer.create_page("UPX", "Altes Treffen", "<p>words</p>", parent_id=space.homepage_id)
    before = reader.get_page(page.id)
    seen = len(_requests(site))
    moved = writer.move_page(page.id, archive.id)
    after = reader.get_page(page.id)
    sent = _requests(site)[seen:]
    assert moved.parent_id == archive.id == after.info.parent_id
    assert after.body == before.body == "<p>words</p>"
    if site.cloud:
        assert after.info.version == before.info.version == moved.version
        assert [m for m, _ in sent if m != "GET"] == ["PUT"]
        assert any(p.endswith(f"/move/append/{archive.id}") for _, p in sent)
    else:  # fallback: no move endpoint in the DC spec, so the body is re-sent
        assert after.info.version == before.info.version + 1 == moved.version
