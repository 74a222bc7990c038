"""A member's inline comment survives a sync, although it added no page version.

Confluence inserts an ``ac:inline-comment-marker`` into the stored body when a member comments
on a passage, without a new page version (hunyadi/md2conf#277). By default every update reads
the body and splices only our regions, so the marker stays; the opt-in ``trust_versions``
rewrites such a page whole without a read and detaches the comment — pinned here too, so
this test can fail.
"""

from __future__ import annotations

import pytest

from confluence_sync.wiki.regions import find_regions

from .conftest import GROUP, network, sync
from .fake import FakeWiki

MARKER = (
    '<ac:inline-comment-marker ac:ref="5f3c-member-comment">Protokoll</ac:inline-comment-marker>'
)
MOVED = ("2026-03-19", "2026-09-10")


def commented_meeting(wiki: FakeWiki) -> str:
    """Sync, then a member comments on the meeting page's scaffold heading (no new version)."""
    sync(wiki, network())
    page = wiki.page_by_title(GROUP, "2026-03-12 Treffen")
    version = page.info.version
    assert "<h2>Protokoll</h2>" in page.body
    page.body = page.body.replace("<h2>Protokoll</h2>", f"<h2>{MARKER}</h2>")
    assert page.info.version == version
    return page.info.id


@pytest.mark.parametrize("trust_versions", [False, True])
def test_inline_comment_marker_outside_regions_and_a_moved_meeting(
    wiki: FakeWiki, trust_versions: bool
) -> None:
    page_id = commented_meeting(wiki)
    wiki.body_reads.clear()
    sync(wiki, network(MOVED), trust_versions=trust_versions)
    page = wiki.pages[page_id]
    assert page.info.title == "2026-03-19 Treffen"
    assert "2026-03-19" in find_regions(page.body)["facts"].content
    if trust_versions:
        # The opt-in trade: no read, whole rewrite, the member's comment is detached.
        assert page_id not in wiki.body_reads
        assert MARKER not in page.body
    else:
        assert page_id in wiki.body_reads
        assert MARKER in page.body
