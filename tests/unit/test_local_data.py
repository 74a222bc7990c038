"""The embedded wiki's data (``--data-dir``, ``serve --db``) that cannot be used is a usage
error (exit 2) naming the file and what to do, never an unexpected error from SQLite."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.embedded import DB_NAME

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "config.example.yaml")
NOT_A_DATABASE = b"\xff\xfe not sqlite at all " * 64


def _words(output: str) -> str:
    return " ".join(output.split())


def test_a_data_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("x", encoding="utf-8")
    for command in (["sync"], ["digest"], ["calendar", "--from-wiki", "-o", str(tmp_path / "c")]):
        result = CliRunner().invoke(app, [*command, EXAMPLE, "--data-dir", str(blocker)])
        assert result.exit_code == 2, result.output
        text = _words(result.output)
        assert f"cannot make the local wiki's data folder {blocker}: it is a file" in text
        assert "unexpected error" not in text


def test_a_database_file_that_is_not_one_is_named_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(NOT_A_DATABASE)
    result = CliRunner().invoke(app, ["sync", EXAMPLE, "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    text = _words(result.output)
    assert f"{tmp_path / DB_NAME} cannot be opened as the local wiki's database" in text
    assert f"move {tmp_path / DB_NAME} away" in text
    assert (tmp_path / DB_NAME).read_bytes() == NOT_A_DATABASE  # left as it was


def test_serve_refuses_a_db_that_is_not_one(tmp_path: Path) -> None:
    db = tmp_path / "wiki.sqlite3"
    db.write_bytes(NOT_A_DATABASE)
    result = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", "0"])
    assert result.exit_code == 2, result.output
    assert f"--db {db} cannot be opened as the local wiki's database" in _words(result.output)
