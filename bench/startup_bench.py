"""Start-up time of the CLI (TARGETS.md: `--help` and `validate config.example.yaml` ≤ 0.5 s each).

Runs each command several times as a fresh process, the way a user or cron starts it, and prints
the median and the worst run. Prints figures only; it asserts nothing.

    python bench/startup_bench.py [--runs 9]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 0.5


def command_prefix() -> list[str]:
    script = shutil.which("confluence-sync")
    return [script] if script else [sys.executable, "-m", "confluence_sync"]


def time_runs(argv: list[str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=REPO, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    prefix = command_prefix()
    cases = {
        "--help": [*prefix, "--help"],
        "validate config.example.yaml": [*prefix, "validate", "config.example.yaml"],
    }
    print(f"start-up, {args.runs} runs each, target <= {TARGET_SECONDS:.2f} s")
    for name, argv in cases.items():
        timings = time_runs(argv, args.runs)
        median, worst = statistics.median(timings), max(timings)
        verdict = "meets" if median <= TARGET_SECONDS else "MISSES"
        print(f"  {name:32s} median {median:.3f} s  worst {worst:.3f} s  ({verdict} target)")


if __name__ == "__main__":
    main()
