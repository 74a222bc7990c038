"""The console entry point: unexpected errors print one line and never a secret."""

from __future__ import annotations

import sys

import pytest

from confluence_sync import cli
from confluence_sync.backends.redaction import install_redaction
from confluence_sync.cli import entry

SECRET = "s3cr3t-token-value-1234"


def _boom() -> None:
    raise RuntimeError(f"Authorization: Bearer {SECRET} went wrong")


def test_unexpected_error_is_one_redacted_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_redaction((SECRET,))
    monkeypatch.setattr(entry, "app", _boom)
    monkeypatch.delenv("CONFLUENCE_SYNC_DEBUG", raising=False)
    with pytest.raises(SystemExit) as leaving:
        cli.main()
    assert leaving.value.code == 1
    err = capsys.readouterr().err
    assert "unexpected error: RuntimeError" in err
    assert SECRET not in err
    assert "Traceback" not in err


def test_debug_shows_a_redacted_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    install_redaction((SECRET,))
    monkeypatch.setattr(entry, "app", _boom)
    monkeypatch.setenv("CONFLUENCE_SYNC_DEBUG", "1")
    with pytest.raises(SystemExit):
        cli.main()
    err = capsys.readouterr().err
    assert "Traceback" in err and "_boom" in err
    assert SECRET not in err


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(entry, "app", interrupted)
    with pytest.raises(SystemExit) as leaving:
        cli.main()
    assert leaving.value.code == 130
    assert "confluence_sync.backends.transport" in sys.modules
