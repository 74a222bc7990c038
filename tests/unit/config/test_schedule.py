"""Schedule expansion on fixed days: the date rule, host rotation, overrides, horizon, years."""

from __future__ import annotations

import datetime as dt

from confluence_sync.config import NetworkConfig, PlannedMeeting, expand_meetings, load_config_text
from confluence_sync.config.model import Schedule
from confluence_sync.config.schedule import meeting_day
from confluence_sync.config.titles import meeting_page_title

from .conftest import MINIMAL

D = dt.date


def _config(schedule: str, meetings: str = "", language: str = "de") -> NetworkConfig:
    text = MINIMAL.replace(
        "  name: Partnerschaft Umwelt Unternehmen\n",
        f"  name: Partnerschaft Umwelt Unternehmen\n  language: {language}\n",
    )
    text += "    schedule:\n" + "".join(f"      {line}\n" for line in schedule.splitlines())
    if meetings:
        text += "    meetings:\n" + "".join(f"      {line}\n" for line in meetings.splitlines())
    return load_config_text(text, today=D(2026, 1, 5))


def _expand(config: NetworkConfig, today: dt.date) -> list[PlannedMeeting]:
    return expand_meetings(config, config.working_groups[0], today)


def _brief(meetings: list[PlannedMeeting]) -> list[tuple[str, str, str]]:
    return [(m.date.isoformat(), m.host, m.source) for m in meetings]


def test_date_rule_is_the_nth_weekday_of_the_month() -> None:
    assert meeting_day(Schedule(months=[3]), 2026, 3) == D(2026, 3, 12)  # 2nd Thursday
    assert meeting_day(Schedule(months=[2], weekday="tue", week=-1), 2026, 2) == D(2026, 2, 24)
    assert meeting_day(Schedule(months=[6], weekday="mon", week=1), 2026, 6) == D(2026, 6, 1)
    assert meeting_day(Schedule(months=[12], weekday="wed", week=-1), 2026, 12) == D(2026, 12, 30)
    assert meeting_day(Schedule(months=[5], weekday="fri", week=4), 2026, 5) == D(2026, 5, 22)


def test_hosts_rotate_through_members_in_list_order() -> None:
    config = _config("months: [3, 9]\nhorizon: 4\nstart: 2026-03-01")
    assert _brief(_expand(config, D(2026, 1, 5))) == [
        ("2026-03-12", "hansa-flex", "schedule"),
        ("2026-09-10", "deutsche-see", "schedule"),
        ("2027-03-11", "atlas-elektronik", "schedule"),
        ("2027-09-09", "hansa-flex", "schedule"),
    ]


def test_rotation_is_stable_as_time_passes() -> None:
    config = _config("months: [3, 9]\nhorizon: 3")
    early = {m.identity: m.host for m in _expand(config, D(2026, 1, 5))}
    late = {m.identity: m.host for m in _expand(config, D(2026, 6, 1))}
    shared = early.keys() & late.keys()
    assert shared == {"group/UPX/meeting/slot/2026-2", "group/UPX/meeting/slot/2027-1"}
    assert all(early[key] == late[key] for key in shared)
    # Without start the rotation counts from March 2000: 2026-09 is number 26 * 2 + 1 = 53.
    assert (
        early["group/UPX/meeting/slot/2026-2"]
        == ["hansa-flex", "deutsche-see", "atlas-elektronik"][53 % 3]
    )


def test_explicit_meeting_replaces_the_generated_one_of_its_month() -> None:
    config = _config(
        "months: [3, 9]\nhorizon: 2\nstart: 2026-03-01",
        "- date: 2026-03-20\n  host: atlas-elektronik\n  title: Frühjahrstreffen",
    )
    meetings = _expand(config, D(2026, 1, 5))
    assert _brief(meetings) == [
        ("2026-03-20", "atlas-elektronik", "config"),
        ("2026-09-10", "deutsche-see", "schedule"),  # the rotation keeps its place
    ]
    # It takes the slot of its month (the first listed month of 2026), and knows its former
    # identity.
    assert meetings[0].identity == "group/UPX/meeting/slot/2026-1"
    assert meetings[0].formerly == "group/UPX/meeting/2026-03"
    assert meeting_page_title(meetings[0]) == "2026-03-20 Frühjahrstreffen"


