"""``confluence-sync digest``'s edge: bad dates are usage errors (exit 2) named by their flag,
before anything is read; ``--help`` says what the digest shows and what it costs."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from confluence_sync.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "config.example.yaml")
NOBODY = {"CONFLUENCE_URL": "http://127.0.0.1:9/", "CONFLUENCE_TOKEN": "t", "COLUMNS": "200"}


def test_a_date_that_is_no_date_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["digest", EXAMPLE, "--since", "2026-13-01"])
    assert result.exit_code == 2
    assert "--since" in result.output and "2026-13-01" in result.output


def test_since_after_until_is_a_usage_error_before_any_request(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["digest", EXAMPLE, "--since", "2026-07-01", "--until", "2026-06-30"],
        env={"CONFLUENCE_URL": "http://127.0.0.1:9/", "CONFLUENCE_TOKEN": "t"},
    )
    assert result.exit_code == 2
    assert "--since 2026-07-01 is after --until 2026-06-30" in result.output


def test_help_teaches_what_the_digest_shows() -> None:
    result = CliRunner().invoke(app, ["digest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # rich wraps lines: compare words only
    for words in ("--since", "--until", "--format", "markdown", "--output", "reads only"):
        assert words in text, words
    assert "confluence-sync digest network.yaml --since 2026-01-01" in text


def test_publish_with_until_is_a_usage_error_before_any_request() -> None:
    result = CliRunner().invoke(
        app,
        ["digest", EXAMPLE, "--publish", "--until", "2026-06-30"],
        env={"CONFLUENCE_URL": "http://127.0.0.1:9/", "CONFLUENCE_TOKEN": "t", "COLUMNS": "200"},
    )
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "--until" in text and "sync's day" in text


def test_help_teaches_publish() -> None:
    result = CliRunner().invoke(app, ["digest", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.output.split())
    assert "--publish" in text and "every sync refreshes the page" in text


def test_overwrite_conflicts_without_publish_is_a_usage_error_before_any_request() -> None:
    result = CliRunner().invoke(app, ["digest", EXAMPLE, "--overwrite-conflicts"], env=NOBODY)
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "--overwrite-conflicts" in text and "give --publish" in text
