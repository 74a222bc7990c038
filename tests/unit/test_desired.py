"""build_desired: identities, tree, labels, kinds, hashes and least-privilege permissions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.config import NetworkConfig, load_config, load_config_text
from confluence_sync.config.titles import fixed_title, meeting_page_title, title_key
from confluence_sync.target.desired import (
    LEVEL_OPERATIONS,
    DesiredGrant,
    DesiredWiki,
    build_desired,
)

TODAY = dt.date(2026, 1, 15)
EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.yaml"

SMALL = """
network:
  key: NET
  name: Netz
  language: de
  admins: [{account: boss}]
organisations:
  - id: alpha
    name: Alpha GmbH
    contacts:
      - {name: Anna, email: anna@alpha.example, account: anna}
      - {name: Ohne Konto, email: ohne@alpha.example}
  - id: beta
    name: Beta AG
    contacts:
      - {name: Bert, email: bert@beta.example, account: bert}
  - id: gamma
    name: Gamma eG
    contacts:
      - {name: Gina, email: gina@gamma.example, account: gina}
working_groups:
  - key: ONE
    name: Eins
    lead: anna@alpha.example
    members: [alpha, beta]
    topics: [Klimaschutz, "Energie Effizienz"]
    meetings:
      - {date: 2026-03-12, host: alpha, title: Frühjahr, agenda: [Rundgang]}
      - {date: 2026-09-10, host: beta, title: Herbst}
  - key: TWO
    name: Zwei
    lead: gina@gamma.example
    members: [gamma]
    visibility: network
