"""`humasgen due`: is a scheduled CI run worth a build? (A cheap step before the expensive one.)

A 15-minute schedule starts ~96 runs a day. Most find nothing to publish: the
deployed manifest.json says when the next scheduled (or embargoed) release
goes out, and until then a build would publish the same bytes. This reads that
manifest and compares its `next_scheduled` with now.

Build (exit 0) unless the answer is certainly "nothing due": no manifest yet
(HTTP 404: the first deploy), one that cannot be read, or a pending record all
mean build, and the build itself says what is wrong.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

FETCH_TIMEOUT = 20      # seconds
NOT_DUE = 3             # exit code: nothing due, skip the build (0: build; 2: usage error)


@dataclass(frozen=True, slots=True)
class Verdict:
    due: bool
    reason: str


def decide(previous: str, now: datetime) -> Verdict:
    """Whether a build is due at `now`, given the deployed manifest at `previous` (URL or path)."""
    try:
        data = _read(previous)
    except FileNotFoundError:
        return Verdict(True, f"no manifest at {previous} yet: first deploy, build")
    except OSError as exc:
        return Verdict(True, f"cannot read {previous} ({exc}): build (the build reports the problem)")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Verdict(True, f"{previous} is not valid JSON: build (the build reports the problem)")
    if not isinstance(doc, dict) or doc.get("pending") is True or "next_scheduled" not in doc:
        return Verdict(True, f"{previous} records no finished build: build")
    value = doc["next_scheduled"]
    if value is None:
        return Verdict(False, "nothing is scheduled: nothing to build (a push builds as usual)")
    try:
        when = datetime.fromisoformat(str(value))
    except ValueError:
        return Verdict(True, f"{previous} has an unreadable next_scheduled {value!r}: build")
    if when.tzinfo is None:
        return Verdict(True, f"{previous} has next_scheduled {value!r} without a timezone: build")
    if when <= now:
        return Verdict(True, f"the release scheduled for {when.isoformat()} is due: build")
    return Verdict(False, f"the next scheduled release is at {when.isoformat()}: nothing to build yet")


def _read(source: str) -> bytes:
    """The manifest's bytes; FileNotFoundError for HTTP 404 or a missing file."""
    if not source.startswith(("http://", "https://")):
        path = Path(source)
        return (path / "manifest.json" if path.is_dir() else path).read_bytes()
    request = urllib.request.Request(source, headers={"User-Agent": "humasgen", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise FileNotFoundError(source) from None
        raise OSError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise OSError(str(exc.reason)) from None
