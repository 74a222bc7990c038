"""The embedded local wiki runs in the flavour asked for: ``--flavour cloud`` (or
``CONFLUENCE_FLAVOUR=cloud``) with no URL syncs the example network to a local Cloud site —
page templates through Cloud's template API, no manual row — and Data Center stays the default.
Each flavour keeps its own database in the data folder."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from typer.testing import CliRunner
from werkzeug.test import Client

from confluence_sync.cli import app
from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.viewer.app import make_viewer
from tests.viewer_login import client_login

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[3]
NO_SITE = {"CONFLUENCE_URL": "", "CONFLUENCE_FLAVOUR": "", "CONFLUENCE_API_TOKEN": ""}
runner = CliRunner()


def _example(tmp_path: Path) -> Path:
    config = tmp_path / "config.example.yaml"
    shutil.copy(ROOT / "config.example.yaml", config)
    return config


def _contents(db: Path) -> str:
    """What a wiki file holds, as SQL: its bytes are no measure, since the store runs in WAL
    mode and a checkpoint moves committed pages into the main file whenever the last
    connection of an earlier run closes."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(
        app, [*args, "--today", TODAY.isoformat()], env={**NO_SITE, **(env or {})}
    )
    return result.exit_code, result.output


def _report(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _templates(report: dict[str, Any]) -> list[str]:
    """The statuses of the report's template items (Cloud's template API)."""
    return [item["status"] for item in report["items"] if item["kind"] == "template"]


def _manual(report: dict[str, Any]) -> list[str]:
    return [item["reason"] for item in report["items"] if item["status"] == "manual"]


def test_sync_with_flavour_cloud_and_no_url_goes_through_cloud(tmp_path: Path) -> None:
    config = _example(tmp_path)
    report = tmp_path / "first.json"
    code, output = _run("sync", str(config), "--flavour", "cloud", "--report", str(report))
    assert code == 0, output
    first = _report(report)
    # Cloud's template API takes the minutes template; Data Center's manual row is gone.
    assert _templates(first) == ["saved", "saved"]
    assert _manual(first) == []
    folder = config.parent / ".confluence-sync"
    db = folder / "localwiki-cloud.sqlite3"
    assert not (folder / "localwiki.sqlite3").exists()
    assert f"confluence-sync serve --db {db} --flavour cloud" in output
    # What a Cloud site holds: space templates, and the config's accounts as account ids.
    store = Store(db)
    try:
        space = store.space_by_key("PUUUPX")
        assert space is not None
        assert [t.name for t in store.templates(space.id)] == ["Vorlage: Protokoll eines Treffens"]
        assert store.user_by_account_id("cherm") is not None
        # The viewer's Create dialog offers it, asking for the template's variables first.
        viewer = client_login(Client(make_viewer(store)))
        dialog = viewer.get("/viewer/spaces/PUUUPX/create").get_data(as_text=True)
        assert "Vorlage: Protokoll eines Treffens" in dialog
        (template,) = store.templates(space.id)
        form = viewer.get(f"/viewer/spaces/PUUUPX/create/{template.id}").get_data(as_text=True)
        assert all(f'name="var-{name}"' in form for name in ("datum", "gastgeber", "ort"))
    finally:
        store.close()
    again = tmp_path / "again.json"
    code, output = _run("sync", str(config), "--flavour", "cloud", "--report", str(again))
    assert code == 0, output
    assert _report(again)["summary"]["writes"] == 0


def test_the_default_stays_data_center(tmp_path: Path) -> None:
    config = _example(tmp_path)
    code, output = _run("plan", str(config), "--format", "json")
    assert code == 0, output
    plan = json.loads(output)
    assert _templates(plan) == []
    manual = _manual(plan)
    assert len(manual) == 2
    assert all(r.startswith("Data Center has no REST API for page templates") for r in manual)
    assert (config.parent / ".confluence-sync" / "localwiki.sqlite3").exists()


def test_plan_with_flavour_cloud_plans_templates_not_a_manual_row(tmp_path: Path) -> None:
    config = _example(tmp_path)
    for args, env in (
        (("--flavour", "cloud"), {}),
        ((), {"CONFLUENCE_FLAVOUR": "cloud"}),
    ):
        code, output = _run("plan", str(config), "--format", "json", *args, env=env)
        assert code == 0, output
        plan = json.loads(output)
        assert _templates(plan) == ["planned", "planned"]
        assert _manual(plan) == []
    assert not (config.parent / ".confluence-sync" / "localwiki.sqlite3").exists()


def test_one_data_dir_holds_a_data_center_and_a_cloud_wiki_side_by_side(
    tmp_path: Path,
) -> None:
    config = _example(tmp_path)
    data = tmp_path / "data"
    code, output = _run("sync", str(config), "--data-dir", str(data))
    assert code == 0, output
    dc_db = data / "localwiki.sqlite3"
    dc_before = _contents(dc_db)
    report = tmp_path / "cloud.json"
    code, output = _run(
        "sync", str(config), "--data-dir", str(data), "--flavour", "cloud", "--report", str(report)
    )
    assert code == 0, output
    cloud = _report(report)  # a Cloud site of its own: everything made anew, templates saved
    assert _templates(cloud) == ["saved", "saved"] and _manual(cloud) == []
    assert cloud["summary"]["created"] > 20
    assert (data / "localwiki-cloud.sqlite3").exists()
    assert _contents(dc_db) == dc_before  # the Data Center wiki was not written to
    report = tmp_path / "dc-again.json"  # and the Data Center one is as the sync left it
    code, output = _run("sync", str(config), "--data-dir", str(data), "--report", str(report))
    assert code == 0, output
    assert _report(report)["summary"]["writes"] == 0