"""


def small(text: str = SMALL) -> NetworkConfig:
    return load_config_text(text, today=TODAY)


@pytest.fixture(scope="module")
def example() -> DesiredWiki:
    return build_desired(load_config(EXAMPLE, today=TODAY), today=TODAY)


def test_identities_are_derived_from_the_config(example: DesiredWiki) -> None:
    identities = [page.identity for page in example.pages]
    assert len(identities) == len(set(identities))
    for expected in (
        "hub/home",
        "hub/directory",
        "group/UPX/home",
        "group/UPX/meetings",
        "group/UPX/meeting/2026-03",
        "group/UPX/members",
        "group/UPX/archive",
    ):
        assert expected in identities
    assert [s.identity for s in example.spaces] == ["hub", "group/UPX", "group/EUK"]
    assert [s.key for s in example.spaces] == ["PUU", "PUUUPX", "PUUEUK"]
    assert [t.identity for t in example.templates] == [
        "group/UPX/template/minutes",
        "group/EUK/template/minutes",
    ]


def test_tree_parents_exist_in_the_same_space_and_homes_are_roots(example: DesiredWiki) -> None:
    for page in example.pages:
        if page.parent is None:
            assert page.is_home
            assert any(s.home == page.identity for s in example.spaces)
        else:
            parent = example.page(page.parent)
            assert parent.space_key == page.space_key
    assert example.page("group/UPX/meeting/2026-03").parent == "group/UPX/meetings"
    for template in example.templates:
        assert example.page(template.fallback_page.parent or "").is_home


def test_titles_come_from_the_config_title_rules(example: DesiredWiki) -> None:
    assert example.page("hub/home").title == "Partnerschaft Umwelt Unternehmen"
    assert example.page("hub/directory").title == fixed_title("member_directory", "de")
    assert example.page("group/UPX/meetings").title == fixed_title("meetings", "de")
    assert example.page("group/UPX/meeting/2026-03").title == (
        "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
    )
    for space in example.spaces:
        titles = [title_key(p.title) for p in example.pages_in(space.key)]
        assert len(titles) == len(set(titles)), space.key


def test_kinds_labels_and_regions(example: DesiredWiki) -> None:
    meeting = example.page("group/UPX/meeting/2026-03")
    assert meeting.kind == "scaffold"
    assert meeting.labels == ("treffen", "klimaschutz", "energieeffizienz", "kreislaufwirtschaft")
    assert [r.name for r in meeting.regions] == ["facts"]
    home = example.page("group/UPX/home")
    assert home.kind == "managed" and home.labels[0] == "arbeitskreis"
    assert [r.name for r in home.regions] == ["overview", "reports"]
    assert example.page("group/UPX/archive").is_archive
    assert example.archive_label == "archiviert"
    for page in example.pages:
        assert page.regions or page.kind == "scaffold"
        for region in page.regions:
            assert region.content in page.body
            assert region.content_hash.startswith("sha256:")
            assert region.input_hash.startswith("sha256:")


def test_generated_meetings_come_from_the_schedule(example: DesiredWiki) -> None:
    euk = [p for p in example.pages_in("PUUEUK") if "/meeting/" in p.identity]
    # explicit January meeting + horizon 3 of (Feb, May, Aug, Nov)
    assert [p.identity for p in euk] == [
        "group/EUK/meeting/2026-01",
        "group/EUK/meeting/2026-02",
        "group/EUK/meeting/2026-05",
        "group/EUK/meeting/2026-08",
    ]


def hashes(wiki: DesiredWiki) -> dict[tuple[str, str], str]:
    return {(p.identity, r.name): r.input_hash for p in wiki.pages for r in p.regions}


def test_moving_one_meeting_changes_only_the_regions_that_show_it() -> None:
    before = build_desired(small(), today=TODAY)
    after = build_desired(small(SMALL.replace("2026-03-12", "2026-03-19")), today=TODAY)
    changed = {key for key, value in hashes(before).items() if hashes(after)[key] != value}
    assert changed == {
        ("group/ONE/meeting/2026-03", "facts"),
        ("group/ONE/home", "overview"),
        ("hub/home", "overview"),
    }
    moved = after.page("group/ONE/meeting/2026-03")
    assert moved.title == "2026-03-19 Frühjahr"  # same identity, new title: an update


def test_renaming_a_meeting_keeps_its_identity() -> None:
    after = build_desired(small(SMALL.replace("title: Herbst", "title: Spätsommer")), today=TODAY)
    assert after.page("group/ONE/meeting/2026-09").title == "2026-09-10 Spätsommer"


def test_template_change_changes_input_hash_but_not_content_hash(tmp_path: Path) -> None:
    ours = build_desired(small(), today=TODAY)
    custom = tmp_path / "de" / "archive.j2"
    custom.parent.mkdir(parents=True)
    source = (Path(__file__).resolve().parents[2] / "templates" / "de" / "archive.j2").read_text(
        encoding="utf-8"
    )
    custom.write_text(source + "{# a comment changes the version, not the output #}\n")
    theirs = build_desired(small(), today=TODAY, template_dir=tmp_path)
    a, b = ours.page("group/ONE/archive"), theirs.page("group/ONE/archive")
    assert a.region("archive").content == b.region("archive").content
    assert a.region("archive").content_hash == b.region("archive").content_hash
    assert a.region("archive").input_hash != b.region("archive").input_hash


def test_least_privilege_grants_and_groups() -> None:
    wiki = build_desired(small(), today=TODAY)
    groups = {g.name: g.members for g in wiki.groups}
    assert groups == {
        "net-contacts": ("anna", "bert", "gina"),
        "net-one-members": ("anna", "bert"),
        "net-two-members": ("gina",),
    }
    assert set(wiki.grants) == {
        DesiredGrant("NET", "user", "boss", "admin"),
        DesiredGrant("NET", "group", "net-contacts", "read"),
        DesiredGrant("NETONE", "user", "boss", "admin"),
        DesiredGrant("NETONE", "group", "net-one-members", "write"),
        DesiredGrant("NETTWO", "user", "boss", "admin"),
        DesiredGrant("NETTWO", "group", "net-two-members", "write"),
        DesiredGrant("NETTWO", "group", "net-contacts", "read"),  # visibility: network
    }
    assert not any("anonymous" in g.subject for g in wiki.grants)
    assert "ohne" not in str(wiki.groups)  # a contact without account gets no access


def test_removed_contact_loses_membership() -> None:
    text = SMALL.replace("      - {name: Bert, email: bert@beta.example, account: bert}\n", "")
    text = text.replace("    contacts:\n  - id: gamma", "    contacts: []\n  - id: gamma")
    wiki = build_desired(small(text), today=TODAY)
    assert all("bert" not in g.members for g in wiki.groups)


def test_operations_use_the_backend_vocabulary() -> None:
    from confluence_sync.backends.permissions import OPERATIONS

    for level, operations in LEVEL_OPERATIONS.items():
        assert set(operations) <= set(OPERATIONS), level
    assert "admin" not in LEVEL_OPERATIONS["write"]
    assert LEVEL_OPERATIONS["read"] == ("read",)


def test_english_network_gets_english_pages_and_labels() -> None:
    wiki = build_desired(small(SMALL.replace("language: de", "language: en")), today=TODAY)
    assert wiki.page("group/ONE/home").labels[0] == "working-group"
    assert wiki.page("group/ONE/meeting/2026-03").labels[0] == "meeting"
    assert wiki.page("group/ONE/meetings").title == "Meetings"
    assert "<h2>Key facts</h2>" in wiki.page("group/ONE/meeting/2026-03").body
    assert wiki.archive_label == "archived"


def test_meeting_titles_match_the_config_package(example: DesiredWiki) -> None:
    from confluence_sync.config import expand_meetings

    config = load_config(EXAMPLE, today=TODAY)
    group = config.working_groups[0]
    expected = [meeting_page_title(m) for m in expand_meetings(config, group, TODAY)]
    actual = [p.title for p in example.pages_in("PUUUPX") if "/meeting/" in p.identity]
    assert actual == expected
