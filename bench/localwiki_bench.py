"""Requests per second of the local wiki: page GET, page update, and the bare JSON route.

    python bench/localwiki_bench.py [--client requests|wrk] [--seconds 4] [--threads 4]
                                    [--rounds 3] [--flavour dc|cloud]

The wiki runs in its own process (``LocalWiki`` with a file-backed SQLite database in a
temporary directory), so client and server do not share one interpreter lock. Clients:

* ``requests`` (default): a few threads, each with a keep-alive ``requests.Session``;
* ``wrk`` (Debian's ``wrk``): a C client, one connection per thread, so the figures are the
  server's, not the Python client's; updates run from a generated Lua script, each thread
  updating its own fresh page so versions stay exactly current+1.

The wiki keeps HTTP/1.1 connections alive (``localwiki/keepalive.py``), so both clients reuse
their connections; before that (werkzeug 3 closes every connection) each request paid for a
new one: wrk page GET 896 → 2,550 req/s, update 637 → 1,423, bare 2,431 → 10,600.
Each round measures the three kinds one after the
other; the median round is printed next to its target from TARGETS.md, and the ratio's two
sides come from the same run. Nothing here asserts; it prints.
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
    def __init__(self, wiki: Wiki, threads: int, seconds: float) -> None:
        self.wiki, self.threads, self.seconds = wiki, threads, seconds
        self.pages = wiki.new_pages(threads)
        self.versions = [2] * threads

    def bare(self) -> float:
        url = f"{self.wiki.root}/__localwiki/ping"
        return threaded(
            lambda s, i: s.get(url, timeout=10).raise_for_status(), self.threads, self.seconds
        )

    def get(self) -> float:
        def work(session: requests.Session, index: int) -> None:
            session.get(
                f"{self.wiki.api}/content/{self.pages[index]}",
                timeout=10,
                params={"expand": "body.storage,version"},
                auth=self.wiki.auth,
            ).raise_for_status()

        return threaded(work, self.threads, self.seconds)

    def update(self) -> float:
        def work(session: requests.Session, index: int) -> None:
            self.versions[index] += 1
            body = update_body(self.pages[index], self.versions[index])
            url = f"{self.wiki.api}/content/{self.pages[index]}"
            session.put(url, json=body, auth=self.wiki.auth, timeout=10).raise_for_status()

        return threaded(work, self.threads, self.seconds)


class WrkClient:
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
        return self._run(f"{self.wiki.api}/content/{self.page}?expand=body.storage,version")

    def update(self) -> float:
        pages = self.wiki.new_pages(self.threads)  # fresh: every thread starts at version 2
        return self._run(
            f"{self.wiki.api}/content/{pages[0]}", self.script, tuple(pages), tolerate=0.01
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--client", choices=("requests", "wrk"), default="requests")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flavour", choices=("dc", "cloud"), default="dc")
    options = parser.parse_args()

    figures: dict[str, list[float]] = {"bare": [], "get": [], "update": []}
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
            client: RequestsClient | WrkClient = (
                WrkClient(wiki, options.threads, options.seconds, Path(tmp))
                if options.client == "wrk"
                else RequestsClient(wiki, options.threads, options.seconds)
            )
            client.get()  # warm-up: caches, connections, the page cache of SQLite
            for _ in range(options.rounds):
                figures["bare"].append(client.bare())
                figures["get"].append(client.get())
                figures["update"].append(client.update())
        finally:
            server.communicate("")

    median = {name: statistics.median(values) for name, values in figures.items()}
    print(
        f"local wiki benchmark: flavour={options.flavour}, SQLite file, client={options.client}, "
        f"{options.threads} threads, {options.rounds} rounds × {options.seconds:g} s (median)"
    )
    print(f"  bare JSON route  {median['bare']:8.0f} req/s   (/__localwiki/ping, same server)")
    print(f"  page GET         {median['get']:8.0f} req/s   target ≥ 500")
    print(f"  page update      {median['update']:8.0f} req/s   target ≥ 150")
    print(f"  GET / bare       {median['get'] / median['bare']:8.0%}        target ≥ 50 %")
    for name, values in figures.items():
        print(f"  rounds {name:<7} " + "  ".join(f"{v:.0f}" for v in values))


if __name__ == "__main__":
    main()
