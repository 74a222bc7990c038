"""The retry policy against the local wiki's fault injection, both flavours: what a real site
and its proxies do must never duplicate a page or overwrite a member's edit."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from confluence_sync.backends.contract import Backend
from confluence_sync.errors import ServerError
from confluence_sync.localwiki.server import LocalWiki
from confluence_sync.wiki.values import Page, PageInfo, PageUpdate

from .conftest import connect

MARKER = "confluence-sync"


def page_path(flavour: str) -> str:
    return "/wiki/api/v2/pages" if flavour == "cloud" else "/rest/api/content"


@pytest.fixture(params=["dc", "cloud"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@contextmanager
def faulty(flavour: str, *faults: str) -> Iterator[tuple[LocalWiki, Backend]]:
    with LocalWiki(flavour=flavour, v1_removed=flavour == "cloud", faults=faults) as wiki:  # type: ignore[arg-type]
        backend = connect(wiki, flavour)
        backend.writer().create_space("UPX", "Upper Xanten")
        try:
            yield wiki, backend
        finally:
            backend.close()


def add_faults(wiki: LocalWiki, backend: Backend, *specs: str) -> None:
    """Arm faults after the setup requests, through the local wiki's admin endpoint."""
    backend.reader.transport.call(  # type: ignore[attr-defined]
        "POST", wiki.root_url + "/__localwiki/faults", what="faults", json={"specs": list(specs)}
    )


def by_marker(backend: Backend, title: str, identity: str) -> PageInfo | None:
    """What the engine's lookup does: find by title, accept only our marker."""
    page = backend.reader.find_page_by_title("UPX", title)
    if page is None:
        return None
    marker = backend.reader.get_page_property(page.id, MARKER)
    return page if marker is not None and marker.value == {"id": identity} else None


@pytest.mark.parametrize("fault", ["commit-500", "commit-reset"])
def test_a_create_that_committed_but_failed_is_found_not_duplicated(
    flavour: str, fault: str
) -> None:
    spec = f"{fault}:method=POST:path={page_path(flavour)}:count=1"
    with faulty(flavour, spec) as (_wiki, backend):
        created = backend.writer().create_page(
            "UPX",
            "Treffen März",
            "<p/>",
            properties={MARKER: {"id": "m-2026-03"}},
            find_existing=lambda: by_marker(backend, "Treffen März", "m-2026-03"),
        )
        titles = [p.title for p in backend.reader.list_pages("UPX")]
        assert titles.count("Treffen März") == 1
        assert created.title == "Treffen März"
        assert backend.counter.by_method()["POST"] <= 3  # space + page (+ Cloud's marker)


def test_an_uncommitted_failure_is_retried_after_the_lookup(flavour: str) -> None:
    spec = f"503:method=POST:path={page_path(flavour)}:count=1"
    with faulty(flavour, spec) as (_wiki, backend):
        lookups: list[str] = []

        def lookup() -> PageInfo | None:
            lookups.append("lookup")
            return by_marker(backend, "Agenda", "a-1")

        page = backend.writer().create_page(
            "UPX", "Agenda", "<p/>", properties={MARKER: {"id": "a-1"}}, find_existing=lookup
        )
        assert lookups == ["lookup"]
        assert [p.title for p in backend.reader.list_pages("UPX")].count("Agenda") == 1
        assert page.title == "Agenda"


def test_a_create_without_lookup_is_not_retried_on_a_gateway_error(flavour: str) -> None:
    spec = f"502:method=POST:path={page_path(flavour)}:count=1"
    with faulty(flavour, spec) as (_wiki, backend):
        with pytest.raises(ServerError) as caught:
            backend.writer().create_page("UPX", "Agenda", "<p/>")
        assert caught.value.status == 502 and "Bad Gateway" in str(caught.value)


@pytest.mark.parametrize(
    "spec",
    [
        "429:retry-after=0:method=GET:count=2",
        "429:retry-after=1:retry-format=date:method=GET:count=1",
        "503:method=GET:count=2",
        "502:method=GET:count=1",
        "reset:method=GET:count=2",
    ],
)
def test_reads_ride_out_rate_limits_and_transient_failures(flavour: str, spec: str) -> None:
    with faulty(flavour) as (wiki, backend):
        add_faults(wiki, backend, spec)
        before = backend.counter.requests
        pages = backend.reader.list_pages("UPX")
        assert len(pages) == 1  # the home page
        assert backend.counter.requests - before >= 2


def test_a_concurrent_edit_is_rechecked_not_overwritten(flavour: str) -> None:
    with faulty(flavour) as (wiki, backend):
        writer = backend.writer()
        page = writer.create_page("UPX", "Verzeichnis", "<p>v1</p>")
        add_faults(wiki, backend, "409:count=1")  # now, so the create above is not hit
        rechecked: list[Page] = []

        def recheck(current: Page) -> PageUpdate | None:
            rechecked.append(current)
            return PageUpdate(page.id, "Verzeichnis", "<p>v2</p>", current.info.version)

        result = writer.update_page(
            PageUpdate(page.id, "Verzeichnis", "<p>v2</p>", page.version), recheck=recheck
        )
        assert len(rechecked) == 1
        assert result.version == rechecked[0].info.version + 1
        assert backend.reader.get_page(page.id).body == "<p>v2</p>"


def test_property_and_label_writes_that_committed_but_failed_are_not_repeated(
    flavour: str,
) -> None:
    with faulty(flavour) as (wiki, backend):
        writer = backend.writer()
        page = writer.create_page("UPX", "Seite", "<p/>")
        add_faults(wiki, backend, "commit-500:method=POST:path=*propert*:count=2")
        marker = writer.set_page_property(page.id, MARKER, {"id": "p"}, current=None)
        index = writer.set_space_property("UPX", "confluence-sync-index", [page.id], current=None)
        assert marker.value == {"id": "p"} and index.value == [page.id]
        add_faults(wiki, backend, "commit-reset:method=POST:path=*/label*:count=1")
        writer.add_labels(page.id, ["meeting"])
        assert backend.reader.get_labels(page.id) == {"meeting"}
