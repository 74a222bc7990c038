"""Requests per second of the local wiki: page GET, page update, and the bare JSON route.

    python bench/localwiki_bench.py [--client both|requests|wrk] [--seconds 4] [--threads 4]
                                    [--rounds 3] [--flavour dc|cloud]

The wiki runs in its own process (``LocalWiki`` with a file-backed SQLite database in a
temporary directory), so client and server do not share one interpreter lock. Clients:

* ``requests``: a few threads, each with a keep-alive ``requests.Session``;
* ``wrk`` (Debian's ``wrk``): a C client, one connection per thread, so the figures are the
  server's, not the Python client's; updates run from a generated Lua script, each thread
  updating its own fresh page so versions stay exactly current+1.

``both`` (the default) runs wrk, when installed, and then requests against the same server,
and prints one table per client. Each round measures the kinds one after the other; the
median round is printed next to its target from TARGETS.md, and the ratio's two sides come
from the same run. Nothing here asserts; it prints.

"page GET" repeats one request, which the wiki answers from its page cache
(``localwiki/web/response_cache.py``) as long as nothing was written; "page GET, miss" adds a
counter to the query, so every request takes the full path (auth, permission check, SQL,
JSON) — what a first read costs.

History (wrk, 4 threads): keep-alive took page GET 896 → 2,550 req/s, update 637 → 1,423,
bare 2,431 → 10,600; the page cache then took page GET from 27 % of the bare route
(4,214 of 15,496 req/s) to about 80 %.
"""

from __future__ import annotations

import argparse
import base64
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
SERVER = """
import sys
from confluence_sync.localwiki.server import LocalWiki
wiki = LocalWiki(db_path=sys.argv[1], flavour=sys.argv[2]).start()
print(wiki.url, wiki.root_url, *wiki.admin, flush=True)
sys.stdin.read()  # run until the parent closes our stdin
wiki.stop()
"""
TITLE = "Seite {page} – Träger & Partner"
WRK_UPDATE = """
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("idx", counter)
end
function init(args)
  page = args[idx]
  version = 2  -- new_pages() leaves every page at version 2
end
function request()
  version = version + 1
  local body = '{"id":"' .. page .. '","type":"page","title":"Seite ' .. page ..
    ' – Träger & Partner","version":{"number":' .. version ..
    '},"body":{"storage":{"value":"<p>Fassung ' .. version ..
    '</p>","representation":"storage"}}}'
  return wrk.format("PUT", "%(path)s/" .. page, {
    ["Content-Type"] = "application/json", ["Authorization"] = "%(auth)s"}, body)
end
function response(status, headers, body)
  -- wrk may drop a thread's first request on a reconnect; resync as a real client would.
  -- The 409s are counted out of the figure by the caller.
  if status == 409 then
    version = tonumber(string.match(body, "Current version is: (%%d+)")) or version
  end
end
"""

WRK_MISS = """
local counter = 0
function request()
  counter = counter + 1  -- an unknown parameter: the same answer, never a cache hit
  return wrk.format("GET", "%(path)s&n=" .. counter)
end
"""
KINDS = ("bare", "get", "get_miss", "update")


def spawn(code: str, *args: str) -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert process.stdout is not None
    line = process.stdout.readline().split()
    if not line:
        process.kill()
        raise SystemExit(f"server did not start: {' '.join(args)}")
    return process, line


class Wiki:
    """The running wiki as the benchmark sees it: URLs, credentials, fresh pages."""

    def __init__(self, url: str, root: str, auth: tuple[str, str]) -> None:
        self.api = f"{url}/rest/api"
        self.root = root
        self.auth = auth
        self.session = requests.Session()
        self.session.auth = auth
        answer = self.session.post(
            f"{self.api}/space", json={"key": "BENCH", "name": "Bench"}, timeout=10
        )
        answer.raise_for_status()

    def new_pages(self, count: int) -> list[str]:
        """``count`` new pages at version 1; their titles follow ``TITLE``."""
        ids = []
        for _ in range(count):
            body = {
                "type": "page",
                "title": f"neu {time.perf_counter_ns()}",
                "space": {"key": "BENCH"},
                "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}},
            }
            created = self.session.post(f"{self.api}/content", json=body, timeout=10)
            created.raise_for_status()
            page = str(created.json()["id"])
            rename = {
                **body,
                "id": page,
                "title": TITLE.format(page=page),
                "version": {"number": 2},
            }
            self.session.put(
                f"{self.api}/content/{page}", json=rename, timeout=10
            ).raise_for_status()
            ids.append(page)
        return ids


