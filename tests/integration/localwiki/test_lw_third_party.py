"""md2conf (``markdown-to-confluence``, pinned in dev), unmodified, publishes to both flavours.

Cloud: md2conf's default v2 mode with ``--api-url`` (plain http works there). Data Center:
``--api-version v1``, for which md2conf always builds ``https://`` URLs, so the wiki serves TLS
with a throwaway self-signed certificate the client trusts through ``SSL_CERT_FILE``. Each
test publishes a page with a child (umlauts, labels), edits the Markdown, publishes again, and
reads the result back through the REST API as any reader would.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import requests

from confluence_sync.localwiki.server import LocalWiki

from .publishing import client_env, self_signed, server_context

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("md2conf") is None,
    reason="markdown-to-confluence is not installed (pip install -e '.[dev]' brings it)",
)

ROOT, CHILD = "Netzwerk Übersicht", "Arbeitsgruppe Qualität"


def _write_docs(folder: Path) -> None:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.md").write_text(
        textwrap.dedent(f"""\
        ---
        title: {ROOT}
        tags: [netzwerk, treffen]
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
        ---
        # {CHILD}

        | Name | Rolle |
        |------|-------|
        | Jürgen | Leitung |
        """),
        encoding="utf-8",
    )


def _publish(folder: Path, where: list[str], user: str, secret: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "md2conf",
            str(folder),
            *where,
            "-u",
            user,
            "-a",
            secret,
            "-s",
            "DOCS",
            "--keep-hierarchy",
            "-l",
            "warning",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _find(wiki: LocalWiki, title: str, verify: str | bool) -> dict[str, Any]:
    answer = requests.get(
        wiki.url + "/rest/api/content",
        auth=wiki.admin,
        verify=verify,
        timeout=30,
        params={
            "spaceKey": "DOCS",
            "title": title,
            "expand": "version,ancestors,body.storage,metadata.labels",
        },
    )
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert len(results) == 1, f"{title!r} not published"
    return dict(results[0])


def _round_trip(
    tmp_path: Path, wiki: LocalWiki, where: list[str], env: dict[str, str], verify: str | bool
) -> None:
    made = requests.post(
        wiki.url + "/rest/api/space",
        auth=wiki.admin,
        verify=verify,
        json={"key": "DOCS", "name": "Dokumentation"},
        timeout=30,
    )
    assert made.status_code == 200, made.text
    docs = tmp_path / "docs"
    _write_docs(docs)
    user, secret = wiki.admin
    _publish(docs, where, user, secret, env)
    first = _find(wiki, ROOT, verify)
    child = _find(wiki, CHILD, verify)
    assert first["id"] in [a["id"] for a in child["ancestors"]]
    assert "Jürgen" in child["body"]["storage"]["value"]
    assert {x["name"] for x in first["metadata"]["labels"]["results"]} >= {"netzwerk", "treffen"}

    index = docs / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8").replace("Größe,", "Größe (neu),"), encoding="utf-8"
    )
    _publish(docs, where, user, secret, env)
    second = _find(wiki, ROOT, verify)
    assert second["id"] == first["id"]  # updated in place, not published twice
    assert second["version"]["number"] > first["version"]["number"]
    assert "Größe (neu)" in second["body"]["storage"]["value"]


def test_md2conf_publishes_to_cloud_v2(tmp_path: Path) -> None:
    with LocalWiki(flavour="cloud") as wiki:
        where = ["--api-url", wiki.url + "/", "-d", "127.0.0.1", "-p", "/wiki/"]
        _round_trip(tmp_path, wiki, where, client_env(), True)


def test_md2conf_publishes_to_data_center_v1_over_https(tmp_path: Path) -> None:
    try:
        cert, key = self_signed(tmp_path)
    except (OSError, subprocess.CalledProcessError) as error:
        pytest.skip(f"md2conf's v1 mode needs https; openssl cannot make a certificate: {error}")
    context = server_context(cert, key)
    env = client_env(cert)
    with LocalWiki(flavour="dc", ssl_context=context) as wiki:
        where = ["--api-version", "v1", "-d", f"127.0.0.1:{wiki.port}", "-p", "/"]
        _round_trip(tmp_path, wiki, where, env, str(cert))
