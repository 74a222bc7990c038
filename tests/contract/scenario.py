"""A realistic sequence of Confluence calls per flavour, recorded exchange by exchange.

The calls are the ones a provisioning sync (and atlassian-python-api under it) makes: create a
space, find pages by title, create a page tree, read, update with the version rule (including
a stale version → 409), labels, content properties, children, CQL search, trash, and a few
lookups that must fail (404). Every request and response is recorded by a ``requests``
response hook, tagged with the step that sent it, so a contract test can validate each
exchange against the flavour's OpenAPI spec and report per step.

The steps live in ``steps_dc.py`` and ``steps_cloud.py``; they only use documented request
shapes. If a step's precondition failed (an earlier create did not answer with an id), it is
skipped and says so.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

STORAGE = (
    "<h2>Träger &amp; Partner</h2><p>Sitzung am <strong>4. März</strong></p>"
    '<ac:structured-macro ac:name="info"><ac:rich-text-body><p>Hinweis</p>'
    "</ac:rich-text-body></ac:structured-macro>"
)


@dataclass
class Exchange:
    step: str
    method: str
    path: str
    query: dict[str, str]
    request_body: bytes | None
    request_type: str | None
    status: int
    response_body: bytes
    response_type: str | None


@dataclass
class Recorder:
    """Collects every exchange of a session; ``step`` names what is being done right now."""

    step: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        request = response.request
        url = urlsplit(str(request.url))
        body = request.body
        if isinstance(body, str):
            body = body.encode()
        self.exchanges.append(
            Exchange(
                step=self.step,
                method=str(request.method),
                path=url.path,
                query=dict(parse_qsl(url.query)),
                request_body=body,
                request_type=request.headers.get("Content-Type"),
                status=response.status_code,
                response_body=response.content,
                response_type=response.headers.get("Content-Type"),
            )
        )


def _session(admin: tuple[str, str], recorder: Recorder) -> requests.Session:
    session = requests.Session()
    session.auth = admin
    session.headers["Accept"] = "application/json"
    session.hooks["response"].append(recorder.hook)
    return session


def field_of(response: requests.Response, *keys: str | int) -> Any:
    try:
        data: Any = response.json()
        for key in keys:
            data = data[key]
        return data
    except (ValueError, KeyError, IndexError, TypeError):
        return None


Step = Callable[[requests.Session, str, dict[str, Any]], None]


def run(steps: list[tuple[str, Step]], base: str, admin: tuple[str, str]) -> Recorder:
    """Run steps in order against ``base``; a step whose inputs are missing is skipped."""
    recorder = Recorder()
    session = _session(admin, recorder)
    state: dict[str, Any] = {}
    for name, step in steps:
        recorder.step = name
        try:
            step(session, base, state)
        except KeyError as missing:
            recorder.skipped[name] = f"needs {missing} from an earlier step"
        except requests.RequestException as error:
            recorder.skipped[name] = f"request failed: {error}"
    session.close()
    return recorder


def describe(exchange: Exchange) -> str:
    body = exchange.response_body[:300].decode("utf-8", "replace")
    sent = json.loads(exchange.request_body) if exchange.request_body else None
    return f"{exchange.method} {exchange.path} → {exchange.status}; sent {sent}; got {body}"
