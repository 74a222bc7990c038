"""``POST /__localwiki/editor-save``: a member's Save in the editor, over HTTP."""

from __future__ import annotations

from typing import Any

import requests

from .conftest import Wiki

BODY = (
    '<p>Siehe <ac:link><ri:page ri:space-key="NET" ri:content-title="Treffen" />'
    "<ac:link-body>Treffen</ac:link-body></ac:link></p><table><tbody><tr><td>x</td></tr>"
    "</tbody></table>"
)


def editor_save(wiki: Wiki, **data: Any) -> requests.Response:
    return wiki.http.post(wiki.server.root_url + "/__localwiki/editor-save", json=data)


def test_a_save_is_the_members_next_version_in_the_flavours_editor_form(wiki: Wiki) -> None:
    wiki.space()
    wiki.page("Treffen")
    page = wiki.page("Protokoll", "<p>alt</p>")
    wiki.server.store.create_user("erika", "pw")  # joins confluence-users: may edit
    answer = editor_save(wiki, pageId=page["id"], username="erika", body=BODY)
    assert answer.status_code == 200, answer.text
    saved = answer.json()
    assert saved["version"] == 2
    content = wiki.server.store.require_page(int(page["id"]))
    assert content.body == saved["body"] and content.updater == "erika"
    if wiki.server.options.flavour == "cloud":
        assert 'ac:card-appearance="inline"' in content.body
        assert 'ri:version-at-save="1"' in content.body and "data-table-width" in content.body
    else:
        assert '<table class="wrapped"><colgroup><col /></colgroup>' in content.body
        assert "<![CDATA[Treffen]]>" in content.body
    assert 'ri:space-key="NET"' not in content.body  # a link into the page's own space


def test_a_member_who_cannot_see_it_a_broken_body_and_non_admins_are_refused(wiki: Wiki) -> None:
    wiki.space()
    page = wiki.page("Protokoll", "<p>alt</p>")
    store = wiki.server.store
    store.create_user("gast", "pw", groups=[])  # in no group: cannot even see the space
    assert editor_save(wiki, pageId=page["id"], username="gast", body=BODY).status_code == 404
    store.create_user("erika", "pw")
    broken = editor_save(wiki, pageId=page["id"], username="erika", body="<p>offen")
    assert broken.status_code == 400 and "Error parsing xhtml" in broken.text
    assert editor_save(wiki, pageId=page["id"], username="niemand", body=BODY).status_code == 404
    erika = store.user_by_name("erika")
    assert erika is not None
    login = erika.email if wiki.server.options.flavour == "cloud" else "erika"
    member = wiki.as_user(login, "pw")  # the route is the admins', not a member's
    assert editor_save(member, pageId=page["id"], username="erika", body=BODY).status_code == 403
    assert store.require_page(int(page["id"])).version == 1
