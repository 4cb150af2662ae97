"""Release bodies: held when just parsed, otherwise read from an SQLite store when used.

Bodies are four fifths of a parsed site and only the pages that render (and the newest feed
entries) need them. A warm build loads every release's metadata and no body; a render worker
reads the body of each release page it draws. The store is part of the parse cache: keyed by
the source's content hash, kept for the parse settings it was made with, never an error
(a missing or broken store means the releases are parsed again).
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from .errors import HumasgenError

STORE = "bodies.sqlite"


class Body:
    """A release's HTML, or where to read it. Equal releases have equal content hashes, so
    a Body takes no part in comparisons; it is read anew at each use (a long preview session
    would otherwise end up holding every body)."""

    __slots__ = ("_html", "_store", "_key")

    def __init__(self, html: str | None, store: "Store | None" = None, key: str = "") -> None:
        if html is None and store is None:
            raise ValueError("a Body needs its HTML or a store to read it from")
        self._html, self._store, self._key = html, store, key

    @property
    def html(self) -> str:
        if self._html is not None:
            return self._html
        assert self._store is not None
        return self._store.get(self._key)

    @property
    def held(self) -> str | None:
        """The HTML when it is in memory (just parsed, or the store refused it); else None."""
        return self._html

    def __repr__(self) -> str:
        return f"Body({'held' if self._html is not None else self._key[:12]})"


class Store:
    """The bodies of the parse cache for one set of parse settings (`key`)."""

    def __init__(self, path: Path, key: str) -> None:
        self.path, self.key = path, key

    def _db(self) -> sqlite3.Connection:
        return _connection(self.path)

    def get(self, key: str) -> str:
        try:
            row = self._db().execute("SELECT html FROM body WHERE hash = ?", (key,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is None or not isinstance(row[0], str):      # the cache was removed during the build
            raise HumasgenError.single(str(self.path), None, "the build cache changed while it was in use",
                                       "run the command again")
        return row[0]

    def keys(self) -> set[str]:
        """The content hashes held now (none when the store cannot be read)."""
        try:
            return {row[0] for row in self._db().execute("SELECT hash FROM body WHERE typeof(html) = 'text'")}
        except sqlite3.Error:
            return set()

    def put_many(self, items: list[tuple[str, str]]) -> bool:
        """Keep bodies ((content hash, HTML) pairs), committed at once: render workers read them;
        False when the store refuses (they are then held in memory)."""
        if not items:
            return True
        db = None
        try:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO body (hash, html) VALUES (?, ?)", items)
            db.execute("COMMIT")
            return True
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                if db is not None and db.in_transaction:
                    db.execute("ROLLBACK")
            return False

    def prune(self, live: set[str]) -> None:
        """Drop the bodies of no release, once they are a fifth of the store."""
        try:
            db = self._db()
            held = db.execute("SELECT count(*) FROM body").fetchone()[0]
            if (held - len(live)) * 5 > held:
                db.execute("BEGIN IMMEDIATE")
                db.execute("CREATE TEMP TABLE IF NOT EXISTS live (hash TEXT PRIMARY KEY)")
                db.execute("DELETE FROM live")
                db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((k,) for k in live))
                db.execute("DELETE FROM body WHERE hash NOT IN (SELECT hash FROM live)")
                db.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db = self._db()
                if db.in_transaction:
                    db.execute("ROLLBACK")


# Open connections, a few per process (a test run or a preview builds many sites; each connection
# holds three files open): site path -> (process id, file identity, connection). Forked workers
# open their own and leave the parent's alone.
_OPEN: dict[str, tuple[int, tuple[int, int], sqlite3.Connection]] = {}
_INHERITED: list[sqlite3.Connection] = []
_KEEP = 4


def _connection(path: Path, check_file: bool = False) -> sqlite3.Connection:
    """This process's connection to the store at `path`; with `check_file`, a new one when the
    file was replaced or removed since it was opened."""
    name, pid = str(path), os.getpid()
    found = _OPEN.pop(name, None)
    if found is not None:
        if found[0] == pid and not (check_file and _identity(path) != found[1]):
            _OPEN[name] = found         # most recently used last
            return found[2]
        _forget(found, pid)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error:
        connection.close()
        raise
    _OPEN[name] = (pid, _identity(path), connection)
    while len(_OPEN) > _KEEP:
        _forget(_OPEN.pop(next(iter(_OPEN))), pid)
    return connection


def _forget(entry: tuple[int, tuple[int, int], sqlite3.Connection], pid: int) -> None:
    if entry[0] == pid:
        entry[2].close()
    else:
        _INHERITED.append(entry[2])     # the parent's: closing it here could disturb the parent


def _identity(path: Path) -> tuple[int, int]:
    try:
        stat = os.stat(path)
        return stat.st_dev, stat.st_ino
    except OSError:
        return (0, 0)


def open_store(folder: Path, key: str) -> Store | None:
    """The body store in the cache folder, emptied when it was made with other parse settings;
    None when it cannot be used (then every body is held in memory, as parsed)."""
    path = folder / STORE
    for attempt in range(2):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = _connection(path, check_file=True)
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS body (hash TEXT PRIMARY KEY, html TEXT NOT NULL)")
            row = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
            if row is None or row[0] != key:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DELETE FROM body")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('key', ?)", (key,))
                db.execute("COMMIT")
            return Store(path, key)
        except sqlite3.OperationalError:   # locked for too long, read-only, a full disk
            return None
        except sqlite3.DatabaseError:      # not a database (a torn or foreign file): start again
            found = _OPEN.pop(str(path), None)
            if found is not None:
                _forget(found, os.getpid())
            if attempt:
                return None
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return None
    return None
