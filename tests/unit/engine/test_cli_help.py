"""The CLI teaches: help names the environment, the exit codes, examples and the local wiki;
a wrong ``--flavour`` is blamed on the flag; a held lock has its own exit code."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from confluence_sync import commands as engine
from confluence_sync.apply.lock import LockedError
from confluence_sync.cli import app
from confluence_sync.errors import EXIT_LOCKED, EXIT_USAGE
from confluence_sync.run import RunOptions

runner = CliRunner()
WIDE = {"COLUMNS": "200"}
ENV = (
    "CONFLUENCE_URL",
    "CONFLUENCE_FLAVOUR",
    "CONFLUENCE_USERNAME",
    "CONFLUENCE_API_TOKEN",
    "CONFLUENCE_TOKEN",
)


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # rich wraps lines: compare words only


@pytest.mark.parametrize("command", ["sync", "plan", "unlock"])
def test_help_names_the_environment_and_the_local_wiki(command: str) -> None:
    text = _help(command)
    for name in ENV:
        assert name in text, name
    assert "embedded local wiki" in text
    assert f"confluence-sync {command} network.yaml" in text  # an example


@pytest.mark.parametrize("command", ["sync", "plan"])
def test_help_lists_every_exit_code(command: str) -> None:
    text = _help(command)
    for code in (
        "0 done",
        "2 usage error",
        "3 invalid config",
        "4 unsafe plan refused",
        "5 some items failed",
        "6 another sync is running",
        "1 unexpected error",
    ):
        assert code in text, code


@pytest.mark.parametrize("command", ["sync", "plan"])
def test_help_explains_the_two_force_decisions(command: str) -> None:
    text = _help(command)
    assert "--overwrite-conflicts" in text and "--allow-removals" in text
    assert "Shorthand for --overwrite-conflicts --allow-removals" in text


def test_top_level_help_lists_commands_and_the_two_readme_commands() -> None:
    text = _help()
    for command in ("validate", "init", "schema", "plan", "sync", "unlock", "serve"):
        assert f"│ {command} " in text, command
    assert "confluence-sync plan network.yaml" in text
    assert "confluence-sync sync network.yaml" in text


@pytest.mark.parametrize("command", ["sync", "plan", "unlock"])
def test_a_wrong_flavour_names_the_flag(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(tmp_path / "n.yaml"), "--flavour", "xyz"], env=WIDE)
    assert result.exit_code == EXIT_USAGE
    assert "--flavour" in result.output and "'xyz'" in result.output
    assert "CONFLUENCE_FLAVOUR must" not in result.output


@pytest.mark.parametrize("command", ["sync", "plan", "unlock", "serve"])
def test_every_command_names_the_flavours_alike(command: str, tmp_path: Path) -> None:
    """One spelling everywhere: cloud, datacenter, and dc for datacenter (flavours.py)."""
    args = [command] if command == "serve" else [command, str(tmp_path / "n.yaml")]
    assert "cloud or datacenter (dc)" in " ".join(_help(command).split())
    result = runner.invoke(app, [*args, "--flavour", "server"], env=WIDE)
    assert result.exit_code == EXIT_USAGE
    assert "cloud or datacenter (dc), not 'server'" in " ".join(result.output.split())


def test_the_flavour_names_mean_the_same_everywhere() -> None:
    from confluence_sync.flavours import parse_flavour

    assert [parse_flavour(n) for n in ("cloud", "DataCenter", " dc ")] == [
        "cloud",
        "datacenter",
        "datacenter",
    ]
    assert parse_flavour("server") is None


def test_another_running_sync_exits_6(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise LockedError("another sync holds the lock", hint="wait for it")

    monkeypatch.setattr(engine, "execute", locked)
    result = runner.invoke(app, ["sync", str(tmp_path / "n.yaml")], env={"CONFLUENCE_URL": ""})
    assert EXIT_LOCKED == 6 and LockedError("x").exit_code == EXIT_LOCKED
    assert result.exit_code == EXIT_LOCKED, result.output
    assert "another sync holds the lock" in result.output


@pytest.mark.parametrize("command", ["sync", "plan"])
def test_trust_versions_help_says_what_it_trades(command: str) -> None:
    text = " ".join(_help(command).replace("│", " ").split())  # a wrapped help spans box rows
    assert "--trust-versions" in text
    assert "Skip reading pages whose version is unchanged since our last write" in text
    assert "inline comment added since then outside the managed regions would be detached" in text


@pytest.mark.parametrize("command", ["sync", "plan"])
@pytest.mark.parametrize(("flag", "trusted"), [([], False), (["--trust-versions"], True)])
def test_trust_versions_reaches_the_run_options(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, flag: list[str], trusted: bool
) -> None:
    seen: list[RunOptions] = []

    def capture(file: Path, options: RunOptions, **kwargs: Any) -> Any:
        seen.append(options)
        raise LockedError("stop here", hint="test")

    monkeypatch.setattr(engine, "execute", capture)
    result = runner.invoke(
        app, [command, str(tmp_path / "n.yaml"), *flag], env={"CONFLUENCE_URL": ""}
    )
    assert result.exit_code == EXIT_LOCKED, result.output
    assert [o.trust_versions for o in seen] == [trusted]


@pytest.mark.parametrize("command", ["sync", "plan"])
def test_every_run_flag_reaches_the_engine(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    """plan and sync hand their shared options on by name: each one arrives where it belongs."""
    seen: dict[str, Any] = {}

    def capture(file: Path, options: RunOptions, **kwargs: Any) -> Any:
        seen.update(kwargs, file=file, options=options)
        raise LockedError("stop here", hint="test")

    monkeypatch.setattr(engine, "execute", capture)
    flags = ["--today", "2026-03-01", "--url", "https://wiki.example.org", "--flavour", "cloud"]
    flags += ["--username", "office@example.org", "--data-dir", str(tmp_path / "wiki")]
    flags += ["--adopt", "--force", "--workers", "0", "--revoke-extra-grants"]
    env = {"CONFLUENCE_URL": "", "CONFLUENCE_API_TOKEN": "t"}
    result = runner.invoke(app, [command, str(tmp_path / "n.yaml"), *flags], env=env)
    assert result.exit_code == EXIT_LOCKED, result.output
    options = seen["options"]
    assert options.today == date(2026, 3, 1)
    assert options.adopt
    assert options.overwrite_conflicts and options.allow_removals  # --force is both
    assert options.workers == 1  # at least one
    assert options.revoke_extra_grants and not options.trust_versions
    assert seen["data_dir"] == tmp_path / "wiki"
    assert seen["dry_run"] is (command == "plan")
    settings = seen["settings"]
    assert (settings.url, settings.flavour, settings.username) == (
        "https://wiki.example.org",
        "cloud",
        "office@example.org",
    )
