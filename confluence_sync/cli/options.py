"""Options several commands share, declared once with their help texts, and ``RunFlags``, the
value ``plan`` and ``sync`` hand on to the engine.

Imports typer and ``confluence_sync.flavours`` only: this module is loaded for every ``--help``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from confluence_sync.flavours import SPELLED, parse_flavour

_TODAY_HELP = "Day to expand schedules from, YYYY-MM-DD (default: today in network.time_zone)."
_URL_HELP = "Confluence base URL (env CONFLUENCE_URL); none: the embedded local wiki."
_FLAVOUR_HELP = f"{SPELLED} (env CONFLUENCE_FLAVOUR; guessed from the URL)."
_USERNAME_HELP = "Env CONFLUENCE_USERNAME (Cloud: the account's e-mail)."
_DATA_DIR_HELP = "Folder of the embedded local wiki (default: .confluence-sync next to FILE)."
_OVERWRITE_HELP = (
    "Overwrite member edits inside managed regions; the report names each region overwritten."
)
_REMOVALS_HELP = "Allow a plan that archives/revokes/removes more than 25% of what we manage."
_FORCE_HELP = "Shorthand for --overwrite-conflicts --allow-removals."
# 8: a 2,000-page first sync reaches 5-6 requests in flight with 50 ms latency (4: about 3.3);
# still half the HTTP pool (16), and a 429 makes every worker wait at the shared gate.
_WORKERS_HELP = "Spaces worked on in parallel (one shared rate limit)."
DEFAULT_WORKERS = 8
# Opt-in: Confluence adds no page version for an inline comment but puts its marker in the body.
_TRUST_VERSIONS_HELP = (
    "Skip reading pages whose version is unchanged since our last write; faster, but an "
    "inline comment added since then outside the managed regions would be detached."
)
_REVOKE_EXTRA_HELP = (
    "Also revoke, on spaces that existed before the sync, grants it did not make and the "
    "config does not name (site defaults, hand-made grants); without it they are reported "
    "and kept. On spaces the sync created they are always revoked."
)
_MAX_WAIT_HELP = (
    "Seconds to wait for a rate limit the site names (Retry-After; default 300); a longer "
    "one stops the run: what is left is reported as not done (exit 5), the next sync does it."
)
_SKIP_MISSING_HELP = (
    "Go on when accounts the config names are not on the site: their grants and memberships "
    "are skipped and reported (without it the run stops before any write, exit 9)."
)


def _flavour_option(value: str | None) -> str | None:
    """Reject a wrong ``--flavour`` as a usage error naming the flag (exit 2), before the
    settings would blame the environment variable."""
    if value is not None and parse_flavour(value) is None:
        raise typer.BadParameter(f"must be {SPELLED}, not {value!r}")
    return value


# A flag's metavar "": it takes no value, and typer would otherwise print "<bool>" after it.
ConfigFile = Annotated[Path, typer.Argument(help="The network's YAML config file.", metavar="FILE")]
Today = Annotated[
    datetime | None,
    typer.Option("--today", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD", help=_TODAY_HELP),
]
Url = Annotated[str | None, typer.Option("--url", help=_URL_HELP)]
Flavour = Annotated[
    str | None, typer.Option("--flavour", help=_FLAVOUR_HELP, callback=_flavour_option)
]
Username = Annotated[str | None, typer.Option("--username", help=_USERNAME_HELP)]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help=_DATA_DIR_HELP)]
OverwriteConflicts = Annotated[
    bool, typer.Option("--overwrite-conflicts", metavar="", help=_OVERWRITE_HELP)
]
AllowRemovals = Annotated[bool, typer.Option("--allow-removals", metavar="", help=_REMOVALS_HELP)]
Force = Annotated[bool, typer.Option("--force", metavar="", help=_FORCE_HELP)]
Workers = Annotated[int, typer.Option("--workers", help=_WORKERS_HELP)]
MaxWait = Annotated[float | None, typer.Option("--max-wait", min=0, help=_MAX_WAIT_HELP)]
TrustVersions = Annotated[
    bool, typer.Option("--trust-versions", metavar="", help=_TRUST_VERSIONS_HELP)
]
RevokeExtraGrants = Annotated[
    bool, typer.Option("--revoke-extra-grants", metavar="", help=_REVOKE_EXTRA_HELP)
]
SkipMissingAccounts = Annotated[
    bool, typer.Option("--skip-missing-accounts", metavar="", help=_SKIP_MISSING_HELP)
]


@dataclass(frozen=True)
class RunFlags:
    """The options ``plan`` and ``sync`` share, as given on the command line."""

    today: datetime | None
    url: str | None
    flavour: str | None
    username: str | None
    data_dir: Path | None
    overwrite_conflicts: bool
    allow_removals: bool
    force: bool
    adopt: bool
    workers: int
    max_wait: float | None
    trust_versions: bool
    revoke_extra_grants: bool
    skip_missing_accounts: bool

    @classmethod
    def of(cls, arguments: Mapping[str, Any]) -> RunFlags:
        """Take the shared options out of a command's arguments by name (the command passes
        its ``locals()``; other names are ignored). plan and sync each declare them, in their
        own order for ``--help``; by name, twelve values of four types cannot be handed on in
        a wrong order, and a command that lacks one fails on its first run, in the tests."""
        return cls(**{field.name: arguments[field.name] for field in fields(cls)})


class FlagHelp(typer.core.TyperCommand):
    """``--help`` takes no value: without this typer prints "<bool>" after it."""

    # Any: typer vendors its own click, whose classes are not public API.
    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option


class FlagHelpGroup(typer.core.TyperGroup):
    """The top level's flags (``--help``, typer's ``--install-completion`` and
    ``--show-completion``) take no value: without this typer prints "<bool>" after them."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params
