"""The example network (``config.example.yaml``) on the Data Center releases the sync meets:
per release, the requests and writes of a first sync and of a no-op re-sync, and the manual
steps the plan lists (below 9.1 the space permissions, below 8.2 the groups too).

The wiki runs as ``confluence-sync serve --dc-version …`` and every sync as its own
``confluence-sync sync`` process, as in ``sync_bench.py``, whose helpers this reuses. Requests
are what reached the server (its journal). Prints figures only; it asserts nothing.

    python bench/dc_versions_bench.py [--dc-version 9.0.3 ...] [--workers 8]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_bench import create_accounts, example_accounts, example_config, run_sync, serve

PROFILES = ("8.5.9", "9.0.3", "9.1.0", "10.0.3")


def measure(version: str, workers: int, folder: Path) -> str:
    db = folder / f"wiki-{version}.sqlite"
    accounts = create_accounts(db, example_accounts(), "dc")
    config = example_config(accounts, folder)
    with serve(db, "dc", dc_version=version) as wiki:
        first = run_sync(wiki, config, workers, f"first-{version}")
        noop = run_sync(wiki, config, workers, f"noop-{version}")
    manual = sum(1 for item in first.report.get("items", []) if item["status"] == "manual")
    failed = sum(1 for item in first.report.get("items", []) if item["status"] == "failed")
    return (
        f"DC {version:>7}: first sync {first.reached:>4} requests, {first.reached_writes:>4} "
        f"writes (exit {first.exit_code}, {manual} manual steps, {failed} failed); "
        f"no-op {noop.reached:>2} requests, {noop.reached_writes} writes (exit {noop.exit_code})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dc-version", action="append", help=f"release to play; repeat (default {PROFILES})"
    )
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for version in args.dc_version or PROFILES:
            print(measure(version, args.workers, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
