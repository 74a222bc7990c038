"""Identities: what makes a page the same page across runs — derived from the config, never
from a title, so a renamed or moved meeting is an update. The one module that builds and
reads them.

A :class:`PageIdentity` is a ``str`` (so the ledger, the plan and the report keep it as the
text they always stored: ``hub/home``, ``group/UPX/meeting/2026-03``) whose parts are read
here and nowhere else::

    hub/home  hub/directory
    group/UPX/home  group/UPX/meetings  group/UPX/members  group/UPX/archive
    group/UPX/meeting/slot/2026-2                   a meeting of the schedule, by its slot:
                                                    the 2nd of the schedule's months in 2026
    group/UPX/meeting/id/kickoff                    a meeting with an ``id`` in the config
    group/UPX/meeting/2026-03                       any other meeting, by its month (also
                                                    how every meeting was known before slots)
    group/UPX/template/minutes                      the minutes template (Cloud)
    group/UPX/template/minutes/page                 its stand-in page (Data Center)

Imports nothing of the project.
"""

from __future__ import annotations

import re
from typing import Final

HUB: Final = "hub"
GROUP: Final = "group"
_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")
_SLOT: Final = re.compile(r"slot/(\d{4})-(\d{1,2})")


class PageIdentity(str):
    """The identity of a page (or template) the sync manages. Build one with :meth:`hub`,
    :meth:`group`, :meth:`meeting` or :meth:`template`; read a stored one with :func:`parse`."""

    __slots__ = ()

    @classmethod
    def hub(cls, page: str) -> PageIdentity:
        return cls(f"{HUB}/{page}")

    @classmethod
    def group(cls, key: str, page: str) -> PageIdentity:
        return cls(f"{GROUP}/{key}/{page}")

    @classmethod
    def meeting(cls, key: str, year: int, month: int) -> PageIdentity:
        return cls.group(key, f"meeting/{year:04d}-{month:02d}")

    @classmethod
    def slot_meeting(cls, key: str, year: int, number: int) -> PageIdentity:
        """The meeting of the ``number``-th (from 1) listed month of ``year`` in the group's
        schedule (see ``schedule``)."""
        return cls.group(key, f"meeting/slot/{year:04d}-{number}")

    @classmethod
    def named_meeting(cls, key: str, name: str) -> PageIdentity:
        """The meeting the config names with ``id: name``."""
        return cls.group(key, f"meeting/id/{name}")

    @classmethod
    def template(cls, key: str, name: str, *, page: bool = False) -> PageIdentity:
        """A group's page template, or (``page``) the page standing in for it."""
        return cls.group(key, f"template/{name}" + ("/page" if page else ""))

    @property
    def group_key(self) -> str | None:
        """The working group's key for a group page; None on the hub."""
        parts = self.split("/", 2)
        return parts[1] if parts[0] == GROUP and len(parts) == 3 else None

    @property
    def page(self) -> str:
        """What the page is within its space: ``home``, ``meeting/2026-03`` …"""
        parts = self.split("/", 2)
        return parts[2] if parts[0] == GROUP and len(parts) == 3 else parts[-1]

    @property
    def meeting_month(self) -> tuple[int, int] | None:
        """(year, month) of a meeting page; None for every other page."""
        kind, _, month = self.page.partition("/")
        found = _MONTH.fullmatch(month) if kind == "meeting" else None
        return (int(found[1]), int(found[2])) if found else None

    @property
    def meeting_slot(self) -> tuple[int, int] | None:
        """(year, number) of a meeting page known by its schedule slot; None for every other
        page."""
        kind, _, rest = self.page.partition("/")
        found = _SLOT.fullmatch(rest) if kind == "meeting" else None
        return (int(found[1]), int(found[2])) if found else None


def parse(text: str) -> PageIdentity | None:
    """The identity a stored text names, or None when it names none (a foreign record)."""
    parts = text.split("/", 2)
    if parts[0] == HUB and len(parts) == 2 and parts[1]:
        return PageIdentity(text)
    if parts[0] == GROUP and len(parts) == 3 and parts[1] and parts[2]:
        return PageIdentity(text)
    return None
