"""The digest's figure of TARGETS.md: requests of ``confluence-sync digest`` against its budget
(reads only; ≤ 3 requests per space + 1 per 100 pages of the network), measured against the
local Confluence after members wrote attendees, decisions and action items into meeting pages.

Per flavour and network (``config.example.yaml`` and the 2,000-page network of
``bench/large_network.py``): the first sync, then members' edits over REST (one meeting page
per group: attendees, two decisions, three tasks assigned to contacts of the network, with a due
date), then one ``confluence-sync digest --until 2030-12-31`` process (every meeting held). The
server's journal counts what reached it: requests, writes (0), next to the budget. ``--show``
prints the example network's digest as Markdown. Prints figures only; it asserts nothing.

Then the published page: a no-op sync (the baseline), ``digest --publish`` (what making the
page costs), the same no-op sync again (TARGETS: no request and no write more than the
baseline), and a sync after a member saved one meeting page (what one refresh costs).

    python bench/digest_bench.py [--flavour dc|cloud|both] [--quick] [--show]
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_network import LARGE, account_names, write_network
from sync_bench import (
    TODAY,
    Wiki,
    command,
    create_accounts,
    example_accounts,
    example_config,
    log,
    run_sync,
    serve,
)

UNTIL = "2030-12-31"
PER_SPACE, PAGES_PER_REQUEST = 3, 100
_PLACEHOLDER = r"<p><ac:placeholder>[^<]*</ac:placeholder></p>"


def settings_for(wiki: Wiki):  # type: ignore[no-untyped-def]
    from confluence_sync.settings import Settings

    flavour = "cloud" if wiki.flavour == "cloud" else "datacenter"
    return Settings.from_env(
        {}, url=wiki.url, flavour=flavour, username=wiki.admin[0], api_token=wiki.admin[1]
    )


def members_write(wiki: Wiki, config: Path, accounts: Mapping[str, str]) -> tuple[int, int]:
    """One meeting page per group gets members' words, saved over REST; returns the spaces
    and pages of the network (the budget's two sides)."""
    import datetime as dt

    from confluence_sync.backends import open_backend
    from confluence_sync.config import load_config
    from confluence_sync.config.model import space_key
    from confluence_sync.digest.assemble import is_meeting
    from confluence_sync.state import ledger_store
    from confluence_sync.wiki.values import PageUpdate

    conf = load_config(config, today=dt.date.fromisoformat(TODAY))
    backend = open_backend(settings_for(wiki))
    reader, writer = backend.reader, backend.writer()
    people = sorted(set(accounts.values()))
    try:
        keys = [conf.network.key] + [space_key(conf.network, g) for g in conf.working_groups]
        pages = sum(len(reader.list_pages(key)) for key in keys)
        for number, key in enumerate(keys[1:]):
            index = ledger_store.read(reader, key).index
            meeting = next(r for i, r in sorted(index.pages.items()) if is_meeting(i))
            page = reader.get_page(meeting.page_id)
            refs = [_mention(reader, people[(number + k) % len(people)], wiki) for k in range(3)]
            tasks = (
                "<ac:task-list>"
                + _task(1, "incomplete", f"Angebot &amp; Kosten einholen {refs[0]}", "2026-02-01")
                + _task(2, "complete", f"Protokoll verschicken {refs[1]}", "")
                + _task(3, "incomplete", f"Gutachten anfragen {refs[2]}", "2031-03-01")
                + "</ac:task-list>"
            )
            body = page.body.replace(
                "<ac:placeholder>Namen eintragen</ac:placeholder>", "Anna Ärmel, Bo Öz", 1
            )
            sections = re.split(r"(<h2>[^<]*</h2>)", body)
            for at, part in enumerate(sections):
                if part in ("<h2>Beschlüsse</h2>", "<h2>Decisions</h2>"):
                    sections[at + 1] = re.sub(
                        _PLACEHOLDER,
                        "<ul><li>Wir messen die Abwärme.</li><li>Wir laden &quot;alle&quot; ein."
                        "</li></ul>",
                        sections[at + 1],
                        count=1,
                    )
                if part in ("<h2>Aufgaben</h2>", "<h2>Action items</h2>"):
                    sections[at + 1] = re.sub(_PLACEHOLDER, tasks, sections[at + 1], count=1)
            update = PageUpdate(page.info.id, page.info.title, "".join(sections), page.info.version)
            writer.update_page(update)
        return len(keys), pages
    finally:
        backend.close()


def _mention(reader, account: str, wiki: Wiki) -> str:  # type: ignore[no-untyped-def]
    if wiki.flavour == "cloud":
        return f'<ac:link><ri:user ri:account-id="{account}" /></ac:link>'
    user = reader.resolve_user(account)
    return f'<ac:link><ri:user ri:userkey="{user.key}" /></ac:link>'


def _task(number: int, status: str, words: str, due: str) -> str:
    when = f' <time datetime="{due}" />' if due else ""
    return (
        f"<ac:task><ac:task-id>{number}</ac:task-id><ac:task-status>{status}</ac:task-status>"
        f"<ac:task-body>{words}{when}</ac:task-body></ac:task>"
    )


def run_digest(
    wiki: Wiki, config: Path, output: Path, fmt: str, *, publish: bool = False
) -> tuple[int, int, float, str]:
    """One digest process; the journal's requests and writes, its wall time, its stderr."""
    wiki.clear_journal()
    env = {
        **os.environ,
        "CONFLUENCE_URL": wiki.url,
        "CONFLUENCE_FLAVOUR": "cloud" if wiki.flavour == "cloud" else "datacenter",
        "CONFLUENCE_USERNAME": wiki.admin[0],
        "CONFLUENCE_API_TOKEN": wiki.admin[1],
    }
    env.pop("CONFLUENCE_TOKEN", None)
    argv = [*command(), "digest", str(config), "--today", TODAY]
    argv += ["--publish"] if publish else ["--until", UNTIL]
    argv += ["--format", fmt, "-o", str(output)]
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    counts = wiki.journal()["counts"]
    return int(counts["total"]), int(counts["writes"]), wall, done.stderr.strip()


def measure(
    flavour: str,
    name: str,
    make: Callable[[Mapping[str, str], Path], Path],
    names: list[str],
    folder: Path,
    show: bool,
) -> str:
    work = folder / f"{flavour}-{name.replace(' ', '-')}"
    work.mkdir()
    db = work / "wiki.db"
    accounts = create_accounts(db, names, flavour)
    config = make(accounts, work)
    with serve(db, flavour) as wiki:
        log(f"{flavour} {name}: first sync")
        run_sync(wiki, config, 8, "first")
        spaces, pages = members_write(wiki, config, accounts)
        output = work / "digest.md"
        requests, writes, wall, said = run_digest(wiki, config, output, "markdown")
        published = publish_figures(wiki, config, work)
    budget = PER_SPACE * spaces + math.ceil(pages / PAGES_PER_REQUEST)
    verdict = "meets" if requests <= budget and writes == 0 else "MISSES"
    if show:
        print(output.read_text("utf-8"))
    log(f"  {said}")
    return (
        f"{flavour:5} | {name:14} | {spaces:3} spaces, {pages:5} pages | digest requests "
        f"{requests} (writes {writes}) | budget 3 × {spaces} + ⌈{pages}/100⌉ = {budget} | "
        f"{wall:.1f} s | {verdict}\n{'':5} | {'':14} | {published}"
    )


def publish_figures(wiki: Wiki, config: Path, work: Path) -> str:
    """No-op sync, ``digest --publish``, the no-op sync again, a member's save and a sync."""
    run_sync(wiki, config, 8, "settle")  # the members' saves: their pages read once
    before = run_sync(wiki, config, 8, "noop").summary
    made, made_writes, _wall, said = run_digest(
        wiki, config, work / "p.md", "markdown", publish=True
    )
    log(f"  {said}")
    after = run_sync(wiki, config, 8, "noop-published").summary
    _member_saves_one_page(wiki, config)
    refresh = run_sync(wiki, config, 8, "refresh").summary
    same = after["requests"] == before["requests"] and after["writes"] == before["writes"] == 0
    return (
        f"no-op sync {before['requests']} req / {before['writes']} writes; --publish {made} req "
        f"/ {made_writes} writes; no-op sync after it {after['requests']} / {after['writes']} "
        f"({'meets' if same else 'MISSES'}: nothing more); after a member's save "
        f"{refresh['requests']} req / {refresh['writes']} writes"
    )


def _member_saves_one_page(wiki: Wiki, config: Path) -> None:
    import datetime as dt

    from confluence_sync.backends import open_backend
    from confluence_sync.config import load_config
    from confluence_sync.config.model import space_key
    from confluence_sync.digest.assemble import is_meeting
    from confluence_sync.state import ledger_store
    from confluence_sync.wiki.values import PageUpdate

    conf = load_config(config, today=dt.date.fromisoformat(TODAY))
    backend = open_backend(settings_for(wiki))
    try:
        key = space_key(conf.network, conf.working_groups[0])
        index = ledger_store.read(backend.reader, key).index
        meeting = next(r for i, r in sorted(index.pages.items()) if is_meeting(i))
        page = backend.reader.get_page(meeting.page_id)
        body = page.body.replace("Wir messen die Abwärme.", "Wir messen die Abwärme ab Mai.")
        update = PageUpdate(page.info.id, page.info.title, body, page.info.version)
        backend.writer().update_page(update)
    finally:
        backend.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavour", choices=("dc", "cloud", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="config.example.yaml only")
    parser.add_argument("--show", action="store_true", help="print the example's digest")
    args = parser.parse_args()
    flavours = ("dc", "cloud") if args.flavour == "both" else (args.flavour,)
    folder = Path(tempfile.mkdtemp(prefix="digest-bench-"))
    lines = []
    for flavour in flavours:
        lines.append(
            measure(flavour, "example", example_config, example_accounts(), folder, args.show)
        )
        if not args.quick:

            def large(accounts: Mapping[str, str], where: Path) -> Path:
                return write_network(where / "network.yaml", LARGE, accounts)

            lines.append(
                measure(flavour, "2,000 pages", large, account_names(LARGE), folder, False)
            )
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
