"""A sync killed mid-run (SIGKILL: no ``finally``, the lock stays) converges on the next run.

The sync runs as its own ``confluence-sync sync`` process against a file-backed local wiki in
this process, with latency so the kill lands mid-run; it is killed once the journal shows
about half the writes of a complete first sync. The next run finds the lock of a process that
no longer runs on this host, takes it over (and says so), and completes the wiki. The final
state equals a run that was never killed: pages, parents, titles, labels, markers, the spaces'
indexes, grants and members; no duplicates; a following run writes nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.state import ledger_store as index_store
from tests.integration.sync.conftest import ACCOUNTS, Site

from .test_sync_chaos import GROUP_SPACES, snapshot

pytestmark = pytest.mark.timeout(300)
LATENCY_MS = 15


def start(site: Site, *extra: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "CONFLUENCE_URL": site.wiki.url,
        "CONFLUENCE_FLAVOUR": "cloud" if site.cloud else "datacenter",
        "CONFLUENCE_USERNAME": site.wiki.admin[0],
        "CONFLUENCE_API_TOKEN": site.wiki.admin[1],
    }
    env.pop("CONFLUENCE_TOKEN", None)
    argv = [sys.executable, "-m", "confluence_sync", "sync", str(site.path)]
    argv += ["--today", "2026-01-15", "--workers", "2", *extra]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def run(site: Site) -> tuple[int, str]:
    process = start(site)
    out, _ = process.communicate(timeout=240)
    return process.returncode, out


def make_site(flavour: str, folder: Path) -> Site:
    folder.mkdir()
    wiki = LocalWiki(
        db_path=folder / "wiki.sqlite3",
        flavour=flavour,  # type: ignore[arg-type]
        v1_removed=flavour == "cloud",
        latency_ms=LATENCY_MS,
    )
    accounts = {}
    for name in ACCOUNTS:
        user = wiki.store.create_user(name, "pw-" + name)
        accounts[name] = user.account_id if flavour == "cloud" else name
    site = Site(wiki.start(), flavour, folder / "network.yaml", accounts)
    site.write_config()
    return site


def indexes(site: Site) -> dict[str, Any]:
    """Each space's index as identity, title of the page it names, labels, regions; and
    no lock left held."""
    reader = site.backend().reader
    result: dict[str, Any] = {}
    for key in GROUP_SPACES:
        stored = index_store.read(reader, key)
        assert stored.head is not None, f"no index on {key}"
        index = stored.index
        titles = {p.id: p.title for p in reader.list_pages(key)}
        result[key] = sorted(
            (
                r.identity,
                titles.get(r.page_id),
                r.archived,
                tuple(sorted(r.labels)),
                tuple(r.regions),
            )
            for r in index.pages.values()
        )
        lock = index.lock or {}
        assert not lock or lock.get("released"), f"lock still held on {key}: {lock}"
    return result


@pytest.mark.parametrize("flavour", ["dc", "cloud"])
def test_a_killed_sync_converges_on_the_next_run(flavour: str, tmp_path: Path) -> None:
    reference = make_site(flavour, tmp_path / "reference")
    killed = make_site(flavour, tmp_path / "killed")
    try:
        code, out = run(reference)
        assert code == 0, out
        total_writes = reference.journal.counts().writes
        expected = snapshot(reference), indexes(reference)

        process = start(killed)
        while killed.journal.counts().writes < total_writes // 2:
            assert process.poll() is None, "the sync ended before it could be killed"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
        assert killed.journal.counts().writes < total_writes  # it really stopped mid-run

        code, out = run(killed)
        assert code == 0, out
        assert "took over the lock" in out and "no longer runs" in out
        assert (snapshot(killed), indexes(killed)) == expected  # titles unique: no duplicates

        killed.journal.clear()
        code, out = run(killed)
        assert code == 0, out
        assert killed.journal.counts().writes == 0, out
    finally:
        for site in (reference, killed):
            for backend in site.backends:
                backend.close()
            site.wiki.stop()
