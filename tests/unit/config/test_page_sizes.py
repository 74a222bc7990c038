"""Page sizes: the bound ``validate`` checks is never below the body a page really has, and a
config whose pages would pass Confluence's 5 MB body limit is refused at its place."""

from __future__ import annotations

import json

import pytest
import yaml

from confluence_sync.config import load_config_text
from confluence_sync.config.page_sizes import MAX_BODY, PAGE_BUDGET, bounds, storage_bytes
from confluence_sync.errors import ConfigError
from confluence_sync.wanted.build import build_wanted
from tests.unit.config.conftest import EXAMPLE, TODAY

# Every escape the body goes through at once: XML (& < > " '), JSON (\\), non-ASCII (ä, €),
# beyond the BMP (an emoji is two UTF-16 units, two \\uXXXX).
HARD = "&<>\"'\\ä€🌱 x"


def _long(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


def _network(organisations: int, contacts: int, groups: int, meetings: int) -> dict[str, object]:
    orgs = [
        {
            "id": f"org-{o}",
            "name": _long(f"{o} {HARD}", 200),
            "sector": _long(HARD, 255),
            "city": _long(HARD, 255),
            "address": _long(HARD, 255),
            "website": "https://example.org/" + "a" * 200,
            "contacts": [
                {
                    "name": _long(f"{o} {c} {HARD}", 255),
                    "email": f"c{c}.o{o}@example.org",
                    "role": _long(HARD, 255),
                    "phone": _long(HARD, 255),
                }
                for c in range(contacts)
            ],
        }
        for o in range(organisations)
    ]
    members = [f"org-{o}" for o in range(organisations)]
    working_groups = [
        {
            "key": f"G{g}",
            "name": _long(f"G{g} {HARD}", 200),
            "purpose": _long(HARD, 2000),
            "lead": "c0.o0@example.org",
            "members": members,
            "topics": [_long(f"t{t} {HARD}", 255) for t in range(20)],
            "schedule": {"months": list(range(1, 13)), "horizon": 24},
            "meetings": [
                {
                    "date": f"{2026 + m // 12}-{m % 12 + 1:02d}-15",
                    "host": members[m % len(members)],
                    "title": _long(f"{m} {HARD}", 210),
                    "place": _long(HARD, 255),
                    "online": "https://meet.example/" + "b" * 300,
                    "start_time": "14:00",
                    "end_time": "17:30",
                    "agenda": [_long(f"{a} {HARD}", 255) for a in range(30)],
                }
                for m in range(meetings)
            ],
        }
        for g in range(groups)
    ]
    return {
        "network": {"key": "NET", "name": _long(HARD, 200), "description": _long(HARD, 2000)},
        "organisations": orgs,
        "working_groups": working_groups,
    }


def _dump(data: dict[str, object]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, width=1_000_000, sort_keys=False)


def _identity(bound_page: str, group_key: str | None) -> tuple[str, ...]:
    if bound_page == "directory":
        return ("hub/directory",)
    if bound_page == "hub":
        return ("hub/home",)
    return (f"group/{group_key}/home", f"group/{group_key}/members")


def test_storage_bytes_counts_every_escape_as_sent() -> None:
    from markupsafe import escape

    for text in (HARD, "plain", "", "ä" * 7, "🌱🌱", 'a "quoted" & <b>'):
        assert storage_bytes(text) == len(json.dumps(str(escape(text)))) - 2


@pytest.mark.parametrize(
    "shape", [(3, 2, 1, 2), (12, 3, 2, 4), (6, 1, 1, 20)], ids=["small", "wide", "long"]
)
def test_the_bound_is_never_below_the_rendered_body(shape: tuple[int, int, int, int]) -> None:
    config = load_config_text(_dump(_network(*shape)), today=TODAY)
    wanted = build_wanted(config, today=TODAY)
    sent = {str(p.identity): len(json.dumps(p.body)) for s in wanted.spaces for p in s.pages}
    checked = 0
    for bound in bounds(config, TODAY):
        if bound.meeting is not None:
            names: tuple[str, ...] = (str(bound.meeting.identity),)
        else:
            key = None if bound.group is None else config.working_groups[bound.group].key
            names = _identity(bound.page, key)
        for name in names:
            size = sent[name]
            assert size <= bound.size, (name, size, bound.size)
            checked += 1
    assert checked >= 4 + shape[3]


def test_the_example_is_far_below_the_budget() -> None:
    config = load_config_text(EXAMPLE.read_text(encoding="utf-8"), today=TODAY)
    assert max(bound.size for bound in bounds(config, TODAY)) < PAGE_BUDGET // 20


def test_a_directory_past_the_body_limit_is_refused_at_the_organisations() -> None:
    # Small file, large page: each of 60 groups has all 300 organisations as members, so the
    # directory links every organisation to 60 groups with long names (18,000 links).
    organisations = [{"id": f"o{o}", "name": f"O{o}"} for o in range(300)]
    contacts = [{"name": "Lead", "email": "lead@example.org"}]
    organisations[0]["contacts"] = contacts  # type: ignore[assignment]
    groups = [
        {
            "key": f"G{g}",
            "name": _long(f"G{g} {HARD}", 200),
            "lead": "lead@example.org",
            "members": [f"o{o}" for o in range(300)],
        }
        for g in range(60)
    ]
    data = {"network": {"key": "NET", "name": "Net"}, "organisations": organisations}
    text = _dump({**data, "working_groups": groups})
    assert len(text.encode()) < 2 * 1024 * 1024  # the file itself is within its limit
    with pytest.raises(ConfigError) as raised:
        load_config_text(text, file="big.yaml", today=TODAY)
    problems = raised.value.problems
    assert [p.path for p in problems] == ["organisations"], problems
    # Where the list of organisations starts:
    assert (problems[0].line, problems[0].column) == (5, 1)
    assert f"{MAX_BODY:,} bytes" in problems[0].message
    assert problems[0].message.startswith("the member directory would be up to ")
