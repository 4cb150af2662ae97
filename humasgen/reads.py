"""What a page's render read from the site model, recorded as it happens.

Templates, partials and `page_context` plugins see the site and the page through thin proxies
that note every value they take out (an attribute, an item, a length, a slice, a method call)
as a *path* from a root (`site`, `page`, or a named function) with a fingerprint of the value.
A warm build walks the same paths over the new model: when every fingerprint is the same, the
page would render to the same bytes and is kept. Nobody lists a page's inputs by hand, so a
theme override that shows site-wide data (the five newest releases, a tag cloud) is rebuilt
exactly when that data changes.

Releases are leaves: their fingerprint (content hash and attachment sizes) stands for every
field. Paths are JSON-ready tuples, so a build's record can keep them for the next build.
"""
from __future__ import annotations

import contextlib
import hashlib

import orjson
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import fields, is_dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Callable, Iterable, Sequence

from .content import Release

Path = tuple          # ("site", ("a", "taxonomies"), ("i", "category"), ("len",)) and so on
MISSING = "\x00missing"
SUBJECT = "\x00subject"      # in a path: the id of the page's own release (one path serves every release page)
PAGE_URL = "\x00url"         # in a path: the page's own URL (site.alternates.get(page.url): one path for all pages)
VOLATILE = "\x00volatile"     # a read that cannot be replayed: the page is never kept
_SCALARS = (str, int, float, bool, bytes, type(None), datetime, date, timedelta, tzinfo)
_LEAVES = (Release, *_SCALARS)      # read as one value each


def _is_value(value: Any) -> bool:
    """A frozen dataclass of plain fields (a Pagination) is read as one value, like a string."""
    kind = type(value)
    found = _VALUE_TYPES.get(kind)
    if found is None:
        params = getattr(kind, "__dataclass_params__", None)
        found = _VALUE_TYPES[kind] = bool(params and params.frozen) and all(
            f.type in ("int", "str", "bool", "float") for f in fields(kind))
    return found


_VALUE_TYPES: dict[type, bool] = {}


def release_fingerprint(release: Release) -> str:
    if not release.attachments:         # most releases: no generator to make
        return f"R{release.id}:{release.content_hash}:"
    sizes = ",".join(str(a.size) for a in release.attachments)
    return f"R{release.id}:{release.content_hash}:{sizes}"


def fingerprint(value: Any) -> str:
    """A short text that changes whenever a template could see a difference in `value`."""
    if isinstance(value, Release):
        return release_fingerprint(value)
    if isinstance(value, _SCALARS) or _is_value(value):
        return repr(value)
    return "D" + deep_fingerprint(value)


def deep_fingerprint(value: Any) -> str:
    """Everything reachable from a value, for reads that take a whole object (==, str, hash)."""
    digest = hashlib.sha256()

    def walk(item: Any) -> None:
        if isinstance(item, Release):
            digest.update(release_fingerprint(item).encode())
        elif isinstance(item, _SCALARS):
            digest.update(repr(item).encode())
        elif isinstance(item, Mapping):
            digest.update(b"{")
            for key in item:
                walk(key)
                walk(item[key])
            digest.update(b"}")
        elif isinstance(item, (tuple, list)):
            digest.update(b"[")
            for element in item:
                walk(element)
            digest.update(b"]")
        elif is_dataclass(item):
            digest.update(type(item).__name__.encode() + b"(")
            for f in fields(item):
                walk(getattr(item, f.name))
            digest.update(b")")
        else:
            digest.update(repr(item).encode())
        digest.update(b",")
    walk(value)
    return digest.hexdigest()[:32]


