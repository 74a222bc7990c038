"""Numbers a Java long or int cannot hold are refused with a 4xx, never a 500 (SQLite's INTEGER
is 64 bits too). Found by the spec-driven fuzz (tests/fuzz)."""

from __future__ import annotations

import base64

import pytest

from .conftest import Wiki

LONG_PAST = str(2**63)  # one past a Java long
INT_PAST = str(2**31)


@pytest.mark.parametrize("path", ["/content/{n}", "/content/{n}/child/page", "/content/{n}/label"])
def test_v1_content_id_beyond_a_long_is_not_found(wiki: Wiki, path: str) -> None:
    response = wiki.v1("GET", path.format(n=LONG_PAST))
    assert response.status_code == 404
    assert response.json()["statusCode"] == 404
    # The largest long is just an id nobody has.
    assert wiki.v1("GET", path.format(n=2**63 - 1)).status_code == 404


@pytest.mark.parametrize("name", ["start", "limit"])
@pytest.mark.parametrize("value", [LONG_PAST, INT_PAST, "１２"])
def test_v1_paging_parameter_beyond_a_java_int_is_400(wiki: Wiki, name: str, value: str) -> None:
    wiki.space()
    response = wiki.v1("GET", "/content", params={"spaceKey": "NET", name: value})
    assert response.status_code == 400, response.text
    assert response.json()["message"] == f"Invalid value for parameter {name}: {value}"
    ok = wiki.v1("GET", "/content", params={"spaceKey": "NET", name: str(2**31 - 1)})
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/pages/{n}",
        "/pages/{n}/children",
        "/pages/{n}/properties",
        "/spaces/{n}",
        "/spaces/{n}/pages",
        "/labels/{n}/pages",
        "/attachments/{n}",
    ],
)
@pytest.mark.parametrize("value", [LONG_PAST, "abc"])
def test_v2_path_id_that_is_no_long_is_400_invalid_parameter(
    cloud: Wiki, path: str, value: str
) -> None:
    response = cloud.v2("GET", path.format(n=value))
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["code"] == "INVALID_REQUEST_PARAMETER"
    assert error["title"] == (
        f"Provided value {{{value}}} for 'id' is not the correct type. Expected type is ContentId"
    )
    assert cloud.v2("GET", path.format(n=2**63 - 1)).status_code == 404


@pytest.mark.parametrize("name", ["space-id", "id"])
def test_v2_id_list_beyond_a_long_is_400(cloud: Wiki, name: str) -> None:
    response = cloud.v2("GET", "/pages", params={name: f"1,{LONG_PAST}"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["title"] == (
        f"Provided value for '{name}' is not the correct type."
    )


def test_v2_cursor_with_an_offset_beyond_an_int_is_400(cloud: Wiki) -> None:
    for offset in (LONG_PAST, "-1"):
        cursor = base64.urlsafe_b64encode(offset.encode()).decode()
        response = cloud.v2("GET", "/spaces", params={"cursor": cursor})
        assert response.status_code == 400
        assert "Expected type is Cursor" in response.json()["errors"][0]["title"]


def test_v2_attachment_delete_with_no_long_id_is_400(cloud: Wiki) -> None:
    response = cloud.v2("DELETE", f"/attachments/att{LONG_PAST}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_REQUEST_PARAMETER"


def test_v1_watch_of_content_id_beyond_a_long_is_404(wiki: Wiki) -> None:
    for content in (LONG_PAST, f"att{LONG_PAST}"):
        assert wiki.v1("GET", f"/user/watch/content/{content}").status_code == 404


def test_body_number_beyond_a_long_is_400(wiki: Wiki) -> None:
    wiki.space()
    response = wiki.v1(
        "POST",
        "/content",
        json={
            "type": "page",
            "title": "Kind",
            "space": {"key": "NET"},
            "ancestors": [{"id": LONG_PAST}],
        },
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Invalid request: a number is out of range"
