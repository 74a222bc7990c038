"""Loading: positions, all problems at once, Unicode, and the model the rest of the tool gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from confluence_sync.config import NetworkConfig, load_config, load_config_text, space_key
from confluence_sync.config.yaml_source import format_path, parse_yaml
from confluence_sync.errors import EXIT_CONFIG, ConfigError

from .conftest import EXAMPLE, MINIMAL, TODAY

WriteConfig = Callable[..., Path]


def _problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, file="net.yaml", today=TODAY)
    assert caught.value.exit_code == EXIT_CONFIG
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def test_minimal_config_loads_into_the_model(write_config: WriteConfig) -> None:
    config = load_config(write_config(MINIMAL), today=TODAY)
    assert isinstance(config, NetworkConfig)
    group = config.working_groups[0]
    assert space_key(config.network, group) == "PUUUPX"
    assert config.network.language == "de"
    assert group.visibility == "members"
    assert config.organisation_of("Christian.Herm@hansa-flex.example") is not None


def test_example_config_is_valid() -> None:
    config = load_config(EXAMPLE, today=TODAY)
    assert config.network.key == "PUU"
    assert len(config.working_groups) >= 2
    assert any(g.visibility == "network" for g in config.working_groups)
    ids = {o.id for o in config.organisations}
    assert {"thyssenkrupp", "hansa-flex", "atlas-elektronik", "deutsche-see"} <= ids
    contacts = [c for o in config.organisations for c in o.contacts]
    assert any(c.account for c in contacts) and any(not c.account for c in contacts)


def test_several_problems_in_one_file_are_all_reported() -> None:
    text = (
        MINIMAL.replace("key: PUU", "key: puu")
        .replace(
            "members: [hansa-flex, deutsche-see, atlas-elektronik]",
            "members: [hansa-flex, deutsch-see, atlas-elektronik]\n    visibility: alle",
        )
        .replace(
            "    name: Deutsche See GmbH\n", "    name: Deutsche See GmbH\n    citty: Bremen\n"
        )
    )
    problems = _problems(text)
    paths = [path for _, path, _ in problems]
    assert "network.key" in paths  # rule
    assert "working_groups[0].members[1]" in paths  # dangling reference
    assert "working_groups[0].visibility" in paths  # type/literal
    assert "organisations[1].citty" in paths  # unknown field
    assert [line for line, _, _ in problems] == sorted(line for line, _, _ in problems)


def test_rules_still_run_next_to_type_errors() -> None:
    # The group is broken (bad visibility) but its dangling member is reported all the same.
    text = MINIMAL.replace("deutsche-see, atlas", "deutsche-sea, atlas") + "    visibility: 3\n"
    paths = {path for _, path, _ in _problems(text)}
    assert {"working_groups[0].visibility"} <= paths
    text = MINIMAL.replace("deutsche-see, atlas", "deutsche-sea, atlas").replace(
        "  - id: atlas-elektronik\n    name: ATLAS ELEKTRONIK GmbH\n",
        "  - id: atlas-elektronik\n    name: 42\n",
    )
    paths = {path for _, path, _ in _problems(text)}
    assert paths == {"organisations[2].name", "working_groups[0].members[1]"}


def test_missing_field_points_at_the_mapping_that_lacks_it() -> None:
    text = MINIMAL.replace("    lead: christian.herm@hansa-flex.example\n", "")
    assert _problems(text) == [(17, "working_groups[0].lead", "missing required field 'lead'")]


def test_duplicate_key_is_an_error_not_a_merge() -> None:
    text = MINIMAL.replace("  name: Partnerschaft", "  key: PUV\n  name: Partnerschaft")
    [(line, path, message)] = _problems(text)
    assert (line, path) == (3, "network.key")
    assert "duplicate key 'key'" in message and "line 2" in message


def test_unknown_field_suggests_the_close_one() -> None:
    problems = {
        path: message for _, path, message in _problems(MINIMAL.replace("    lead:", "    laed:"))
    }
    assert "did you mean 'lead'" in problems["working_groups[0].laed"]
    assert problems["working_groups[0].lead"] == "missing required field 'lead'"


def test_unicode_is_normal_input_and_round_trips(write_config: WriteConfig) -> None:
    name = 'Bäckerei Großmann & Söhne „Weserblick“ KG 🐟 \'s "Beste"'
    text = MINIMAL.replace("name: Deutsche See GmbH", f"name: {yaml.safe_dump(name)[:-1]}")
    text = text.replace(
        "    name: Arbeitskreis Umweltperspektiven",
        "    name: Arbeitskreis Maßnahmen & Öko-„Bilanz“ 🌍",
    )
    config = load_config(write_config(text), today=TODAY)
    assert config.organisations[1].name == name
    dumped = yaml.safe_dump(
        config.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False
    )
    again = load_config(write_config(dumped, "again.yaml"), today=TODAY)
    assert again == config


def test_dates_are_dates_and_a_bad_one_is_reported_not_raised() -> None:
    text = MINIMAL + "    meetings:\n      - date: 2026-03-12\n        host: hansa-flex\n"
    config = load_config_text(text, today=TODAY)
    assert config.working_groups[0].meetings[0].date == dt.date(2026, 3, 12)
    [(line, path, message)] = _problems(text.replace("2026-03-12", "2026-13-01"))
    assert (line, path) == (22, "working_groups[0].meetings[0].date")
    assert "bad date" in message


def test_file_problems_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing)
    assert str(caught.value).startswith(f"{missing}:1:1:")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("network:\n  name: Gr\xfc\xdfe\n".encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_config(latin1)
    assert caught.value.problems[0].line == 2
    assert "UTF-8" in caught.value.problems[0].message


def test_positions_are_one_based_and_paths_use_dots_and_indexes() -> None:
    loaded = parse_yaml("a:\n  - b: 1\n    c: [x, y]\n", "f.yaml")
    assert loaded.problems == []
    assert loaded.positions.of_value(("a", 0, "c", 1)) == (3, 12)
    assert loaded.positions.of_key(("a", 0, "c")) == (3, 5)
    assert loaded.positions.of_value(("a", 0, "missing")) == (2, 5)
    assert format_path(("a", 0, "c", 1)) == "a[0].c[1]"
    assert format_path(()) == "(top level)"


def test_aliases_are_followed() -> None:
    text = MINIMAL.replace(
        "    members: [hansa-flex, deutsche-see, atlas-elektronik]",
        "    members: &all [hansa-flex, deutsche-see, atlas-elektronik]",
    )
    text += "  - key: EUK\n    name: Energie\n    lead: christian.herm@hansa-flex.example\n"
    text += "    members: *all\n"
    config = load_config_text(text, today=TODAY)
    assert config.working_groups[1].members == config.working_groups[0].members


def test_empty_values_and_unknown_tags_are_named() -> None:
    text = MINIMAL.replace("  key: PUU", "  key: !custom PUU").replace(
        "  name: Partnerschaft Umwelt Unternehmen", "  name:"
    )
    problems = {path: message for _, path, message in _problems(text + "    meetings:\n")}
    assert problems == {
        "network.key": "unsupported tag !custom",
        "network.name": "'name' has no value",
        "working_groups[0].meetings": "'meetings' has no value",
    }


def test_every_problem_of_one_group_is_reported_at_once() -> None:
    """A bad date in one meeting hides neither the other meetings' references nor a bad
    contact elsewhere (each item is salvaged on its own)."""
    fixture = Path(__file__).parent / "invalid" / "several_problems_in_one_group.yaml"
    with pytest.raises(ConfigError) as caught:
        load_config(fixture, today=TODAY)
    found = {(p.line, p.path) for p in caught.value.problems}
    assert (22, "working_groups[0].meetings[0].date") in found  # the bad date
    assert (15, "organisations[1].contacts[0].email") in found  # the bad address
    assert (25, "working_groups[0].meetings[1].host") in found  # dangling host, after it
    assert (28, "working_groups[0].meetings[3].date") in found  # second meeting in April
    assert len(found) == 4, caught.value.problems
