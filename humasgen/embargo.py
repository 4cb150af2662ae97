"""Embargoed releases: built before their time only at a preview URL nobody can guess.

The URL is an HMAC of the release id under the site's secret (`embargo_secret` in
humasgen.toml, or the environment variable HUMASGEN_EMBARGO_SECRET), so it is the
same in every build and cannot be derived from the title or the slug. The page
says `noindex` and is left out of every list, feed, sitemap, search index and
social text; at the release's time it is published at its real URL like any other.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from .content import Release
from .errors import Diagnostic

PREFIX = "/pratinjau/"
ENV = "HUMASGEN_EMBARGO_SECRET"
MIN_SECRET = 16


@dataclass(frozen=True, slots=True)
class Preview:
    release: Release
    url: str            # /pratinjau/<token>/


def preview_url(release: Release, secret: str) -> str:
    token = hmac.new(secret.encode(), f"embargo:{release.id}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{PREFIX}{token}/"


def waiting(releases: Iterable[Release], now: datetime) -> list[Release]:
    """Embargoed releases whose time has not come (drafts are never previewed)."""
    return [r for r in releases if r.embargo and not r.draft and r.date > now]


def previews(releases: Iterable[Release], now: datetime, secret: str) -> tuple[Preview, ...]:
    return tuple(Preview(r, preview_url(r, secret)) for r in sorted(waiting(releases, now), key=lambda r: r.id))


def secret_problems(releases: Iterable[Release], now: datetime, secret: str) -> list[Diagnostic]:
    if len(secret) >= MIN_SECRET:
        return []
    what = "is not set" if not secret else f"is too short ({len(secret)} characters)"
    return [Diagnostic(r.source, r.lines.get("embargo"), f"the release is embargoed but the site's secret {what}",
                       f"set embargo_secret in humasgen.toml or the environment variable {ENV} to a random "
                       f"text of at least {MIN_SECRET} characters (it makes the preview URL unguessable)")
            for r in waiting(releases, now)]
