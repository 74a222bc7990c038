"""The chaos tests reuse the sync tests' local wiki fixture (both flavours)."""

from tests.integration.sync.conftest import Site, site

__all__ = ["Site", "site"]