def test_horizon_keeps_n_ahead_and_past_explicit_meetings_stay() -> None:
    config = _config(
        "months: [3, 9]\nhorizon: 2\nstart: 2026-03-01",
        "- date: 2025-10-02\n  host: hansa-flex\n  agenda: [Rückblick]",
    )
    meetings = _expand(config, D(2026, 3, 12))  # the day of a meeting still counts as ahead
    assert _brief(meetings) == [
        ("2025-10-02", "hansa-flex", "config"),
        ("2026-03-12", "hansa-flex", "schedule"),
        ("2026-09-10", "deutsche-see", "schedule"),
    ]
    assert meetings[0].agenda == ("Rückblick",)
    assert [m.date for m in _expand(config, D(2026, 3, 13))][1:] == [D(2026, 9, 10), D(2027, 3, 11)]


def test_year_boundary() -> None:
    config = _config("months: [11, 2]\nhorizon: 3\nstart: 2026-11-01")
    meetings = _expand(config, D(2026, 11, 13))  # the day after the November meeting
    assert _brief(meetings) == [
        ("2027-02-11", "deutsche-see", "schedule"),
        ("2027-11-11", "atlas-elektronik", "schedule"),
        ("2028-02-10", "hansa-flex", "schedule"),
    ]
    # Slots count the listed months within their year, in calendar order: February is 1.
    assert [m.identity for m in meetings] == [
        "group/UPX/meeting/slot/2027-1",
        "group/UPX/meeting/slot/2027-2",
        "group/UPX/meeting/slot/2028-1",
    ]
    assert [m.formerly for m in meetings] == [
        "group/UPX/meeting/2027-02",
        "group/UPX/meeting/2027-11",
        "group/UPX/meeting/2028-02",
    ]


def test_without_rotation_the_leads_organisation_hosts() -> None:
    config = _config("months: [3, 9]\nrotate_hosts: false")
    assert {m.host for m in _expand(config, D(2026, 1, 5))} == {"hansa-flex"}


def test_generated_titles_follow_the_language() -> None:
    de = _expand(_config("months: [3]\nhorizon: 1\nstart: 2026-03-01"), D(2026, 1, 5))
    en = _expand(
        _config("months: [3]\nhorizon: 1\nstart: 2026-03-01", language="en"), D(2026, 1, 5)
    )
    assert de[0].title == "Treffen bei HANSA-FLEX AG"
    assert en[0].title == "Meeting at HANSA-FLEX AG"
    assert de[0].place == "Bremen"  # the host's city when no place is given


def test_expansion_is_deterministic() -> None:
    config = _config("months: [1, 4, 7, 10]\nweekday: wed\nweek: -1\nhorizon: 6")
    assert _expand(config, D(2026, 2, 1)) == _expand(config, D(2026, 2, 1))


def test_the_rotation_goes_on_after_a_kick_off_before_the_first_slot() -> None:
    # The kick-off in February (not a schedule month) is hosted by the first member; the
    # schedule starts with it, so March is the next member's turn, not the kick-off host's again.
    config = _config(
        "months: [3, 9]\nhorizon: 3\nstart: 2026-02-10",
        "- date: 2026-02-10\n  host: hansa-flex\n  title: Auftakt",
    )
    assert _brief(_expand(config, D(2026, 1, 5))) == [
        ("2026-02-10", "hansa-flex", "config"),
        ("2026-03-12", "deutsche-see", "schedule"),
        ("2026-09-10", "atlas-elektronik", "schedule"),
        ("2027-03-11", "hansa-flex", "schedule"),
    ]


def test_the_rotation_follows_the_last_kick_off_host_and_stays_as_time_passes() -> None:
    config = _config(
        "months: [9]\nhorizon: 2\nstart: 2026-01-15",
        "- date: 2026-01-15\n  host: hansa-flex\n- date: 2026-04-16\n  host: deutsche-see",
    )
    early = [(m.date.isoformat(), m.host) for m in _expand(config, D(2026, 1, 5))[2:]]
    assert early == [("2026-09-10", "atlas-elektronik"), ("2027-09-09", "hansa-flex")]
    late = [(m.date.isoformat(), m.host) for m in _expand(config, D(2027, 1, 5))[2:]]
    assert late[0] == ("2027-09-09", "hansa-flex")


def test_meetings_before_start_or_in_the_first_slot_do_not_move_the_rotation() -> None:
    # Before start: history; in slot 0's month: it takes that slot (counted as slot 0).
    history = _config(
        "months: [3, 9]\nhorizon: 2\nstart: 2026-03-01",
        "- date: 2026-02-05\n  host: atlas-elektronik",
    )
    assert [m.host for m in _expand(history, D(2026, 1, 5))][1:] == ["hansa-flex", "deutsche-see"]
    in_slot = _config(
        "months: [3, 9]\nhorizon: 2\nstart: 2026-03-01",
        "- date: 2026-03-02\n  host: atlas-elektronik",
    )
    assert [m.host for m in _expand(in_slot, D(2026, 1, 5))] == ["atlas-elektronik", "deutsche-see"]
