"""Storage-format checks (entities, namespaces, clear errors) and label normalisation."""

from __future__ import annotations

import pytest

from confluence_sync.wanted.labels import normalise_label, topic_labels
from confluence_sync.wiki.storage import StorageFormatError, check_storage, parse_storage, scan


def test_namespaces_and_html_entities_are_accepted() -> None:
    body = (
        "<p>Gr&uuml;&szlig;e&nbsp;&amp; &hellip; &#8364; &euro;</p>"
        '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>x</p>'
        "</ac:rich-text-body></ac:structured-macro>"
        '<ac:link><ri:page ri:content-title="T" /></ac:link>'
        '<at:declarations><at:string at:name="d" /></at:declarations><at:var at:name="d" />'
        "<ac:plain-text-body><![CDATA[a < b && c]]></ac:plain-text-body>"
    )
    root = parse_storage(body)
    assert "".join(root.itertext()).startswith("Grüße\xa0& … € €")


@pytest.mark.parametrize(
    ("body", "reason", "line", "column"),
    [
        ("<p>a</p>\n<p>offen", "still open", 2, 9),
        ("<p>a</p>\n<p>b</br></p>", "mismatched tag", 2, 7),
        ("<p>Tom & Jerry</p>", "not well-formed", 1, 9),
        ("<p>&bogus;</p>", "unknown entity &bogus;", 1, 4),
        ('<p class=x">a</p>', "not well-formed", 1, 10),
        ("<p>a ]]> b</p>", "is not allowed in text", 1, 8),
        ("<unknown:tag/>", "unbound prefix", 1, 1),
    ],
)
def test_errors_are_located_in_the_body(body: str, reason: str, line: int, column: int) -> None:
    with pytest.raises(StorageFormatError) as caught:
        check_storage(body, what="page X")
    error = caught.value
    assert reason in error.reason
    assert (error.line, error.column) == (line, column)
    assert str(error).startswith("page X is not well-formed storage format")
    assert error.hint


def test_scan_offsets_point_into_the_original_bytes() -> None:
    body = "<p>Ä&nbsp;ß</p><ac:task-list><x a='>' /></ac:task-list>"
    data = body.encode()
    spans = [(e.kind, e.name, data[e.start : e.end].decode()) for e in scan(body) if e.name]
    assert spans == [
        ("start", "p", "<p>"),
        ("end", "p", "</p>"),
        ("start", "ac:task-list", "<ac:task-list>"),
        ("start", "x", "<x a='>' />"),
        ("end", "x", ""),
        ("end", "ac:task-list", "</ac:task-list>"),
    ]


@pytest.mark.parametrize(
    ("topic", "label"),
    [
        ("Klimaschutz", "klimaschutz"),
        ("Energie Effizienz", "energie-effizienz"),
        ("Lärm & Schall", "lärm-schall"),
        ("  Scope 3: (Lieferkette)!  ", "scope-3-lieferkette"),
        ("Straße/Verkehr", "straße-verkehr"),
        ("CO₂-Reduktion", "co₂-reduktion"),
        ("a" * 300, "a" * 255),
        ("&&&", ""),
    ],
)
def test_topic_labels_follow_confluence_rules(topic: str, label: str) -> None:
    assert normalise_label(topic) == label
    assert normalise_label(label) == label  # a label, as Confluence keeps it, stays as it is


def test_ascii_folding_is_optional() -> None:
    assert normalise_label("Lärm & Straße", fold_ascii=True) == "laerm-strasse"
    assert normalise_label("Çelik Énergie", fold_ascii=True) == "celik-energie"


def test_nfd_input_gives_the_nfc_label() -> None:
    assert normalise_label("Mobilita\u0308t") == "mobilität"


def test_topic_labels_drop_empty_and_duplicates() -> None:
    assert topic_labels(["Klima", "klima", "???", "Wasser"]) == ["klima", "wasser"]
    assert normalise_label("Mit Leerzeichen") != "Mit Leerzeichen"
