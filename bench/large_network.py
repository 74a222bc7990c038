"""Generate network configs of a given shape for the sync benchmarks (TARGETS.md, "The large
network").

The default shape is 40 working groups × 45 meetings and 60 organisations with one or two
contacts each: about 2,000 pages in 41 spaces (the hub plus one space per group). ``--groups 4``
gives the same shape at about 200 pages, the other side of the memory ratio. ``GROUP_300`` is
one group with 300 meetings (``--groups 1 --meetings 300 --organisations 12``): a space whose
index is far over Confluence's 32 KB per property. Names carry
umlauts, ``&`` and quotes, as real ones do, so the renderers and the wiki's title handling are
exercised the way a real network exercises them.

Every meeting is explicit (no schedule): a group has at most one meeting per month, so a group
with 45 meetings meets in 45 consecutive months. The output is deterministic for a shape, so
two runs of a benchmark sync the same network.

Wiki accounts: the first contact of every organisation and every admin get one (``u001``, …).
A benchmark that syncs to a Cloud site passes ``accounts`` to map those names to the site's
account ids; without it the names are written as they are (Data Center usernames).

    python bench/large_network.py --groups 40 --meetings 45 --organisations 60 -o network.yaml
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Word pools; combinations make distinct names. Umlauts, '&' and quotes on purpose.
_TRADES = (
    "Bäckerei",
    "Druckerei",
    "Gießerei",
    "Möbelwerk",
    "Brauerei",
    "Spedition",
    "Kühlhaus",
    "Schlosserei",
    "Färberei",
    "Mühle",
    "Ölmühle",
    "Werft",
)
_FAMILIES = (
    "Müller",
    "Schröder",
    "Großmann",
    "Köhler",
    "Weiß",
    "Jürgens",
    "Büßing",
    "O'Brien",
    "Özdemir",
    "Lührs",
    "Hoffmann",
    "Böttcher",
    "Kästner",
)
_FORMS = ("GmbH", "GmbH & Co. KG", "AG", "eG", "KG", "& Söhne")
_SECTORS = (
    "Lebensmittel & Getränke",
    "Druck & Medien",
    "Metall",
    "Logistik",
    "Holz & Möbel",
    "Schiffbau",
    "Chemie",
    "Energie",
)
_CITIES = ("Bremen", "Bremerhaven", "Delmenhorst", "Oldenburg", "Achim", "Osterholz-Scharmbeck")
_GIVEN = (
    "Jürgen",
    "Anja",
    "Sören",
    "Maren",
    "Hans-Peter",
    "Lea",
    "Svenja",
    "Mehmet",
    "Zoë",
    "Björn",
    "Ülkü",
    "Renée",
)
_ROLES = (
    'Leitung "Grüne Produktion"',
    "Energie- & Umweltmanagement",
    "Qualität & Umwelt",
    "Geschäftsführung",
    "Einkauf",
)
_THEMES = (
    "Energie & Klima",
    "Kreislaufwirtschaft",
    "„Grüne“ Logistik",
    "Wasser & Abwasser",
    "Mobilität",
    "Einkauf & Lieferkette",
    "Wärme aus Abwärme",
    'Projekt "Null Abfall"',
)
_WEEKDAYS = (0, 1, 2, 3)  # Monday to Thursday; a group keeps its weekday


@dataclass(frozen=True)
class Shape:
    """How big a network to generate."""

    groups: int = 40
    meetings: int = 45
    organisations: int = 60
    members_per_group: int = 6
    first_month: dt.date = dt.date(2024, 1, 1)  # month of every group's first meeting

    @property
    def expected_pages(self) -> int:
        """Pages the sync manages: hub home and directory; per group its home, meetings,
        members, archive, the minutes template (page or template) and one per meeting."""
        return 2 + self.groups * (5 + self.meetings)

    @property
    def expected_spaces(self) -> int:
        return 1 + self.groups


LARGE = Shape()
SMALL = Shape(groups=4)
TINY = Shape(groups=2, meetings=3, organisations=5, members_per_group=3)
# One group that has met for 25 years: about 305 pages in one space, an index of about 55 KB
# (90 KB in the single-property form), well over Confluence's 32 KB per property.
GROUP_300 = Shape(groups=1, meetings=300, organisations=12)


def _org_id(number: int) -> str:
    return f"org-{number:03d}"


def _account(number: int) -> str:
    return f"u{number:03d}"


def account_names(shape: Shape) -> list[str]:
    """Every wiki account the generated config names: admins first, then contacts."""
    return ["netzwerkbuero", *(_account(n) for n in range(1, shape.organisations + 1))]


def _organisation(number: int, accounts: Mapping[str, str]) -> dict[str, Any]:
    trade = _TRADES[number % len(_TRADES)]
    family = _FAMILIES[(number * 5) % len(_FAMILIES)]
    form = _FORMS[number % len(_FORMS)]
    slug = _org_id(number)
    contacts: list[dict[str, Any]] = []
    for index in range(1 + number % 2):  # one or two contacts, alternately
        given = _GIVEN[(number + index * 5) % len(_GIVEN)]
        contact: dict[str, Any] = {
            "name": f"{given} {family}",
            "email": f"kontakt{index + 1}@{slug}.example",
            "role": _ROLES[(number + index) % len(_ROLES)],
        }
        if index == 0:
            name = _account(number)
            contact["account"] = accounts.get(name, name)
        contacts.append(contact)
    return {
        "id": slug,
        "name": f"{trade} {family} {form} ({number})",
        "sector": _SECTORS[number % len(_SECTORS)],
        "city": _CITIES[number % len(_CITIES)],
        "contacts": contacts,
    }


def _group_key(number: int) -> str:
    # Capital letters only: G, then the number spelled in letters A-Z (0 → A), e.g. GAB.
    digits = ""
    value = number
    for _ in range(2):
        digits = chr(ord("A") + value % 26) + digits
        value //= 26
    return "G" + digits


def _month(first: dt.date, offset: int) -> tuple[int, int]:
    index = first.year * 12 + first.month - 1 + offset
    return index // 12, index % 12 + 1


def _meeting_date(year: int, month: int, weekday: int) -> dt.date:
    """The second ``weekday`` of the month (a plausible fixed rhythm)."""
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7)


def _group(number: int, shape: Shape) -> dict[str, Any]:
    theme = _THEMES[number % len(_THEMES)]
    members = [
        _org_id((number * shape.members_per_group + k) % shape.organisations + 1)
        for k in range(shape.members_per_group)
    ]
    members = list(dict.fromkeys(members))  # small shapes may wrap around
    lead_org = int(members[0].removeprefix("org-"))
    meetings = []
    for offset in range(shape.meetings):
        year, month = _month(shape.first_month, offset)
        host = members[offset % len(members)]
        meeting: dict[str, Any] = {
            "date": _meeting_date(year, month, _WEEKDAYS[number % len(_WEEKDAYS)]),
            "host": host,
        }
        if offset % 3 == 0:  # some titled, some with the default title "Treffen bei <host>"
            meeting["title"] = f"Treffen „{theme}“ Nr. {offset + 1} & Rundgang"
            meeting["agenda"] = ["Begrüßung", 'Bericht "Stand der Dinge"', "Ausblick & Termine"]
        meetings.append(meeting)
    return {
        "key": _group_key(number),
        "name": f"Arbeitskreis {theme} {number + 1}",
        "purpose": f"Gemeinsam an „{theme}“ arbeiten – Betriebe öffnen & Erfahrungen teilen.",
        "lead": f"kontakt1@{_org_id(lead_org)}.example",
        "members": members,
        "topics": ["Klimaschutz", theme.replace("„", "").replace("“", "").replace('"', "")],
        "visibility": "members" if number % 2 == 0 else "network",
        "meetings": meetings,
    }


def build_network(shape: Shape, accounts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The config of a network of ``shape`` as plain data, ready for ``yaml.safe_dump``."""
    names = accounts or {}
    return {
        "network": {
            "key": "BNW",
            "name": "Bremer Netzwerk „Wirtschaft & Umwelt“",
            "language": "de",
            "description": "Ein erfundenes großes Netzwerk für Benchmarks – Größe & Umlaute.",
            "admins": [
                {"account": names.get("netzwerkbuero", "netzwerkbuero"), "name": "Netzwerkbüro"}
            ],
        },
        "organisations": [_organisation(n, names) for n in range(1, shape.organisations + 1)],
        "working_groups": [_group(n, shape) for n in range(shape.groups)],
    }


def network_yaml(shape: Shape, accounts: Mapping[str, str] | None = None) -> str:
    """The config of ``shape`` as YAML text."""
    text = yaml.safe_dump(
        build_network(shape, accounts), allow_unicode=True, sort_keys=False, width=100
    )
    return "# Generated by bench/large_network.py; a benchmark network, not a real one.\n" + text


def write_network(path: Path, shape: Shape, accounts: Mapping[str, str] | None = None) -> Path:
    """Write the config of ``shape`` to ``path`` and return the path."""
    path.write_text(network_yaml(shape, accounts), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=LARGE.groups)
    parser.add_argument("--meetings", type=int, default=LARGE.meetings)
    parser.add_argument("--organisations", type=int, default=LARGE.organisations)
    parser.add_argument("--members", type=int, default=LARGE.members_per_group)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    shape = Shape(args.groups, args.meetings, args.organisations, args.members)
    write_network(args.output, shape)
    print(
        f"{args.output}: {shape.groups} groups, {shape.organisations} organisations, "
        f"≈ {shape.expected_pages} pages in {shape.expected_spaces} spaces"
    )


if __name__ == "__main__":
    main()
