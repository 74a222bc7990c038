"""The local wiki's editor saves: each rewrite a real editor makes to a stored body."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.rules.editor.save import SaveContext, save
from confluence_sync.localwiki.rules.storage_format import XhtmlError

CONTEXT = SaveContext(page_id=7, version=3, space_key="UPX", version_of=lambda s, t: 4)

LINK = (
    '<p>Siehe <ac:link><ri:page ri:space-key="UPX" ri:content-title="Treffen" />'
    "<ac:link-body>Treffen</ac:link-body></ac:link> und "
    '<ac:link><ri:page ri:space-key="PUU" ri:content-title="Mitglieder" />'
    "<ac:link-body>Mitglieder</ac:link-body></ac:link></p>"
)
TABLE = (
    "<table><tbody><tr><th>Datum</th><td><time datetime='2026-03-12' /></td></tr>"
    "<tr><th>Ort</th><td>Halle 3</td></tr><tr><th>Notiz</th><td></td></tr></tbody></table>"
)
MACRO = (
    '<ac:structured-macro ac:name="detailssummary" ac:schema-version="2">'
    '<ac:parameter ac:name="headings">Datum,Ort</ac:parameter>'
    '<ac:parameter ac:name="cql">label = "treffen"</ac:parameter></ac:structured-macro>'
)


def cloud(body: str) -> str:
    return save("cloud", body, CONTEXT)


def dc(body: str) -> str:
    return save("dc", body, CONTEXT)


def test_cloud_links_get_card_appearance_local_id_version_at_save_and_lose_the_own_space() -> None:
    saved = cloud(LINK)
    assert saved.count('ac:card-appearance="inline"') == 2
    assert saved.count("ac:local-id=") == 2
    assert '<ri:page ri:content-title="Treffen" ri:version-at-save="4" />' in saved
    assert 'ri:space-key="PUU" ri:content-title="Mitglieder"' in saved  # another space: kept
    assert '<p local-id="' in saved


def test_cloud_tables_cells_and_list_items() -> None:
    saved = cloud(TABLE + "<ul><li>HANSA-FLEX AG</li><li>Bremen<ul><li>Halle</li></ul></li></ul>")
    assert '<table data-table-width="760" data-layout="default" ac:local-id="' in saved
    assert (
        '<colgroup><col style="width: 380.0px;" /><col style="width: 380.0px;" /></colgroup>'
        in saved
    )
    assert "<th><p local-id=" in saved and ">Ort</p></th>" in saved
    assert '><time datetime="2026-03-12" /></p></td>' in saved
    assert ">HANSA-FLEX AG</p></li>" in saved
    assert ">Bremen</p><ul><li><p local-id=" in saved  # the nested list stays a list
    assert saved.endswith("<p />")  # the cursor paragraph after the table and at the end


def test_cloud_macros_get_ids_layout_and_parameters_in_key_order() -> None:
    saved = cloud(MACRO)
    assert 'data-layout="default"' in saved and "ac:local-id=" in saved
    assert saved.index('ac:name="cql"') < saved.index('ac:name="headings"')
    code = cloud(
        '<ac:structured-macro ac:name="code"><ac:plain-text-body>x</ac:plain-text-body>'
        "</ac:structured-macro>"
    )
    assert 'ac:breakout-mode="default" ac:breakout-width="760"' in code
    layout = cloud(
        '<ac:layout><ac:layout-section ac:type="single"><ac:layout-cell><p>a</p>'
        "</ac:layout-cell></ac:layout-section></ac:layout>"
    )
    assert 'ac:breakout-mode="default"' in layout


def test_cloud_demotes_a_callout_title_and_turns_a_panel_into_an_adf_extension() -> None:
    info = cloud(
        '<ac:structured-macro ac:name="info"><ac:parameter ac:name="title">Hinweis</ac:parameter>'
        "<ac:rich-text-body><p>Text</p></ac:rich-text-body></ac:structured-macro>"
    )
    assert 'ac:name="title"' not in info
    assert "<ac:rich-text-body><p local-id=" in info and "><strong>Hinweis</strong></p>" in info
    panel = cloud(
        '<ac:structured-macro ac:name="panel"><ac:parameter ac:name="bgColor">#eae6ff'
        "</ac:parameter><ac:rich-text-body><p>Lila</p></ac:rich-text-body></ac:structured-macro>"
    )
    assert panel.startswith('<ac:adf-extension><ac:adf-node type="panel">')
    assert '<ac:adf-attribute key="panel-type">custom</ac:adf-attribute>' in panel
    assert '<ac:adf-attribute key="panel-color">#eae6ff</ac:adf-attribute>' in panel
    assert '<ac:adf-fallback><div class="panel"><div class="panelContent"><p' in panel


def test_dc_tables_get_wrapped_colgroup_content_wrapper_and_breaks() -> None:
    saved = dc(TABLE)
    assert '<table class="wrapped"><colgroup><col /><col /></colgroup>' in saved
    assert (
        '<td><div class="content-wrapper"><p><time datetime="2026-03-12" />\xa0</p></div></td>'
        in saved
    )
    assert "<td>Halle 3</td>" in saved and "<td><br /></td>" in saved


def test_dc_cursor_targets_macro_ids_and_plain_link_bodies() -> None:
    saved = dc(
        '<ac:structured-macro ac:name="details"><ac:rich-text-body>'
        + TABLE
        + "</ac:rich-text-body></ac:structured-macro>"
        + LINK
    )
    target = '<p class="auto-cursor-target"><br /></p>'
    assert saved.startswith(target + '<ac:structured-macro ac:name="details" ac:schema-version="1"')
    assert "<ac:rich-text-body>" + target + "<table" in saved
    assert "</table>" + target + "</ac:rich-text-body>" in saved
    assert "ac:macro-id=" in saved
    assert (
        '<ri:page ri:content-title="Treffen" /><ac:plain-text-link-body><![CDATA[Treffen]]>'
        in saved
    )
    assert 'ri:space-key="PUU"' in saved


def test_dc_unwraps_a_lone_paragraph_in_a_list_item() -> None:
    assert dc("<ul><li><p>eins</p></li><li><p>a</p><p>b</p></li></ul>") == (
        "<ul><li>eins</li><li><p>a</p><p>b</p></li></ul>"
    )


@pytest.mark.parametrize("flavour", ["cloud", "dc"])
def test_a_save_is_reproducible_and_a_second_save_adds_nothing_new(flavour: str) -> None:
    body = "<h2>Eckdaten</h2>" + MACRO + TABLE + LINK
    first = save(flavour, body, CONTEXT)
    assert save(flavour, body, CONTEXT) == first
    again = save(flavour, first, SaveContext(7, 4, "UPX", CONTEXT.version_of))
    assert again.count("<p />") == first.count("<p />")
    assert again.count("auto-cursor-target") == first.count("auto-cursor-target")
    assert again.count("content-wrapper") == first.count("content-wrapper")


@pytest.mark.parametrize("flavour", ["cloud", "dc"])
def test_a_body_the_editor_cannot_read_is_refused(flavour: str) -> None:
    with pytest.raises(XhtmlError):
        save(flavour, "<p>offen", CONTEXT)
