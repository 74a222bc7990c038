"""The calendar upload through the contract, on both flavours: a recorded attachment deleted by
hand is found again by its name; a 404 while the attachment is still there (a file over the
site's size limit: both specs answer 404) is the error it is, after one look, never a loop."""

from __future__ import annotations

import pytest

from confluence_sync.errors import NotFoundError
from confluence_sync.localwiki.store import files

from .conftest import Site


def test_a_recorded_attachment_deleted_by_hand_is_uploaded_again(site: Site) -> None:
    home = site.space().homepage_id
    assert home is not None
    writer = site.backend.writer()
    first = writer.attach_file(home, "UPX-meetings.ics", b"BEGIN:VCALENDAR", comment="sha1")
    site.wiki.store.delete_attachment(int(first.removeprefix("att")))
    again = writer.attach_file(
        home, "UPX-meetings.ics", b"BEGIN:VCALENDAR 2", comment="sha2", attachment_id=first
    )
    assert again != first
    row = site.wiki.store.attachment(int(again.removeprefix("att")))
    assert row is not None and row.comment == "sha2"


def test_a_file_over_the_size_limit_is_refused_once_with_what_to_do(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = site.space().homepage_id
    assert home is not None
    writer = site.backend.writer()
    first = writer.attach_file(home, "UPX-meetings.ics", b"BEGIN:VCALENDAR", comment="sha1")
    monkeypatch.setattr(files, "MAX_ATTACHMENT", 64)
    before = site.backend.counter.requests
    with pytest.raises(NotFoundError) as caught:
        writer.attach_file(home, "UPX-meetings.ics", b"x" * 65, comment="sha2", attachment_id=first)
    assert "maximum attachment size" in str(caught.value)
    assert caught.value.status == 404
    # the upload, the look by name that finds the attachment still there: nothing more
    assert site.backend.counter.requests - before == 2
