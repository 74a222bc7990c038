"""A check's result (one line: ✓/✗, what was found, what to do) and the report of a
``doctor`` run: the checks in order and the exit code of the first that failed.

Imports: ``errors`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from confluence_sync.errors import EXIT_OK


@dataclass(frozen=True)
class Check:
    """One check: ``found`` says what the site answered, ``todo`` what to do about a failure.
    ``exit_code`` is what a failure exits with; ``cause`` names it as data (``SiteError``'s
    causes: ``dns``, ``refused``, ``tls``, ``wrong-path`` …). ``warnings``: what a passing
    check still tells the admin (a sync can succeed, but asks for work by hand)."""

    name: str
    ok: bool
    found: str
    todo: str = ""
    exit_code: int = EXIT_OK
    cause: str = ""
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "found": self.found,
            "todo": self.todo,
            "warnings": list(self.warnings),
        }


def passed(name: str, found: str, warnings: tuple[str, ...] = ()) -> Check:
    return Check(name, True, found, warnings=warnings)


def failed(name: str, found: str, todo: str, exit_code: int, cause: str = "") -> Check:
    return Check(name, False, found, todo, exit_code, cause)


@dataclass
class Report:
    """What ``doctor`` found: ``target`` names the site (or the embedded wiki)."""

    target: str
    checks: list[Check] = field(default_factory=list)
    requests: int = 0

    @property
    def exit_code(self) -> int:
        """0 only when every check passed; else the exit code of the first that failed."""
        return next((c.exit_code for c in self.checks if not c.ok), EXIT_OK)

    @property
    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if not c.ok), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "checks": [c.to_json() for c in self.checks],
            "exit_code": self.exit_code,
            "requests": self.requests,
        }
