"""The example network (``config.example.yaml``) on the Cloud profiles the sync meets: per
profile, the requests and writes of a first sync and of a no-op re-sync. Profiles: the
space-role modes (``PRE_ROLES`` and ``ROLES_TRANSITION`` grant with v1 permissions, ``ROLES``
with role assignments, one per space) and the API gateway path (``/ex/confluence/{cloudId}``).

The wiki runs as ``confluence-sync serve --flavour cloud --v1-removed`` with the profile's
option and every sync as its own ``confluence-sync sync`` process, as in ``sync_bench.py``,
whose helpers this reuses (the sibling of ``dc_versions_bench.py``). Requests are what reached
the server (its journal); "role writes" are the role-assignment POSTs, "v1 grants" the v1
permission POSTs. Prints figures only; it asserts nothing.

    python bench/cloud_modes_bench.py [--profile ROLES ...] [--workers 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_bench import SyncRun, create_accounts, example_accounts, example_config, run_sync, serve

CLOUD_ID = "5f3c1d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"
PROFILES = {
    "PRE_ROLES": ["--space-role-mode", "PRE_ROLES"],
    "ROLES_TRANSITION": ["--space-role-mode", "ROLES_TRANSITION"],
    "ROLES": ["--space-role-mode", "ROLES"],
    "gateway": ["--gateway", CLOUD_ID],
}


def _count(run: SyncRun, suffix: str) -> int:
    return sum(
        1 for e in run.entries if e["method"] == "POST" and e["path"].split("?")[0].endswith(suffix)
    )


def measure(profile: str, workers: int, folder: Path) -> str:
    db = folder / f"wiki-{profile}.sqlite"
    accounts = create_accounts(db, example_accounts(), "cloud")
    config = example_config(accounts, folder)
    with serve(db, "cloud", extra=PROFILES[profile]) as wiki:
        if profile == "gateway":  # as a user sets it: the gateway prefix, no /wiki
            wiki = replace(wiki, url=wiki.url.removesuffix("/wiki"))
        first = run_sync(wiki, config, workers, f"first-{profile}")
        noop = run_sync(wiki, config, workers, f"noop-{profile}")
    failed = sum(1 for item in first.report.get("items", []) if item["status"] == "failed")
    return (
        f"Cloud {profile:>16}: first sync {first.reached:>4} requests, {first.reached_writes:>4} "
        f"writes ({_count(first, '/role-assignments')} role writes, "
        f"{_count(first, '/permission')} v1 grants; exit {first.exit_code}, {failed} failed); "
        f"no-op {noop.reached:>2} requests, {noop.reached_writes} writes (exit {noop.exit_code})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--profile", action="append", choices=list(PROFILES), help="repeat (default: all)"
    )
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for profile in args.profile or PROFILES:
            print(measure(profile, args.workers, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