class Tracker:
    """Where the proxies write: the reads of the page (or fragment) being rendered now."""

    __slots__ = ("reads", "groups", "_stack", "subject", "url")

    def __init__(self) -> None:
        self.reads: dict[Path, str] = {}
        self.groups: dict[str, dict[Path, str]] = {}    # fragments the page used: id -> their reads
        self._stack: list[dict[Path, str]] = []
        self.subject: str | None = None                 # the page's own release id
        self.url: str | None = None                     # the page's own URL

    def start(self, subject: str | None = None, url: str | None = None) -> None:
        """A new page (about the release `subject`, if any, at `url`): forget the last one's reads."""
        self.reads, self.groups, self._stack, self.subject, self.url = {}, {}, [], subject, url or None

    def key(self, key: Any) -> Any:
        """A key as a path holds it: the page's own release id as SUBJECT, its own URL as PAGE_URL
        (not inside fragments, whose reads are shared by other pages)."""
        if key is None or self._stack:
            return key
        return SUBJECT if key == self.subject else PAGE_URL if key == self.url else key

    def record(self, path: Path, value: str) -> None:
        self.reads[path] = value

    def push(self) -> None:
        """Start a nested frame (a fragment rendered once and shared by many pages)."""
        self._stack.append(self.reads)
        self.reads = {}

    def pop(self) -> dict[Path, str]:
        done, self.reads = self.reads, self._stack.pop()
        return done

    def use_group(self, group: str, reads: dict[Path, str]) -> None:
        """A page keeps a fragment's reads by reference; a fragment inside a fragment copies them."""
        if self._stack:
            self.reads.update(reads)
        else:
            self.groups[group] = reads


def wrap(value: Any, path: Path, tracker: Tracker) -> Any:
    """The value a template gets: a leaf as it is (its fingerprint recorded), anything else proxied."""
    if isinstance(value, (Proxy, _Call)):
        return value
    if isinstance(value, _LEAVES) or _is_value(value):
        tracker.record(path, fingerprint(value))
        return value
    if callable(value) and not isinstance(value, Mapping) and not is_dataclass(value):
        return _Call(value, path, tracker)
    return Proxy(value, path, tracker)


def _plain(value: Any) -> Any:
    """A method's result as something a path can index again (views and iterators become tuples)."""
    if isinstance(value, (KeysView, ValuesView, ItemsView)) or isinstance(value, Iterator):
        return tuple(value)
    return value


def _replayable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool, type(None))) or (
        isinstance(value, (tuple, list)) and all(_replayable(v) for v in value))


def unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, (Proxy, _Call)) else value


class _Call:
    """A method taken from a tracked object: calling it records the call and its arguments."""

    __slots__ = ("_target", "_path", "_tracker")

    def __init__(self, target: Callable, path: Path, tracker: Tracker) -> None:
        self._target, self._path, self._tracker = target, path, tracker

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raw = [unwrap(a) for a in args]
        if kwargs or not all(_replayable(a) for a in raw):
            self._tracker.record(self._path + (("volatile",),), VOLATILE)
            return _plain(self._target(*raw, **{k: unwrap(v) for k, v in kwargs.items()}))
        *parent, (_, name) = self._path
        args = tuple(map(self._tracker.key, raw))
        return wrap(_plain(self._target(*raw)), tuple(parent) + (("c", name, args),), self._tracker)


_PLANNED = frozenset({"kind", "url", "path", "template"})     # a page's fields its base key holds


