"""Managed regions: found after Confluence normalised the page, spliced byte for byte."""

from __future__ import annotations

import pytest

from confluence_sync.wiki.regions import (
    RegionDamagedError,
    RegionError,
    canonical,
    delimiter,
    find_regions,
    insert_missing_region,
    region_hash,
    replace_region,
    scan_regions,
    wrap_region,
)
from confluence_sync.wiki.storage import StorageFormatError

FACTS = (
    "<h2>Eckdaten &amp; Tagesordnung</h2>"
    '<ac:structured-macro ac:name="details" ac:schema-version="1"><ac:rich-text-body>'
    "<table><tbody>"
    "<tr><th>Datum</th><td>12.03.2026</td></tr>"
    "<tr><th>Gastgeber</th><td>HANSA-FLEX AG</td></tr>"
    "<tr><th>Ort</th><td>Straße des 17. Juni, &quot;Halle&quot; 3 🏭</td></tr>"
    "</tbody></table></ac:rich-text-body></ac:structured-macro>"
    "<ul><li><b>Betriebsrundgang</b></li><li><i>Erfahrungsaustausch</i> ISO 50001</li></ul>"
)

# What Confluence might store for FACTS: ids added, b/i renamed, attributes reordered and
# single-quoted, entities turned into characters (and back), whitespace between blocks,
# cells and list items wrapped in paragraphs.
FACTS_NORMALISED = """
<h2>Eckdaten &amp; Tagesordnung</h2>
<ac:structured-macro ac:macro-id='0d6c' data-layout='default' ac:name='details'
    ac:schema-version='1' ac:local-id='aa1'>
  <ac:rich-text-body>
    <table class="wrapped" data-layout="default" ac:local-id="t1">
      <colgroup><col style="width: 120.0px;" /><col /></colgroup><tbody>
      <tr><th><p>Datum</p></th><td><p>12.03.2026</p></td></tr>
      <tr><th><p>Gastgeber</p></th><td><p>HANSA-FLEX AG</p></td></tr>
      <tr><th><p>Ort</p></th><td><p>Stra&szlig;e des 17. Juni, "Halle" 3 &#x1F3ED;</p></td></tr>
    </tbody></table>
  </ac:rich-text-body>
</ac:structured-macro>
<ul>
  <li><p><strong>Betriebsrundgang</strong></p></li>
  <li><p><em>Erfahrungsaustausch</em> ISO 50001</p></li>
</ul>
"""

NORMALISED_BEGIN = (
    "<p><ac:structured-macro ac:name='anchor' ac:macro-id='5f1e' ac:schema-version='1'>"
    "<ac:parameter ac:name=''>confluence-sync:begin:facts</ac:parameter>"
    "</ac:structured-macro></p>"
)
NORMALISED_END = (
    '<p>\n  <ac:structured-macro ac:macro-id="77" ac:name="anchor">\n'
    '    <ac:parameter ac:name="">confluence-sync:end:facts</ac:parameter>\n'
    "  </ac:structured-macro>\n</p>"
)


def page(before: str = "", between: str = "", after: str = "") -> str:
    return before + wrap_region("facts", FACTS) + between + wrap_region("x", "<p>x</p>") + after


def test_hash_survives_confluence_normalisation() -> None:
    stored = "<p>Vorher</p>" + NORMALISED_BEGIN + FACTS_NORMALISED + NORMALISED_END
    region = find_regions(stored)["facts"]
    assert region.content == FACTS_NORMALISED
    assert region_hash(region.content) == region_hash(FACTS)
    assert canonical(FACTS_NORMALISED) == canonical(FACTS)


@pytest.mark.parametrize(
    "edit",
    [
        ("12.03.2026", "19.03.2026"),
        ("Betriebsrundgang", "Betriebsrundgang mit Kaffee"),
        ("<ul>", "<p>Notiz eines Mitglieds</p><ul>"),
        ("<b>Betriebsrundgang</b>", "Betriebsrundgang"),
        ("ISO 50001", "ISO  50001 &amp; mehr"),
        ("Straße", "Strasse"),
    ],
)
def test_member_edit_inside_changes_hash(edit: tuple[str, str]) -> None:
    old, new = edit
    assert old in FACTS
    assert region_hash(FACTS.replace(old, new, 1)) != region_hash(FACTS)


