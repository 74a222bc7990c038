"""A region rewrite keeps members' inline comment markers on the words that stay, and names
the comments whose words it removes."""

from __future__ import annotations

from confluence_sync.wiki.inline_comments import carry_markers, rewrite_region
from confluence_sync.wiki.regions import find_regions, region_hash, replace_region, wrap_region


def marked(ref: str, words: str) -> str:
    return f'<ac:inline-comment-marker ac:ref="{ref}">{words}</ac:inline-comment-marker>'


def facts(place: str, host: str = "HANSA-FLEX AG") -> str:
    return (
        "<table><tbody>\n"
        f"<tr><th>Gastgeber</th><td>{host}</td></tr>\n"
        f"<tr><th>Ort</th><td>{place}</td></tr>\n"
        "</tbody></table><p>Treffen in Bremen am Montag</p>"
    )


def test_a_marker_on_unchanged_words_moves_into_the_new_content() -> None:
    old = facts("Halle 3").replace("HANSA-FLEX AG", marked("c1", "HANSA-FLEX AG"))
    new, lost = carry_markers(old, facts("Halle 5"))
    assert not lost
    assert f"<td>{marked('c1', 'HANSA-FLEX AG')}</td>" in new
    assert "<td>Halle 5</td>" in new
    assert region_hash(new) == region_hash(facts("Halle 5"))


def test_a_marker_on_removed_words_is_returned() -> None:
    old = facts("Halle " + marked("c2", "3"))
    new, lost = carry_markers(old, facts("Halle 30"))
    assert [(m.ref, m.words) for m in lost] == [("c2", "3")]  # not the "3" of "30"
    assert new == facts("Halle 30")  # nothing carried over: the rendering stays as it was


def test_words_after_the_same_start_of_a_changed_sentence_keep_their_marker() -> None:
    old = facts("Halle 3").replace("in Bremen am", f"in {marked('c3', 'Bremen')} am")
    changed = facts("Halle 3").replace("am Montag", "am Dienstag")
    new, lost = carry_markers(old, changed)
    assert not lost and f"<p>Treffen in {marked('c3', 'Bremen')} am Dienstag</p>" in new


def test_a_list_item_that_moved_keeps_its_marker_and_several_markers_share_a_text() -> None:
    old = f"<ul><li>{marked('a', 'EUK')}</li><li>UPX {marked('b', 'Bremen')}</li></ul>"
    old += f"<p>{marked('c', 'eins')} zwei {marked('d', 'drei')}</p>"
    new_list = "<ul><li>ABC</li><li>EUK</li><li>UPX Bremen</li></ul><p>eins zwei drei</p>"
    new, lost = carry_markers(old, new_list)
    assert not lost
    assert f"<li>{marked('a', 'EUK')}</li>" in new
    assert f"<li>UPX {marked('b', 'Bremen')}</li>" in new
    assert f"<p>{marked('c', 'eins')} zwei {marked('d', 'drei')}</p>" in new


def test_a_marker_around_a_link_follows_the_link() -> None:
    link = (
        '<ac:link><ri:page ri:space-key="UPX" ri:content-title="Treffen" />'
        "<ac:link-body>Treffen</ac:link-body></ac:link>"
    )
    # As an editor left it: the own space's key dropped, a card appearance added.
    saved = link.replace('ri:space-key="UPX" ', "").replace(
        "<ac:link>", '<ac:link ac:card-appearance="inline">'
    )
    old = f"<p>Alle: {marked('l', saved)}</p>"
    new, lost = carry_markers(old, f"<p>Alle Treffen: {link}</p>", space="UPX")
    assert not lost and f"<p>Alle Treffen: {marked('l', link)}</p>" in new
    _, gone = carry_markers(old, "<p>Alle Treffen: keine</p>", space="UPX")
    assert [m.ref for m in gone] == ["l"]


def test_rewrite_region_names_what_it_detaches_and_keeps_the_rest_of_the_page() -> None:
    body = (
        "<p>Vorher</p>"
        + wrap_region(
            "facts", facts(marked("c9", "Halle 3")).replace("HANSA", marked("h", "HANSA"))
        )
        + "<p>Danach</p>"
    )
    new_body, detached = rewrite_region(body, "facts", facts("Halle 5"), space="UPX")
    assert [(d.region, d.ref, d.words) for d in detached] == [("facts", "c9", "Halle 3")]
    assert "inline comment c9 on 'Halle 3' in region facts" in detached[0].describe()
    region = find_regions(new_body)["facts"].content
    assert marked("h", "HANSA") in region and "Halle 5" in region
    assert new_body.startswith("<p>Vorher</p>") and new_body.endswith("<p>Danach</p>")


def test_without_markers_the_rewrite_is_the_plain_splice() -> None:
    body = "<p>a</p>" + wrap_region("facts", facts("Halle 3")) + "<p>b</p>"
    assert rewrite_region(body, "facts", facts("Halle 5")) == (
        replace_region(body, "facts", facts("Halle 5")),
        (),
    )
