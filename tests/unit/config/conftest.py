"""Shared helpers for the config tests: the repo's example config and a small valid config."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "config.example.yaml"
TODAY = dt.date(2026, 1, 5)

# The network and its first two organisations (one contact), shared with other tests' configs.
NETWORK_HEAD = """\
network:
  key: PUU
  name: Partnerschaft Umwelt Unternehmen
organisations:
  - id: hansa-flex
    name: HANSA-FLEX AG
    city: Bremen
    contacts:
      - name: Christian Herm
        email: christian.herm@hansa-flex.example
        account: cherm
  - id: deutsche-see
    name: Deutsche See GmbH
"""

MINIMAL = (
    NETWORK_HEAD
    + """\
  - id: atlas-elektronik
    name: ATLAS ELEKTRONIK GmbH
working_groups:
  - key: UPX
    name: Arbeitskreis Umweltperspektiven
    lead: christian.herm@hansa-flex.example
    members: [hansa-flex, deutsche-see, atlas-elektronik]
"""
)


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text to a file in a temporary directory and return its path."""

    def write(text: str, name: str = "network.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
