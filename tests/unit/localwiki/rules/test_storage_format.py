"""Storage-format parsing and normalisation, as Confluence does it on save."""

from __future__ import annotations

import pytest

from confluence_sync.localwiki.rules.storage_format import (
    XhtmlError,
    normalise,
    plain_text,
    validate,
)


def fixed_id() -> str:
    return "fixed-id"


def test_namespaces_and_html_entities_are_accepted() -> None:
    body = '<p>a&nbsp;b &auml; &amp;</p><ac:link><ri:page ri:content-title="X" /></ac:link>'
    validate(body)
    assert "\u00a0" in normalise(body)
    assert "ä" in normalise(body)


@pytest.mark.parametrize(
    "body",
    [
        "<p>unclosed",
        "<p>a</br></p>",
        "<p a=b>x</p>",
        "<p>&bogus;</p>",
        "<p>a ]]> b</p>",
        "<x:y>undeclared prefix</x:y>",
    ],
)
def test_malformed_bodies_raise_confluence_message(body: str) -> None:
    with pytest.raises(XhtmlError, match=r"^Error parsing xhtml"):
        validate(body)


def test_bold_italic_become_strong_em_and_empty_elements_self_close() -> None:
    out = normalise("<p><b>x</b><i>y</i><br></br><hr/></p>")
    assert out == "<p><strong>x</strong><em>y</em><br /><hr /></p>"


def test_attributes_are_double_quoted_and_escaped() -> None:
    out = normalise("<p class='a\"b'>x &lt; y</p>")
    assert out == '<p class="a&quot;b">x &lt; y</p>'


def test_macros_gain_a_macro_id_and_keep_an_existing_one() -> None:
    out = normalise('<ac:structured-macro ac:name="toc"/>', new_id=fixed_id)
    assert out == '<ac:structured-macro ac:name="toc" ac:macro-id="fixed-id" />'
    kept = normalise('<ac:structured-macro ac:name="toc" ac:macro-id="m1"/>', new_id=fixed_id)
    assert 'ac:macro-id="m1"' in kept and "fixed-id" not in kept


def test_plain_text_bodies_are_stored_as_cdata() -> None:
    body = (
        '<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[a < b]]>'
        "</ac:plain-text-body></ac:structured-macro>"
    )
    out = normalise(body, new_id=fixed_id)
    assert "<ac:plain-text-body><![CDATA[a < b]]></ac:plain-text-body>" in out


def test_normalising_is_stable_on_its_own_output() -> None:
    once = normalise("<p><b>x</b> <ac:structured-macro ac:name='info'/></p>", new_id=fixed_id)
    assert normalise(once, new_id=fixed_id) == once


def test_plain_text_extracts_words() -> None:
    assert plain_text("<p>Hello <strong>world</strong></p>") == "Hello world"


def test_template_variables_are_accepted_and_kept() -> None:
    body = '<p>Datum: <at:var at:name="datum" /></p>'
    assert normalise(body) == body
