"""How tests and benchmarks start a headless Chromium against the local wiki: Debian's
``chromium`` and ``chromium-driver`` (``.ci/run`` installs them) and the flags that keep the
browser inside a closed network — no update checks, no sync, no background requests, no QUIC
— so that every request it makes is one to the wiki under test.

Imports: nothing of the project.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_flags(width: int = 1200, height: int = 1600, *extra: str) -> list[str]:
    """The flags, a window of ``width`` × ``height`` and ``extra``."""
    return [*FLAGS, f"--window-size={width},{height}", *extra]


__all__ = ["CHROMEDRIVER", "CHROMIUM", "FLAGS", "chromium_flags"]
