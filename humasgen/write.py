"""Outputs -> output/: atomic, and touching only what changed.

Directory operations are the slowest thing a build does (a 10,000-release site
has 18,000 folders), so a warm build must not recreate the tree. The output is
double-buffered: after the second build `output` is a symbolic link to one of
two sibling trees, `.output.a` and `.output.b`. A build brings the idle tree up
to date (it lags one build behind, so only recently changed files are written)
and then flips the link with one atomic rename. A killed build never touches
the live tree. The very first build writes a plain folder, which is what a
fresh CI checkout deploys.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Union

from .errors import HumasgenError

MARKER = "manifest.json"   # every humasgen output has one; we never replace a folder without it
TREES = ("a", "b")


@dataclass(frozen=True, slots=True)
class Written:
    """A file a worker process already wrote into the fresh tree (see `put`), with its digest."""
    digest: str


# What a path should hold: bytes, a source file to copy, None for "as in the live tree", or Written.
Content = Union[bytes, Path, None, Written]
# The outputs, given the empty tree of a first build (workers may `put` files there themselves),
# or None when a tree is updated from the live one and only changed files may be written.
Entries = Callable[[Union[Path, None]], Iterable[tuple[str, Content]]]


def put(tree: Path, rel: str, data: bytes) -> Written:
    """Write a file straight into a fresh tree: nobody reads it before the swap, so no temporary file.

    Render workers call this so that a cold build's 20,000 mkdir and write calls run on every core.
    """
    path = tree / rel
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return Written(hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int = 0
    linked: int = 0
    kept: int = 0
    removed: int = 0


@dataclass(frozen=True, slots=True)
class TreeState:
    """Which tree is live and the digest of every file in each tree, as last written."""
    live: str = ""                                          # "a", "b", or "" for a plain folder
    hashes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def _live_key(self) -> str:
        return self.live or "plain"

    @property
    def live_hashes(self) -> Mapping[str, str]:
        return self.hashes.get(self._live_key, {})

    def with_live_file(self, rel: str, digest: str) -> "TreeState":
        """The state after a file of the live tree was replaced in place (the manifest, after announcing)."""
        return TreeState(self.live, {**self.hashes, self._live_key: {**self.live_hashes, rel: digest}})

    @property
    def idle_known(self) -> bool:
        return any(name != self._live_key for name in self.hashes)

    def live_only(self) -> "TreeState":
        """This state with the idle tree forgotten (it is about to be written)."""
        key = self._live_key
        return TreeState(self.live, {key: self.hashes[key]} if key in self.hashes else {})

    def to_json(self) -> dict:
        """The trees' digests; the second tree as its differences from the first (they list the
        same files but for what the last build changed: half the record, half the memory to read it)."""
        hashes: dict[str, Any] = {k: dict(v) for k, v in self.hashes.items()}
        first, second = TREES
        if first in hashes and second in hashes:
            base, other = hashes[first], hashes[second]
            hashes[second] = {"differs": {path: digest for path, digest in other.items() if base.get(path) != digest},
                              "absent": sorted(path for path in base if path not in other)}
        return {"live": self.live, "hashes": hashes}

    @classmethod
    def from_json(cls, data: object) -> "TreeState":
        from .safety.cachefiles import str_map
        if not isinstance(data, dict) or not isinstance(data.get("hashes"), dict) \
                or data.get("live") not in ("", None, *TREES):
            return cls()
        first, second = TREES
        written = data["hashes"]
        hashes = {name: str_map(files) for name, files in written.items() if name in ("plain", first)}
        other = written.get(second)
        if isinstance(other, dict) and "differs" in other:
            absent, differs = other.get("absent"), other["differs"]
            if first in hashes and isinstance(absent, list) and all(isinstance(path, str) for path in absent) \
                    and str_map(differs) is differs:     # else the tree is unknown: written afresh
                gone = set(absent)
                hashes[second] = {**{path: digest for path, digest in hashes[first].items() if path not in gone},
                                  **differs}
        elif other is not None:         # a record of an earlier version: the tree in full
            hashes[second] = str_map(other)
        return cls(str(data.get("live") or ""), hashes)


def tree_dir(output_dir: Path, name: str) -> Path:
    return output_dir.parent / f".{output_dir.name}.{name}"


def live_name(output_dir: Path) -> str | None:
    """'a'/'b' when output is our link, '' for a plain folder, None when there is no output."""
    if output_dir.is_symlink():
        target = os.readlink(output_dir)
        for name in TREES:
            if target == tree_dir(output_dir, name).name:
                return name
        raise HumasgenError.single(str(output_dir), None, f"the output is a link to {target}, not made by humasgen",
                                   "remove the link or choose another --output")
    return "" if output_dir.exists() else None


def check_target(output_dir: Path, site_dir: Path) -> None:
    """Refuse to replace a folder humasgen did not make, or one holding the site."""
    out, site = output_dir.absolute(), site_dir.resolve()
    if out.resolve() == site or out.resolve() in site.parents:
        raise HumasgenError.single(str(output_dir), None, "the output folder contains the site itself",
                                   "choose another --output, e.g. output/")
    if live_name(output_dir) == "" and out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise HumasgenError.single(str(output_dir), None,
                                   "the output folder exists and was not made by humasgen",
                                   "move it away or choose another --output; humasgen replaces the whole folder")


def recover(output_dir: Path) -> None:
    """Undo what a killed build left: half-written new trees, a link not yet made."""
    for stale in output_dir.parent.glob(f".{output_dir.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if not output_dir.exists() and not output_dir.is_symlink():
        first = tree_dir(output_dir, TREES[0])
        if first.is_dir() and not tree_dir(output_dir, TREES[1]).exists():
            os.symlink(first.name, output_dir)   # killed between converting and linking


def commit(output_dir: Path, entries: Entries, state: TreeState,
           finalize: Callable[[Path], None] | None = None) -> tuple[WriteStats, TreeState]:
    """Make output/ hold exactly `entries`, atomically. `state` is what the last build recorded.

    `finalize(tree)` runs on the complete new tree before it goes live (the search indexer);
    what it writes is its own business, not recorded in `state`. If it raises, the old output stays.
    """
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(output_dir)
    live = live_name(output_dir)
    if live is None:
        return _fresh(output_dir, entries, finalize)
    if live == "":
        live = _convert(output_dir)
        state = TreeState(live, {live: state.hashes.get("plain", {})})
    elif state.live == "" and live not in state.hashes:
        # Converted by a build that failed before recording it: the live tree is the recorded plain folder.
        state = TreeState(live, {live: state.hashes.get("plain", {})})
    idle = TREES[1] if live == TREES[0] else TREES[0]
    idle_dir = tree_dir(output_dir, idle)
    # Should this fail or be killed, the idle tree no longer matches its record: the build forgets the
    # idle tree's hashes before calling commit (see build.py), so the next build rewrites it.
    stats, written = _update(idle_dir, tree_dir(output_dir, live), entries,
                             state.hashes.get(live, {}), state.hashes.get(idle))
    if finalize is not None:
        finalize(idle_dir)
    link = output_dir.parent / f".{output_dir.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(tree_dir(output_dir, idle).name, link)
    os.replace(link, output_dir)
    return stats, TreeState(idle, {live: state.hashes.get(live, {}), idle: written})


def _fresh(output_dir: Path, entries: Entries,
           finalize: Callable[[Path], None] | None) -> tuple[WriteStats, TreeState]:
    for name in TREES:    # trees of an output someone deleted
        shutil.rmtree(tree_dir(output_dir, name), ignore_errors=True)
    new_dir = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.new-", dir=output_dir.parent))
    try:
        stats, written = _update(new_dir, None, entries, {}, None)
        if finalize is not None:
            finalize(new_dir)
        os.chmod(new_dir, 0o755)
        os.rename(new_dir, output_dir)
    except BaseException:
        shutil.rmtree(new_dir, ignore_errors=True)
        raise
    return stats, TreeState("", {"plain": written})


def _convert(output_dir: Path) -> str:
    """A plain output folder becomes tree 'a' behind a link (second build of a checkout)."""
    first = tree_dir(output_dir, TREES[0])
    shutil.rmtree(first, ignore_errors=True)
    shutil.rmtree(tree_dir(output_dir, TREES[1]), ignore_errors=True)
    os.rename(output_dir, first)
    os.symlink(first.name, output_dir)
    return TREES[0]


def _digest(content: Content, live_hashes: Mapping[str, str], rel: str) -> str:
    if isinstance(content, Written):
        return content.digest
    if content is None:
        return live_hashes[rel]
    if isinstance(content, Path):
        stat = content.stat()
        return f"copy:{stat.st_size}:{stat.st_mtime_ns}"
    return hashlib.sha256(content).hexdigest()


def _update(target: Path, live: Path | None, entries: Entries,
            live_hashes: Mapping[str, str], known: Mapping[str, str] | None) -> tuple[WriteStats, dict[str, str]]:
    """Bring `target` to hold `entries`; `known` is its recorded content (None: unknown, start over)."""
    fresh = known is None or not target.is_dir()
    if fresh:
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        known = {}
    dirs = {rel.rpartition("/")[0] for rel in known}      # folders that exist in target
    dirs.add("")
    written = linked = kept = 0
    out: dict[str, str] = {}
    # With a live tree beside it, unchanged bytes are linked from there rather than written anew.
    for rel, content in entries(target if fresh and live is None else None):
        if rel in out:
            raise RuntimeError(f"two outputs for {rel}")   # build checks collisions first
        digest = _digest(content, live_hashes, rel)
        out[rel] = digest
        if isinstance(content, Written):
            written += 1
            continue
        if known.get(rel) == digest:
            kept += 1
            continue
        path = target / rel
        folder = rel.rpartition("/")[0]
        if folder not in dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            dirs.add(folder)
        if live is not None and live_hashes.get(rel) == digest and _replace_with_link(live / rel, path):
            linked += 1
            continue
        if content is None:
            raise RuntimeError(f"cannot keep {rel}: it is missing from the live output")
        tmp = path.with_name(f".{path.name}.tmp")
        try:
            if isinstance(content, Path):
                shutil.copyfile(content, tmp)
            else:
                tmp.write_bytes(content)
            os.replace(tmp, path)
        except BaseException as exc:
            tmp.unlink(missing_ok=True)     # a full disk must not leave a large half file behind
            if isinstance(exc, OSError) and exc.filename is None:
                exc.filename = str(path)    # write() errors name no file: say which one
            raise
        written += 1
    removed = 0
    for rel in sorted(set(known) - set(out), reverse=True):
        path = target / rel
        path.unlink(missing_ok=True)
        removed += 1
        _prune(path.parent, target)
    return WriteStats(written, linked, kept, removed), out


def _replace_with_link(source: Path, path: Path) -> bool:
    tmp = path.with_name(f".{path.name}.lnk")
    try:
        if tmp.exists():
            tmp.unlink()
        os.link(source, tmp)
    except OSError:
        return False
    os.replace(tmp, path)
    return True


def _prune(directory: Path, root: Path) -> None:
    while directory != root:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent
