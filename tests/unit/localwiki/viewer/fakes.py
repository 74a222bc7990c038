"""A ``WikiData`` in memory for the renderer's tests: pages in a list, CQL evaluated by the
local wiki's own CQL rules, users by any of their ids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from confluence_sync.localwiki.rules import cql
from confluence_sync.localwiki.viewer.render import render_storage_html
from confluence_sync.localwiki.viewer.wikidata import PageInfo, Person


@dataclass
class FakePage:
    info: PageInfo
    parent_id: int | None = None
    type: str = "page"

    # cql.Candidate, read from the PageInfo
    @property
    def id(self) -> int:
        return self.info.id

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def space_key(self) -> str:
        return self.info.space_key

    @property
    def body(self) -> str:
        return self.info.body

    @property
    def creator(self) -> str:
        return "admin"

    @property
    def created(self) -> str:
        return self.info.created

    @property
    def lastmodified(self) -> str:
        return self.info.modified

    def labels(self) -> set[str]:
        return set(self.info.labels)

    def ancestor_ids(self) -> set[int]:
        return set()


@dataclass
class FakeWiki:
    pages: list[FakePage] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)

    def add(
        self,
        title: str,
        body: str = "",
        *,
        space: str = "UPX",
        parent: PageInfo | None = None,
        labels: Sequence[str] = (),
        created: str = "",
        modified: str = "",
    ) -> PageInfo:
        page_id = 100 + len(self.pages)
        info = PageInfo(
            id=page_id,
            title=title,
            space_key=space,
            href=f"/viewer/pages/{page_id}",
            body=body,
            created=created,
            modified=modified,
            position=len(self.pages),
            labels=frozenset(labels),
        )
        self.pages.append(FakePage(info, parent.id if parent else None))
        return info

    def page_href(self, space_key: str, title: str) -> str | None:
        found = self.page_by_title(space_key, title)
        return found.href if found else None

    def person(self, attrs: Mapping[str, str]) -> Person | None:
        wanted = set(attrs.values())
        return next((p for p in self.people if p.ids & wanted), None)

    def search(self, text: str) -> Sequence[PageInfo]:
        self.queries.append(text)
        query = cql.parse(text)
        return [p.info for p in self.pages if cql.evaluate(query.where, p)]

    def children(self, page_id: int) -> Sequence[PageInfo]:
        return [p.info for p in self.pages if p.parent_id == page_id]

    def page_by_title(self, space_key: str, title: str) -> PageInfo | None:
        return next(
            (p.info for p in self.pages if p.space_key == space_key and p.title == title), None
        )

    def top_level(self, space_key: str) -> Sequence[PageInfo]:
        return [p.info for p in self.pages if p.space_key == space_key and p.parent_id is None]

    def render(self, body: str, here: PageInfo | None = None, language: str = "de") -> str:
        return render_storage_html(body, wiki=self, here=here, language=language)


def macro(name: str, body: str = "", **params: str) -> str:
    """A structured macro as the sync's templates write it."""
    ps = "".join(f'<ac:parameter ac:name="{k}">{v}</ac:parameter>' for k, v in params.items())
    rich = f"<ac:rich-text-body>{body}</ac:rich-text-body>" if body else ""
    return f'<ac:structured-macro ac:name="{name}">{ps}{rich}</ac:structured-macro>'


def details(rows: Mapping[str, str], **params: str) -> str:
    """A page-properties block as ``templates/common/macros.j2`` writes it (a th/td table)."""
    trs = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows.items())
    return macro("details", f"<table><tbody>{trs}</tbody></table>", **params)


def task(text: str, *, done: bool = False, task_id: str = "1") -> str:
    status = "complete" if done else "incomplete"
    return (
        f"<ac:task><ac:task-id>{task_id}</ac:task-id><ac:task-status>{status}</ac:task-status>"
        f"<ac:task-body>{text}</ac:task-body></ac:task>"
    )


def task_list(*tasks: str) -> str:
    return f"<ac:task-list>{''.join(tasks)}</ac:task-list>"
