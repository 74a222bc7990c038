"""``network.templates``: a folder of the network's own page templates, relative to the config."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from confluence_sync.errors import ConfluenceSyncError
from confluence_sync.run import RunOptions, load_wanted

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "config.example.yaml"
TODAY = dt.date(2026, 1, 15)


def config_with_templates(folder: Path, value: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("  language: de\n", f"  language: de\n  templates: {value}\n", 1)
    path = folder / "network.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_templates_folder_relative_to_the_config_overrides_one_page(tmp_path: Path) -> None:
    own = tmp_path / "eigene" / "de"
    own.mkdir(parents=True)
    (own / "minutes_template.j2").write_text(
        "<h2>Unser eigenes Protokoll</h2><p>Wer war da?</p>", encoding="utf-8"
    )
    path = config_with_templates(tmp_path, "eigene")
    desired = load_wanted(path, RunOptions(today=TODAY))
    bodies = [t.template.body for t in desired.templates]
    assert bodies and all("Unser eigenes Protokoll" in b for b in bodies)
    # pages not overridden still use the built-in templates
    builtin = load_wanted(EXAMPLE, RunOptions(today=TODAY))
    assert {p.identity: p.body for p in desired.pages} == {
        p.identity: p.body for p in builtin.pages
    }
    assert all("Unser eigenes Protokoll" not in t.template.body for t in builtin.templates)


def test_missing_templates_folder_is_an_error_before_anything_is_sent(tmp_path: Path) -> None:
    path = config_with_templates(tmp_path, "fehlt")
    with pytest.raises(ConfluenceSyncError, match=r"network\.templates: no folder"):
        load_wanted(path, RunOptions(today=TODAY))
