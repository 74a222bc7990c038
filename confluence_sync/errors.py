"""The exceptions confluence-sync raises, and the exit codes the CLI maps them to.

Hierarchy::

    ConfluenceSyncError            anything we raise on purpose; carries a hint for the user
    ├── ConfigError                the YAML file is wrong (exit 3); holds every Problem at once
    └── UnsafePlanError            the plan would remove too much (exit 4)

Wiki (HTTP) errors are added below by the backends issue; the backends are the only place
that turns an HTTP status into one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

EXIT_OK: Final = 0
EXIT_UNEXPECTED: Final = 1
EXIT_USAGE: Final = 2
EXIT_CONFIG: Final = 3
EXIT_UNSAFE: Final = 4
EXIT_PARTIAL: Final = 5


class ConfluenceSyncError(Exception):
    """Base of every error we raise on purpose. ``hint`` says what the user can do."""

    exit_code: int = EXIT_UNEXPECTED

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a config file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {self.message}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class ConfigError(ConfluenceSyncError):
    """The config file has problems; all of them are listed, sorted by position."""

    exit_code = EXIT_CONFIG

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the config",
            hint="fix the lines named above; nothing was sent to the wiki",
        )

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UnsafePlanError(ConfluenceSyncError):
    """The plan removes more than the safety share allows; re-run with --force if intended."""

    exit_code = EXIT_UNSAFE
