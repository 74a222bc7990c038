"""Today is where the network meets: ``network.time_zone`` decides the day a sync, the digest
and the calendar work on when ``--today`` is not given, not the machine's clock or zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from confluence_sync.config import load_config_on
from confluence_sync.config.load import network_day

ROOT = Path(__file__).resolve().parents[3]
# 23:30 UTC on 6 December: already the 7th in Bremen, still the 6th in New York.
LATE = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)


def test_the_day_follows_the_network_s_zone() -> None:
    assert network_day({"network": {}}, LATE) == dt.date(2026, 12, 7)  # default Europe/Berlin
    new_york = {"network": {"time_zone": "America/New_York"}}
    assert network_day(new_york, LATE) == dt.date(2026, 12, 6)


def test_a_zone_validation_will_refuse_falls_back_to_the_default() -> None:
    for data in ({"network": {"time_zone": "Mars/Olympus"}}, {"network": 3}, None, []):
        assert network_day(data, LATE) == dt.date(2026, 12, 7)


def test_a_loaded_config_gets_its_zone_s_today_unless_a_day_is_given(tmp_path: Path) -> None:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    days = {}
    # UTC+14 and UTC-11: 25 hours apart, so always on different days, whatever the hour.
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        path = tmp_path / f"{zone.split('/')[1]}.yaml"
        path.write_text(text.replace("network:\n", f"network:\n  time_zone: {zone}\n", 1))
        before = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        config, days[zone] = load_config_on(path, None)
        after = dt.datetime.now(zoneinfo.ZoneInfo(zone)).date()
        assert config.network.time_zone == zone and days[zone] in (before, after)
        assert load_config_on(path, dt.date(2026, 1, 15))[1] == dt.date(2026, 1, 15)
    assert days["Pacific/Kiritimati"] > days["Pacific/Pago_Pago"]
