"""`confluence-sync serve` starts the wiki, prints where it is, and answers requests."""

from __future__ import annotations

import subprocess
import sys

import requests


def test_serve_prints_url_credentials_and_viewer() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "confluence_sync", "serve", "--port", "0", "--flavour", "cloud"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        url = lines[0].split(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/wiki")
        assert "admin@localwiki.invalid" in lines[1] and "localwiki-admin-token" in lines[1]
        assert lines[2].strip().endswith("/viewer")
        response = requests.get(
            url + "/api/v2/spaces",
            auth=("admin@localwiki.invalid", "localwiki-admin-token"),
            timeout=10,
        )
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
