"""Confluence's title rule, as ``validate`` applies it: lower-casing as Java does (``ß`` stays
``ß``), no Unicode normalisation, length in UTF-16 units."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.config.titles import title_key, title_length

from .conftest import NETWORK_HEAD

CONFIG = (
    NETWORK_HEAD
    + """\
working_groups:
  - key: UPX
    name: "2026-03-12 {home}"
    lead: christian.herm@hansa-flex.example
    members: [hansa-flex, deutsche-see]
    meetings:
      - date: 2026-03-12
        host: hansa-flex
        title: "{meeting}"
"""
)


def validate(tmp_path: Path, home: str, meeting: str) -> int:
    path = tmp_path / "network.yaml"
    path.write_text(CONFIG.format(home=home, meeting=meeting), encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path), "--today", "2026-01-05"])
    return result.exit_code


@pytest.mark.parametrize(
    ("home", "meeting", "clash"),
    [
        ("Straße", "STRASSE", False),  # casefold would say "strasse" twice; Confluence does not
        ("Straße", "STRAßE", True),
        ("Café", "Cafe\u0301", False),  # NFC and NFD: two titles to Confluence
        ("Übersicht", "übersicht", True),
    ],
)
def test_titles_clash_as_on_confluence(
    tmp_path: Path, home: str, meeting: str, clash: bool
) -> None:
    assert validate(tmp_path, home, meeting) == (3 if clash else 0)


def test_the_rule_itself() -> None:
    assert title_key("Straße") != title_key("STRASSE")
    assert title_key("STRAßE") == title_key("straße")
    assert title_length("🌱") == 2 and title_length("ä") == 1
