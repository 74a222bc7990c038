"""Publish with unmodified third-party Confluence clients from PyPI to the local wiki.

For each client (md2conf = ``markdown-to-confluence``, the Sphinx builder =
``sphinxcontrib-confluencebuilder``) a throwaway venv is made under a temp dir, the client is
pointed at a ``LocalWiki`` in each flavour it supports, publishes two pages (umlauts, a child
page, labels) and then publishes again after an edit. The result is checked through the REST
API, and a table client × flavour → pages published / updated / pass is printed.

    python bench/third_party_clients.py [--keep] [--only md2conf|sphinx] [--verbose]

md2conf's v1 (Data Center) mode always builds ``https://`` URLs, so that case serves the wiki
over TLS with a throwaway self-signed certificate (made with the ``openssl`` command) that the
client trusts through ``SSL_CERT_FILE``. Nothing of the clients is changed or patched.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from confluence_sync.localwiki.server import LocalWiki
from tests.integration.localwiki.publishing import client_env, self_signed, server_context

SPACE = "DOCS"
ROOT, CHILD = "Netzwerk Übersicht", "Arbeitsgruppe Qualität"
CLIENTS = {"md2conf": "markdown-to-confluence", "sphinx": "sphinxcontrib-confluencebuilder"}


@dataclass
class Case:
    client: str
    flavour: str
    mode: str  # the API the client is told to use
    runs: list[float] = field(default_factory=list)
    published: int = 0
    updated: int = 0
    labels: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.published == 2 and self.updated == 1 and self.labels


def make_venv(root: Path, client: str) -> tuple[Path, float]:
    """A venv with the client installed; returns its bin dir and the install time."""
    venv = root / f"venv-{client}"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [
            str(venv / "bin" / "pip"),
            "install",
            "--quiet",
            "--disable-pip-version-check",
            CLIENTS[client],
        ],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        raise SystemExit(f"cannot install {CLIENTS[client]}:\n{installed.stderr[-3000:]}")
    return venv / "bin", time.perf_counter() - started


def write_markdown(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.md").write_text(
        textwrap.dedent(f"""\
        ---
        title: {ROOT}
        tags: [netzwerk, übersicht]
        ---
        # {ROOT}

        Grüße aus Köln: Größe, Maß, Straße.

        * [Unterseite](sub/index.md)
        """),
        encoding="utf-8",
    )
    (folder / "sub" / "index.md").write_text(
        textwrap.dedent(f"""\
        ---
        title: {CHILD}
        tags: [arbeitsgruppe]
        ---
        # {CHILD}

        | Name | Rolle |
        |------|-------|
        | Jürgen | Leitung |
        """),
        encoding="utf-8",
    )


def write_sphinx(folder: Path) -> None:
    folder.mkdir(parents=True)
    (folder / "conf.py").write_text(
        textwrap.dedent("""\
        import os
        project = "Netzwerk"
        extensions = ["sphinxcontrib.confluencebuilder"]
        confluence_publish = True
        confluence_space_key = "DOCS"
        confluence_server_url = os.environ["LW_URL"] + "/"
        confluence_server_user = os.environ["LW_USER"]
        confluence_server_pass = os.environ["LW_PASS"]
        confluence_cloud = os.environ["LW_FLAVOUR"] == "cloud"
        confluence_api_mode = os.environ["LW_API"]
        confluence_page_hierarchy = True
        confluence_ask_password = False
        """),
        encoding="utf-8",
    )
    (folder / "index.rst").write_text(
        textwrap.dedent(f"""\
        {ROOT}
        {"=" * len(ROOT)}

        .. confluence_metadata::
            :labels: netzwerk übersicht

        Grüße aus Köln: Größe, Maß, Straße.

        .. toctree::

           gruppe
        """),
        encoding="utf-8",
    )
    (folder / "gruppe.rst").write_text(
        textwrap.dedent(f"""\
        {CHILD}
        {"=" * len(CHILD)}

        .. confluence_metadata::
            :labels: arbeitsgruppe

        Jürgen leitet die Gruppe.
        """),
        encoding="utf-8",
    )


def edit(folder: Path) -> None:
    """Change the root page's text so the second run must update it."""
    for name in ("index.md", "index.rst"):
        path = folder / name
        if path.exists():
            text = path.read_text(encoding="utf-8").replace("Größe,", "Größe (geändert),")
            path.write_text(text, encoding="utf-8")


