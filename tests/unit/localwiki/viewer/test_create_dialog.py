"""The Create dialog's template rules alone: which variables a body declares, and the body a
new page starts with once they are filled in."""

from __future__ import annotations

from confluence_sync.localwiki.viewer.create_dialog import (
    Variable,
    declared_variables,
    fill_template,
)

BODY = (
    '<at:declarations><at:string at:name="datum" /><at:list at:name="ort">'
    '<at:option at:value="Bremen" /><at:option at:value="Kiel" /></at:list>'
    '<at:textarea at:name="notiz" /></at:declarations>'
    '<p><at:var at:name="datum" /> in <at:var at:name="ort" />, '
    '<strong>Notiz</strong> <at:var at:name="notiz" /> – <at:var at:name="fehlt" /> Ende</p>'
)


def test_the_declared_variables_in_order_with_their_fields() -> None:
    assert declared_variables(BODY) == [
        Variable("datum", "string"),
        Variable("ort", "list", ("Bremen", "Kiel")),
        Variable("notiz", "textarea"),
    ]
    assert declared_variables("<p>keine</p>") == []
    assert declared_variables("<p>kaputt") == []


def test_filling_replaces_each_variable_by_its_value_as_text() -> None:
    filled = fill_template(BODY, {"datum": "12. März", "ort": "Kiel", "notiz": "<b>&</b>"})
    # Values first in their parent and after a sibling alike; a missing one leaves nothing.
    assert (
        filled == "<p>12. März in Kiel, <strong>Notiz</strong> &lt;b&gt;&amp;&lt;/b&gt; –  Ende</p>"
    )


def test_a_body_that_does_not_parse_is_left_as_it_is() -> None:
    assert fill_template("<p>kaputt", {"x": "y"}) == "<p>kaputt"
