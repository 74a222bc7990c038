"""The benchmark scripts still run (their figures are printed, never asserted: see bench/).
A script that breaks against the code it measures would otherwise go unseen until someone
needs its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_sync_bench_measures_the_example_and_the_300_meeting_group() -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "sync_bench.py"),
            "--flavour",
            "dc",
            "--only",
            "example",
            "--only",
            "group300",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "failed" not in run.stdout
    for figure in ("no-op: requests", "index: bytes per page", "index: largest property"):
        assert figure in run.stdout, figure


def test_the_dc_versions_bench_measures_a_release_without_rest_permissions() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "dc_versions_bench.py"), "--dc-version", "9.0.3"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    line = run.stdout.strip().splitlines()[-1]
    assert line.startswith("DC   9.0.3: first sync") and "0 failed" in line, line
    assert "no-op" in line and "0 writes (exit 0)" in line.split("no-op")[1], line


def test_the_viewer_check_passes_in_headless_chromium(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "viewer_check.py"),
            "--screenshot-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 failed check(s)" in run.stdout
    assert sorted(shot.name for shot in tmp_path.glob("*.png")) == [
        "viewer-info.png",
        "viewer-page.png",
        "viewer-space.png",
        "viewer-spaces.png",
    ]


def test_the_digest_bench_counts_the_example_against_its_budget() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "digest_bench.py"), "--flavour", "dc", "--quick"],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    line, published = run.stdout.strip().splitlines()[-2:]
    assert line.startswith("dc") and "digest requests" in line and "(writes 0)" in line, line
    assert "budget 3 × 3" in line, line
    assert "--publish" in published and "no-op sync after it" in published, published
