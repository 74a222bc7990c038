"""Files the commands write (``init``'s config, ``--output``, ``--report``): a path that cannot
be written is a usage error (exit 2) named with the file, found before the first request; a
file is replaced whole or not at all."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from confluence_sync.cli import app
from confluence_sync.files import OutputError, check_writable, replacing, write_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "config.example.yaml")
# A site nobody answers on: a command that sent a request would fail with exit 7, not 2.
NOBODY = {"CONFLUENCE_URL": "http://127.0.0.1:9/", "CONFLUENCE_TOKEN": "t", "COLUMNS": "200"}


def test_a_file_is_written_with_the_folders_it_needs(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deeper" / "digest.md"
    write_file(target, "Bericht\n", "the digest")
    assert target.read_text(encoding="utf-8") == "Bericht\n"
    write_file(target, b"BEGIN:VCALENDAR\r\n", "the calendar")
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["digest.md"]  # no temporary left


def test_an_error_halfway_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text('{"old": true}\n', encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(target, "the report") as sink:
        sink.write('{"new": ')
        raise RuntimeError("cut off")
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    # A config holding account names may be private to its owner; rewriting keeps it so.
    target = tmp_path / "network.yaml"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    write_file(target, "new\n", "the config")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_folder_or_a_path_below_a_file_cannot_be_written(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="it is a folder"):
        check_writable(tmp_path, "the report")
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is not a folder") as caught:
        check_writable(blocker / "sub" / "report.json", "the report")
    assert caught.value.exit_code == 2
    with pytest.raises(OutputError, match=r"cannot write the digest .*digest\.md"):
        write_file(blocker / "digest.md", "x", "the digest")


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["sync", EXAMPLE, "--report", "{bad}"], "the report"),
        (["digest", EXAMPLE, "-o", "{bad}"], "the digest"),
        (["digest", EXAMPLE, "--publish", "-o", "{bad}"], "the digest"),
        (["calendar", EXAMPLE, "--from-wiki", "-o", "{bad}"], "the calendar"),
        (["schema", "-o", "{bad}"], "the schema"),
        (["init", "{bad}", "--name", "N", "--key", "N"], "the config"),
    ],
    ids=["sync-report", "digest", "digest-publish", "calendar", "schema", "init"],
)
def test_an_output_that_cannot_be_written_stops_the_command_before_any_request(
    tmp_path: Path, args: list[str], what: str
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x", encoding="utf-8")
    bad = str(blocker / "out.txt")
    result = CliRunner().invoke(app, [a.replace("{bad}", bad) for a in args], env=NOBODY)
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"cannot write {what} {bad}" in text, text
    assert "unexpected error" not in text and "Traceback" not in text
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    "args",
    [
        ["sync", "{cfg}", "--report", "{cfg}"],
        ["digest", "{cfg}", "-o", "{cfg}"],
        ["calendar", "{cfg}", "-o", "{cfg}"],
    ],
    ids=["sync-report", "digest", "calendar"],
)
def test_an_output_that_is_the_config_is_refused_before_any_request(
    tmp_path: Path, args: list[str]
) -> None:
    config = tmp_path / "network.yaml"
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    link = tmp_path / "same.yaml"
    link.symlink_to(config)  # the same file by another name
    for name in (str(config), str(link)):
        given = [a.replace("{cfg}", str(config)) for a in args]
        given[-1] = name
        result = CliRunner().invoke(app, given, env=NOBODY)
        assert result.exit_code == 2, result.output
        assert "is the config file" in " ".join(result.output.split())
    assert config.read_text(encoding="utf-8") == text


def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "last.json"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    write_file(link, "new\n", "the report")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new\n"


def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"BEGIN:VCALENDAR\r\n", "the calendar")
    reader.join(timeout=10)
    assert got == [b"BEGIN:VCALENDAR\r\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe, no regular file in its place
