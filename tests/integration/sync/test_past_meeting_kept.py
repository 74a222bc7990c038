"""A generated meeting page stays when its day has passed (the engine hands the config, and so
the schedule's slots, to the planner): before, the run after the meeting archived it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from confluence_sync.run import RunResult, load_wanted, sync_run

from .conftest import ACCOUNTS, Site

SCHEDULED = """\
network:
  key: PUU
  name: Partnerschaft Umwelt Unternehmen
  language: de
  admins:
    - account: "{netzwerkbuero}"
organisations:
  - id: hansa-flex
    name: HANSA-FLEX AG
    city: Bremen
    contacts:
      - name: Christian Herm
        email: christian.herm@hansa-flex.example
        account: "{cherm}"
  - id: deutsche-see
    name: Deutsche See GmbH
    city: Bremerhaven
    contacts:
      - name: Sabine Lüdtke
        email: s.luedtke@deutschesee.example
        account: "{sluedtke}"
working_groups:
  - key: UPX
    name: Arbeitskreis Umweltperspektiven
    lead: christian.herm@hansa-flex.example
    members: [hansa-flex, deutsche-see]
    schedule:
      months: [3, 9]
      horizon: 2
"""
MEETING_DAY = dt.date(2026, 3, 12)  # the second Thursday of March 2026
MARCH = "page group/UPX/meeting/slot/2026-1"


def sync_on(site: Site, today: dt.date) -> RunResult:
    backend = site.backend()
    options = replace(site.options(), today=today)
    wanted = load_wanted(site.path, options)
    return sync_run(backend, wanted, options)


def test_generated_meeting_page_is_kept_after_its_day(site: Site) -> None:
    assert set(ACCOUNTS) <= set(site.accounts)
    site.write_config(raw=SCHEDULED.format(**site.accounts))
    first = sync_on(site, MEETING_DAY - dt.timedelta(days=10))
    assert first.exit_code() == 0
    statuses = {r.item: r.status for r in first.results}
    assert statuses[MARCH] == "created"

    after = sync_on(site, MEETING_DAY + dt.timedelta(days=1))
    assert after.exit_code() == 0
    statuses = {r.item: r.status for r in after.results}
    assert statuses.get(MARCH) != "archived"
    archived = [r.item for r in after.results if r.status == "archived"]
    assert archived == []