def update_body(page: str, version: int) -> dict[str, object]:
    return {
        "id": page,
        "type": "page",
        "title": TITLE.format(page=page),
        "version": {"number": version},
        "body": {"storage": {"value": f"<p>Fassung {version}</p>", "representation": "storage"}},
    }


def threaded(work: Callable[[requests.Session, int], None], threads: int, seconds: float) -> float:
    """Requests per second over ``seconds`` with ``threads`` clients; a failed request aborts."""
    counts = [0] * threads
    stop = time.perf_counter() + seconds
    errors: list[BaseException] = []

    def client(index: int) -> None:
        with requests.Session() as session:
            try:
                while time.perf_counter() < stop:
                    work(session, index)
                    counts[index] += 1
            except BaseException as error:  # report, do not hang the other threads
                errors.append(error)

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        raise SystemExit(f"benchmark request failed: {errors[0]!r}")
    return sum(counts) / elapsed


class RequestsClient:
    name = "requests"

    def __init__(self, wiki: Wiki, threads: int, seconds: float) -> None:
        self.wiki, self.threads, self.seconds = wiki, threads, seconds
        self.pages = wiki.new_pages(threads)
        self.versions = [2] * threads
        self.counter = 0

    def describe(self) -> str:
        return f"{self.threads} threads, one keep-alive Session each"

    def bare(self) -> float:
        url = f"{self.wiki.root}/__localwiki/ping"
        return threaded(
            lambda s, i: s.get(url, timeout=10).raise_for_status(), self.threads, self.seconds
        )

    def _get(self, miss: bool) -> float:
        def work(session: requests.Session, index: int) -> None:
            params = {"expand": "body.storage,version"}
            if miss:
                self.counter += 1  # racy across threads, but values only need to differ
                params["n"] = f"{index}-{self.counter}"
            session.get(
                f"{self.wiki.api}/content/{self.pages[index]}",
                timeout=10,
                params=params,
                auth=self.wiki.auth,
            ).raise_for_status()

        return threaded(work, self.threads, self.seconds)

    def get(self) -> float:
        return self._get(miss=False)

    def get_miss(self) -> float:
        return self._get(miss=True)

    def update(self) -> float:
        def work(session: requests.Session, index: int) -> None:
            self.versions[index] += 1
            body = update_body(self.pages[index], self.versions[index])
            url = f"{self.wiki.api}/content/{self.pages[index]}"
            session.put(url, json=body, auth=self.wiki.auth, timeout=10).raise_for_status()

        return threaded(work, self.threads, self.seconds)