def run_client(
    case: Case, bindir: Path, work: Path, wiki: LocalWiki, env: dict[str, str], verbose: bool
) -> None:
    user, secret = wiki.admin
    if case.client == "md2conf":
        if case.mode == "v2":
            where = ["--api-url", wiki.url + "/", "-d", "127.0.0.1", "-p", "/wiki/"]
        else:
            where = ["--api-version", "v1", "-d", f"127.0.0.1:{wiki.port}", "-p", "/"]
        command = [
            str(bindir / "md2conf"),
            str(work),
            *where,
            "-u",
            user,
            "-a",
            secret,
            "-s",
            SPACE,
            "--keep-hierarchy",
            "-l",
            "warning",
        ]
    else:
        env = {
            **env,
            "LW_URL": wiki.url,
            "LW_USER": user,
            "LW_PASS": secret,
            "LW_FLAVOUR": case.flavour,
            "LW_API": case.mode,
        }
        command = [
            str(bindir / "sphinx-build"),
            "-q",
            "-b",
            "confluence",
            str(work),
            str(work / "_build"),
        ]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    case.runs.append(time.perf_counter() - started)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        case.problems.append(f"run {len(case.runs)} exit {done.returncode}: {' | '.join(tail)}")
    elif verbose and done.stderr.strip():
        print(done.stderr.strip()[-2000:])


def check(case: Case, wiki: LocalWiki, verify: str | bool) -> None:
    """Read back through v1 REST what a reader of the wiki would see."""

    def find(title: str) -> dict[str, Any] | None:
        answer = requests.get(
            wiki.url + "/rest/api/content",
            auth=wiki.admin,
            verify=verify,
            timeout=30,
            params={
                "spaceKey": SPACE,
                "title": title,
                "expand": "version,ancestors,body.storage,metadata.labels",
            },
        )
        results = answer.json().get("results", []) if answer.ok else []
        return results[0] if results else None

    root, child = find(ROOT), find(CHILD)
    case.published = sum(page is not None for page in (root, child))
    if root is None or child is None:
        case.problems.append("a page is missing")
        return
    if "geändert" in root["body"]["storage"]["value"] and root["version"]["number"] >= 2:
        case.updated = 1
    if root["id"] not in [a["id"] for a in child["ancestors"]]:
        case.problems.append("the child page is not below the root page")
    names = {x["name"] for x in root["metadata"]["labels"]["results"]}
    case.labels = "netzwerk" in names
    if case.client == "sphinx":  # the builder uploads its objects.inv as an attachment
        files = requests.get(
            f"{wiki.url}/rest/api/content/{root['id']}/child/attachment",
            auth=wiki.admin,
            verify=verify,
            timeout=30,
        ).json()
        if [f["title"] for f in files.get("results", [])] != ["objects.inv"]:
            case.problems.append("objects.inv was not attached to the root page")


def run_case(
    case: Case, bindir: Path, root: Path, tls: tuple[Path, Path] | None, verbose: bool
) -> None:
    context = None
    # With TLS the client trusts the throwaway certificate.
    env = client_env(tls[0] if tls else None)
    if tls is not None:
        context = server_context(*tls)
    verify: str | bool = str(tls[0]) if tls else True
    work = root / f"{case.client}-{case.flavour}-{case.mode}"
    writer: Callable[[Path], None] = write_markdown if case.client == "md2conf" else write_sphinx
    writer(work)
    with LocalWiki(flavour=case.flavour, ssl_context=context) as wiki:  # type: ignore[arg-type]
        made = requests.post(
            wiki.url + "/rest/api/space",
            auth=wiki.admin,
            verify=verify,
            json={"key": SPACE, "name": "Dokumentation"},
            timeout=30,
        )
        made.raise_for_status()
        run_client(case, bindir, work, wiki, env, verbose)
        edit(work)
        run_client(case, bindir, work, wiki, env, verbose)
        check(case, wiki, verify)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", choices=sorted(CLIENTS), action="append")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (venvs)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    clients = args.only or sorted(CLIENTS)
    root = Path(tempfile.mkdtemp(prefix="lw-clients-"))
    cases = {
        "md2conf": [Case("md2conf", "cloud", "v2"), Case("md2conf", "dc", "v1")],
        "sphinx": [
            Case("sphinx", "dc", "v1"),
            Case("sphinx", "cloud", "v1"),
            Case("sphinx", "cloud", "v2"),
        ],
    }
    done: list[Case] = []
    try:
        tls = self_signed(root)
        for client in clients:
            bindir, seconds = make_venv(root, client)
            print(f"{CLIENTS[client]}: venv and install {seconds:.1f} s")
            for case in cases[client]:
                run_case(
                    case,
                    bindir,
                    root,
                    tls if case.client == "md2conf" and case.flavour == "dc" else None,
                    args.verbose,
                )
                done.append(case)
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(
        f"\n{'client':<9} {'flavour':<7} {'api':<4} {'published':>9} {'updated':>7} "
        f"{'labels':>6} {'runs (s)':>11}  result"
    )
    for case in done:
        runs = "/".join(f"{s:.1f}" for s in case.runs)
        print(
            f"{case.client:<9} {case.flavour:<7} {case.mode:<4} {case.published:>9} "
            f"{case.updated:>7} {'yes' if case.labels else 'no':>6} {runs:>11}  "
            f"{'pass' if case.ok else 'FAIL'}"
        )
        for problem in case.problems:
            print(f"    {problem}")
    return 0 if all(case.ok for case in done) else 1


if __name__ == "__main__":
    raise SystemExit(main())
