"""``init``: starter configs validate, ``--from`` keeps groups only, ``--force`` guards files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.config import load_config
from confluence_sync.config.bootstrap import TargetExistsError, write_starter
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
        write_starter(target, name="N", key="puu", today=TODAY)
    assert [p.path for p in caught.value.problems] == ["network.key"]
    assert not target.exists()


def test_an_invalid_source_is_reported(tmp_path: Path) -> None:
    source = tmp_path / "old.yaml"
    source.write_text("network: []\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        write_starter(tmp_path / "new.yaml", name="N", key="N", source_path=source, today=TODAY)
