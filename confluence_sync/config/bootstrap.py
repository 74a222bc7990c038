"""``init``: write a commented starter config that validates.

From scratch the starter holds one working group after the Bremen model - members from
different sectors, a kick-off meeting, then two meetings a year at each other's sites, the
rotation going on after the kick-off's host - and placeholder organisations for the coordinator
to replace. Placeholders are region-neutral (no city of the example network) and in the
starter's language throughout: ids, e-mail addresses and the admin account too.

With ``--from`` it takes the working groups of an existing network (names, purposes, topics,
schedules, visibility) but none of its organisations, contacts, accounts or meetings: a group
needs members and a lead to be valid, so placeholders stand in for them, and comments say so.

The YAML is built as text (comments matter here, and a YAML dumper drops them); every value
goes through ``_q``, which writes a JSON string - a valid YAML double-quoted scalar - so names
with quotes, colons or '#' cannot break the file. The result is validated before it is written.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from confluence_sync.config.load import load_config, load_config_text
from confluence_sync.config.model import Language, NetworkConfig, Schedule, WorkingGroup
from confluence_sync.errors import EXIT_USAGE, ConfluenceSyncError
from confluence_sync.files import write_file

KICK_OFF_LEAD_TIME: Final = dt.timedelta(weeks=6)
PLACEHOLDERS: Final = ("a", "b", "c", "d")


class TargetExistsError(ConfluenceSyncError):
    """``init`` was asked to write over an existing file without ``--force``."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class _Words:
    header: str
    placeholders: str
    member_id: str  # "mitglied" -> mitglied-a; ids, e-mails and the lead follow it
    contact_mailbox: str  # local part of the placeholder e-mails: kontakt@mitglied-a.example
    admin_account: str
    city: str
    account: str
    group_from: str
    members_note: str
    lead_note: str
    org_name: str
    contact_name: str
    sector: str
    role: str
    description: str
    admin_name: str
    group_key: str  # abbreviates group_name in the starter's language
    group_name: str
    purpose: str
    topics: tuple[str, ...]
    kick_off: str
    agenda: tuple[str, ...]


_WORDS: Final[dict[Language, _Words]] = {
    "de": _Words(
        header="Startkonfiguration für confluence-sync. Prüfen mit: confluence-sync validate",
        placeholders="PLATZHALTER: Ersetzen Sie diese Organisationen und Kontakte durch die "
        "echten Mitglieder (id = kurzer, eindeutiger Name aus Kleinbuchstaben und Bindestrichen).",
        member_id="mitglied",
        contact_mailbox="kontakt",
        admin_account="netzwerkbuero",
        city="Ort (Platzhalter)",
        account="account: kontoname   # Wiki-Konto; ohne Konto gelistet, aber kein Zugriff",
        group_from="Arbeitskreise übernommen aus",
        members_note="Platzhalter-Mitglieder: durch die echten Organisationen ersetzen",
        lead_note="Platzhalter: E-Mail des Kontakts, der den Arbeitskreis leitet",
        org_name="Mitglied {letter} (Platzhalter)",
        contact_name="Kontaktperson {letter}",
        sector="Branche",
        role="Umweltmanagement",
        description="Unternehmen, die freiwillig mehr für Umwelt- und Klimaschutz tun.",
        admin_name="Netzwerkbüro (Platzhalter-Konto ersetzen)",
        group_key="UPX",
        group_name="Arbeitskreis Umweltperspektiven",
        purpose="Betriebe der Mitglieder besichtigen, Erfahrungen austauschen und Umwelt- und "
        "Klimathemen gemeinsam bearbeiten.",
        topics=("Klimaschutz", "Energieeffizienz"),
        kick_off="Auftaktveranstaltung",
        agenda=("Begrüßung & Vorstellungsrunde", "Ziele des Arbeitskreises", "Termine & Gastgeber"),
    ),
    "en": _Words(
        header="Starter config for confluence-sync. Check it with: confluence-sync validate",
        placeholders="PLACEHOLDERS: replace these organisations and contacts with the real "
        "members (id = short unique name of lower-case letters and dashes).",
        member_id="member",
        contact_mailbox="contact",
        admin_account="network-office",
        city="City (placeholder)",
        account="account: account-name   # wiki account; without it: listed, but no access",
        group_from="Working groups taken from",
        members_note="placeholder members: replace with the real organisations",
        lead_note="placeholder: e-mail of the contact who leads the group",
        org_name="Member {letter} (placeholder)",
        contact_name="Contact person {letter}",
        sector="Sector",
        role="Environmental management",
        description="Companies that voluntarily do more for the environment and the climate.",
        admin_name="Network office (replace the placeholder account)",
        group_key="EPX",
        group_name="Environmental Perspectives Working Group",
        purpose="Visit the members' sites, share experience and work on environmental and "
        "climate topics together.",
        topics=("Climate protection", "Energy efficiency"),
        kick_off="Kick-off",
        agenda=("Welcome & introductions", "Goals of the group", "Dates & hosts"),
    ),
}


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str] | tuple[str, ...]) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def _member(words: _Words, letter: str) -> str:
    return f"{words.member_id}-{letter}"


def _email(words: _Words, letter: str) -> str:
    return f"{words.contact_mailbox}@{_member(words, letter)}.example"


