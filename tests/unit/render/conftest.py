"""Fixtures: a config full of awkward strings, and a Confluence-like storage normaliser."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from confluence_sync.config import NetworkConfig, load_config_text
from confluence_sync.wiki.storage import parse_storage, qname

TODAY = dt.date(2026, 1, 15)

# Every string a template prints is here with characters that would break XML or Jinja if
# they were not escaped: & < > " ' ]]> {{ }} umlauts, ß, emoji.
NASTY_YAML = """
network:
  key: PUU
  name: "Netzwerk <Grün> & \\"Co\\" 'Süd' ]]> {{ 7*7 }} 🌱"
  language: LANG
  description: "Wir <b>tun</b> mehr & besser – Maß & Ziel ✓"
  admins:
    - account: netzwerkbuero
      name: Netzwerkbüro
organisations:
  - id: hansa-flex
    name: "HANSA-FLEX AG <Zentrale> & Söhne"
    sector: "Hydraulik & Öl"
    city: "Bremen ]]>"
    address: "Straße 1 & 2"
    website: "https://www.hansa-flex.example/?a=1&b=2"
    contacts:
      - name: "Christian \\"Chris\\" Herm"
        email: christian.herm@hansa-flex.example
        role: "Umwelt & <Energie>"
        account: cherm
      - name: Ohne Konto
        email: ohne.konto@hansa-flex.example
  - id: deutsche-see
    name: "Deutsche See GmbH 'Fisch'"
    sector: Fisch
    city: Bremerhaven
    contacts:
      - name: Maren Öztürk
        email: maren.oeztuerk@deutsche-see.example
        account: moeztuerk
  - id: outsider
    name: Außenseiter KG
    contacts:
      - name: Otto Außen
        email: otto@outsider.example
        account: otto
working_groups:
  - key: UPX
    name: "Arbeitskreis <Umwelt> & \\"Perspektiven\\""
    purpose: "Betriebe besichtigen & {% raw %}lernen{% endraw %} ]]>"
    lead: christian.herm@hansa-flex.example
    members: [hansa-flex, deutsche-see]
    topics: [Klimaschutz, "Energie Effizienz", "Lärm & Schall"]
    visibility: network
    schedule:
      months: [3, 9]
      horizon: 2
    meetings:
      - date: 2026-03-12
        host: hansa-flex
        title: "Frühjahr <b>bei</b> HANSA & Co"
        place: "Halle \\"3\\" <Nord>"
        agenda: ["Rundgang & Kaffee", "<script>alert(1)</script>", "ISO 50001 ]]> {{ x }}"]
  - key: EUK
    name: Energie und Klima
    lead: maren.oeztuerk@deutsche-see.example
    members: [deutsche-see]
"""


def nasty_config(language: str = "de") -> NetworkConfig:
    return load_config_text(NASTY_YAML.replace("LANG", language), today=TODAY)


@pytest.fixture(params=["de", "en"])
def config(request: pytest.FixtureRequest) -> NetworkConfig:
    return nasty_config(str(request.param))


_BLOCK_CELLS = {"li", "td", "th"}
_BLOCKS = {"p", "ul", "ol", "table", "h1", "h2", "h3", "ac:structured-macro", "ac:task-list"}


def confluence_normalise(body: str) -> str:
    """Rewrite a body the way Confluence may store it (harsher than the real thing).

    Adds ``ac:macro-id``/``local-id``/``data-layout``, renames ``b``/``i``, reverses attribute
    order and quotes with ``'``, writes characters instead of entities, ``<x />`` for empty
    elements, newlines and indentation between blocks, wraps cell and list text in ``<p>``,
    renumbers task ids.
    """
    ids = itertools.count(1000)
    out: list[str] = []

    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def write(element: ET.Element, depth: int) -> None:
        name = {"b": "strong", "i": "em"}.get(qname(str(element.tag)), qname(str(element.tag)))
        attrs = [(qname(k), v) for k, v in element.attrib.items()][::-1]
        if name == "ac:structured-macro":
            attrs.append(("ac:macro-id", f"m-{next(ids)}"))
        if name in {"table", "ac:task"}:
            attrs += [("local-id", f"l-{next(ids)}"), ("data-layout", "default")]
        rendered = "".join(f" {k}='{esc(v).replace(chr(39), '&#39;')}'" for k, v in attrs)
        if name == "ac:task-id":
            out.append(f"<ac:task-id>{next(ids)}</ac:task-id>")
            return
        children = list(element)
        if not children and not element.text:
            out.append(f"<{name}{rendered} />")
            return
        out.append(f"<{name}{rendered}>")
        wrap = name in _BLOCK_CELLS and not any(qname(str(c.tag)) in _BLOCKS for c in children)
        if wrap:
            out.append("<p>")
        if name == "ac:plain-text-body":
            out.append(f"<![CDATA[{element.text or ''}]]>")
        else:
            out.append(esc(element.text or ""))
            for child in children:
                if qname(str(child.tag)) in _BLOCKS:
                    out.append("\n" + "  " * depth)
                write(child, depth + 1)
                out.append(esc(child.tail or ""))
        if wrap:
            out.append("</p>")
        out.append(f"</{name}>")

    root = parse_storage(body)
    out.append(esc(root.text or ""))
    for child in root:
        out.append("\n")
        write(child, 1)
        out.append(esc(child.tail or ""))
    return "".join(out)


@pytest.fixture
def normalise() -> Callable[[str], str]:
    return confluence_normalise
