"""build_wanted: identities, tree, labels, kinds, hashes and least-privilege permissions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.config import NetworkConfig, load_config, load_config_text
from confluence_sync.config.titles import fixed_title, meeting_page_title, title_key
from confluence_sync.wanted.access import LEVEL_OPERATIONS
from confluence_sync.wanted.build import build_wanted
from confluence_sync.wanted.model import Wanted, WantedPage
from confluence_sync.wiki.values import Grant

TODAY = dt.date(2026, 1, 15)
EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.yaml"

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


def pages(target: Wanted, space: str | None = None) -> list[WantedPage]:
    return [p for s in target.spaces if space in (None, s.key) for p in s.pages]


def page(target: Wanted, identity: str) -> WantedPage:
    return next(p for p in pages(target) if p.identity == identity)


@pytest.fixture(scope="module")
def example() -> Wanted:
    return build_wanted(load_config(EXAMPLE, today=TODAY), today=TODAY)


def test_identities_are_derived_from_the_config(example: Wanted) -> None:
    identities = [page.identity for page in pages(example)]
    assert len(identities) == len(set(identities))
    for expected in (
        "hub/home",
        "hub/directory",
        "group/UPX/home",
        "group/UPX/meetings",
        "group/UPX/meeting/slot/2026-1",
        "group/UPX/members",
        "group/UPX/archive",
    ):
        assert expected in identities
    assert [s.key for s in example.spaces] == ["PUU", "PUUUPX", "PUUEUK"]
    assert [t.identity for s in example.spaces for t in s.templates] == [
        "group/UPX/template/minutes",
        "group/EUK/template/minutes",
    ]
    meeting = page(example, "group/UPX/meeting/slot/2026-1")
    assert meeting.identity.group_key == "UPX" and meeting.identity.meeting_slot == (2026, 1)


def test_tree_parents_exist_in_the_same_space_and_homes_are_roots(example: Wanted) -> None:
    for space in example.spaces:
        homes = [p for p in space.pages if p.parent is None]
        assert len(homes) == 1 and homes[0].home
        for child in space.pages:
            if child.parent is not None:
                assert page(example, child.parent).space_key == child.space_key
        for template in space.templates:
            assert page(example, template.fallback.parent or "").home
    assert page(example, "group/UPX/meeting/slot/2026-1").parent == "group/UPX/meetings"


def test_titles_come_from_the_config_title_rules(example: Wanted) -> None:
    assert page(example, "hub/home").title == "Partnerschaft Umwelt Unternehmen"
    assert page(example, "hub/directory").title == fixed_title("member_directory", "de")
    assert page(example, "group/UPX/meetings").title == fixed_title("meetings", "de")
    assert page(example, "group/UPX/meeting/slot/2026-1").title == (
        "2026-03-12 Frühjahrstreffen bei HANSA-FLEX"
    )
    for space in example.spaces:
        titles = [title_key(p.title) for p in space.pages]
        assert len(titles) == len(set(titles)), space.key


def test_kinds_labels_and_regions(example: Wanted) -> None:
    meeting = page(example, "group/UPX/meeting/slot/2026-1")
    assert meeting.kind == "scaffold"
    assert meeting.labels == {"treffen", "klimaschutz", "energieeffizienz", "kreislaufwirtschaft"}
    assert list(meeting.regions) == ["facts"]
    home = page(example, "group/UPX/home")
    assert home.kind == "managed" and "arbeitskreis" in home.labels
    assert list(home.regions) == ["overview", "reports"]
    assert page(example, "group/UPX/archive").archive
    assert all(s.archive_label == "archiviert" for s in example.spaces)
    for each in pages(example):
        assert each.regions or each.kind == "scaffold"
        for region in each.regions.values():
            assert region.content in each.body
            assert region.hash.startswith("sha256:")


def test_generated_meetings_come_from_the_schedule(example: Wanted) -> None:
    euk = [p for p in pages(example, "PUUEUK") if p.day]
    # explicit January meeting (known by its id) + horizon 3 of (Feb, May, Aug, Nov), known
    # by their slots, each with its former month identity
    assert [p.identity for p in euk] == [
        "group/EUK/meeting/id/kickoff",
        "group/EUK/meeting/slot/2026-1",
        "group/EUK/meeting/slot/2026-2",
        "group/EUK/meeting/slot/2026-3",
    ]
    assert [p.formerly for p in euk] == [
        ("group/EUK/meeting/2026-01",),  # an older wiki's January page becomes the kickoff
        ("group/EUK/meeting/2026-02",),
        ("group/EUK/meeting/2026-05",),
        ("group/EUK/meeting/2026-08",),
    ]


def hashes(target: Wanted) -> dict[tuple[str, str], str]:
    return {(p.identity, n): r.hash for p in pages(target) for n, r in p.regions.items()}


def test_moving_one_meeting_changes_only_the_regions_that_show_it() -> None:
    before = build_wanted(small(), today=TODAY)
    after = build_wanted(small(SMALL.replace("2026-03-12", "2026-03-19")), today=TODAY)
    changed = {key for key, value in hashes(before).items() if hashes(after)[key] != value}
    assert changed == {
        ("group/ONE/meeting/2026-03", "facts"),
        ("group/ONE/home", "overview"),
        ("hub/home", "overview"),
    }
    moved = page(after, "group/ONE/meeting/2026-03")
    assert moved.title == "2026-03-19 Frühjahr"  # same identity, new title: an update


def test_renaming_a_meeting_keeps_its_identity() -> None:
    after = build_wanted(small(SMALL.replace("title: Herbst", "title: Spätsommer")), today=TODAY)
    assert page(after, "group/ONE/meeting/2026-09").title == "2026-09-10 Spätsommer"


def test_a_template_change_that_renders_the_same_keeps_the_hash(tmp_path: Path) -> None:
    ours = build_wanted(small(), today=TODAY)
    custom = tmp_path / "de" / "archive.j2"
    custom.parent.mkdir(parents=True)
    source = (Path(__file__).resolve().parents[3] / "templates" / "de" / "archive.j2").read_text(
        encoding="utf-8"
    )
    custom.write_text(source + "{# a comment changes the version, not the output #}\n")
    theirs = build_wanted(small(), today=TODAY, template_dir=tmp_path)
    a, b = page(ours, "group/ONE/archive"), page(theirs, "group/ONE/archive")
    assert a.regions["archive"] == b.regions["archive"]  # content and hash alike: no write


def levels(target: Wanted, key: str) -> dict[tuple[str, str], set[str]]:
    """Subject → operations granted on space ``key``."""
    found: dict[tuple[str, str], set[str]] = {}
    space = target.space(key)
    assert space is not None
    for grant in space.grants:
        found.setdefault((grant.subject_type, grant.subject), set()).add(grant.operation)
    return found


def test_least_privilege_grants_and_groups() -> None:
    target = build_wanted(small(), today=TODAY)
    assert target.groups == {
        "net-contacts": {"anna", "bert", "gina"},
        "net-one-members": {"anna", "bert"},
        "net-two-members": {"gina"},
    }
    admin, write, read = (set(LEVEL_OPERATIONS[k]) for k in ("admin", "write", "read"))
    assert levels(target, "NET") == {("user", "boss"): admin, ("group", "net-contacts"): read}
    assert levels(target, "NETONE") == {
        ("user", "boss"): admin,
        ("group", "net-one-members"): write,
    }
    assert levels(target, "NETTWO") == {
        ("user", "boss"): admin,
        ("group", "net-two-members"): write,
        ("group", "net-contacts"): read,  # visibility: network
    }
    every = [g for s in target.spaces for g in s.grants]
    assert not any("anonymous" in g.subject for g in every)
    assert "ohne" not in str(target.groups)  # a contact without account gets no access
    assert Grant("group", "net-contacts", "read") in target.spaces[0].grants


def test_removed_contact_loses_membership() -> None:
    text = SMALL.replace("      - {name: Bert, email: bert@beta.example, account: bert}\n", "")
    text = text.replace("    contacts:\n  - id: gamma", "    contacts: []\n  - id: gamma")
    target = build_wanted(small(text), today=TODAY)
    assert all("bert" not in members for members in target.groups.values())


def test_operations_use_the_backend_vocabulary() -> None:
    from confluence_sync.backends.permissions import OPERATIONS

    for level, operations in LEVEL_OPERATIONS.items():
        assert set(operations) <= set(OPERATIONS), level
    assert "admin" not in LEVEL_OPERATIONS["write"]
    assert LEVEL_OPERATIONS["read"] == ("read",)


def test_english_network_gets_english_pages_and_labels() -> None:
    target = build_wanted(small(SMALL.replace("language: de", "language: en")), today=TODAY)
    assert "working-group" in page(target, "group/ONE/home").labels
    assert "meeting" in page(target, "group/ONE/meeting/2026-03").labels
    assert page(target, "group/ONE/meetings").title == "Meetings"
    assert "<h2>Key facts</h2>" in page(target, "group/ONE/meeting/2026-03").body
    assert all(s.archive_label == "archived" for s in target.spaces)


def test_meeting_titles_match_the_config_package(example: Wanted) -> None:
    from confluence_sync.config import expand_meetings

    config = load_config(EXAMPLE, today=TODAY)
    group = config.working_groups[0]
    expected = [meeting_page_title(m) for m in expand_meetings(config, group, TODAY)]
    actual = [p.title for p in pages(example, "PUUUPX") if p.day]
    assert actual == expected
