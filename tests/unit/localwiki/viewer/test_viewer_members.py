"""Members in the viewer, through werkzeug's test client: logging in and out, what each
visitor may see (what their REST reads would show), and the editor's save helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from confluence_sync.localwiki.store import Store
from confluence_sync.localwiki.store.sessions import IDLE_SECONDS, SESSION_COOKIE, SessionTable
from confluence_sync.localwiki.viewer.app import make_viewer
from confluence_sync.localwiki.viewer.edit import Site

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/150.0 Safari/537.36"
BODY = (
    "<p>Protokoll</p><ac:task-list><ac:task><ac:task-id>1</ac:task-id>"
    "<ac:task-status>incomplete</ac:task-status><ac:task-body>Raum</ac:task-body></ac:task>"
    "</ac:task-list>"
)


@pytest.fixture
def store() -> Iterator[Store]:
    store = Store(":memory:")
    admin = store.user_by_name("admin")
    assert admin is not None
    members = store.create_user("cherm", "pw-cherm", display_name="Christian Herm")
    reader = store.create_user("reader", "pw-reader")
    store.create_user("outsider", "pw-outsider")
    # Private: no grant to confluence-users, as the sync gives a members-only space.
    space = store.create_space(key="UPX", name="Umweltperspektiven", creator=admin, private=True)
    store.create_space(key="OPEN", name="Offen", creator=admin, private=True)
    for user, operations in ((members, ("read", "create")), (reader, ("read",))):
        for operation in operations:
            store.grant(
                space.id,
                "user",
                str(user.id),
                operation,
                "space" if operation == "read" else "page",
            )
    store.create_page(space_key="UPX", title="Treffen", body=BODY, author="admin")
    yield store
    store.close()


def page_id(store: Store) -> int:
    space = store.space_by_key("UPX")
    assert space is not None
    return store.find_pages(space_ids=[space.id], title="Treffen", limit=1)[0].id


def client(store: Store, user: str | None = None, **viewer: object) -> Client:
    browser = Client(make_viewer(store, **viewer))  # type: ignore[arg-type]
    if user is not None:
        answer = browser.post("/viewer/login", data={"username": user, "password": f"pw-{user}"})
        assert answer.status_code == 303, answer.get_data(as_text=True)
    return browser


def test_logging_in_sets_a_strict_session_cookie_and_goes_where_asked(store: Store) -> None:
    browser = client(store)
    answer = browser.post(
        "/viewer/login",
        data={"username": "cherm", "password": "pw-cherm", "next": "/viewer/spaces/UPX"},
    )
    assert answer.status_code == 303 and answer.headers["Location"] == "/viewer/spaces/UPX"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Christian Herm" in browser.get("/viewer/").get_data(as_text=True)


def test_a_wrong_password_or_a_token_does_not_log_in(store: Store) -> None:
    token = store.create_token("cherm")
    for name, secret in (("cherm", "nope"), ("nobody", "nope"), ("cherm", token)):
        answer = client(store).post("/viewer/login", data={"username": name, "password": secret})
        assert answer.status_code == 401
        assert "Wrong username or password." in answer.get_data(as_text=True)
        assert "Set-Cookie" not in answer.headers


def test_login_sends_nobody_to_another_site(store: Store) -> None:
    for target in ("https://evil.example/", "//evil.example/viewer/", "/rest/api/space"):
        answer = client(store).post(
            "/viewer/login", data={"username": "cherm", "password": "pw-cherm", "next": target}
        )
        assert answer.headers["Location"] == "/viewer/"


def test_a_login_form_posted_from_another_site_is_refused(store: Store) -> None:
    answer = client(store).post(
        "/viewer/login",
        data={"username": "cherm", "password": "pw-cherm"},
        headers={"User-Agent": CHROME, "Origin": "http://evil.example"},
    )
    assert answer.status_code == 403


def test_logging_out_ends_the_session_on_the_server(store: Store) -> None:
    browser = client(store, "cherm")
    cookie = browser.get_cookie(SESSION_COOKIE)
    assert cookie is not None and store.session_user(cookie.value) is not None
    assert browser.post("/viewer/logout").status_code == 303
    assert store.session_user(cookie.value) is None
    assert browser.get("/viewer/spaces/UPX").status_code == 404


def test_logging_in_again_replaces_the_session(store: Store) -> None:
    browser = client(store, "cherm")
    first = browser.get_cookie(SESSION_COOKIE)
    assert first is not None
    browser.post("/viewer/login", data={"username": "reader", "password": "pw-reader"})
    second = browser.get_cookie(SESSION_COOKIE)
    assert second is not None and second.value != first.value
    assert store.session_user(first.value) is None
    assert store.session_user(second.value) == store.user_by_name("reader")


def test_a_new_password_ends_the_old_sessions(store: Store) -> None:
    browser = client(store, "cherm")
    store.set_password("cherm", "new")
    assert browser.get("/viewer/spaces/UPX").status_code == 404


def test_a_session_ends_after_an_idle_hour() -> None:
    now = [1000.0]
    table = SessionTable(clock=lambda: now[0])
    session = table.open(7)
    now[0] += IDLE_SECONDS - 1
    assert table.user_id(session) == 7  # and its idle time starts again
    now[0] += IDLE_SECONDS - 1
    assert table.user_id(session) == 7
    now[0] += IDLE_SECONDS + 1
    assert table.user_id(session) is None


def test_an_anonymous_visitor_sees_no_space_and_no_page(store: Store) -> None:
    anonymous = client(store)
    listing = anonymous.get("/viewer/").get_data(as_text=True)
    assert "UPX" not in listing and "OPEN" not in listing and "Log in" in listing
    assert anonymous.get("/viewer/spaces/UPX").status_code == 404
    page = page_id(store)
    for path in (f"/pages/{page}", f"/pages/{page}/storage", f"/pages/{page}/versions/1"):
        assert anonymous.get("/viewer" + path).status_code == 404  # as REST: not found


def test_a_member_sees_what_their_rest_reads_would_show(store: Store) -> None:
    outsider = client(store, "outsider")
    assert "UPX" not in outsider.get("/viewer/").get_data(as_text=True)
    assert outsider.get(f"/viewer/pages/{page_id(store)}").status_code == 404
    member = client(store, "cherm")
    listing = member.get("/viewer/").get_data(as_text=True)
    assert "/viewer/spaces/UPX" in listing and "/viewer/spaces/OPEN" not in listing
    assert member.get(f"/viewer/pages/{page_id(store)}").status_code == 200


def test_reports_show_a_visitor_only_the_pages_they_may_read(store: Store) -> None:
    open_space = store.space_by_key("OPEN")
    outsider = store.user_by_name("outsider")
    assert open_space is not None and outsider is not None
    for who in (outsider, store.user_by_name("cherm")):
        assert who is not None
        store.grant(open_space.id, "user", str(who.id), "read", "space")
    report = (
        '<ac:structured-macro ac:name="tasks-report-macro"><ac:parameter ac:name="spaces">'
        "UPX,OPEN</ac:parameter></ac:structured-macro>"
        '<p><ac:link><ri:page ri:space-key="UPX" ri:content-title="Treffen" /></ac:link></p>'
    )
    hub = store.create_page(space_key="OPEN", title="Übersicht", body=report, author="admin")
    seen = client(store, "outsider").get(f"/viewer/pages/{hub.id}").get_data(as_text=True)
    assert "No tasks found." in seen and "Raum" not in seen  # UPX's task stays hidden
    assert f'href="/viewer/pages/{page_id(store)}"' not in seen  # and so does the link
    member = client(store, "cherm").get(f"/viewer/pages/{hub.id}").get_data(as_text=True)
    assert "Raum" in member and f'href="/viewer/pages/{page_id(store)}"' in member


def test_anonymous_grants_count_only_where_the_wiki_allows_anonymous_access(store: Store) -> None:
    space = store.space_by_key("OPEN")
    assert space is not None
    store.grant(space.id, "anonymous", "", "read", "space")
    assert client(store).get("/viewer/spaces/OPEN").status_code == 404
    assert client(store, anonymous_access=True).get("/viewer/spaces/OPEN").status_code == 200


def test_only_a_member_who_may_edit_gets_the_edit_link_and_the_editor(store: Store) -> None:
    page = page_id(store)
    reader = client(store, "reader")
    assert 'class="edit-link"' not in reader.get(f"/viewer/pages/{page}").get_data(as_text=True)
    assert reader.get(f"/viewer/pages/{page}/edit").status_code == 403
    assert client(store, "outsider").get(f"/viewer/pages/{page}/edit").status_code == 404
    anonymous = client(store).get(f"/viewer/pages/{page}/edit")
    assert anonymous.status_code == 303 and "/viewer/login?next=" in anonymous.headers["Location"]
    member = client(store, "cherm")
    view = member.get(f"/viewer/pages/{page}").get_data(as_text=True)
    assert f'href="/viewer/pages/{page}/edit">Edit</a>' in view
    assert f'data-tick-url="/viewer/pages/{page}/tick"' in view
    editor = member.get(f"/viewer/pages/{page}/edit").get_data(as_text=True)
    assert 'contenteditable="true"' in editor and 'data-inline-task-id="1"' in editor


@pytest.mark.parametrize(
    ("site", "url"),
    [
        (Site("dc", "/confluence"), "/confluence/rest/api/content/{id}"),
        (Site("cloud", "/wiki"), "/wiki/api/v2/pages/{id}"),
    ],
)
def test_the_editor_answers_with_the_rest_call_and_writes_nothing(
    store: Store, site: Site, url: str
) -> None:
    page = page_id(store)
    member = client(store, "cherm", site=site)
    answer = member.post(
        f"/viewer/pages/{page}/editor",
        json={"version": 1, "sections": ["<p>Protokoll: <b>alles gut</b></p>"]},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    call = answer.get_json()["request"]
    assert call["method"] == "PUT" and call["url"] == url.format(id=page)
    assert call["json"]["version"]["number"] == 2 and call["json"]["title"] == "Treffen"
    body = call["json"]["body"]
    value = body["value"] if site.flavour == "cloud" else body["storage"]["value"]
    assert "<strong>alles gut</strong>" in value
    stored = store.page(page)
    assert stored is not None and stored.version == 1 and stored.body == BODY


def test_a_tick_is_prepared_on_the_version_the_member_opened(store: Store) -> None:
    page = page_id(store)
    member = client(store, "cherm")
    answer = member.post(
        f"/viewer/pages/{page}/tick", json={"version": 1, "index": 0, "count": 1, "complete": True}
    )
    value = answer.get_json()["request"]["json"]["body"]["storage"]["value"]
    assert value == BODY.replace("incomplete", "complete")
    stale = member.post(
        f"/viewer/pages/{page}/tick", json={"version": 1, "index": 0, "count": 2, "complete": True}
    )
    assert stale.status_code == 400 and "reload" in stale.get_json()["message"]


def test_the_save_helpers_refuse_what_rest_would_refuse(store: Store) -> None:
    page = page_id(store)
    payload = {"version": 1, "sections": ["<p>x</p>"]}
    assert client(store).post(f"/viewer/pages/{page}/editor", json=payload).status_code == 401
    assert (
        client(store, "outsider").post(f"/viewer/pages/{page}/editor", json=payload).status_code
        == 404
    )
    assert (
        client(store, "reader").post(f"/viewer/pages/{page}/editor", json=payload).status_code
        == 403
    )
    member = client(store, "cherm")
    assert (
        member.post(f"/viewer/pages/{page}/editor", json={"version": 9, "sections": []}).status_code
        == 404
    )
    assert member.post(f"/viewer/pages/{page}/editor", data="not json").status_code == 400
    foreign = member.post(
        f"/viewer/pages/{page}/editor",
        json=payload,
        headers={"User-Agent": CHROME, "Origin": "http://evil.example"},
    )
    assert foreign.status_code == 403
