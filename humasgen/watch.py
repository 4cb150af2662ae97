"""Watch a site's sources with watchdog and report bursts of changes as one.

Editors write a temp file and rename it; `git checkout` touches hundreds of files.
Events are collected until the site has been quiet for `debounce` seconds, then
`on_change` gets the set of changed site-relative paths (None when a directory moved
or vanished: then anything may have changed). Only content/, static/, themes/,
hooks.py and humasgen.toml are watched, never output/ or .humasgen/ (the preview's
own cache writes would wake it again).
"""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

WATCHED_DIRS = ("content", "static", "themes")
WATCHED_FILES = ("humasgen.toml", "hooks.py")
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swpx", ".tmp", ".part", ".crdownload")


def relevant(rel: str) -> bool:
    """Whether a site-relative path is a source of the site (editor temp files are not)."""
    parts = rel.split("/")
    name = parts[-1]
    if name.startswith((".#", "#")) or name.endswith(_TEMP_SUFFIXES) or name == "4913":  # vim's probe file
        return False
    return parts[0] in WATCHED_DIRS or rel in WATCHED_FILES


class Watcher:
    """A watchdog observer plus a thread that turns bursts of events into one call."""

    def __init__(self, site_dir: Path, on_change: Callable[[set[str] | None], object], *,
                 poll: bool = False, debounce: float = 0.1) -> None:
        self.site_dir = site_dir.resolve()
        self.on_change = on_change
        self.debounce = debounce
        self.observer = PollingObserver(timeout=0.5) if poll else Observer()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pending: set[str] | None = set()
        self._last = 0.0                            # monotonic time of the last relevant event
        self._watched: set[str] = set()
        self._thread = threading.Thread(target=self._run, name="humasgen-watch", daemon=True)

    def start(self) -> None:
        handler = _Handler(self)
        self._handler = handler
        self.observer.schedule(handler, str(self.site_dir), recursive=False)
        for name in WATCHED_DIRS:
            self._watch_dir(name)
        self.observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self.observer.stop()
        self.observer.join(timeout=5)
        self._thread.join(timeout=5)

    def _watch_dir(self, name: str) -> None:
        path = self.site_dir / name
        if name not in self._watched and path.is_dir():
            self.observer.schedule(self._handler, str(path), recursive=True)
            self._watched.add(name)

    def _note(self, event: FileSystemEvent) -> None:
        paths = [event.src_path, getattr(event, "dest_path", "")]
        for raw in filter(None, paths):
            raw = raw.decode() if isinstance(raw, bytes) else raw
            try:
                rel = Path(raw).relative_to(self.site_dir).as_posix()
            except ValueError:
                continue
            if rel in WATCHED_DIRS and event.is_directory:
                self._watch_dir(rel)          # content/ (or static/, themes/) appeared after start
            if not relevant(rel):
                continue
            with self._lock:
                if event.is_directory and event.event_type in ("moved", "deleted", "created"):
                    self._pending = None      # a whole folder came or went: rescan
                elif self._pending is not None and not event.is_directory:
                    self._pending.add(rel)
                elif self._pending is not None and event.event_type != "modified":
                    self._pending = None
                else:
                    continue
                self._last = time.monotonic()
            self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            while not self._stopping.is_set():         # until `debounce` has passed since the last event
                with self._lock:
                    quiet = self._last + self.debounce - time.monotonic()
                    if quiet <= 0:
                        self._wake.clear()
                        changed, self._pending = self._pending, set()
                        break
                self._stopping.wait(quiet)
            if self._stopping.is_set():
                return
            self.on_change(changed)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        self.watcher._note(event)
