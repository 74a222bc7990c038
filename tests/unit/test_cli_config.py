"""The config commands through Typer's CliRunner: validate, init, schema."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from confluence_sync.cli import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "config.example.yaml"
runner = CliRunner()


def test_help_lists_the_config_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "init", "schema"):
        assert command in result.stdout


def test_validate_example_prints_its_summary() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE), "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("valid: Partnerschaft Umwelt Unternehmen (PUU, language de)")
    assert "organisations: 7; contacts: 9 (6 with a wiki account, 3 without)" in out
    assert "PUUUPX (Arbeitskreis Umweltperspektiven)" in out
    assert "2025-09-11  past   Auftakt" in out
    # Only the first meeting ahead of each group is "next"; those after it are "later".
    assert "2026-03-12  next   Frühjahrstreffen bei HANSA-FLEX  (host: HANSA-FLEX AG" in out
    assert "2026-09-10  later  Treffen bei ATLAS ELEKTRONIK GmbH" in out
    assert out.count("  next  ") == 2  # one per working group


def test_validate_json_summary() -> None:
    result = runner.invoke(
        app, ["validate", str(EXAMPLE), "--today", "2026-01-05", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["valid"] is True
    summary = document["summary"]
    assert [s["key"] for s in summary["spaces"]] == ["PUU", "PUUUPX", "PUUEUK"]
    upx = summary["working_groups"][0]["meetings"]
    assert [(m["identity"], m["host"], m["source"]) for m in upx] == [
        ("group/UPX/meeting/slot/2025-2", "thyssenkrupp", "config"),
        ("group/UPX/meeting/slot/2026-1", "hansa-flex", "config"),
        ("group/UPX/meeting/slot/2026-2", "atlas-elektronik", "schedule"),
    ]
    flags = [(m["upcoming"], m["next"]) for m in upx]
    assert flags == [(False, False), (True, True), (True, False)]


def test_validate_reports_every_problem_on_stderr_with_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("network:\n  key: puu\n  name: P\n  language: fr\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 3
    assert result.stdout == ""
    assert f"{bad}:2:8: network.key: " in result.stderr
    assert f"{bad}:4:13: network.language: unknown language 'fr'" in result.stderr
    assert "2 problems in the config" in result.stderr


def test_validate_json_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("network:\n  key: PUU\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    assert document["valid"] is False and document["exit_code"] == 3
    assert document["problems"] == [
        {
            "file": str(bad),
            "line": 2,
            "column": 3,
            "field": "network.name",
            "message": "missing required field 'name'",
            "path": "network.name",  # what validate said before "field": kept for scripts
        }
    ]
    assert "network.name: missing required field 'name'" in result.stderr  # people: stderr


def test_validate_rejects_a_malformed_today() -> None:
    result = runner.invoke(app, ["validate", str(EXAMPLE), "--today", "5.1.2026"])
    assert result.exit_code == 2


def test_init_writes_refuses_to_overwrite_and_forces(tmp_path: Path) -> None:
    target = tmp_path / "neu.yaml"
    args = ["init", str(target), "--name", "Umweltallianz Sachsen-Anhalt", "--key", "UASA"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    before = target.read_text(encoding="utf-8")
    again = runner.invoke(app, [*args[:3], "Anders", *args[4:]])
    assert again.exit_code == 2
    assert "exists already" in again.stderr
    assert target.read_text(encoding="utf-8") == before
    forced = runner.invoke(app, [*args[:3], "Anders", *args[4:], "--force"])
    assert forced.exit_code == 0
    assert 'name: "Anders"' in target.read_text(encoding="utf-8")


def test_init_from_an_existing_network(tmp_path: Path) -> None:
    target = tmp_path / "from.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            str(target),
            "--name",
            "Umweltallianz",
            "--key",
            "UA",
            "--from",
            str(EXAMPLE),
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Arbeitskreis Energie & Klima" in result.stdout
    check = runner.invoke(app, ["validate", str(target), "--format", "json"])
    assert check.exit_code == 0
    summary = json.loads(check.stdout)["summary"]
    assert summary["network"]["language"] == "en"
    assert [g["key"] for g in summary["working_groups"]] == ["UPX", "EUK"]


def test_init_upper_cases_a_lower_case_key_with_a_note(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    result = runner.invoke(app, ["init", str(target), "--name", "N", "--key", "uasa"])
    assert result.exit_code == 0, result.output
    assert "network key 'uasa' upper-cased to 'UASA'" in result.stderr
    assert "network UASA" in result.stdout
    assert 'key: "UASA"' in target.read_text(encoding="utf-8")


def test_init_with_a_bad_key_exits_3(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "x.yaml"), "--name", "N", "--key", "n-1"])
    assert result.exit_code == 3
    assert "network.key" in result.stderr


def test_schema_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "working_groups" in schema["properties"]
    target = tmp_path / "network.schema.json"
    written = runner.invoke(app, ["schema", "--output", str(target)])
    assert written.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema
