"""A member's inline comment survives a moved meeting, over HTTP, in both flavours.

Confluence adds no page version when a member adds an inline comment (hunyadi/md2conf#277),
but the comment's ``ac:inline-comment-marker`` is inserted into the stored body. By default
the sync reads the page and splices only our regions, so the marker stays; the opt-in
``trust_versions`` rewrites the page whole without a read and detaches it — pinned too, so
the test can fail.
"""

from __future__ import annotations

import pytest

from confluence_sync.wiki.regions import find_regions

from .conftest import GROUP, Site

MEETING = "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
MOVED = "2026-03-19 Frühjahrstreffen bei HANSA-FLEX"


HEADING = "<h2>Teilnehmende</h2>"
COMMENTED = (
    '<h2><ac:inline-comment-marker ac:ref="5f3c-member-comment">Teilnehmende'
    "</ac:inline-comment-marker></h2>"
)


def comment_without_a_version(site: Site, page_id: str) -> None:
    """What Confluence does for an inline comment: the current body changes, the version not.

    Written into the local wiki's store directly, as no REST call can do it."""
    store = site.wiki.store
    with store._tx() as conn:  # a write transaction, so the server's caches see it
        (body,) = conn.execute("SELECT body FROM content WHERE id = ?", (int(page_id),)).fetchone()
        inside = "".join(r.content for r in find_regions(body).values())
        assert HEADING in body and HEADING not in inside  # outside the managed regions
        conn.execute(
            "UPDATE content SET body = ? WHERE id = ?",
            (body.replace(HEADING, COMMENTED), int(page_id)),
        )


@pytest.mark.parametrize("trust_versions", [False, True])
def test_inline_comment_marker_survives_a_moved_meeting(site: Site, trust_versions: bool) -> None:
    site.write_config()
    site.sync()
    meeting = site.page(GROUP, MEETING)
    comment_without_a_version(site, meeting.info.id)
    commented = site.page(GROUP, MEETING)
    assert commented.info.version == meeting.info.version and COMMENTED in commented.body

    site.write_config(["2026-03-19", "2026-09-10"])
    result = site.sync(trust_versions=trust_versions)
    assert "page group/UPX/meeting/2026-03" in {
        r.item for r in result.results if r.status == "updated"
    }
    moved = site.page(GROUP, MOVED)
    assert moved.info.id == meeting.info.id
    assert "2026-03-19" in find_regions(moved.body)["facts"].content
    if trust_versions:
        # The opt-in trade: written whole without a read, the member's comment is detached.
        assert COMMENTED not in moved.body and HEADING in moved.body
    else:
        assert COMMENTED in moved.body
