"""The viewer's Create dialog over HTTP: templates (Cloud: made through the REST API; Data
Center, which has no template API: made by an admin, here through the store) are listed on the
space's Create page by name and description, and choosing one shows a new page holding the
template's body — after the variables form when it declares variables."""

from __future__ import annotations

from typing import Any

import requests

from tests.viewer_login import viewer_session

from .conftest import Wiki

EVIL = '<img src=x onerror="alert(1)"> & Co'
MINUTES = (
    "<h2>Protokoll</h2><p><ac:placeholder>Was wurde besprochen?</ac:placeholder></p>"
    "<ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status>"
    "<ac:task-body>Aufgabe</ac:task-body></ac:task></ac:task-list>"
)
WITH_VARIABLES = (
    '<at:declarations><at:string at:name="datum" /><at:textarea at:name="notiz" at:columns="40"'
    ' at:rows="4" /><at:list at:name="ort"><at:option at:value="Bremen" />'
    '<at:option at:value="Bremerhaven" /></at:list></at:declarations>'
    '<table><tbody><tr><th>Datum</th><td><at:var at:name="datum" /></td></tr>'
    '<tr><th>Ort</th><td><at:var at:name="ort" /></td></tr></tbody></table>'
    '<p>Notiz: <at:var at:name="notiz" /> (Ende)</p>'
)


def _template(
    wiki: Wiki,
    name: str,
    body: str,
    *,
    space: str | None = "NET",
    description: str = "",
    kind: str = "page",
    labels: tuple[str, ...] = (),
) -> str:
    if wiki.server.options.flavour == "dc":
        # Data Center has no REST route for templates: an admin makes them in the space's
        # settings, which the store stands for here.
        found = wiki.server.store.space_by_key(space) if space is not None else None
        return str(
            wiki.server.store.save_template(
                name=name,
                body=body,
                description=description,
                template_type=kind,
                space_id=found.id if found is not None else None,
                labels=labels,
            ).id
        )
    data: dict[str, Any] = {
        "name": name,
        "templateType": kind,
        "description": description,
        "body": {"storage": {"value": body, "representation": "storage"}},
        "labels": [{"prefix": "global", "name": label} for label in labels],
    }
    if space is not None:
        data["space"] = {"key": space}
    made = wiki.v1("POST", "/template", json=data)
    assert made.status_code == 200, made.text
    return str(made.json()["templateId"])


def _viewer(wiki: Wiki, path: str, **params: str) -> requests.Response:
    browser = viewer_session(wiki.server.viewer_url)
    return browser.get(f"{wiki.server.viewer_url}{path}", params=params, timeout=5)


def test_the_space_page_opens_a_create_dialog_of_its_templates(wiki: Wiki) -> None:
    wiki.space()
    wiki.space("OTHER", "Anderer Bereich")
    _template(wiki, f"Protokoll {EVIL}", MINUTES, description=f"Für Treffen {EVIL}")
    _template(wiki, "Rundschreiben", "<p>Liebe alle,</p>", space=None, description="global")
    _template(wiki, "Fremd", "<p>x</p>", space="OTHER")
    _template(wiki, "Blogvorlage", "<p>x</p>", kind="blogpost")
    space_page = _viewer(wiki, "/spaces/NET").text
    assert '<a class="create" href="/viewer/spaces/NET/create">Create</a>' in space_page
    dialog = _viewer(wiki, "/spaces/NET/create")
    assert dialog.status_code == 200
    html = dialog.text
    assert "Protokoll &lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co" in html
    assert "Für Treffen &lt;img" in html and "<img" not in html
    # The space's template first, then the site's global one; never another space's, and a
    # blog post template belongs to the blog post dialog.
    assert html.index("Protokoll") < html.index("Rundschreiben")
    assert "Fremd" not in html and "Blogvorlage" not in html


def test_choosing_a_template_shows_a_new_page_with_its_body_and_labels(wiki: Wiki) -> None:
    wiki.space()
    template = _template(wiki, "Protokoll", MINUTES, labels=("protokoll",))
    dialog = _viewer(wiki, "/spaces/NET/create").text
    assert f'href="/viewer/spaces/NET/create/{template}"' in dialog
    page = _viewer(wiki, f"/spaces/NET/create/{template}")
    assert page.status_code == 200
    html = page.text
    assert "Untitled page" in html and "not saved yet" in html
    assert '<span class="label">protokoll</span>' in html
    # Rendered by the viewer's renderer as on a page: heading and task list; instructional
    # text is for the editor only, so the viewer shows none (viewer.macros).
    assert "<h2>Protokoll</h2>" in html
    shown = html.split("<details", 1)[0]  # the template's source follows in a <details>
    assert "Was wurde besprochen?" not in shown
    assert "task-incomplete" in shown


def test_a_template_with_variables_asks_for_them_first(wiki: Wiki) -> None:
    wiki.space()
    template = _template(wiki, "Treffen", WITH_VARIABLES)
    form = _viewer(wiki, f"/spaces/NET/create/{template}").text
    assert '<input type="text" id="var-datum" name="var-datum">' in form
    assert '<textarea id="var-notiz" name="var-notiz"' in form
    assert '<option value="Bremen">Bremen</option>' in form
    assert "Untitled page" not in form
    filled = _viewer(
        wiki,
        f"/spaces/NET/create/{template}",
        **{"var-datum": "12. März 2026", "var-ort": "Bremerhaven", "var-notiz": EVIL},
    ).text
    assert "<td>12. März 2026</td>" in filled and "<td>Bremerhaven</td>" in filled
    assert 'Notiz: &lt;img src=x onerror="alert(1)"&gt; &amp; Co (Ende)' in filled  # text only
    assert "<img" not in filled and "at:declarations" not in filled


def test_a_template_the_space_does_not_offer_is_not_found(wiki: Wiki) -> None:
    wiki.space()
    wiki.space("OTHER", "Anderer Bereich")
    foreign = _template(wiki, "Fremd", "<p>x</p>", space="OTHER")
    blog = _template(wiki, "Blogvorlage", "<p>x</p>", kind="blogpost")
    for path in (f"/spaces/NET/create/{foreign}", f"/spaces/NET/create/{blog}"):
        assert _viewer(wiki, path).status_code == 404
    assert _viewer(wiki, "/spaces/NET/create/99999999").status_code == 404
    assert _viewer(wiki, "/spaces/NOPE/create").status_code == 404
    wiki.space("LEER", "Leer")
    assert "This space has no page templates." in _viewer(wiki, "/spaces/LEER/create").text