class WrkClient:
    name = "wrk"

    def __init__(self, wiki: Wiki, threads: int, seconds: float, tmp: Path) -> None:
        binary = shutil.which("wrk")
        if binary is None:
            raise SystemExit("wrk not found; install it with: apt-get install -y wrk")
        self.binary, self.wiki, self.threads, self.seconds = binary, wiki, threads, seconds
        self.auth = "Basic " + base64.b64encode(":".join(wiki.auth).encode()).decode()
        self.page = wiki.new_pages(1)[0]
        self.script = tmp / "update.lua"
        path = re.sub(r"^https?://[^/]+", "", f"{wiki.api}/content")
        self.script.write_text(WRK_UPDATE % {"path": path, "auth": self.auth}, encoding="utf-8")
        self.miss_script = tmp / "miss.lua"
        self.miss_script.write_text(
            WRK_MISS % {"path": re.sub(r"^https?://[^/]+", "", self._page_url())},
            encoding="utf-8",
        )

    def describe(self) -> str:
        return f"{self.threads} threads × 1 connection each"

    def _page_url(self) -> str:
        return f"{self.wiki.api}/content/{self.page}?expand=body.storage,version"

    def _run(
        self,
        url: str,
        script: Path | None = None,
        args: tuple[str, ...] = (),
        tolerate: float = 0.0,
    ) -> float:
        """Successful requests per second; more failures than the ``tolerate`` share abort."""
        command = [
            self.binary,
            f"-t{self.threads}",
            f"-c{self.threads}",
            f"-d{self.seconds:g}s",
            "-H",
            f"Authorization: {self.auth}",
            *(["-s", str(script)] if script else []),
            url,
            *(["--", *args] if args else []),  # wrk hands these to the script's init()
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"wrk failed for {url}: {done.stderr or done.stdout}")
        output = done.stdout
        total = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
        assert total is not None, output
        count = int(total.group(1))
        seconds = float(total.group(2)) / (1000 if total.group(3) == "ms" else 1)
        failed_match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        failed = int(failed_match.group(1)) if failed_match else 0
        if failed > tolerate * count:
            raise SystemExit(f"wrk saw {failed} failed responses for {url}:\n{output}")
        return (count - failed) / seconds

    def bare(self) -> float:
        return self._run(f"{self.wiki.root}/__localwiki/ping")

    def get(self) -> float:
        return self._run(self._page_url())

    def get_miss(self) -> float:
        return self._run(self._page_url(), self.miss_script)

    def update(self) -> float:
        pages = self.wiki.new_pages(self.threads)  # fresh: every thread starts at version 2
        return self._run(
            f"{self.wiki.api}/content/{pages[0]}", self.script, tuple(pages), tolerate=0.01
        )


Client = RequestsClient | WrkClient


def measure(client: Client, rounds: int) -> dict[str, list[float]]:
    """Every kind once per round, in the same order, against the same server."""
    figures: dict[str, list[float]] = {kind: [] for kind in KINDS}
    client.get()  # warm-up: caches, connections, the page cache of SQLite
    for _ in range(rounds):
        for kind in KINDS:
            figures[kind].append(getattr(client, kind)())
    return figures


def report(client: Client, figures: dict[str, list[float]]) -> None:
    median = {name: statistics.median(values) for name, values in figures.items()}
    print(f"client={client.name}: {client.describe()}")
    print(f"  bare JSON route   {median['bare']:8.0f} req/s   (/__localwiki/ping, same server)")
    print(f"  page GET          {median['get']:8.0f} req/s   target ≥ 500 (page cache hit)")
    print(f"  page GET, miss    {median['get_miss']:8.0f} req/s   (full path every time)")
    print(f"  page update       {median['update']:8.0f} req/s   target ≥ 150")
    print(f"  GET / bare        {median['get'] / median['bare']:8.0%}        target ≥ 50 %")
    print(f"  GET miss / bare   {median['get_miss'] / median['bare']:8.0%}")
    for name, values in figures.items():
        print(f"  rounds {name:<9} " + "  ".join(f"{v:.0f}" for v in values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=("both", "requests", "wrk"), default="both")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flavour", choices=("dc", "cloud"), default="dc")
    options = parser.parse_args()
    names = ["wrk", "requests"] if options.client == "both" else [options.client]
    if options.client == "both" and shutil.which("wrk") is None:
        print("wrk not installed (apt-get install -y wrk): requests client only")
        names = ["requests"]

    with tempfile.TemporaryDirectory() as tmp:
        server, (url, root, user, password) = spawn(
            SERVER, str(Path(tmp) / "wiki.db"), options.flavour
        )
        try:
            wiki = Wiki(url, root, (user, password))
            if wiki.session.get(f"{root}/__localwiki/ping", timeout=10).status_code != 200:
                raise SystemExit(
                    "/__localwiki/ping is not served: the fault middleware is not wired"
                )
            print(
                f"local wiki benchmark: flavour={options.flavour}, SQLite file, "
                f"{options.rounds} rounds × {options.seconds:g} s per kind (median)"
            )
            for name in names:
                client: Client = (
                    WrkClient(wiki, options.threads, options.seconds, Path(tmp))
                    if name == "wrk"
                    else RequestsClient(wiki, options.threads, options.seconds)
                )
                report(client, measure(client, options.rounds))
        finally:
            server.communicate("")


if __name__ == "__main__":
    main()
