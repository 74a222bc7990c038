"""render_storage_html: what each storage construct becomes, and that nothing escapes escaping."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.viewer.render import render_storage_html as render


def macro(name: str, body: str = "", **params: str) -> str:
    ps = "".join(f'<ac:parameter ac:name="{k}">{v}</ac:parameter>' for k, v in params.items())
    rich = f"<ac:rich-text-body>{body}</ac:rich-text-body>" if body else ""
    return f'<ac:structured-macro ac:name="{name}">{ps}{rich}</ac:structured-macro>'


def test_headings_paragraphs_and_tables_pass_through() -> None:
    html = render(
        "<h2>Träger &amp; Partner</h2><p>Hallo <strong>Welt</strong><br/>neu</p>"
        '<table><tbody><tr><th>Name</th><td colspan="2">Müller</td></tr></tbody></table>'
    )
    assert "<h2>Träger &amp; Partner</h2>" in html
    assert "<p>Hallo <strong>Welt</strong><br>neu</p>" in html
    assert '<table class="wiki-table"><tbody><tr><th>Name</th><td colspan="2">Müller</td>' in html


def test_text_is_escaped_everywhere() -> None:
    html = render('<p>&lt;script&gt;alert("x")&lt;/script&gt; &amp; "q"</p>')
    assert "<script>" not in html
    assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; "q"' in html


def test_script_and_event_attributes_never_reach_the_browser() -> None:
    html = render('<p onclick="evil()">a<script>evil()</script><span style="x">b</span></p>')
    assert "evil" not in html
    assert "style" not in html
    assert html == "<p>a<span>b</span></p>"


@pytest.mark.parametrize("href", ["javascript:alert(1)", " JAVASCRIPT:x", "data:text/html,x"])
def test_unsafe_link_targets_are_dropped(href: str) -> None:
    html = render(f'<p><a href="{href}">click</a></p>')
    assert "href" not in html
    assert "click" in html


def test_safe_link_targets_are_kept_and_attribute_escaped() -> None:
    html = render('<p><a href="https://example.org/?a=1&amp;b=&quot;2&quot;">x</a></p>')
    assert 'href="https://example.org/?a=1&amp;b=&quot;2&quot;"' in html


@pytest.mark.parametrize(
    ("name", "css"),
    [
        ("info", "panel-info"),
        ("note", "panel-note"),
        ("warning", "panel-warning"),
        ("tip", "panel-tip"),
    ],
)
def test_panel_macros_become_boxes_with_their_title(name: str, css: str) -> None:
    html = render(macro(name, "<p>Bitte <em>lesen</em></p>", title="Hinweis &lt;wichtig&gt;"))
    assert f'class="macro macro-panel {css}"' in html
    assert '<div class="macro-label">Hinweis &lt;wichtig&gt;</div>' in html
    assert "<p>Bitte <em>lesen</em></p>" in html


def test_panel_without_title_is_labelled_by_kind() -> None:
    assert '<div class="macro-label">Note</div>' in render(macro("note", "<p>x</p>"))


def test_task_list_shows_checkboxes_and_bodies() -> None:
    html = render(
        "<ac:task-list>"
        "<ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>"
        "<ac:task-body>Protokoll &amp; Agenda</ac:task-body></ac:task>"
        "<ac:task><ac:task-id>2</ac:task-id><ac:task-status>incomplete</ac:task-status>"
        "<ac:task-body>Raum buchen</ac:task-body></ac:task>"
        "</ac:task-list>"
    )
    assert (
        '<li class="task task-complete" data-task-id="1"><input type="checkbox" disabled checked> '
        "Protokoll &amp; Agenda</li>"
    ) in html
    assert (
        '<li class="task task-incomplete" data-task-id="2"><input type="checkbox" disabled> '
        "Raum buchen</li>"
    ) in html
    assert ">1<" not in html and ">2<" not in html  # task ids are bookkeeping


def test_unknown_macro_is_a_labelled_box_that_keeps_its_body() -> None:
    html = render(macro("expand", "<p>Mehr</p>", title="Details"))
    assert "Macro: expand" in html and "<p>Mehr</p>" in html and "<dd>Details</dd>" in html


def test_user_mentions_resolve_or_show_as_unresolved() -> None:
    body = '<p><ac:link><ri:user ri:account-id="557058:abc"/></ac:link></p>'
    named = render(body, user_name=lambda attrs: "Anna <Ä>" if attrs["account-id"] else None)
    assert '<span class="mention">@Anna &lt;Ä&gt;</span>' in named
    assert '<span class="mention unresolved">@557058:abc</span>' in render(body)


def test_page_links_resolve_through_the_callback() -> None:
    body = (
        '<p><ac:link><ri:page ri:content-title="Sitzung &amp; Co" ri:space-key="UPX"/>'
        "<ac:plain-text-link-body><![CDATA[zur <Sitzung>]]></ac:plain-text-link-body></ac:link></p>"
    )
    seen: list[tuple[str | None, str]] = []

    def href(space: str | None, title: str) -> str | None:
        seen.append((space, title))
        return "/viewer/pages/7"

    assert '<a class="page-link" href="/viewer/pages/7">zur &lt;Sitzung&gt;</a>' in render(
        body, page_href=href
    )
    assert seen == [("UPX", "Sitzung & Co")]
    assert 'class="page-link broken"' in render(body)


def test_status_code_and_emoticon() -> None:
    html = render(
        macro("status", colour="Green", title="OK") + '<ac:structured-macro ac:name="code">'
        "<ac:plain-text-body><![CDATA[a < b]]></ac:plain-text-body>"
        '</ac:structured-macro><p><ac:emoticon ac:name="tick"/></p>'
    )
    assert '<span class="status status-green">OK</span>' in html
    assert "<pre>a &lt; b</pre>" in html
    assert "<p>✔</p>" in html


def test_invalid_storage_is_shown_as_escaped_source() -> None:
    html = render("<p>offen <b>fett</p>")
    assert "Not valid storage format" in html
    assert "&lt;p&gt;offen &lt;b&gt;fett&lt;/p&gt;" in html


def test_a_time_element_with_text_keeps_its_text() -> None:
    html = render('<p><time datetime="2026-03-12">12. März</time></p>')
    assert '<time datetime="2026-03-12">12. März</time>' in html
