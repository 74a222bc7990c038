"""SQLite plumbing for the local wiki's store: schema, connections, transactions.

A file database gets one connection per thread (WAL mode, so readers never wait for the
writer) and one process-wide write lock, so writers queue in Python instead of spinning on
SQLITE_BUSY. ``:memory:`` cannot be shared between connections, so it gets a single connection
guarded by the same lock for reads and writes.

Several processes may open one database file (``confluence-sync serve`` beside a sync on
``.confluence-sync/localwiki.sqlite3``). The store's caches are keyed by ``write_generation``,
which this store moves on its own writes, or emptied by the people store on its own writes;
``notice_other_writers`` does both for everyone else's. The HTTP layers call it once per
request, before any cache is consulted. It asks SQLite's ``PRAGMA data_version``, which changes
when any other connection commits; only then does it move the generation on and read the
``people_changes`` count, which triggers move on with every write to the tables the credential
and permission caches answer from, so a page written elsewhere leaves those caches alone.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS users(
    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, email TEXT UNIQUE,
    display_name TEXT NOT NULL, secret TEXT NOT NULL, user_key TEXT NOT NULL UNIQUE,
    account_id TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS tokens(token TEXT PRIMARY KEY, user_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS groups_(id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS members(group_id TEXT NOT NULL, user_id INTEGER NOT NULL,
    PRIMARY KEY(group_id, user_id));
CREATE TABLE IF NOT EXISTS spaces(
    id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', homepage_id INTEGER,
    type TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, creator TEXT NOT NULL,
    deleting INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS content(
    id INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, status TEXT NOT NULL,
    title TEXT NOT NULL, title_fold TEXT NOT NULL, space_id INTEGER NOT NULL,
    parent_id INTEGER, position INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, creator TEXT NOT NULL,
    updated_at TEXT NOT NULL, updater TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',
    minor_edit INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS content_space_title ON content(space_id, title);
CREATE INDEX IF NOT EXISTS content_space_fold ON content(space_id, title_fold, status);
CREATE INDEX IF NOT EXISTS content_parent ON content(parent_id, position);
CREATE TABLE IF NOT EXISTS versions(
    content_id INTEGER NOT NULL, number INTEGER NOT NULL, title TEXT NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, author TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '', minor_edit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY(content_id, number));
CREATE TABLE IF NOT EXISTS label_names(
    id INTEGER PRIMARY KEY AUTOINCREMENT, prefix TEXT NOT NULL, name TEXT NOT NULL,
    UNIQUE(prefix, name));
CREATE TABLE IF NOT EXISTS labels(
    owner_kind TEXT NOT NULL, owner_id INTEGER NOT NULL, label_id INTEGER NOT NULL,
    PRIMARY KEY(owner_kind, owner_id, label_id));
CREATE INDEX IF NOT EXISTS labels_by_label ON labels(label_id);
CREATE TABLE IF NOT EXISTS properties(
    id INTEGER PRIMARY KEY AUTOINCREMENT, owner_kind TEXT NOT NULL, owner_id INTEGER NOT NULL,
    key TEXT NOT NULL, value TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, author TEXT NOT NULL, UNIQUE(owner_kind, owner_id, key));
CREATE TABLE IF NOT EXISTS templates(
    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, description TEXT NOT NULL,
    type TEXT NOT NULL, space_id INTEGER, body TEXT NOT NULL, labels TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS permissions(
    id INTEGER PRIMARY KEY AUTOINCREMENT, space_id INTEGER NOT NULL, subject_type TEXT NOT NULL,
    subject TEXT NOT NULL, operation TEXT NOT NULL, target TEXT NOT NULL,
    UNIQUE(space_id, subject_type, subject, operation, target));
CREATE TABLE IF NOT EXISTS watches(
    content_id INTEGER NOT NULL, user_id INTEGER NOT NULL, PRIMARY KEY(content_id, user_id));
CREATE TABLE IF NOT EXISTS attachments(
    id INTEGER PRIMARY KEY AUTOINCREMENT, page_id INTEGER NOT NULL, title TEXT NOT NULL,
    media_type TEXT NOT NULL, comment TEXT NOT NULL, data BLOB NOT NULL,
    version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    author TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'current', UNIQUE(page_id, title));
CREATE TABLE IF NOT EXISTS people_changes(id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL);
INSERT OR IGNORE INTO people_changes(id, n) VALUES(1, 0);
CREATE TABLE IF NOT EXISTS role_assignments(
    space_id INTEGER NOT NULL, principal_type TEXT NOT NULL, principal TEXT NOT NULL,
    role_id TEXT NOT NULL, PRIMARY KEY(space_id, principal_type, principal));
CREATE TABLE IF NOT EXISTS site_facts(name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS longtasks(
    id TEXT PRIMARY KEY, name TEXT NOT NULL, space_id INTEGER, polls_left INTEGER NOT NULL,
    finished INTEGER NOT NULL, created_at TEXT NOT NULL);
"""

