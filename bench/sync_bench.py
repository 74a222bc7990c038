"""Sync benchmarks of TARGETS.md, measured against the local Confluence, each next to its target.

Per flavour (Data Center and Cloud) and network (``config.example.yaml``, the 200-page and the
2,000-page network of ``bench/large_network.py``, and its one group with 300 meetings):

* first sync: requests, writes, pages created, requests per page created (≤ 1.2 DC, ≤ 2.5 Cloud);
* no-op re-sync: writes (0) and requests vs the allowance (2 per space + 1 per 250 managed
  pages, rounded up);
* index: bytes per page (vs the single-property form of earlier versions), properties and the
  largest one vs Confluence's 32 KB;
* one meeting moved to another date in the YAML: pages written, requests ≤ no-op + 3 per page
  (+ 2 per meetings calendar file re-uploaded: the upload, and its records' index shard);
* memory: peak RSS of the sync process, 200 vs 2,000 pages (≤ 1.3×);
* throughput: 50 ms added to every request, first sync of 2,000 pages:
  ``requests × 50 ms ÷ wall ≥ 5``.

The targets are TARGETS.md's as raised on 2026-12-03.

The wiki runs as a separate process (``confluence-sync serve``, SQLite file, a free port) so its
memory does not count; every sync runs as its own ``confluence-sync sync`` process, and its peak
RSS comes from ``os.wait4``. Requests are counted twice: by the server's journal (what reached
it) and by the sync's ``--report`` (what it sent). Prints figures only; it asserts nothing.

    python bench/sync_bench.py [--quick] [--skip-large] [--flavour dc|cloud] [--workers 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_network import GROUP_300, LARGE, SMALL, Shape, account_names, write_network

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config.example.yaml"
TODAY = "2026-01-15"  # fixed, so every run plans the same meetings as upcoming
LATENCY_MS = 50
PER_PAGE_TARGET = {"dc": 1.2, "cloud": 2.5}
NOOP_PER_SPACE, NOOP_PAGES_PER_REQUEST = 2, 250
MEMORY_RATIO, SPEEDUP = 1.3, 5
SCENARIOS = ("example", "small", "large", "group300", "latency")
_ACCOUNT_RE = re.compile(r"^(\s*-?\s*account:\s*)['\"]?([^'\"#\s]+)['\"]?", re.MULTILINE)
_DATE_RE = re.compile(r"(date:\s*)(\d{4}-\d{2}-\d{2})")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def command() -> list[str]:
    # The one installed with this interpreter first: a ``confluence-sync`` found earlier on
    # PATH (another install, an older checkout) would measure other code.
    beside = Path(sys.executable).parent / "confluence-sync"
    script = str(beside) if beside.exists() else shutil.which("confluence-sync")
    return [script] if script else [sys.executable, "-m", "confluence_sync"]


# --- the wiki: a `confluence-sync serve` process on a SQLite file ----------------------------
@dataclass
class Wiki:
    """A running ``confluence-sync serve`` subprocess."""

    process: subprocess.Popen[str]
    flavour: str
    url: str
    admin: tuple[str, str]

    @property
    def journal_url(self) -> str:
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}/__localwiki/journal"

    def clear_journal(self) -> None:
        requests.delete(self.journal_url, timeout=30).raise_for_status()

    def journal(self) -> dict[str, Any]:
        answer = requests.get(self.journal_url, timeout=60)
        answer.raise_for_status()
        payload: dict[str, Any] = answer.json()
        return payload


def create_accounts(db: Path, names: list[str], flavour: str) -> dict[str, str]:
    """Create the config's accounts in the wiki's file (a real site has them); return the
    name each is written as in the config: the username on DC, the account id on Cloud."""
    from confluence_sync.localwiki.store import Store

    store = Store(db)
    try:
        mapping = {}
        for name in names:
            user = store.resolve_user(name) or store.create_user(name, "pw-" + name)
            mapping[name] = user.account_id if flavour == "cloud" else name
        return mapping
    finally:
        store.close()


@contextmanager
def serve(
    db: Path, flavour: str, latency_ms: int = 0, dc_version: str = "", extra: Sequence[str] = ()
) -> Iterator[Wiki]:
    """Start the local wiki on a free port in its own process; stop it afterwards
    (``dc_version``: the Data Center release it plays, its default when empty; ``extra``:
    more ``serve`` options, e.g. ``--space-role-mode ROLES``)."""
    from confluence_sync.localwiki.store import ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN

    argv = [
        *command(),
        "serve",
        "--port",
        "0",
        "--flavour",
        flavour,
        "--db",
        str(db),
        "--latency-ms",
        str(latency_ms),
    ]
    if flavour == "cloud":
        argv.append("--v1-removed")  # today's Cloud: v2 for content
    if dc_version:
        argv += ["--dc-version", dc_version]
    argv += list(extra)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # "local wiki (dc) at http://127.0.0.1:PORT"
        match = re.search(r"at (http://\S+)", first)
        if match is None:
            raise RuntimeError(f"confluence-sync serve did not start: {first!r}")
        admin = (ADMIN_EMAIL, ADMIN_TOKEN) if flavour == "cloud" else ("admin", ADMIN_PASSWORD)
        yield Wiki(process, flavour, match.group(1), admin)
    finally:
        process.terminate()  # only this process, started above
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()


# --- one sync: a `confluence-sync sync` process ----------------------------------------------
@dataclass
class SyncRun:
    """What one sync process cost and did."""

    wall: float
    peak_rss_mib: float
    exit_code: int
    report: dict[str, Any]
    journal: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = self.report.get("summary", {})
        return summary

    @property
    def sent(self) -> int:
        return int(self.summary.get("requests", 0))

    @property
    def sent_writes(self) -> int:
        return int(self.summary.get("writes", 0))

    @property
    def reached(self) -> int:
        return int(self.journal["total"])

    @property
    def reached_writes(self) -> int:
        return int(self.journal["writes"])

    def pages(self, *statuses: str) -> int:
        """Page items of the report with one of ``statuses``."""
        return sum(
            1
            for item in self.report.get("items", [])
            if item["item"].startswith("page ") and item["status"] in statuses
        )


def run_sync(wiki: Wiki, config: Path, workers: int, step: str) -> SyncRun:
    """Sync ``config`` to ``wiki`` in a fresh process; journal cleared before, read after."""
    wiki.clear_journal()
    report_path = config.with_suffix(f".{step}.report.json")
    report_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "CONFLUENCE_URL": wiki.url,
        "CONFLUENCE_FLAVOUR": "cloud" if wiki.flavour == "cloud" else "datacenter",
        "CONFLUENCE_USERNAME": wiki.admin[0],
        "CONFLUENCE_API_TOKEN": wiki.admin[1],
    }
    env.pop("CONFLUENCE_TOKEN", None)
    argv = [
        *command(),
        "sync",
        str(config),
        "--today",
        TODAY,
        "--report",
        str(report_path),
        "--workers",
        str(workers),
    ]
    output = config.with_suffix(f".{step}.out.txt")
    with output.open("w", encoding="utf-8") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env)
        # wait4 gives this child's own resource usage, unlike RUSAGE_CHILDREN's running max.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    journal = wiki.journal()
    # Kept with --keep, for whoever wants to see which requests a step sent.
    with config.with_suffix(f".{step}.journal.jsonl").open("w", encoding="utf-8") as lines:
        lines.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in journal["entries"])
    report = json.loads(report_path.read_text("utf-8")) if report_path.exists() else {}
    if not report:
        log(f"  no report; output: {output.read_text('utf-8')[-2000:]}")
    return SyncRun(
        wall,
        usage.ru_maxrss / 1024,
        process.returncode,
        report,
        journal["counts"],
        journal["entries"],
    )


def index_sizes(wiki: Wiki, config: Path) -> tuple[int, int, int, int, int]:
    """The index as stored, read back like the sync reads it: properties, pages recorded,
    bytes in all, the largest property's bytes, and what the same records took in the
    single-property form of earlier versions (compact JSON, UTF-8)."""
    from confluence_sync.backends import open_backend
    from confluence_sync.config import load_config
    from confluence_sync.settings import Settings
    from confluence_sync.state import ledger_store

    sys.path.insert(0, str(REPO))
    from tests.unit.engine.legacy import legacy_value

    def measured(value: Any) -> int:
        return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())

    network = load_config(config, today=dt.date.fromisoformat(TODAY)).network.key
    groups = load_config(config, today=dt.date.fromisoformat(TODAY)).working_groups
    keys = [network] + [network + g.key for g in groups]
    flavour = "cloud" if wiki.flavour == "cloud" else "datacenter"
    settings = Settings.from_env(
        {}, url=wiki.url, flavour=flavour, username=wiki.admin[0], api_token=wiki.admin[1]
    )
    backend = open_backend(settings)
    try:
        props = pages = total = largest = single = 0
        for key in keys:
            stored = ledger_store.read(backend.reader, key)
            found = [p for p in (stored.head, *stored.shards.values()) if p is not None]
            sizes = [measured(p.value) for p in found]
            props, total = props + len(found), total + sum(sizes)
            largest = max([largest, *sizes])
            pages += len(stored.index.pages)
            single += measured(legacy_value(replace(stored.index, lock=None)))
        return props, pages, total, largest, single
    finally:
        backend.close()


# --- configs -------------------------------------------------------------------------------
def example_config(accounts: Mapping[str, str], folder: Path) -> Path:
    """config.example.yaml with its accounts written as the site knows them."""
    text = EXAMPLE.read_text("utf-8")
    text = _ACCOUNT_RE.sub(lambda m: f'{m.group(1)}"{accounts.get(m.group(2), m.group(2))}"', text)
    path = folder / "example.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def example_accounts() -> list[str]:
    return sorted({m.group(2) for m in _ACCOUNT_RE.finditer(EXAMPLE.read_text("utf-8"))})


def move_one_meeting(config: Path) -> str:
    """Move the first meeting after TODAY by a week within its month (same page identity)."""
    text = config.read_text("utf-8")
    today = dt.date.fromisoformat(TODAY)
    for match in _DATE_RE.finditer(text):
        day = dt.date.fromisoformat(match.group(2))
        if day > today:
            moved = day + dt.timedelta(days=7 if day.day <= 21 else -7)
            config.write_text(
                text[: match.start(2)] + moved.isoformat() + text[match.end(2) :], encoding="utf-8"
            )
            return f"{day} → {moved}"
    raise ValueError("no upcoming meeting to move")


def spaces_of(config: Path) -> int:
    from confluence_sync.config import load_config

    return 1 + len(load_config(config, today=dt.date.fromisoformat(TODAY)).working_groups)


_ID_RE = re.compile(r"/(?:\d+|[0-9a-f]{8,}|[A-Z][A-Z0-9]{2,})(?=/|$)")


# Requests about pages themselves (content, labels, page properties), not spaces or grants.
_PAGE_PATH_RE = re.compile(r"/rest/api/content|/api/v2/pages")


def breakdown(entries: list[dict[str, Any]], top: int = 12) -> list[tuple[int, str]]:
    """The most frequent request shapes of a journal (ids and space keys folded), so a reader
    sees which requests repeat per page or per space."""
    shapes: dict[str, int] = {}
    for entry in entries:
        path = _ID_RE.sub("/{id}", str(entry["path"]))
        shape = f"{entry['method']} {path}"
        shapes[shape] = shapes.get(shape, 0) + 1
    return sorted(((n, shape) for shape, n in shapes.items()), reverse=True)[:top]


def concurrency_profile(entries: list[dict[str, Any]], slices: int = 10) -> list[float]:
    """Mean requests in flight at the server in each of ``slices`` equal parts of the run:
    low numbers show where the sync sends one request after another."""
    spans = []
    for entry in entries:
        start = dt.datetime.fromisoformat(str(entry["time"]).replace("Z", "+00:00")).timestamp()
        spans.append((start, start + float(entry["duration_ms"]) / 1000))
    if not spans:
        return []
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    width = max((last - first) / slices, 1e-9)
    busy = [0.0] * slices
    for start, end in spans:
        for index in range(slices):
            low = first + index * width
            overlap = min(end, low + width) - max(start, low)
            if overlap > 0:
                busy[index] += overlap
    return [round(b / width, 1) for b in busy]


# --- scenarios and the figures they print ---------------------------------------------------
@dataclass
class Row:
    flavour: str
    network: str
    figure: str
    measured: str
    target: str = ""
    ok: bool | None = None


@dataclass
class Bench:
    """Runs the scenarios in one scratch folder and collects the printed figures."""

    folder: Path
    workers: int
    explain: bool = False
    rows: list[Row] = field(default_factory=list)

    def add(
        self,
        flavour: str,
        network: str,
        figure: str,
        measured: str,
        target: str = "",
        ok: bool | None = None,
    ) -> None:
        row = Row(flavour, network, figure, measured, target, ok)
        self.rows.append(row)
        verdict = "" if ok is None else ("  meets" if ok else "  MISSES")
        log(f"  {figure}: {measured}{'  (target ' + target + ')' if target else ''}{verdict}")

    def counted(self, flavour: str, network: str, step: str, run: SyncRun) -> None:
        agree = (
            "agree"
            if (run.reached, run.reached_writes) == (run.sent, run.sent_writes)
            else "DISAGREE"
        )
        self.add(
            flavour,
            network,
            f"{step}: requests reached/sent",
            f"{run.reached}/{run.sent} (writes {run.reached_writes}/{run.sent_writes}, "
            f"{agree}; exit {run.exit_code}, {run.wall:.1f} s, {run.peak_rss_mib:.0f} MiB)",
        )
        failed = [i["item"] for i in run.report.get("items", []) if i["status"] == "failed"]
        if failed:
            log(f"    {len(failed)} items failed, e.g. {failed[0]}")
        if self.explain:
            for count, shape in breakdown(run.entries):
                log(f"    {count:6d}  {shape}")
            log(f"    requests in flight, by tenths of the run: {concurrency_profile(run.entries)}")

    def network(
        self,
        flavour: str,
        name: str,
        make: Callable[[Mapping[str, str], Path], Path],
        names: list[str],
        *,
        full: bool = True,
        latency_ms: int = 0,
        workers: int | None = None,
        per_pages: int = NOOP_PAGES_PER_REQUEST,
    ) -> dict[str, SyncRun]:
        """Fresh wiki; first sync, and with ``full`` a no-op re-sync and a moved meeting."""
        folder = Path(tempfile.mkdtemp(prefix=f"{flavour}-{name}-", dir=self.folder))
        db = folder / "wiki.sqlite3"
        config = make(create_accounts(db, names, flavour), folder)
        runs: dict[str, SyncRun] = {}
        with serve(db, flavour, latency_ms) as wiki:
            log(
                f"{flavour} {name}: first sync (workers {workers or self.workers}"
                f"{f', {latency_ms} ms latency' if latency_ms else ''})"
            )
            first = runs["first"] = run_sync(wiki, config, workers or self.workers, "first")
            self.counted(flavour, name, "first sync", first)
            created = first.pages("created")
            per_page = first.reached / created if created else float("inf")
            if not latency_ms:
                target = PER_PAGE_TARGET[flavour]
                on_pages = sum(1 for e in first.entries if _PAGE_PATH_RE.search(str(e["path"])))
                self.add(
                    flavour,
                    name,
                    "first sync: page requests per page created",
                    f"{on_pages / max(created, 1):.2f} ({on_pages} requests on content/pages, "
                    f"the rest on spaces, groups, grants)",
                )
                self.add(
                    flavour,
                    name,
                    "first sync: requests per page created",
                    f"{per_page:.2f} ({created} pages created)",
                    f"≤ {target}",
                    per_page <= target,
                )
            if not full:
                return runs
            log(f"{flavour} {name}: no-op re-sync")
            noop = runs["noop"] = run_sync(wiki, config, self.workers, "noop")
            self.counted(flavour, name, "no-op", noop)
            managed = noop.pages("unchanged", "updated", "created")
            allowance = NOOP_PER_SPACE * spaces_of(config) + -(-managed // per_pages)
            self.add(
                flavour,
                name,
                "no-op: writes",
                str(noop.reached_writes),
                "0",
                noop.reached_writes == 0,
            )
            self.add(
                flavour,
                name,
                "no-op: requests",
                f"{noop.reached}",
                f"≤ {allowance} ({NOOP_PER_SPACE} × {spaces_of(config)} spaces + ⌈{managed} pages "
                f"/ {per_pages}⌉)",
                noop.reached <= allowance,
            )
            props, recorded, total, largest, single = index_sizes(wiki, config)
            self.add(
                flavour,
                name,
                "index: bytes per page",
                f"{total / max(recorded, 1):.0f} ({total:,} B in {props} properties for "
                f"{recorded} pages; single-property form {single / max(recorded, 1):.0f})",
            )
            self.add(
                flavour,
                name,
                "index: largest property",
                f"{largest:,} B",
                "≤ 32,768",
                largest <= 32_768,
            )
            moved = move_one_meeting(config)
            log(f"{flavour} {name}: one meeting moved ({moved})")
            move = runs["move"] = run_sync(wiki, config, self.workers, "move")
            self.counted(flavour, name, "meeting moved", move)
            written = [
                i["item"]
                for i in move.report.get("items", [])
                if i["item"].startswith("page ") and i["status"] != "unchanged"
            ]
            # Each meetings calendar the moved meeting is in (its group's and the hub's) is
            # uploaded once more (one request: its attachment id is in the index), and its
            # meetings' records change in the index (in a sharded index: one shard more).
            calendars = [
                i["item"]
                for i in move.report.get("items", [])
                if i["item"].startswith("calendar ") and i["status"] == "done"
            ]
            limit = noop.reached + 3 * len(written) + 2 * len(calendars)
            self.add(
                flavour,
                name,
                "meeting moved: pages written",
                f"{len(written)}: " + ", ".join(w.removeprefix("page ") for w in written),
            )
            self.add(
                flavour,
                name,
                "meeting moved: requests",
                str(move.reached),
                f"≤ {limit} (no-op {noop.reached} + 3 × {len(written)}"
                f" + 2 × {len(calendars)} calendar files)",
                move.reached <= limit,
            )
        return runs

    def example(self, flavour: str) -> None:
        self.network(flavour, "example", example_config, example_accounts())

    def generated(self, flavour: str, shape: Shape, name: str, **kw: Any) -> dict[str, SyncRun]:
        def make(accounts: Mapping[str, str], folder: Path) -> Path:
            return write_network(folder / "network.yaml", shape, accounts)

        return self.network(flavour, name, make, account_names(shape), **kw)

    def group300(self, flavour: str) -> None:
        """One group with 300 meetings: an index far over 32 KB, in shards."""
        self.generated(flavour, GROUP_300, "300 meetings")

    def memory(self, flavour: str, small: SyncRun, large: SyncRun) -> None:
        ratio = large.peak_rss_mib / small.peak_rss_mib
        self.add(
            flavour,
            "200 → 2,000",
            "peak RSS of the sync",
            f"{small.peak_rss_mib:.0f} → {large.peak_rss_mib:.0f} MiB = {ratio:.2f}×",
            f"≤ {MEMORY_RATIO}×",
            ratio <= MEMORY_RATIO,
        )

    def throughput(self, flavour: str, workers: int) -> None:
        run = self.generated(
            flavour,
            LARGE,
            f"large+{LATENCY_MS}ms",
            full=False,
            latency_ms=LATENCY_MS,
            workers=workers,
        )["first"]
        speedup = run.reached * LATENCY_MS / 1000 / run.wall
        self.add(
            flavour,
            "large, 50 ms",
            f"requests × 50 ms ÷ wall (--workers {workers})",
            f"{run.reached} × 0.05 s ÷ {run.wall:.1f} s = {speedup:.2f}",
            f"≥ {SPEEDUP}",
            speedup >= SPEEDUP,
        )


def print_table(rows: list[Row]) -> None:
    print()
    header = ("flavour", "network", "figure", "measured", "target", "")
    table = [header] + [
        (
            r.flavour,
            r.network,
            r.figure,
            r.measured,
            r.target,
            "" if r.ok is None else ("ok" if r.ok else "MISS"),
        )
        for r in rows
    ]
    widths = [min(60, max(len(line[i]) for line in table)) for i in range(5)]
    for line in table:
        cells = [line[i].ljust(widths[i]) for i in range(5)] + [line[5]]
        print(" | ".join(cells).rstrip())


FAILED: list[str] = []  # scenarios that broke: the script then exits 1 after the table


def attempt(scenario: Callable[..., T], *args: Any) -> T | None:
    """Run one scenario; a failure (a server that does not start, a crash) is printed and the
    other scenarios still run, so one broken part does not hide every figure."""
    try:
        return scenario(*args)
    except Exception as error:  # report and go on: this is a measuring script
        log(f"scenario {scenario.__name__}{args} failed: {error!r}")
        FAILED.append(f"{scenario.__name__}{args}")
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavour", choices=("dc", "cloud", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="config.example.yaml only")
    parser.add_argument(
        "--skip-large",
        action="store_true",
        help="no 2,000-page network (so no memory ratio or throughput)",
    )
    parser.add_argument("--workers", type=int, default=8, help="sync --workers (default 8)")
    parser.add_argument(
        "--latency-workers",
        type=int,
        action="append",
        help="sync --workers of a throughput run; repeatable (default: 4, and 8, the CLI's)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print each sync's most frequent requests"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--only",
        action="append",
        choices=SCENARIOS,
        help="run only these scenarios (repeatable); memory needs small and large",
    )
    args = parser.parse_args()
    flavours = ("dc", "cloud") if args.flavour == "both" else (args.flavour,)
    chosen = set(args.only or SCENARIOS)
    if args.quick:
        chosen &= {"example"}
    if args.skip_large:
        chosen -= {"large", "latency"}
    folder = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    bench = Bench(folder, args.workers, args.explain)
    started = time.perf_counter()
    try:
        for flavour in flavours:
            if "example" in chosen:
                attempt(bench.example, flavour)
            small = (
                attempt(bench.generated, flavour, SMALL, "200 pages") if "small" in chosen else None
            )
            large = (
                attempt(bench.generated, flavour, LARGE, "2,000 pages")
                if "large" in chosen
                else None
            )
            if "group300" in chosen:
                attempt(bench.group300, flavour)
            if small and large:
                bench.memory(flavour, small["first"], large["first"])
            if "latency" in chosen:
                for workers in args.latency_workers or (4, 8):
                    attempt(bench.throughput, flavour, workers)
    finally:
        print_table(bench.rows)
        print(
            f"\n{time.perf_counter() - started:.0f} s in all; scratch folder "
            f"{folder if args.keep else 'removed'}"
        )
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    if FAILED:
        print(f"scenarios that failed (no figures): {', '.join(FAILED)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
