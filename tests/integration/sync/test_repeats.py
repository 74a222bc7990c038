"""No read is sent twice: a first sync, a no-op and a moved meeting each ask the server for
every resource at most once (the journal counts what reached it)."""

from __future__ import annotations

from collections import Counter

from .conftest import Site


def repeated_reads(site: Site) -> dict[str, int]:
    reads = Counter(
        f"{e['method']} {e['path']}?{e['query']}"
        for e in site.journal.entries()
        if e["method"] in ("GET", "HEAD")
    )
    return {shape: n for shape, n in reads.items() if n > 1}


def test_first_sync_noop_and_move_read_nothing_twice(site: Site) -> None:
    site.write_config()
    site.journal.clear()
    first = site.sync()
    assert first.exit_code() == 0
    assert repeated_reads(site) == {}  # spaces from the create's answer, groups cached

    site.journal.clear()
    site.sync()
    assert repeated_reads(site) == {}

    site.write_config(["2026-03-19", "2026-09-10"])
    site.journal.clear()
    site.sync()
    assert repeated_reads(site) == {}
