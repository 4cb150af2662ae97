"""The output folder as a build sees it: what the last build left there, and the record it keeps.

One object owns the double-buffered tree's state (which tree is live, the digest of every
file in each tree, the keys of the feeds and the reads of the pages written there): `open`
reads it, `kept` says whether a file can stay as it is, `commit` brings the idle tree up to
date and swaps it in, `save` records the result for the next build. The record lives in
`.humasgen/`, one per output folder; a record that does not match the folder on disk (a
folder replaced by hand, a build killed after its swap) is ignored, never trusted.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

from . import write
from .cache import read_json, write_json


@dataclass(frozen=True, slots=True)
class OutputTree:
    output_dir: Path
    cache_dir: Path
    state: write.TreeState = field(default_factory=write.TreeState)
    feed_keys: Mapping[str, str] = field(default_factory=dict)     # feed path -> key, as last written
    pages: Mapping[str, Any] = field(default_factory=dict)         # reads.Ledger record of the pages

    @classmethod
    def open(cls, output_dir: Path, cache_dir: Path) -> "OutputTree":
        """The folder's record, or an empty one when it does not describe the folder as it is."""
        empty = cls(output_dir, cache_dir)
        record = read_json(empty.record_path)
        if not isinstance(record, dict) or record.get("marker") != _marker_id(output_dir):
            return empty
        state = write.TreeState.from_json(record.get("state"))
        if state.live != write.live_name(output_dir):     # a build died after its swap, before recording
            return empty
        keys, pages = record.get("keys"), record.get("pages")
        return cls(output_dir, cache_dir, state, keys if isinstance(keys, dict) else {},
                   pages if isinstance(pages, dict) else {})

    @property
    def record_path(self) -> Path:
        tag = hashlib.sha256(str(self.output_dir.absolute()).encode()).hexdigest()[:16]
        return self.cache_dir / f"output-{tag}.json"

    def kept(self, path: str) -> bool:
        """The live tree has this file as the last build wrote it (not deleted by hand since)."""
        return self.recorded(path) and self.present(path)

    def recorded(self, path: str) -> bool:
        """The last build wrote this file into the live tree (kept, if it is `present` too)."""
        return path in self.state.live_hashes

    def present(self, path: str) -> bool:
        """The file is still in the live tree: a stat call (181,000 at 100,000 releases), which a
        build makes in the workers that check the pages' reads (see reads.Replay.checking)."""
        return os.path.isfile(f"{self.output_dir}/{path}")

    def feed_kept(self, path: str, key: str) -> bool:
        return self.feed_keys.get(path) == key and self.kept(path)

    def commit(self, entries: write.Entries, finalize: Callable[[Path], None] | None = None
               ) -> tuple[write.WriteStats, "OutputTree"]:
        """Write `entries` into the idle tree and swap it in (see write.commit)."""
        # The idle tree is about to change: should this build fail or be killed, the next one must
        # not trust the idle tree's recorded hashes (it would keep files this build half-updated).
        if self.state.idle_known:     # (without the pages' reads: a build that dies here renders all again)
            self._save(replace(self, state=self.state.live_only(), pages={}))
        stats, state = write.commit(self.output_dir, entries, self.state, finalize)
        return stats, replace(self, state=state)

    def with_live_file(self, rel: str, data: bytes) -> "OutputTree":
        """After a file of the live tree was replaced in place (the manifest, after announcing)."""
        return replace(self, state=self.state.with_live_file(rel, hashlib.sha256(data).hexdigest()))

    def save(self, feed_keys: Mapping[str, str], pages: Mapping[str, Any]) -> "OutputTree":
        """Record what this build wrote, for the next one."""
        done = replace(self, feed_keys=dict(feed_keys), pages=pages)
        self._save(done)
        return done

    @staticmethod
    def _save(tree: "OutputTree") -> None:
        write_json(tree.record_path, {"marker": _marker_id(tree.output_dir), "state": tree.state.to_json(),
                                      "keys": dict(tree.feed_keys), "pages": tree.pages})


def _marker_id(output_dir: Path) -> list[int] | None:
    try:
        stat = (output_dir / write.MARKER).stat()
    except OSError:
        return None
    return [stat.st_ino, stat.st_mtime_ns]