# What the people store's caches answer from (users, tokens, groups, members, space
# permissions and role assignments): a write to any of them, by any connection, counts
# ``people_changes`` up in the same transaction.
PEOPLE_TABLES = ("users", "tokens", "groups_", "members", "permissions", "role_assignments")
SCHEMA += "".join(
    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_counted AFTER {event} ON {table} "
    "BEGIN UPDATE people_changes SET n = n + 1 WHERE id = 1; END;\n"
    for table in PEOPLE_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
)

# Columns added after databases were first written: added to an older database on open, so a
# wiki starts on any database it wrote (table, column, declaration).
# ``tokens.scopes``: a scoped API token's scopes, space-separated; NULL for a classic token.
ADDED_COLUMNS = (
    ("attachments", "status", "TEXT NOT NULL DEFAULT 'current'"),
    ("tokens", "scopes", "TEXT"),
)

# Ids start where a young Confluence site's would, and each kind has its own range, so a test
# that mixes a space id with a page id fails loudly instead of hitting the wrong row.
ID_SEEDS = {
    "content": 65536,
    "spaces": 98304,
    "properties": 131072,
    "templates": 163840,
    "permissions": 196608,
    "label_names": 229376,
    "attachments": 262144,
    "users": 0,
}


class FlavourMismatch(ValueError):
    """A database of one flavour's site opened as the other flavour."""

    def __init__(self, path: str, held: str, asked: str) -> None:
        spelled = {"dc": "datacenter", "cloud": "cloud"}
        super().__init__(
            f"{path} holds a {spelled.get(held, held)} site, not a {spelled.get(asked, asked)}"
            f" one: serve it with --flavour {spelled.get(held, held)}, or use another --db"
        )
        self.held = held
        self.asked = asked


class UnusableDatabase(ValueError):
    """A database file SQLite cannot open or that is not a database (another program's file,
    a damaged one, a folder that cannot be made)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} cannot be opened as the local wiki's database ({reason})")
        self.path = path


def now_iso() -> str:
    """UTC timestamp in the form Confluence returns (milliseconds, Z)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{datetime.now(UTC).microsecond // 1000:03d}Z"
    )