def _organisations(words: _Words) -> list[str]:
    lines = ["organisations:", f"  # {words.placeholders}"]
    for letter in PLACEHOLDERS:
        lines += [
            f"  - id: {_member(words, letter)}",
            f"    name: {_q(words.org_name.format(letter=letter.upper()))}",
            f"    sector: {_q(words.sector)}",
            f"    city: {_q(words.city)}",
            "    contacts:",
            f"      - name: {_q(words.contact_name.format(letter=letter.upper()))}",
            f"        email: {_email(words, letter)}",
            f"        role: {_q(words.role)}",
            f"        # {words.account}",
        ]
    return lines


def _schedule(schedule: Schedule, start: dt.date) -> list[str]:
    lines = [
        "    schedule:",
        f"      per_year: {len(set(schedule.months))}",
        f"      months: [{', '.join(str(m) for m in schedule.months)}]",
        f"      weekday: {schedule.weekday}",
        f"      week: {schedule.week}",
        f"      rotate_hosts: {'true' if schedule.rotate_hosts else 'false'}",
        f"      horizon: {schedule.horizon}",
        f"      start: {start.isoformat()}",
    ]
    return lines


def _group(group: WorkingGroup, words: _Words, start: dt.date) -> list[str]:
    lines = [
        f"  - key: {_q(group.key)}",
        f"    name: {_q(group.name)}",
        f"    purpose: {_q(group.purpose)}",
        f"    lead: {_email(words, PLACEHOLDERS[0])}   # {words.lead_note}",
        f"    members: [{', '.join(_member(words, p) for p in PLACEHOLDERS)}]"
        f"   # {words.members_note}",
        f"    topics: {_list(group.topics)}",
        f"    visibility: {group.visibility}",
    ]
    if group.schedule is not None:
        lines += _schedule(group.schedule, start)
    return lines


def starter_text(
    *,
    name: str,
    key: str,
    language: Language,
    source: NetworkConfig | None,
    source_name: str = "",
    today: dt.date,
) -> str:
    """The commented YAML of a starter config (not yet validated)."""
    words = _WORDS[language]
    lines = [
        "# yaml-language-server: $schema=network.schema.json",
        "#   (create it with: confluence-sync schema --output network.schema.json)",
        f"# {words.header}",
        "",
        "network:",
        f"  key: {_q(key)}",
        f"  name: {_q(name)}",
        f"  language: {language}",
        f"  description: {_q(words.description)}",
        "  admins:",
        f"    - account: {words.admin_account}",
        f"      name: {_q(words.admin_name)}",
        "",
        *_organisations(words),
        "",
        "working_groups:",
    ]
    if source is not None:
        lines.insert(3, f"# {words.group_from} {source_name}")
        for group in source.working_groups:
            lines += _group(group, words, today)
        if not source.working_groups:
            lines[-1] = "working_groups: []"
        return "\n".join(lines) + "\n"
    kick_off = today + KICK_OFF_LEAD_TIME
    group = WorkingGroup(
        key=words.group_key,
        name=words.group_name,
        purpose=words.purpose,
        lead=_email(words, PLACEHOLDERS[0]),
        members=[_member(words, p) for p in PLACEHOLDERS],
        topics=list(words.topics),
        schedule=Schedule(months=[3, 9]),
    )
    lines += _group(group, words, kick_off)
    lines += [
        "    meetings:",
        f"      - date: {kick_off.isoformat()}",
        f"        host: {_member(words, PLACEHOLDERS[0])}",
        f"        title: {_q(words.kick_off)}",
        f"        agenda: {_list(words.agenda)}",
    ]
    return "\n".join(lines) + "\n"


def starter_key(key: str) -> tuple[str, str | None]:
    """The network key ``init`` uses for ``key``, and a note when it had to change it.

    Space keys are capital letters and digits (``network.key``); a key typed in lower case is
    meant in capitals, so it is upper-cased and the note says so instead of refusing it. Any
    other problem (a dash, an umlaut) is left for validation to report.
    """
    wanted = key.upper()
    if wanted == key:
        return key, None
    return wanted, f"note: network key {key!r} upper-cased to {wanted!r} (space keys are capitals)"


def write_starter(
    target: Path,
    *,
    name: str,
    key: str,
    language: Language | None = None,
    source_path: Path | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> NetworkConfig:
    """Write a starter config to ``target`` and return it as validated.

    ``key`` is upper-cased (``starter_key``). Raises ``TargetExistsError`` if ``target``
    exists and ``force`` is false, and ``ConfigError`` if the source config or the generated one
    (e.g. a key with a dash) is invalid.
    """
    today = today or dt.date.today()
    key, _ = starter_key(key)
    if target.exists() and not force:
        raise TargetExistsError(
            f"{target} exists already", hint="pick another file name or add --force"
        )
    source = load_config(source_path, today=today) if source_path is not None else None
    chosen: Language = language or (source.network.language if source else "de")
    text = starter_text(
        name=name,
        key=key,
        language=chosen,
        source=source,
        source_name=source_path.name if source_path else "",
        today=today,
    )
    config = load_config_text(text, file=str(target), today=today)
    write_file(target, text, "the config")
    return config