class Proxy:
    """A read-only view of a model object that records what is read through it."""

    __slots__ = ("_target", "_path", "_tracker")

    def __init__(self, target: Any, path: Path, tracker: Tracker) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_tracker", tracker)

    def __getattr__(self, name: str) -> Any:
        target = self._target
        if name in _PLANNED and self._path == ("page",):
            return getattr(target, name)    # part of the page's base key: the same for as long as the key
        if isinstance(target, Mapping) and not hasattr(type(target), name):
            # Jinja's `site.taxonomies.category` falls back to an item lookup: record it as one.
            return self[name]
        step = self._path + (("a", name),)
        try:
            value = getattr(target, name)
        except AttributeError:
            self._tracker.record(step, MISSING)
            raise
        return wrap(value, step, self._tracker)

    def __getitem__(self, key: Any) -> Any:
        target = self._target
        if isinstance(key, slice):
            step = self._path + (("s", key.start, key.stop, key.step),)
        else:
            key = unwrap(key)
            if not _replayable(key):
                self._tracker.record(self._path + (("volatile",),), VOLATILE)
                return target[key]
            step = self._path + (("i", self._tracker.key(key)),)
        try:
            value = target[key]
        except (KeyError, IndexError, TypeError):
            self._tracker.record(step, MISSING)
            raise
        return wrap(value, step, self._tracker)

    def __contains__(self, key: Any) -> bool:
        key = unwrap(key)
        found = key in self._target
        if _replayable(key):
            self._tracker.record(self._path + (("in", self._tracker.key(key)),), repr(found))
        else:
            self._tracker.record(self._path + (("volatile",),), VOLATILE)
        return found

    def __len__(self) -> int:
        size = len(self._target)
        self._tracker.record(self._path + (("len",),), repr(size))
        return size

    def __bool__(self) -> bool:
        target = self._target
        if hasattr(target, "__len__"):
            return len(self) > 0
        return bool(target)

    def __iter__(self) -> Iterator[Any]:
        target = self._target
        if isinstance(target, Mapping):
            keys = tuple(target)
            self._tracker.record(self._path + (("keys",),), fingerprint(keys))
            return iter(keys)
        items = tuple(target)
        if all(isinstance(item, _LEAVES) or _is_value(item) for item in items):
            self._tracker.record(self._path + (("all",),), _all(items))   # one read for a list of leaves
            return iter(items)
        len(self)
        return (wrap(item, self._path + (("i", i),), self._tracker) for i, item in enumerate(items))

    def __reversed__(self) -> Iterator[Any]:
        return reversed(list(iter(self)))

    def _whole(self) -> Any:
        """Record that the whole object was read, and hand it over."""
        target = self._target
        self._tracker.record(self._path + (("deep",),), deep_fingerprint(target))
        return target

    def __eq__(self, other: Any) -> bool:
        return self._whole() == unwrap(other)

    def __ne__(self, other: Any) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._whole())

    def __str__(self) -> str:
        return str(self._whole())

    def __repr__(self) -> str:
        return f"<tracked {self._target!r}>"

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("the site model is read-only")


def _all(items: tuple) -> str:
    return "\x1e".join(map(fingerprint, items))


def evaluate(root: Any, path: Path, subject: str | None = None, url: str | None = None) -> str:
    """The fingerprint a path gives over a (new) model: what the proxies would record now.
    `subject`: the release id that SUBJECT stands for (the page's own release); `url`: PAGE_URL's."""
    value = root
    try:
        for step in path[1:]:
            op = step[0]
            if op == "a":
                value = getattr(value, step[1])
            elif op == "i":
                value = value[_key(step[1], subject, url)]
            elif op == "s":
                value = value[slice(step[1], step[2], step[3])]
            elif op == "c":
                value = _plain(getattr(value, step[1])(*(_key(a, subject, url) for a in step[2])))
            elif op == "in":
                return repr(_key(step[1], subject, url) in value)
            elif op == "len":
                return repr(len(value))
            elif op == "keys":
                return fingerprint(tuple(value))
            elif op == "all":
                items = tuple(value)
                if not all(isinstance(item, _LEAVES) or _is_value(item) for item in items):
                    return MISSING
                return _all(items)
            elif op == "deep":
                return deep_fingerprint(value)
            else:
                return VOLATILE
    except Exception:
        return MISSING
    if isinstance(value, _LEAVES) or _is_value(value):
        return fingerprint(value)
    return "\x00container"


def _key(item: Any, subject: str | None = None, url: str | None = None) -> Any:
    """A key or argument read back from JSON: lists were tuples; SUBJECT is the page's release id,
    PAGE_URL its URL."""
    if isinstance(item, list):
        return tuple(_key(i, subject, url) for i in item)
    if item == SUBJECT:
        if subject is None:
            raise KeyError(SUBJECT)
        return subject
    if item == PAGE_URL:
        if url is None:
            raise KeyError(PAGE_URL)
        return url
    return item


def _about_subject(path: Any) -> bool:
    """The path names the page's release or URL: its value differs from page to page."""
    encoded = orjson.dumps(path)
    return _SUBJECT_JSON in encoded or _URL_JSON in encoded


_SUBJECT_JSON = orjson.dumps(SUBJECT)[1:-1]
_URL_JSON = orjson.dumps(PAGE_URL)[1:-1]


def encode(path: Path) -> str:
    return orjson.dumps(path).decode()


def decode(text: str) -> list:
    """A path as lists again (evaluate takes either)."""
    return orjson.loads(text)


