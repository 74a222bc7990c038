"""``init``: starter configs validate, ``--from`` keeps groups only, ``--force`` guards files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.config import load_config
from confluence_sync.config.bootstrap import TargetExistsError, starter_key, write_starter
from confluence_sync.config.schedule import expand_meetings
from confluence_sync.errors import ConfigError

from .conftest import EXAMPLE, TODAY


def test_from_scratch_writes_a_commented_config_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "neu.yaml"
    config = write_starter(
        target, name='Umweltallianz „Sachsen-Anhalt“ & "Freunde"', key="UASA", today=TODAY
    )
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert load_config(target, today=TODAY) == config
    assert config.network.name == 'Umweltallianz „Sachsen-Anhalt“ & "Freunde"'
    [group] = config.working_groups
    assert group.schedule is not None and group.schedule.months == [3, 9]
    [kick_off] = group.meetings
    assert kick_off.title == "Auftaktveranstaltung"
    assert kick_off.date == TODAY + dt.timedelta(weeks=6)
    assert "PLATZHALTER" in text


def test_english_starter(tmp_path: Path) -> None:
    config = write_starter(
        tmp_path / "n.yaml", name="Green Network", key="GN", language="en", today=TODAY
    )
    assert config.network.language == "en"
    assert config.working_groups[0].meetings[0].title == "Kick-off"


def test_from_keeps_the_groups_and_drops_organisations_and_contacts(tmp_path: Path) -> None:
    source = load_config(EXAMPLE, today=TODAY)
    target = tmp_path / "from.yaml"
    config = write_starter(target, name="Umweltallianz", key="UA", source_path=EXAMPLE, today=TODAY)
    assert load_config(target, today=TODAY) == config
    assert config.network.language == source.network.language
    kept = ["key", "name", "purpose", "topics", "visibility"]
    for new, old in zip(config.working_groups, source.working_groups, strict=True):
        assert {f: getattr(new, f) for f in kept} == {f: getattr(old, f) for f in kept}
        assert new.schedule is not None and old.schedule is not None
        assert new.schedule.months == old.schedule.months
        assert new.schedule.weekday == old.schedule.weekday
        assert new.meetings == []
    old_ids = {o.id for o in source.organisations}
    assert not old_ids & {o.id for o in config.organisations}
    text = target.read_text(encoding="utf-8")
    for organisation in source.organisations:
        for contact in organisation.contacts:
            assert contact.email not in text
            assert contact.account is None or f"account: {contact.account}" not in text


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "network.yaml"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(TargetExistsError):
        write_starter(target, name="N", key="N", today=TODAY)
    assert target.read_text(encoding="utf-8") == "mine\n"
    write_starter(target, name="N", key="N", force=True, today=TODAY)
    assert target.read_text(encoding="utf-8") != "mine\n"


def test_a_bad_key_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "network.yaml"
    with pytest.raises(ConfigError) as caught:
        write_starter(target, name="N", key="pu-u", today=TODAY)
    assert [p.path for p in caught.value.problems] == ["network.key"]
    assert not target.exists()


def test_an_invalid_source_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "old.yaml"
    source.write_text("network: []\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        write_starter(tmp_path / "new.yaml", name="N", key="N", source_path=source, today=TODAY)


def test_a_lower_case_key_is_upper_cased_with_a_note(tmp_path: Path) -> None:
    assert starter_key("uasa") == (
        "UASA",
        "note: network key 'uasa' upper-cased to 'UASA' (space keys are capitals)",
    )
    assert starter_key("UASA") == ("UASA", None)
    config = write_starter(tmp_path / "n.yaml", name="N", key="uaSa", today=TODAY)
    assert config.network.key == "UASA"


def test_placeholders_are_region_neutral(tmp_path: Path) -> None:
    for language in ("de", "en"):
        target = tmp_path / f"{language}.yaml"
        config = write_starter(target, name="N", key="N", language=language, today=TODAY)
        text = target.read_text(encoding="utf-8")
        assert "Bremen" not in text and "Bremer" not in text
        cities = {o.city for o in config.organisations}
        assert cities == {"Ort (Platzhalter)" if language == "de" else "City (placeholder)"}
    from_example = tmp_path / "from.yaml"
    config = write_starter(from_example, name="N", key="N", source_path=EXAMPLE, today=TODAY)
    assert all(o.city and "Bremen" not in o.city for o in config.organisations)


def test_the_english_starter_is_english_throughout(tmp_path: Path) -> None:
    target = tmp_path / "en.yaml"
    config = write_starter(target, name="Green Network", key="GN", language="en", today=TODAY)
    text = target.read_text(encoding="utf-8").lower()
    for german in ("mitglied", "kontakt", "netzwerk", "platzhalter", "arbeitskreis", "ä", "ö"):
        assert german not in text
    [group] = config.working_groups
    assert (group.key, group.name) == ("EPX", "Environmental Perspectives Working Group")
    assert group.members == ["member-a", "member-b", "member-c", "member-d"]
    assert group.lead == "contact@member-a.example"
    assert [a.account for a in config.network.admins] == ["network-office"]
    from_german = tmp_path / "from.yaml"
    config = write_starter(
        from_german, name="N", key="N", language="en", source_path=EXAMPLE, today=TODAY
    )
    assert config.working_groups[0].members[0] == "member-a"
    assert "mitglied" not in from_german.read_text(encoding="utf-8")


def test_the_first_scheduled_meeting_is_not_the_kick_off_hosts_turn_again(tmp_path: Path) -> None:
    # Kick-offs six weeks ahead land in schedule months and in other months alike.
    for today in (TODAY, dt.date(2026, 2, 1), dt.date(2026, 7, 20), dt.date(2026, 11, 30)):
        config = write_starter(tmp_path / "n.yaml", name="N", key="N", force=True, today=today)
        [group] = config.working_groups
        kick_off, first = expand_meetings(config, group, today)[:2]
        assert (kick_off.source, first.source) == ("config", "schedule")
        assert [kick_off.host, first.host] == group.members[:2]