class StoreBase:
    """Connections and transactions; the data methods live in the subclasses."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        self.memory = self.path == ":memory:"
        self._write_lock = threading.RLock()
        self._local = threading.local()
        self._shared: sqlite3.Connection | None = None
        # Bumped when a write transaction starts and again when it ends, so an answer computed
        # from a read that overlapped a write is tagged with a generation that is already
        # gone by the time it could be served (see web/response_cache.py); bumped too when
        # notice_other_writers sees another connection's commit.
        self.write_generation = 0
        # One connection that only asks PRAGMA data_version, shared by all threads: a
        # connection's data_version is its own count, so per-thread connections could not be
        # compared, and a connection that never writes sees every commit, this process's
        # included. An in-memory database has no other writer, so it has none.
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        self._generation_lock = threading.Lock()
        self._data_version = -1  # the watch connection's, when last asked
        self._people_changes = 0  # the count when last read
        try:
            self._prepare()
        except sqlite3.DatabaseError as error:
            raise UnusableDatabase(self.path, str(error)) from None
        if not self.memory:
            self._data_version = self._watch_version()  # what the file holds now is seen

    def _prepare(self) -> None:
        """The schema, columns added since, and the id seeds, on the first connection."""
        if self.memory:
            self._shared = self._open()
        conn = self._conn()
        with self._write_lock:
            conn.executescript(SCHEMA)
            for table, column, declaration in ADDED_COLUMNS:
                have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
            for table, seed in ID_SEEDS.items():
                row = conn.execute("SELECT 1 FROM sqlite_sequence WHERE name=?", (table,))
                if row.fetchone() is None:
                    conn.execute(
                        "INSERT INTO sqlite_sequence(name, seq) VALUES(?, ?)", (table, seed)
                    )
            conn.commit()
            (self._people_changes,) = conn.execute("SELECT n FROM people_changes").fetchone()

    def claim_flavour(self, flavour: str) -> None:
        """Record which flavour's site this database is, or refuse another flavour's.

        Each flavour's data is its own (users known by username or by account id, Cloud's page
        templates, DC's stand-in pages), so a database served as the other flavour would show
        a client a site that no real Confluence is. A database written before this fact was
        kept is claimed by the first flavour that opens it."""
        conn = self._conn()
        with self._write_lock:
            conn.execute(
                "INSERT OR IGNORE INTO site_facts(name, value) VALUES('flavour', ?)", (flavour,)
            )
            conn.commit()
            (held,) = conn.execute("SELECT value FROM site_facts WHERE name='flavour'").fetchone()
        if held != flavour:
            raise FlavourMismatch(self.path, held, flavour)

    def _watch_version(self) -> int:
        """The watch connection's data_version (call with ``_watch_lock`` held, or alone)."""
        if self._watch is None:
            self._watch = self._open()
        (version,) = self._watch.execute("PRAGMA data_version").fetchone()
        return int(version)

    def notice_other_writers(self) -> None:
        """See what other connections (another process, as a rule) committed since the last
        call: the generation moves on, and the people caches are emptied when users, tokens,
        groups or permissions changed.

        About 2 µs while nothing was written (one pragma). This store's own commits (other
        threads' connections) change the watch connection's data_version too, so after each
        the generation moves on once more, which costs nothing (the write moved it on already)."""
        if self.memory:
            return
        with self._watch_lock:
            version = self._watch_version()
            if version == self._data_version:
                return
            # All of it under the watch lock: a request that finds the version unchanged
            # must find the generation moved on and the caches emptied.
            self._data_version = version
            self._bump_generation()
            assert self._watch is not None
            (count,) = self._watch.execute("SELECT n FROM people_changes").fetchone()
            if count != self._people_changes:
                self._people_changes = count
                self._forget_cached()

    def _bump_generation(self) -> None:
        # ``+=`` on an attribute is not atomic between threads; a lost bump could bring an
        # old generation back, and with it an answer computed from older data.
        with self._generation_lock:
            self.write_generation += 1

    def _forget_cached(self) -> None:
        """Drop what the parts cache beside the generation (the people store's credential,
        user and permission answers); overridden where there is something to drop."""

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=30.0
        )
        conn.row_factory = sqlite3.Row
        if not self.memory:
            conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL is durable across application crashes in WAL mode; only an OS crash can
            # lose the last transactions, which is acceptable for a test and demo server.
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=OFF")
        return conn

    def _conn(self) -> sqlite3.Connection:
        if self._shared is not None:
            return self._shared
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; serialised only for the shared in-memory database."""
        if self._shared is not None:
            with self._write_lock:
                yield self._shared
        else:
            yield self._conn()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; rolled back when the block raises."""
        with self._write_lock:
            self._bump_generation()
            try:
                conn = self._conn()
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                self._bump_generation()

    def close(self) -> None:
        """Close this thread's connection of a file store (others close when their threads
        end); the store reopens on next use. An in-memory store stays open: closing would
        lose its data."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            del self._local.conn
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                # A new connection counts data_version afresh: its first answer is taken as a
                # change (the people_changes count then tells whether the people caches go).
                self._watch = None
                self._data_version = -1
