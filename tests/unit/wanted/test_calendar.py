"""The meetings calendar's pure core: events from the config, the records that carry SEQUENCE and
DTSTAMP between runs, cancellation, and the iCalendar file the library writes and reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from typer.testing import CliRunner

from confluence_sync.cli.entry import app
from confluence_sync.config import load_config
from confluence_sync.config.model import NetworkConfig
from confluence_sync.errors import ConfigError
from confluence_sync.plan.calendar import calendar_files
from confluence_sync.state.ledger import SpaceIndex
from confluence_sync.state.ledger_store import StoredIndex, layout, parse
from confluence_sync.wanted.build import build_wanted
from confluence_sync.wanted.calendar import EventRecord, build_calendar, remember
from confluence_sync.wanted.ics import write_ics
from confluence_sync.wiki.values import Property

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "config.example.yaml"
TODAY = dt.date(2026, 1, 15)
SPRING = "group/UPX/meeting/slot/2026-1"  # the example's 2026-03-12 14:00–17:30 meeting


def example(tmp_path: Path, change: Any = None) -> NetworkConfig:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    if change is not None:
        change(data)
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_config(path)


def ics(config: NetworkConfig, records: dict[str, EventRecord], today: dt.date = TODAY) -> Any:
    calendar = build_calendar(config, today)
    after = remember(calendar.events, records, today=today, site="", time_zone=calendar.time_zone)
    data = write_ics(calendar, calendar.name, calendar.events, after, site="")
    parsed = icalendar.Calendar.from_ical(data)
    assert parsed.to_ical() == data
    return parsed, after, data


def by_uid(parsed: Any) -> dict[str, Any]:
    return {str(e["UID"]).split("@")[0]: e for e in parsed.walk("VEVENT")}


def test_timed_and_all_day_events_with_the_network_time_zone(tmp_path: Path) -> None:
    parsed, _after, data = ics(example(tmp_path), {})
    events = by_uid(parsed)
    spring = events[SPRING]
    assert spring["DTSTART"].dt == dt.datetime(
        2026, 3, 12, 14, 0, tzinfo=spring["DTSTART"].dt.tzinfo
    )
    assert str(spring["DTSTART"].dt.tzinfo) == "Europe/Berlin"
    assert spring["DTEND"].dt.hour == 17 and spring["DTEND"].dt.minute == 30
    assert b"DTSTART;TZID=Europe/Berlin:20260312T140000" in data
    assert [c["TZID"] for c in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert str(spring["LOCATION"]) == "HANSA-FLEX AG, Zentrale, Bremen"
    kickoff = events["group/EUK/meeting/id/kickoff"]
    assert isinstance(kickoff["DTSTART"].dt, dt.date)
    assert not isinstance(kickoff["DTSTART"].dt, dt.datetime)  # all day: VALUE=DATE
    assert kickoff["DTEND"].dt == dt.date(2026, 1, 21)
    assert str(kickoff["LOCATION"]) == "Bremen"  # the host's city: the config names no place
    assert "Online: https://meet.example/euk-kickoff" in str(kickoff["DESCRIPTION"])
    assert spring["DTSTAMP"].dt == dt.datetime(2026, 1, 15, tzinfo=dt.UTC)


def test_another_time_zone_from_the_config_and_an_unknown_one_refused(tmp_path: Path) -> None:
    def vienna(data: dict[str, Any]) -> None:
        data["network"]["time_zone"] = "America/New_York"

    _parsed, _after, data = ics(example(tmp_path, vienna), {})
    assert b"DTSTART;TZID=America/New_York:20260312T140000" in data
    assert b"TZID:America/New_York" in data

    def unknown(data: dict[str, Any]) -> None:
        data["network"]["time_zone"] = "Europe/Atlantis"

    with pytest.raises(ConfigError) as raised:
        example(tmp_path, unknown)
    assert "network.time_zone" in str(raised.value.problems[0])


def test_same_records_same_bytes_on_a_later_day(tmp_path: Path) -> None:
    config = example(tmp_path)
    _parsed, first, data = ics(config, {})
    _again, second, same = ics(config, first, today=TODAY + dt.timedelta(days=3))
    assert second == first and same == data


def test_a_moved_meeting_keeps_its_uid_with_a_higher_sequence(tmp_path: Path) -> None:
    _parsed, first, _data = ics(example(tmp_path), {})

    def move(data: dict[str, Any]) -> None:
        data["working_groups"][0]["meetings"][1]["date"] = dt.date(2026, 3, 19)

    later = TODAY + dt.timedelta(days=7)
    parsed, after, _data = ics(example(tmp_path, move), first, today=later)
    moved = by_uid(parsed)[SPRING]
    assert moved["SEQUENCE"] == 1
    assert moved["DTSTART"].dt.date() == dt.date(2026, 3, 19)
    assert moved["DTSTAMP"].dt == dt.datetime(2026, 1, 22, tzinfo=dt.UTC)
    assert after["group/EUK/meeting/id/kickoff"] == first["group/EUK/meeting/id/kickoff"]


def test_a_dropped_meeting_is_cancelled_until_its_day_then_forgotten(tmp_path: Path) -> None:
    _parsed, first, _data = ics(example(tmp_path), {})

    def drop(data: dict[str, Any]) -> None:
        del data["working_groups"][1]["meetings"][0]  # the kick-off on 2026-01-20

    config = example(tmp_path, drop)
    parsed, after, _data = ics(config, first, today=TODAY + dt.timedelta(days=1))
    cancelled = by_uid(parsed)["group/EUK/meeting/id/kickoff"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    assert str(cancelled["SUMMARY"]) == 'Kick-off "Energie & Klima"'
    _again, kept, _same = ics(config, after, today=dt.date(2026, 1, 20))
    assert kept["group/EUK/meeting/id/kickoff"] == after["group/EUK/meeting/id/kickoff"]
    parsed, gone, _data = ics(config, kept, today=dt.date(2026, 1, 21))
    assert "group/EUK/meeting/id/kickoff" not in gone
    assert "group/EUK/meeting/id/kickoff" not in by_uid(parsed)


def test_a_past_generated_meeting_stays_only_if_it_was_published(tmp_path: Path) -> None:
    config = example(tmp_path)
    _parsed, first, _data = ics(config, {})
    february = "group/EUK/meeting/slot/2026-1"  # 2026-02-24, generated by the schedule
    after_it = dt.date(2026, 3, 1)
    parsed, _after, _data = ics(config, first, today=after_it)
    assert february in by_uid(parsed)
    fresh, _records, _data = ics(config, {}, today=after_it)
    assert february not in by_uid(fresh)  # never published: not made up afterwards


def test_the_records_survive_the_index_and_its_shards() -> None:
    record = EventRecord(3, "2026-01-15", "sha256:" + "ab" * 32, "2026-03-12", "14:00", "", "Ä")
    index = SpaceIndex(
        calendar={
            SPRING: record,
            "x": EventRecord(0, "2026-01-01", "sha256:" + "0" * 64, "2026-02-02", cancelled=True),
        },
        calendar_file=("att42", "sha256:" + "cd" * 32),
    )
    values = layout(index, StoredIndex())
    read = parse(Property(k, v, 1) for k, v in values.items()).index
    assert read.calendar == index.calendar and read.calendar_file == index.calendar_file


def test_the_hub_file_holds_every_group_and_a_group_file_its_own(tmp_path: Path) -> None:
    wanted = build_wanted(example(tmp_path), today=TODAY)
    files = calendar_files(wanted, {})
    hub = icalendar.Calendar.from_ical(files["PUU"][0])
    upx = icalendar.Calendar.from_ical(files["PUUUPX"][0])
    euk = icalendar.Calendar.from_ical(files["PUUEUK"][0])
    uids = {str(e["UID"]) for e in hub.walk("VEVENT")}
    assert uids == {str(e["UID"]) for c in (upx, euk) for e in c.walk("VEVENT")}
    assert str(upx["X-WR-CALNAME"]).startswith("Arbeitskreis Umweltperspektiven")
    assert files["PUU"][1] == {}  # the hub keeps no meeting records: the groups do
    assert set(files["PUUUPX"][1]) == {str(e["UID"]).split("@")[0] for e in upx.walk("VEVENT")}


def test_the_calendar_command_writes_the_file_from_the_config(tmp_path: Path) -> None:
    out = tmp_path / "meetings.ics"
    runner = CliRunner()
    args = ["calendar", str(EXAMPLE), "-o", str(out), "--today", "2026-01-15"]
    result = runner.invoke(app, [*args, "--link-base", "https://wiki.example.org/"])
    assert result.exit_code == 0, result.output
    parsed = icalendar.Calendar.from_ical(out.read_bytes())
    spring = by_uid(parsed)[SPRING]
    assert str(spring["URL"]) == (
        "https://wiki.example.org/display/PUUUPX/2026-03-12+Fr%C3%BChjahrstreffen+bei+HANSA-FLEX"
    )
    assert str(spring["URL"]) in str(spring["DESCRIPTION"])
    group = runner.invoke(app, [*args, "--group", "UPX"])
    assert group.exit_code == 0
    assert all(
        "/UPX/" in str(e["UID"])
        for e in icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    )
    wrong = runner.invoke(app, [*args, "--group", "NOPE"])
    assert wrong.exit_code != 0 and "UPX, EUK" in wrong.output
    assert "Traceback" not in wrong.output