def digest(base: str, values: Iterable[str], groups: Iterable[str] = ()) -> str:
    """A page's key: its base (template, path, config, theme), the fingerprints it read in the
    order of their encoded paths, and the keys of the fragments it used, by fragment id."""
    h = hashlib.sha256(base.encode())
    h.update("\x1e".join(values).encode())
    h.update(b"\x1d" + "\x1d".join(groups).encode())
    return h.hexdigest()[:32]


def page_key(base: str, own: Mapping[str, str], groups: Mapping[str, str]) -> str:
    """digest() of a render's reads ({encoded path: fingerprint}) and fragment keys ({id: key})."""
    return digest(base, (own[p] for p in sorted(own)), (groups[g] for g in sorted(groups)))


class Replay:
    """The keys the last build's pages would have now, from the reads it recorded.

    `record` is what `Ledger.to_json` saved: the paths once each (as JSON arrays), the
    fragments once each (name and path numbers), and for every page its key, its own path
    numbers (sorted as encoded) and its fragment numbers (sorted by name). Paths rooted at the
    site (or a derived function) are evaluated once per build, whatever the number of pages
    that read them.
    """

    def __init__(self, record: Any, roots: Mapping[str, Any]) -> None:
        ok = isinstance(record, dict) and isinstance(record.get("paths"), list) \
            and isinstance(record.get("groups"), list) and isinstance(record.get("pages"), dict)
        self.paths: list[list] = record["paths"] if ok else []
        self.groups: list[list] = record["groups"] if ok else []         # [name, [path numbers]]
        self.pages: dict[str, list] = record["pages"] if ok else {}
        self.appended: int = record.get("appended", 0) if ok else 0
        self._roots = roots
        self._memo: dict[int, str] = {}                 # values of paths that are the same for every page
        self._per_page: dict[int, bool] = {}
        self._group_memo: dict[int, str | None] = {}

    def _value(self, index: int, page: Any, subject: str | None) -> str:
        found = self._memo.get(index)
        if found is not None:
            return found
        path = self.paths[index]
        head = path[0]
        if head != "page" and head not in self._roots:
            self._memo[index] = VOLATILE
            return VOLATILE
        per_page = self._per_page.get(index)
        if per_page is None:        # read from the page, or about its release
            per_page = self._per_page[index] = head == "page" or _about_subject(path)
        value = evaluate(page if head == "page" else self._roots[head], path, *((subject, page.url or None)
                                                                              if per_page else ()))
        if not per_page:
            self._memo[index] = value
        return value

    def _group(self, number: int) -> str | None:
        found = self._group_memo.get(number, "")
        if found == "":
            values = [self._value(i, None, None) for i in self.groups[number][1]]
            found = self._group_memo[number] = None if VOLATILE in values else digest("", values)
        return found

    def unchanged(self, page: Any) -> bool:
        """The page (path and base key as planned now) would render as last time."""
        entry = self.pages.get(page.path)
        if not entry:
            return False
        release = page.release
        subject = release.id if release is not None else None
        memo, value = self._memo, self._value
        try:
            key, own, numbers = entry
            values = [memo.get(i) or value(i, page, subject) for i in own]
            groups = [self._group(n) for n in numbers]
        except (ValueError, TypeError, IndexError, KeyError, AttributeError):   # a record of another shape
            return False
        if VOLATILE in values or None in groups:
            return False
        return digest(page.key, values, groups) == key

    @contextlib.contextmanager
    def checking(self, pages: Sequence[Any], jobs: int = 1, also: Callable[[Any], bool] | None = None
                 ) -> Iterator[Callable[[], list[Any]]]:
        """Check `pages` while the caller goes on (for a large site, in `jobs - 1` forked processes,
        begun now: the caller keeps a core, and checks what is left when it asks); it gets a
        function that gives the pages that would render as last time and pass `also` (a further
        test of the pages kept, made in the same processes)."""
        def kept(page: Any) -> bool:
            return self.unchanged(page) and (also is None or also(page))
        if jobs <= 1 or len(pages) < PARALLEL_REPLAY:
            yield lambda: [p for p in pages if kept(p)]
            return
        from .parallel import chunks, shared
        parts = chunks(len(pages), jobs, per_job=16, minimum=PARALLEL_REPLAY // 20)
        with shared(lambda part: [i for i in part if kept(pages[i])], parts, jobs - 1) as results:
            yield lambda: [pages[i] for found in results() for i in found]


PARALLEL_REPLAY = 4000      # below this many pages a process pool costs more than it saves


def still_valid(page: Any, key: str, own: Iterable[str], groups: Mapping[str, Iterable[str]],
                roots: Mapping[str, Any]) -> bool:
    """A page rendered earlier (its key, its own encoded paths sorted, its fragments' paths
    sorted) would render the same over the model in `roots` now: the preview's check."""
    paths = [decode(p) for p in own]
    record = {"paths": paths, "groups": [], "pages": {page.path: [key, list(range(len(paths))), []]}}
    for name in sorted(groups):
        start = len(paths)
        paths.extend(decode(p) for p in groups[name])
        record["pages"][page.path][2].append(len(record["groups"]))
        record["groups"].append([name, list(range(start, len(paths)))])
    return Replay(record, roots).unchanged(page)


class Ledger:
    """The reads of this build's pages, gathered for the next build's Replay.

    It starts from the last record's tables, so a kept page keeps its entry as it is; new
    paths and fragments are added at the end. Paths no page reads any more are dropped when
    the ones added since the last clean-up reach a fifth of the table (a clean-up costs a pass
    over every entry, which an ordinary warm build should not pay).
    """

    def __init__(self, base: Replay | None = None) -> None:
        self._paths: list[Any] = list(base.paths) if base else []     # decoded lists, or encoded strings
        self._groups: list[list] = [list(g) for g in base.groups] if base else []
        self._group_number = {g[0]: n for n, g in enumerate(self._groups)}
        self._new: dict[str, int] = {}
        self._pages: dict[str, list] = {}
        self._base = base
        self._appended = base.appended if base else 0

    def _intern(self, path: str) -> int:
        found = self._new.get(path)
        if found is None:
            found = self._new[path] = len(self._paths)
            self._paths.append(path)
            self._appended += 1
        return found

    def _group(self, name: str) -> int:
        found = self._group_number.get(name)
        if found is None:
            found = self._group_number[name] = len(self._groups)
            self._groups.append([name, []])
        return found

    def add(self, path: str, key: str, own: Iterable[str], groups: Iterable[str],
            group_reads: Mapping[str, Mapping[Path, str]]) -> None:
        """A rendered page: `own` its encoded paths, sorted; `groups` the names of the fragments
        it used, sorted; `group_reads` the fragments' reads not sent before."""
        for name, read in group_reads.items():     # a fragment's reads as rendered now win
            self._groups[self._group(name)][1] = [self._intern(p) for p in sorted(encode(p) for p in read)]
        self._pages[path] = [key, [self._intern(p) for p in own], [self._group(name) for name in groups]]

    def keep(self, path: str) -> None:
        """A page kept from the last build keeps its record (its reads gave the same values)."""
        self._pages[path] = self._base.pages[path]

    def to_json(self) -> dict:
        """The record, its paths as JSON arrays (read back whole, not one string at a time)."""
        paths, groups, pages = self._paths, self._groups, self._pages
        appended = self._appended
        if appended * 5 > len(paths) or len(pages) * 2 < len(self._base.pages if self._base else ()):
            paths, groups, pages = self._compacted()
            appended = 0
        return {"paths": [orjson.Fragment(p) if isinstance(p, str) else p for p in paths],
                "groups": groups, "pages": pages, "appended": appended}

    def _compacted(self) -> tuple[list, list, dict]:
        used_groups = sorted({n for entry in self._pages.values() for n in entry[2]})
        group_number = {old: new for new, old in enumerate(used_groups)}
        used = sorted({i for entry in self._pages.values() for i in entry[1]}
                      | {i for n in used_groups for i in self._groups[n][1]})
        number = {old: new for new, old in enumerate(used)}
        return ([self._paths[i] for i in used],
                [[self._groups[n][0], [number[i] for i in self._groups[n][1]]] for n in used_groups],
                {path: [key, [number[i] for i in own], [group_number[n] for n in names]]
                 for path, (key, own, names) in self._pages.items()})
