"""The runtime admin endpoints and the request journal, over real HTTP."""

from __future__ import annotations

import pytest
import requests

from confluence_sync.localwiki.testing.journal import count_requests, read_journal

from .conftest import Served

FAULTS = "/__localwiki/faults"
JOURNAL = "/__localwiki/journal"


def test_admin_endpoint_changes_behaviour_at_runtime(served: Served) -> None:
    assert requests.get(served.url + "/rest/api/space", timeout=5).status_code == 200
    added = requests.post(served.url + FAULTS, json={"specs": ["503"]}, timeout=5)
    assert [rule["kind"] for rule in added.json()["rules"]] == ["503"]
    assert requests.get(served.url + "/rest/api/space", timeout=5).status_code == 503
    # The admin routes themselves are never subject to faults.
    listed = requests.get(served.url + FAULTS, timeout=5)
    assert listed.status_code == 200
    assert listed.json()["rules"][0]["fired"] == 1
    assert requests.delete(served.url + FAULTS, timeout=5).json()["rules"] == []
    assert requests.get(served.url + "/rest/api/space", timeout=5).status_code == 200


def test_admin_rejects_a_bad_spec_with_its_reason_and_adds_nothing(served: Served) -> None:
    answer = requests.post(served.url + FAULTS, json={"specs": ["503", "418"]}, timeout=5)
    assert answer.status_code == 400
    assert "unknown kind '418'" in answer.json()["error"]
    assert served.plan.rules() == []


def test_admin_sets_global_latency(served: Served) -> None:
    answer = requests.post(served.url + FAULTS, json={"latency_ms": 120}, timeout=5)
    assert answer.json()["latency_ms"] == 120
    requests.get(served.url + "/rest/api/space", timeout=5)
    assert served.journal.entries()[-1]["duration_ms"] >= 120


def test_ping_is_a_bare_json_route_outside_faults(served: Served) -> None:
    served.plan.add("503")
    answer = requests.get(served.url + "/__localwiki/ping", timeout=5)
    assert (answer.status_code, answer.json()) == (200, {"ok": True})


def test_journal_records_requests_faults_and_counts(served: Served) -> None:
    served.plan.add("429:method=POST:count=1")
    requests.get(served.url + "/rest/api/content?spaceKey=UPX&title=Tr%C3%A4ger", timeout=5)
    requests.post(served.url + "/rest/api/content", json={}, timeout=5)
    requests.post(served.url + "/rest/api/content", json={}, timeout=5)
    requests.put(served.url + "/rest/api/content/1", json={}, timeout=5)
    requests.get(served.url + FAULTS, timeout=5)  # admin: not journaled

    body = requests.get(served.url + JOURNAL, timeout=5).json()
    entries = body["entries"]
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("GET", "/rest/api/content", 200),
        ("POST", "/rest/api/content", 429),
        ("POST", "/rest/api/content", 200),
        ("PUT", "/rest/api/content/1", 200),
    ]
    assert entries[0]["query"] == "spaceKey=UPX&title=Tr%C3%A4ger"
    assert [e["fault"] for e in entries] == [False, True, False, False]
    assert entries[1]["fault_kind"] == "429"
    assert body["counts"] == {
        "total": 4,
        "reads": 1,
        "writes": 3,
        "faults": 1,
        "by_method": {"GET": 1, "POST": 2, "PUT": 1},
        "notifies": 0,  # a stub app behind the journal: nothing says it notified anyone
    }
    assert served.journal.path is not None
    assert read_journal(served.journal.path) == entries
    assert count_requests(entries).writes == 3


def test_journal_records_a_reset_as_status_zero(served: Served) -> None:
    served.plan.add("reset:count=1")
    with pytest.raises(requests.ConnectionError):
        requests.get(served.url + "/rest/api/space", timeout=5)
    [entry] = served.journal.entries()
    assert (entry["status"], entry["fault_kind"]) == (0, "reset")


def test_journal_delete_clears_memory_and_file(served: Served) -> None:
    requests.get(served.url + "/rest/api/space", timeout=5)
    assert requests.delete(served.url + JOURNAL, timeout=5).json()["entries"] == []
    assert served.journal.path is not None
    assert read_journal(served.journal.path) == []
    requests.get(served.url + "/rest/api/space", timeout=5)
    assert len(read_journal(served.journal.path)) == 1
