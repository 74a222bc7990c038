"""The reader's language (cookie, browser, default — Confluence's order) and dates in it."""

from __future__ import annotations

import datetime as dt

import pytest

from confluence_sync.localwiki.viewer.i18n import choose_language, format_date, parse_date


@pytest.mark.parametrize(
    ("cookie", "browser", "default", "chosen"),
    [
        (None, ["de-DE", "en"], "en", "de"),
        (None, ["fr-FR", "en-GB", "de"], "de", "en"),  # the first one the viewer knows
        ("de", ["en"], "en", "de"),  # a chosen language wins over the browser
        ("xx", ["en-US"], "de", "en"),  # an unknown choice is ignored
        (None, [], "de", "de"),  # nothing known: the site's default
        (None, ["*"], "fr", "en"),  # and an unknown default is English
    ],
)
def test_choose_language(cookie: str | None, browser: list[str], default: str, chosen: str) -> None:
    assert choose_language(cookie, browser, default) == chosen


def test_dates_with_weekday() -> None:
    day = dt.date(2026, 3, 5)
    assert format_date(day, "de") == "Do., 5. März 2026"
    assert format_date(day, "en") == "Thu, Mar 5, 2026"
    assert format_date(dt.date(2027, 1, 3), "de-AT") == "So., 3. Januar 2027"


def test_parse_date_takes_a_day_or_a_timestamp_and_refuses_the_rest() -> None:
    assert parse_date("2026-03-12") == dt.date(2026, 3, 12)
    assert parse_date("2026-03-12T10:00:00.000Z") == dt.date(2026, 3, 12)
    assert parse_date("12.03.2026") is None and parse_date("") is None
