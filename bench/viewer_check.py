"""Check the local wiki's HTML viewer in a real headless Chromium.

    python bench/viewer_check.py [--screenshot-dir DIR] [--keep]

Starts a ``LocalWiki``, writes a space and a small page tree through the REST API (with a
page-properties table, an info panel, a task list, a page-properties report, a mention, a page
link and text with ``<``, ``&`` and umlauts), then loads the space list, the space's page tree,
the page and its page information in Chromium (``--dump-dom`` and ``--screenshot``) and
checks the expected text is in the DOM the browser built, and that no raw markup leaked.
Prints one line per check and the screenshot paths; exits 1 if a check failed, 2 if Chromium
is missing.

Needs Debian's chromium: ``apt-get install -y chromium``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

import requests

from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.localwiki.testing.headless import chromium_flags

CHROMIUM_FLAGS = chromium_flags(1200, 1400, "--hide-scrollbars")

PAGE_BODY = (
    "<h2>Sitzung &amp; Protokoll</h2>"
    "<p>Träger &lt;script&gt;alert(1)&lt;/script&gt; und Partner.</p>"
    '<ac:structured-macro ac:name="details"><ac:rich-text-body><table><tbody>'
    "<tr><th>Datum</th><td>2026-03-04</td></tr><tr><th>Ort</th><td>Köln</td></tr>"
    "</tbody></table></ac:rich-text-body></ac:structured-macro>"
    '<ac:structured-macro ac:name="info"><ac:parameter ac:name="title">Hinweis</ac:parameter>'
    "<ac:rich-text-body><p>Bitte Unterlagen mitbringen.</p></ac:rich-text-body>"
    "</ac:structured-macro>"
    "<ac:task-list><ac:task><ac:task-id>1</ac:task-id><ac:task-status>complete</ac:task-status>"
    "<ac:task-body>Raum buchen</ac:task-body></ac:task><ac:task><ac:task-id>2</ac:task-id>"
    "<ac:task-status>incomplete</ac:task-status><ac:task-body>Agenda versenden</ac:task-body>"
    "</ac:task></ac:task-list>"
    '<ac:structured-macro ac:name="detailssummary"><ac:parameter ac:name="cql">'
    'label = "meeting" and space = "VIEW"</ac:parameter></ac:structured-macro>'
    '<p>Moderation: <ac:link><ri:user ri:username="admin"/></ac:link>, siehe '
    '<ac:link><ri:page ri:content-title="Sitzungen 2026"/></ac:link>.</p>'
)
EXPECTED = {
    "spaces": ["Spaces", "VIEW", "Arbeitskreis Ä&B"],
    "space": ["Arbeitskreis Ä&B", "Sitzungen 2026", "Sitzung März"],
    "page": [
        "Sitzung März",
        "Sitzung & Protokoll",
        "Träger <script>alert(1)</script> und Partner.",
        "2026-03-04",
        "Köln",
        "Hinweis",
        "Bitte Unterlagen mitbringen.",
        "Raum buchen",
        "Agenda versenden",
        "Title Datum Ort Sitzung März 2026-03-04 Köln",  # the report finds the page itself
        "Sitzungen 2026",
        "meeting",
        "page information",
    ],
    # The internals, one click away from the page.
    "info": ["confluence-sync", "group/VIEW/meeting/2026-03", "Tagesordnung ergänzt"],
}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browse(binary: str, url: str, profile: Path, screenshot: Path) -> str:
    """The DOM Chromium built for ``url``; also writes a screenshot."""
    common = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    dom = subprocess.run(
        [*common, "--dump-dom", url], capture_output=True, text=True, timeout=90, check=True
    ).stdout
    subprocess.run(
        [*common, f"--screenshot={screenshot}", url], capture_output=True, timeout=90, check=True
    )
    return dom


def visible_text(dom: str) -> str:
    """Text of the DOM with tags dropped and entities decoded, as a person reads it."""
    from html.parser import HTMLParser

    parts: list[str] = []

    class Collector(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    Collector(convert_charrefs=True).feed(dom)
    return " ".join(" ".join(parts).split())


def populate(wiki: LocalWiki) -> int:
    """Write the demo space and pages; return the id of the richest page."""
    api = f"{wiki.url}/rest/api"
    session = requests.Session()
    session.auth = wiki.admin
    space = {
        "key": "VIEW",
        "name": "Arbeitskreis Ä&B",
        "description": {"plain": {"value": "Demo", "representation": "plain"}},
    }
    made = session.post(f"{api}/space", json=space, timeout=10)
    made.raise_for_status()
    # The viewer shows a visitor what REST would: Chromium comes without a login, so the
    # demo space is open to anonymous readers (and the wiki allows anonymous access).
    wiki.store.grant(int(made.json()["id"]), "anonymous", "", "read", "space")

    def create(title: str, body: str, parent: int | None = None) -> int:
        data: dict[str, object] = {
            "type": "page",
            "title": title,
            "space": {"key": "VIEW"},
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        if parent is not None:
            data["ancestors"] = [{"id": str(parent)}]
        answer = session.post(f"{api}/content", json=data, timeout=10)
        answer.raise_for_status()
        return int(answer.json()["id"])

    parent = create("Sitzungen 2026", "<p>Alle Sitzungen.</p>")
    page = create("Sitzung März", "<p>Entwurf</p>", parent)
    update = {
        "id": str(page),
        "type": "page",
        "title": "Sitzung März",
        "version": {"number": 2, "message": "Tagesordnung ergänzt"},
        "body": {"storage": {"value": PAGE_BODY, "representation": "storage"}},
    }
    session.put(f"{api}/content/{page}", json=update, timeout=10).raise_for_status()
    session.post(
        f"{api}/content/{page}/label", json=[{"prefix": "global", "name": "meeting"}], timeout=10
    ).raise_for_status()
    session.post(
        f"{api}/content/{page}/property",
        timeout=10,
        json={"key": "confluence-sync", "value": {"id": "group/VIEW/meeting/2026-03"}},
    ).raise_for_status()
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--screenshot-dir", type=Path, default=None)
    options = parser.parse_args()
    binary = chromium()
    if binary is None:
        print("chromium not found; install it with: apt-get install -y chromium")
        return 2
    out_dir = options.screenshot_dir or Path(tempfile.mkdtemp(prefix="viewer-check-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    with LocalWiki(anonymous_access=True) as wiki, tempfile.TemporaryDirectory() as profile_root:
        page = populate(wiki)
        urls = {
            "spaces": f"{wiki.root_url}/viewer/",
            "space": f"{wiki.root_url}/viewer/spaces/VIEW",
            "page": f"{wiki.root_url}/viewer/pages/{page}",
            "info": f"{wiki.root_url}/viewer/pages/{page}/info",
        }
        for name, url in urls.items():
            shot = out_dir / f"viewer-{name}.png"
            dom = browse(binary, url, Path(profile_root) / name, shot)
            text = visible_text(dom)
            for expected in EXPECTED[name]:
                found = expected in text
                failures += not found
                print(f"{'ok  ' if found else 'FAIL'} {name}: {expected!r}")
            leaked = "<script>" in dom or "ac:structured-macro" in dom
            failures += leaked
            print(f"{'FAIL' if leaked else 'ok  '} {name}: no raw markup in the DOM")
            print(f"     screenshot {shot} ({shot.stat().st_size} bytes)")
    print(f"{failures} failed check(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
