"""Apply a plan: run its changes through a ``WikiWriter`` and record one result per item.

Order: the hub space is created by the engine before the lock; then groups and memberships
(network-wide) and every other space on its own worker thread (independent spaces in parallel;
the backend's rate limit is shared): the space's creation, and once the groups exist its
grants, templates, pages parents-before-children, archives, revokes, and finally the space's
index property. A failing item is recorded and the run goes on; items that depend on it (children
of a page that could not be created) fail with that reason.

Within a space, a run of page creates goes in parallel too (a group's 45 meetings are siblings):
each create waits only for its parent's; every other change keeps plan order, and a run of
creates is over before the next change starts (``apply/order.py``). Whoever sends, at most
``workers`` changes are under way at once (``Runner.slots``): ``--workers`` bounds the requests in
flight, not the threads.

The hub's index is not written here: it carries the run lock, and the engine writes it once
when it releases the lock (:meth:`Applier.index_for`).

The applier owns the order, the threads, the results and stopping; the page writes are
:class:`~confluence_sync.apply.pages.PageWriter`'s and the index writes
:class:`~confluence_sync.apply.ledger.IndexWriter`'s, the three sharing one
:class:`~confluence_sync.apply.books.Books`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

from confluence_sync.apply.books import Books
from confluence_sync.apply.calendar import CalendarWriter
from confluence_sync.apply.digest import DigestWriter
from confluence_sync.apply.grants import SpaceGrants, await_groups, for_create
from confluence_sync.apply.ledger import IndexWriter, still_recorded
from confluence_sync.apply.lock import HeldLock, LockLostError
from confluence_sync.apply.order import creates_together, join, run_creates
from confluence_sync.apply.pages import PageWriter
from confluence_sync.apply.results import ItemResult
from confluence_sync.apply.runner import Runner
from confluence_sync.backends.contract import WikiReader, WikiWriter
from confluence_sync.errors import AuthenticationError, WikiError
from confluence_sync.plan.calendar import AttachCalendar
from confluence_sync.plan.changes import (
    AddGrant,
    AddMember,
    Change,
    CreateSpace,
    EnsureGroup,
    MemberChange,
    Plan,
    RecordGrants,
    RecordMember,
    RemoveMember,
    RevokeGrant,
    SaveTemplate,
)
from confluence_sync.plan.digest import RefreshDigest
from confluence_sync.plan.notes import KeptGrants, Note
from confluence_sync.plan.page_changes import ArchivePage, CreatePage, UpdatePage
from confluence_sync.state.ledger import SpaceIndex
from confluence_sync.state.observe import WikiState
from confluence_sync.wanted.model import Wanted
from confluence_sync.wiki.values import Grant


class Applier:
    """Runs one plan. ``progress`` is called once per finished item (from worker threads)."""

    def __init__(
        self,
        wanted: Wanted,
        state: WikiState,
        reader: WikiReader,
        writer: WikiWriter,
        *,
        workers: int = 4,
        progress: Callable[[ItemResult], None] | None = None,
        overwrite_conflicts: bool = False,
    ) -> None:
        self.wanted, self.state, self.writer = wanted, state, writer
        self.workers = max(1, workers)
        self.runner = Runner(self.workers, progress)  # results, stopping, slots
        self.books = Books.start(wanted, state)
        self.pages = PageWriter(reader, writer, self.books)
        self.index = IndexWriter(wanted, state, reader, writer, self.books)
        self.calendar = CalendarWriter(wanted, writer, self.books)
        self.digest = DigestWriter(
            wanted,
            state,
            reader,
            writer,
            self.books,
            overwrite=overwrite_conflicts,
            workers=workers,
        )
        self.failed_spaces: set[str] = set()
        self._page_pool: ThreadPoolExecutor | None = None  # the creates within spaces (run)

    @property
    def results(self) -> list[ItemResult]:
        return self.runner.results

    @property
    def lost(self) -> LockLostError | None:
        """The run lock another run took meanwhile: the run stopped."""
        return self.runner.lost

    @property
    def refused(self) -> AuthenticationError | None:
        """The 401 that stopped the run (exit 8)."""
        return self.runner.refused

    def hold(self, held: HeldLock) -> None:
        """The run lock is taken: renew it between changes, check it before index retries."""
        self.runner.held = self.index.held = held

    def release(self, held: HeldLock) -> None:
        """Write the hub's index with the lock released (``HeldLock.release``, which already
        tries again). A failure that outlasts that is one failed item (exit 5), never the end
        of the run: every other result stands, and the next sync rebuilds the index from the
        pages' markers. A lost lock still raises (the other run's lock is not ours to touch), and so
        does a site that is gone (``SiteError``: the run ends, as on any request)."""
        key = self.wanted.hub_key
        try:
            held.release(self.index_for(key))
        except WikiError as error:  # a site gone (SiteError) still ends the run
            self.runner.record(
                Note(key, subject=f"index of space {key}", status="index"),
                "failed",
                f"{error} (the next sync rebuilds the index and takes this run's lock over "
                f"{held.taken_over_from()})",
            )
            self.runner.stop_if_refused(error)

    def index_for(self, key: str) -> SpaceIndex:
        """The index of space ``key`` as this run leaves it (lock excluded)."""
        return self.index.index_for(key)

    # --- the run ----------------------------------------------------------------------

    def run(self, plan: Plan) -> list[ItemResult]:
        by_space: dict[str, list[Change]] = {}
        created: dict[str, CreateSpace] = {}
        by_group: dict[str, list[EnsureGroup | MemberChange]] = {}
        last: list[RefreshDigest] = []  # once every space is done (apply/digest.py)
        for change in plan.changes:
            if isinstance(change, RefreshDigest):
                last.append(change)
            elif isinstance(change, Note):
                if isinstance(change, KeptGrants):
                    self.books.kept.setdefault(change.space, set()).update(change.grants)
                self.runner.record(change, change.status)
            elif isinstance(change, CreateSpace):
                created[change.space] = change
            elif isinstance(change, EnsureGroup | MemberChange):
                by_group.setdefault(change.group, []).append(change)
            else:
                by_space.setdefault(change.space, []).append(change)
        keys = [space.key for space in self.wanted.spaces]
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="space")
        self._page_pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="page")
        jobs: list[Future[None]] = []
        try:
            # Groups are independent of each other: in parallel, each in plan order (create
            # first). They are queued before the spaces, so a space worker that waits for them
            # below only waits for groups already running on other workers (no deadlock).
            group_jobs = {g: pool.submit(self._group_changes, c) for g, c in by_group.items()}
            jobs += list(group_jobs.values())
            jobs += [
                pool.submit(self._space, key, by_space.get(key, []), created.get(key), group_jobs)
                for key in keys
            ]
            for job in jobs:
                job.result()
            for refresh in last:
                self.runner.run(refresh, lambda c=refresh: self.digest.refresh(c))  # type: ignore[misc]
        except BaseException:
            # Ctrl-C (or a worker's error): queued space jobs are cancelled, running ones stop
            # at their next change; return (and let the engine release the lock) only once
            # every job has finished, even if Ctrl-C is pressed again meanwhile.
            self.runner.stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            join(jobs)  # a space job returns once its creates have (skipped, once stopped)
            self._page_pool.shutdown(wait=True)
            raise
        pool.shutdown(wait=True)
        self._page_pool.shutdown(wait=True)
        return self.results

    def _group_changes(self, changes: list[EnsureGroup | MemberChange]) -> None:
        for change in changes:
            self.runner.run(change, lambda c=change: self._group(c))  # type: ignore[misc]

    def create_space(self, change: CreateSpace, changes: Sequence[Change] = ()) -> bool:
        """Create one space now (the engine creates the hub before taking the lock), with
        the grants of ``changes`` (the plan's) that its create can carry."""
        grants = self._for_create(change.space, changes)
        if self.runner.run(change, lambda: self._create_space(change, grants)):
            return True
        self.failed_spaces.add(change.space)
        return False

    def _for_create(self, key: str, changes: Sequence[Change]) -> list[Grant]:
        if not self.writer.capabilities.grants_in_space_create:
            return []
        return for_create([c for c in changes if c.space == key])

    def _create_space(self, change: CreateSpace, grants: list[Grant]) -> None:
        info, taken = self.writer.create_space_with_grants(
            change.space, change.name, change.description, grants
        )
        self.books.taken[change.space] = taken  # one space per worker: its own key
        self.books.space_created(change.space, info.homepage_id)

    def _group(self, change: EnsureGroup | MemberChange) -> None:
        if isinstance(change, EnsureGroup):
            self.writer.ensure_group(change.group)
        elif isinstance(change, AddMember):
            self.writer.add_group_member(change.group, change.account)
        elif isinstance(change, RemoveMember):
            self.writer.remove_group_member(change.group, change.account)
        # RecordMember: nothing to send, the hub index records the member as ours.
        if isinstance(change, AddMember | RecordMember):
            self.books.change_members(change.group, add=frozenset({change.account}))
        elif isinstance(change, RemoveMember):
            self.books.change_members(change.group, remove=frozenset({change.account}))
        else:
            self.books.change_members(change.group)  # a group created: recorded, no one yet

    def _space(
        self,
        key: str,
        changes: list[Change],
        create: CreateSpace | None = None,
        groups: Mapping[str, Future[None]] | None = None,
    ) -> None:
        """One space on its own worker: create it (once the groups its grants name exist,
        ``apply.grants``), then, once every group exists, the rest in plan order."""
        groups = groups or {}
        if create is not None:
            await_groups(self._for_create(key, changes), groups)
            self.create_space(create, changes)
        wait(list(groups.values()))
        books = self.books
        observed = self.state.spaces[key]
        exists = observed.info is not None or key in books.created
        # What the index records of grants the sync did not make: renewed where they were
        # listed, created or revoked this run (else the index's record stands).
        listed = (
            observed.grants is not None
            or key in books.created
            or any(isinstance(c, RevokeGrant) and c.extra for c in changes)
        )
        grants = SpaceGrants.start(
            key,
            changes,
            self.writer,
            self.runner,
            granted=still_recorded(observed) if observed.info else set(),
            extra=set(books.kept.get(key, set())),  # what stays of the grants not ours
            taken=books.taken.get(key, frozenset()),
        )
        run = self.runner.run
        for change in creates_together(changes):
            if isinstance(change, list):
                self._creates(key, change)
            elif key in self.failed_spaces:
                self.runner.record(change, "failed", f"space {key} could not be created")
            elif isinstance(change, AddGrant | RevokeGrant):
                grants.send(change)  # apply/grants.py: batched as the site takes them
            elif isinstance(change, SaveTemplate):
                run(change, lambda c=change: self._template(c))  # type: ignore[misc]
            elif isinstance(change, UpdatePage):
                run(change, lambda c=change: self.pages.update(key, c))  # type: ignore[misc]
            elif isinstance(change, ArchivePage):
                run(change, lambda c=change: self.pages.archive(key, c))  # type: ignore[misc]
            elif isinstance(change, AttachCalendar):  # apply/calendar.py
                run(change, lambda c=change: self.calendar.attach(key, c))  # type: ignore[misc]
            elif isinstance(change, RecordGrants):
                run(change, lambda: None)  # the index below records them
        books.grants[key] = frozenset(grants.granted)  # one space per worker: its own keys
        if listed:
            books.extra[key] = frozenset(grants.extra)
        if key != self.wanted.hub_key and exists:
            self.runner.guarded(
                Note(key, subject=f"index of space {key}", status="index"),
                lambda: self.index.write(key, self.index.index_for(key)),
                "(the next sync rebuilds it)",
            )

    def _creates(self, key: str, creates: list[CreatePage]) -> None:
        """A run of page creates of one space, in parallel where independent (``order``)."""
        if key in self.failed_spaces:
            for change in creates:
                self.runner.record(change, "failed", f"space {key} could not be created")
            return

        def create(change: CreatePage) -> bool:
            return self.runner.run(change, lambda: self.pages.create(key, change))

        run_creates(self._page_pool, creates, create)

    def _template(self, change: SaveTemplate) -> None:
        saved = self.writer.save_template(change.space, change.template)
        name = saved.name or change.template.name
        self.books.templates[change.space][name] = (saved.id, change.digest)