def test_text_outside_regions_survives_byte_for_byte() -> None:
    before = "<p>Notiz&nbsp;vorher: Grüße, Ä&amp;Ö &quot;zitiert&quot; 😀</p>\n  "
    between = "<p  class='x'>Dazwischen<br></br>ß</p>"
    after = "\n<ac:task-list><ac:task><ac:task-id>7</ac:task-id><ac:task-status>incomplete"
    after += "</ac:task-status><ac:task-body>Müller ruft an</ac:task-body></ac:task></ac:task-list>"
    body = page(before, between, after)
    new = replace_region(body, "facts", "<p>Neu: 😀 &amp; &lt;ok&gt;</p>")
    cut = new.index(delimiter("begin", "facts")) + len(delimiter("begin", "facts"))
    assert new.startswith(before + delimiter("begin", "facts"))
    assert new[cut:].startswith("<p>Neu: 😀 &amp; &lt;ok&gt;</p>" + delimiter("end", "facts"))
    assert new.endswith(delimiter("end", "facts") + between + wrap_region("x", "<p>x</p>") + after)
    assert find_regions(new)["x"].content == "<p>x</p>"


def test_replace_in_normalised_page_keeps_foreign_markup() -> None:
    stored = "<h1>Mitglieder-Notiz</h1>" + NORMALISED_BEGIN + FACTS_NORMALISED + NORMALISED_END
    stored += "<p>Danach</p>"
    new = replace_region(stored, "facts", "<p>neu</p>")
    assert new == "<h1>Mitglieder-Notiz</h1>" + NORMALISED_BEGIN + "<p>neu</p>" + NORMALISED_END + (
        "<p>Danach</p>"
    )


@pytest.mark.parametrize("kind", ["begin", "end"])
def test_deleted_delimiter_is_reported_not_readded(kind: str) -> None:
    body = page("<p>a</p>", "<p>b</p>", "<p>c</p>")
    damaged = body.replace(delimiter(kind, "facts"), "", 1)  # type: ignore[arg-type]
    result = scan_regions(damaged)
    assert "facts" not in result.regions
    problem = result.problem("facts")
    assert problem is not None and kind in problem.message
    assert "x" in result.regions  # other regions still work
    with pytest.raises(RegionDamagedError):
        replace_region(damaged, "facts", "<p>neu</p>")
    with pytest.raises(RegionDamagedError):
        insert_missing_region(damaged, "facts", "<p>neu</p>")


def test_duplicated_and_swapped_delimiters_are_problems() -> None:
    doubled = page() + delimiter("begin", "facts")
    assert "2 begin" in (scan_regions(doubled).problem("facts") or pytest.fail()).message
    swapped = delimiter("end", "y") + "<p>z</p>" + delimiter("begin", "y")
    assert "before" in (scan_regions(swapped).problem("y") or pytest.fail()).message


def test_delimiter_moved_into_another_block_is_a_problem() -> None:
    moved = (
        delimiter("begin", "y")
        + "<table><tbody><tr><td>"
        + delimiter("end", "y")
        + "</td></tr></tbody></table>"
    )
    assert "different blocks" in (scan_regions(moved).problem("y") or pytest.fail()).message


def test_member_text_typed_into_a_delimiter_paragraph_is_a_problem() -> None:
    # The begin anchor now shares a paragraph with member text: splicing after it would cut
    # that paragraph in half, so the region is reported instead of used.
    body = (
        "<p>Hallo <ac:structured-macro ac:name='anchor'><ac:parameter ac:name=''>"
        "confluence-sync:begin:y</ac:parameter></ac:structured-macro></p><p>owned</p>"
        + delimiter("end", "y")
    )
    assert "different blocks" in (scan_regions(body).problem("y") or pytest.fail()).message
    intact = body.replace("<p>Hallo ", "<p>  ")
    assert find_regions(intact)["y"].content == "<p>owned</p>"


def test_insert_missing_region_appends_or_follows_named_region() -> None:
    body = "<p>Mitglieder schreiben hier.</p>"
    appended = insert_missing_region(body, "facts", FACTS)
    assert appended == body + wrap_region("facts", FACTS)
    at_start = insert_missing_region(body, "facts", FACTS, position="start")
    assert at_start == wrap_region("facts", FACTS) + body
    both = insert_missing_region(appended + "<p>Ende</p>", "x", "<p>x</p>", after="facts")
    assert both == body + wrap_region("facts", FACTS) + wrap_region("x", "<p>x</p>") + (
        "<p>Ende</p>"
    )
    with pytest.raises(RegionError):
        insert_missing_region(appended, "facts", FACTS)


