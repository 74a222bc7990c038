"""Requests per second of the local wiki: page GET, page update, and the bare JSON route.

    python bench/localwiki_bench.py [--seconds 4] [--threads 4] [--rounds 3] [--flavour dc]

The wiki runs in its own process (``LocalWiki`` with a file-backed SQLite database in a
temporary directory), so client and server do not share one interpreter lock; the client is
a few threads, each with a keep-alive ``requests.Session`` (werkzeug's development server
closes every connection after one response, so each request opens a new one anyway). Every
figure is measured in rounds that interleave the three kinds of request, and the median round
is printed next to its target from TARGETS.md. The ratio's two sides come from the same run.
Nothing here asserts; it prints.
"""

from __future__ import annotations

import argparse
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
BARE = """
import sys
import threading
from werkzeug.serving import make_server
from werkzeug.wrappers import Response
def app(environ, start_response):
    return Response('{"ok": true}', mimetype="application/json")(environ, start_response)
server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"http://127.0.0.1:{server.server_port}", flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()
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


def measure(work: Callable[[requests.Session, int], None], threads: int, seconds: float) -> float:
    """Requests per second over ``seconds`` with ``threads`` clients; failed requests abort."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--flavour", choices=("dc", "cloud"), default="dc")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        wiki, (url, root, user, password) = spawn(
            SERVER, str(Path(tmp) / "wiki.db"), options.flavour
        )
        auth = (user, password)
        try:
            api = f"{url}/rest/api"
            setup = requests.Session()
            setup.auth = auth
            answer = setup.post(f"{api}/space", json={"key": "BENCH", "name": "Bench"}, timeout=10)
            answer.raise_for_status()
            pages: list[str] = []
            versions: list[int] = []
            for index in range(options.threads):
                body = {
                    "type": "page",
                    "title": f"Seite {index} – Träger & Partner",
                    "space": {"key": "BENCH"},
                    "body": {"storage": {"value": "<p>x</p>", "representation": "storage"}},
                }
                created = setup.post(f"{api}/content", json=body, timeout=10)
                created.raise_for_status()
                pages.append(str(created.json()["id"]))
                versions.append(1)
            ping = setup.get(f"{root}/__localwiki/ping", timeout=10)
            bare_process = None
            if ping.status_code == 200:
                bare_url, bare_where = f"{root}/__localwiki/ping", "/__localwiki/ping in the wiki"
            else:  # the middleware is not wired in: measure the same stack with a trivial app
                bare_process, (bare_root,) = spawn(BARE)
                bare_url, bare_where = bare_root + "/", "a bare werkzeug app (ping not wired)"

            def get_page(session: requests.Session, index: int) -> None:
                response = session.get(
                    f"{api}/content/{pages[index]}",
                    params={"expand": "body.storage,version"},
                    auth=auth,
                    timeout=10,
                )
                response.raise_for_status()

            def update_page(session: requests.Session, index: int) -> None:
                versions[index] += 1
                body = {
                    "id": pages[index],
                    "type": "page",
                    "title": f"Seite {index} – Träger & Partner",
                    "version": {"number": versions[index]},
                    "body": {
                        "storage": {
                            "value": f"<p>Fassung {versions[index]}</p>",
                            "representation": "storage",
                        }
                    },
                }
                response = session.put(
                    f"{api}/content/{pages[index]}", json=body, auth=auth, timeout=10
                )
                response.raise_for_status()

            def bare(session: requests.Session, index: int) -> None:
                session.get(bare_url, timeout=10).raise_for_status()

            figures: dict[str, list[float]] = {"bare": [], "get": [], "update": []}
            measure(get_page, options.threads, 0.5)  # warm-up: caches, connections
            for _ in range(options.rounds):
                figures["bare"].append(measure(bare, options.threads, options.seconds))
                figures["get"].append(measure(get_page, options.threads, options.seconds))
                figures["update"].append(measure(update_page, options.threads, options.seconds))
            if bare_process is not None:
                bare_process.communicate("")
        finally:
            wiki.communicate("")

    median = {name: statistics.median(values) for name, values in figures.items()}
    print(
        f"local wiki benchmark: flavour={options.flavour}, SQLite file, {options.threads} client "
        f"threads, {options.rounds} rounds × {options.seconds:g} s (median round)"
    )
    print(f"  bare JSON route  {median['bare']:8.0f} req/s   ({bare_where})")
    print(f"  page GET         {median['get']:8.0f} req/s   target ≥ 500")
    print(f"  page update      {median['update']:8.0f} req/s   target ≥ 150")
    print(f"  GET / bare       {median['get'] / median['bare']:8.0%}        target ≥ 50 %")
    for name, values in figures.items():
        print(f"  rounds {name:<7} " + "  ".join(f"{v:.0f}" for v in values))


if __name__ == "__main__":
    main()
