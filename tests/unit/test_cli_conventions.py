"""The conventions every command shares: ``--version``, ``-h``, shell completion, ``-v``/``-q``,
JSON errors with ``--format json``, the flavours' spellings, and a table that never wraps
outside a terminal nor takes a title for markup."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from confluence_sync import commands as engine
from confluence_sync.apply.lock import LockedError
from confluence_sync.apply.results import ItemResult
from confluence_sync.backends.redaction import install_redaction
from confluence_sync.cli import app
from confluence_sync.cli.render import ResultFormat, show
from confluence_sync.cli.verbosity import Level
from confluence_sync.errors import EXIT_LOCKED, EXIT_USAGE
from confluence_sync.plan.changes import Plan
from confluence_sync.run import RunResult

runner = CliRunner()
COMMANDS = ("validate", "init", "schema", "plan", "sync", "unlock", "serve")
SCRIPT = Path(sys.executable).with_name("confluence-sync")  # the installed console script


def test_version_names_the_tool_python_and_the_http_libraries() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"confluence-sync {metadata.version('confluence-sync')}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"atlassian-python-api {metadata.version('atlassian-python-api')}",
        f"requests {metadata.version('requests')}",
    ]


@pytest.mark.parametrize("command", [(), *((c,) for c in COMMANDS)])
def test_h_is_help_on_every_command(command: tuple[str, ...]) -> None:
    short = runner.invoke(app, [*command, "-h"], env={"COLUMNS": "120"})
    long = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
    assert short.exit_code == 0 == long.exit_code, short.output
    assert short.stdout == long.stdout and "Usage: " in short.stdout


def test_help_documents_completion_and_the_conventions() -> None:
    out = runner.invoke(app, ["--help"], env={"COLUMNS": "200"}).stdout
    assert "--install-completion" in out and "--show-completion" in out
    assert "<bool>" not in out  # flags take no value
    text = " ".join(out.split())
    assert "-v/--verbose prints each HTTP request" in text and "never a token" in text
    assert "CONFLUENCE_SYNC_DEBUG=1" in text


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_CONFLUENCE_SYNC_COMPLETE": "complete_bash"}
    env.update(COMP_WORDS=words, COMP_CWORD=str(cword))
    done = subprocess.run([SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_answers_commands_options_and_choices() -> None:
    assert SCRIPT.exists(), "pip install -e . installs the console script"
    assert _complete("confluence-sync pl", 1) == ["plan"]
    assert "--diff" in _complete("confluence-sync plan n.yaml --di", 3)
    assert _complete("confluence-sync plan n.yaml --format ", 4) == ["table", "json", "markdown"]


def test_show_completion_prints_a_script_for_the_shell() -> None:
    env = {**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [SCRIPT, "--show-completion", "bash"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "_CONFLUENCE_SYNC_COMPLETE=complete_bash" in done.stdout


@pytest.mark.parametrize("command", ["plan", "sync"])
def test_verbose_and_quiet_exclude_each_other(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(tmp_path / "n.yaml"), "-v", "-q"])
    assert result.exit_code == EXIT_USAGE
    assert "exclude each other" in result.output


def test_quiet_validate_prints_the_valid_line_only() -> None:
    example = Path(__file__).resolve().parents[2] / "config.example.yaml"
    result = runner.invoke(app, ["validate", str(example), "-q", "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("valid: Partnerschaft Umwelt Unternehmen (PUU")
    assert result.stdout.count("\n") == 1


@pytest.mark.parametrize("command", ["plan", "sync"])
def test_a_domain_error_is_json_with_its_exit_code(
    command: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise LockedError("another sync holds the lock", hint="wait for it")

    monkeypatch.setattr(engine, "execute", locked)
    args = [command, str(tmp_path / "n.yaml"), "--format", "json"]
    result = runner.invoke(app, args, env={"CONFLUENCE_URL": ""})
    assert result.exit_code == EXIT_LOCKED
    document = json.loads(result.stdout)
    assert document == {
        "status": "error",
        "exit_code": EXIT_LOCKED,
        "error": {
            "type": "LockedError",
            "message": "another sync holds the lock",
            "hint": "wait for it",
            "exit_code": EXIT_LOCKED,
        },
    }
    assert "error: another sync holds the lock" in result.stderr


def test_an_unexpected_error_is_json_too_and_redacted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = "s3cr3t-json-token-4711"
    install_redaction((secret,))

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"Authorization: Bearer {secret} went wrong")

    monkeypatch.setattr(engine, "execute", boom)
    args = ["plan", str(tmp_path / "n.yaml"), "--format", "json"]
    result = runner.invoke(app, args, env={"CONFLUENCE_URL": ""})
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["error"]["type"] == "unexpected" and document["exit_code"] == 1
    assert "RuntimeError" in document["error"]["message"]
    assert secret not in result.stdout and secret not in result.stderr


def test_a_missing_config_file_is_json_for_validate(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "none.yaml"), "--format", "json"])
    assert result.exit_code == 3, result.output
    document = json.loads(result.stdout)
    assert document["valid"] is False and document["status"] == "invalid-config"
    assert document["problems"] and document["problems"][0]["file"].endswith("none.yaml")


@pytest.mark.parametrize("command", ["plan", "sync", "unlock"])
@pytest.mark.parametrize(
    ("spelled", "meant"),
    [("dc", "datacenter"), ("datacenter", "datacenter"), ("DC", "datacenter"), ("cloud", "cloud")],
)
@pytest.mark.parametrize("through", ["option", "environment"])
def test_every_spelling_of_a_flavour_works_as_option_and_environment(
    command: str,
    spelled: str,
    meant: str,
    through: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    seen: list[str | None] = []

    def capture(*args: Any, settings: Any, **kwargs: Any) -> Any:
        seen.append(settings.flavour)
        raise LockedError("stop here", hint="test")

    monkeypatch.setattr(engine, "execute", capture)
    monkeypatch.setattr(engine, "unlock", capture)
    args = [command, str(tmp_path / "n.yaml")]
    env = {"CONFLUENCE_URL": "", "CONFLUENCE_FLAVOUR": ""}
    if through == "option":
        args += ["--flavour", spelled]
    else:
        env["CONFLUENCE_FLAVOUR"] = spelled
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == EXIT_LOCKED, result.output
    assert seen == [meant]


def _result(*items: ItemResult) -> RunResult:
    return RunResult(Plan(()), list(items), requests=3)


LONG_TITLE = (
    "2026-03-12 Frühjahrstreffen bei HANSA-FLEX mit Betriebsrundgang und Erfahrungsaustausch"
)


def test_outside_a_terminal_no_line_wraps(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """rich assumes 80 columns outside a terminal (or COLUMNS): names broke mid-word."""
    monkeypatch.setenv("COLUMNS", "80")
    result = _result(
        ItemResult("PUUUPX", "page group/UPX/meeting/slot/2026-1", "create", "planned", "new"),
        ItemResult(
            "PUUUPX", "page group/UPX/x", "create", "planned", "new in the config", title=LONG_TITLE
        ),
        ItemResult("PUU", "template group/UPX/template/minutes", "manual", "manual", "x " * 90),
    )
    show(result, ResultFormat.table, title="plan for n.yaml", shown=Level.normal, diff=False)
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert any("page group/UPX/meeting/slot/2026-1" in line for line in lines), out
    row = next(line for line in lines if LONG_TITLE in line)
    assert "new in the config" in row  # the whole row on one line
    assert any(("x " * 90).strip() in line for line in lines)
    assert max(len(line) for line in lines) > 200
    assert not any(line != line.rstrip() for line in lines if "│" in line)  # no padding


def test_a_title_is_text_not_markup_and_control_characters_are_escaped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    title = "[bold]Treffen[/bold] [draft] \x1b]0;owned\x07 Rundgang"
    result = _result(ItemResult("PUUUPX", "page group/UPX/y", "create", "planned", "", title=title))
    show(result, ResultFormat.table, title="plan", shown=Level.normal, diff=False)
    out = capsys.readouterr().out
    assert "page '[bold]Treffen[/bold] [draft] \\x1b]0;owned\\x07 Rundgang'" in out
    assert "\x1b" not in out and "\x07" not in out


def test_quiet_shows_the_summary_line_only(capsys: pytest.CaptureFixture[str]) -> None:
    result = _result(ItemResult("PUU", "page hub/home", "create", "planned", "", title="Start"))
    show(result, ResultFormat.table, title="plan", shown=Level.quiet, diff=False)
    assert capsys.readouterr().out == "1 planned; 3 requests, 0 writes\n"


@pytest.mark.parametrize(
    ("spelled", "meant"), [("dc", "dc"), ("datacenter", "dc"), ("Cloud", "cloud")]
)
@pytest.mark.parametrize("through", ["option", "environment"])
def test_serve_takes_every_spelling_and_the_environment_too(
    spelled: str, meant: str, through: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from confluence_sync.localwiki import server

    started: list[str] = []

    class Started(Exception):
        pass

    def local_wiki(**kwargs: Any) -> Any:
        started.append(kwargs["flavour"])
        raise Started

    monkeypatch.setattr(server, "LocalWiki", local_wiki)
    args = ["serve", "--flavour", spelled] if through == "option" else ["serve"]
    env = {"CONFLUENCE_FLAVOUR": spelled if through == "environment" else ""}
    result = runner.invoke(app, args, env=env)
    assert isinstance(result.exception, Started), result.output
    assert started == [meant]