def test_new_content_is_checked() -> None:
    with pytest.raises(StorageFormatError):
        replace_region(page(), "facts", "<p>offen")
    with pytest.raises(RegionError):
        replace_region(page(), "facts", delimiter("begin", "facts"))
    with pytest.raises(RegionError):
        replace_region(page(), "nope", "<p/>")
    with pytest.raises(RegionError):
        delimiter("begin", "Bad Name")


def test_unicode_round_trip_through_find_and_replace() -> None:
    content = "<p>Ärger &amp; Öl, Maß, „Anführung“ 'x' \"y\" 🚢&nbsp;</p>"
    body = "<p>ü</p>" + wrap_region("u", content) + "<p>ß</p>"
    assert find_regions(body)["u"].content == content
    assert replace_region(body, "u", content) == body
    # The no-break space at the paragraph's edge renders as nothing (DC's editor adds one
    # after a trailing date or macro), so the canonical form drops it.
    assert canonical(content) == "<p>Ärger &amp; Öl, Maß, „Anführung“ 'x' \"y\" 🚢</p>"
    assert canonical(content.replace("&nbsp;</p>", "&nbsp;!</p>")).endswith("🚢\xa0!</p>")


def test_canonical_ignores_task_ids_and_whitespace_at_block_edges() -> None:
    ours = (
        "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>incomplete"
        "</ac:task-status><ac:task-body>Protokoll</ac:task-body></ac:task></ac:task-list>"
    )
    theirs = (
        "<ac:task-list>\n<ac:task>\n<ac:task-id>31</ac:task-id>\n<ac:task-uuid>u-1</ac:task-uuid>"
        "<ac:task-status>incomplete</ac:task-status>\n<ac:task-body><p> Protokoll </p>"
        "</ac:task-body>\n</ac:task>\n</ac:task-list>"
    )
    assert region_hash(ours) == region_hash(theirs)
    done = theirs.replace(">incomplete<", ">complete<")
    assert region_hash(done) != region_hash(ours)
    # Space between inline elements renders, so it counts.
    assert canonical("<p><em>a</em> <em>b</em></p>") != canonical("<p><em>a</em><em>b</em></p>")


def test_link_text_as_cdata_or_rich_body_is_the_same() -> None:
    ours = (
        '<p><ac:link><ri:page ri:content-title="Treffen &amp; Co" ri:space-key="PUUUPX" />'
        "<ac:link-body>Treffen &amp; Co</ac:link-body></ac:link></p>"
    )
    theirs = (
        "<p><ac:link><ri:page ri:space-key='PUUUPX' ri:content-title='Treffen &amp; Co'/>"
        "<ac:plain-text-link-body><![CDATA[Treffen & Co]]></ac:plain-text-link-body></ac:link></p>"
    )
    assert region_hash(ours) == region_hash(theirs)
    assert region_hash(ours) != region_hash(ours.replace("PUUUPX", "PUUEUK"))


def test_member_visible_table_attributes_still_count() -> None:
    table = "<table><tbody><tr><td>x</td></tr></tbody></table>"
    assert region_hash(table) == region_hash(table.replace("<table>", '<table class="wrapped">'))
    highlighted = table.replace("<td>", '<td class="highlight-red">')
    assert region_hash(highlighted) != region_hash(table)


def test_editor_break_next_to_an_anchor_keeps_the_region() -> None:
    body = page().replace("</ac:structured-macro></p>", "</ac:structured-macro><br /></p>")
    assert find_regions(body)["facts"].content == FACTS
    assert replace_region(body, "facts", "<p/>").count("<br />") == 4


def test_an_inline_comment_marker_is_not_an_edit() -> None:
    plain = "<p>Hallo Welt, wir treffen uns in Bremen.</p>"
    commented = (
        '<p>Hallo <ac:inline-comment-marker ac:ref="c0ffee">Welt</ac:inline-comment-marker>, '
        "wir treffen uns in Bremen.</p>"
    )
    assert region_hash(commented) == region_hash(plain)
    edited = commented.replace("Bremen", "Hamburg")
    assert region_hash(edited) != region_hash(plain)


def test_delimiter_words_as_text_are_content_but_a_delimiter_macro_is_refused() -> None:
    # A member quoting the words in a decision the digest shows must not stop every refresh.
    body = wrap_region("facts", "<p>alt</p>")
    quoted = "<p>Siehe confluence-sync:end:facts &amp; confluence-sync:begin:digest</p>"
    assert find_regions(replace_region(body, "facts", quoted))["facts"].content == quoted
    with pytest.raises(RegionError, match="contains a region delimiter"):
        replace_region(body, "facts", f"<p>x</p>{delimiter('end', 'digest')}")
