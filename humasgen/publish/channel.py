"""What every channel shares: the item to post, the errors, and an httpx helper.

This is the API a channel is written against, the built-in ones as a plugin's
(hook `publish_channels`: `{name: open(settings, env) -> Channel}`). A Channel has
`find(item)`, the post for this release among the account's recent posts (None
when there is none; `can_find = False` when the platform gives no way to look),
and `post(item)`; optionally `token_expiry()`, when the platform tells. Both raise
the errors below; the runner decides what to retry.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol

import httpx

from .. import __version__

USER_AGENT = f"humasgen/{__version__} (+publish)"
TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Media:
    url: str                    # public URL (what Instagram and Threads fetch)
    path: Path | None           # the same file in output/, when it is there
    alt: str


@dataclass(frozen=True, slots=True)
class Item:
    """One release, as one channel posts it."""
    release_id: str
    title: str
    url: str                    # canonical release URL (no tracking parameters): what `find` looks for
    link: str                   # the link in the post (with utm_ parameters)
    summary: str
    text: str                   # the platform's snippet
    images: tuple[Media, ...]
    lang: str
    hash: str


@dataclass(frozen=True, slots=True)
class Posted:
    post_id: str
    url: str = ""               # public address of the post, when the platform has one


class Channel(Protocol):
    name: str
    can_find: bool              # False: `find` cannot look (a post cut off by a crash is then left to the officer)

    def find(self, item: Item) -> Posted | None: ...
    def post(self, item: Item) -> Posted: ...


class ChannelError(Exception):
    """A failed request; `hint` says what the officer can do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class RetryLater(ChannelError):
    """429 or 5xx or no answer: try again after `after` seconds (None: our own backoff)."""

    def __init__(self, message: str, after: float | None = None, hint: str = ""):
        super().__init__(message, hint or "it is tried again automatically")
        self.after = after


class TokenProblem(ChannelError):
    """The token is missing, expired or revoked: nothing more can be posted to this channel."""


class MediaProblem(ChannelError):
    """An image could not be read, uploaded or fetched by the platform."""


class Rejected(ChannelError):
    """The platform refused this post (the next run tries again)."""


def retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date) or a reset time (epoch or ISO 8601)."""
    now = time.time() if now is None else now
    value = headers.get("retry-after")
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
        except (TypeError, ValueError):
            pass
    for name in ("ratelimit-reset", "x-rate-limit-reset", "x-ratelimit-reset"):
        value = (headers.get(name) or "").strip()
        if not value:
            continue
        if value.isdigit():
            return max(0.0, float(value) - now)
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, when.timestamp() - now)
    return None


def image_bytes(media: Media, client: httpx.Client) -> bytes:
    """The image's bytes: from output/ when it is there, else from its public URL."""
    if media.path is not None:
        try:
            return media.path.read_bytes()
        except OSError:
            pass
    try:
        response = client.get(media.url, timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise MediaProblem(f"cannot fetch the image {media.url}: {exc}",
                           "deploy the site so the image is online, or fix the image path") from None
    if response.status_code != 200:
        raise MediaProblem(f"cannot fetch the image {media.url}: HTTP {response.status_code}",
                           "deploy the site so the image is online, or fix the image path")
    return response.content


def http_client() -> httpx.Client:
    return httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT}, follow_redirects=True)


def send(client: httpx.Client, method: str, url: str, what: str,
         classify: Callable[[httpx.Response], ChannelError | None], **kwargs: Any) -> httpx.Response:
    """One request; network errors and 5xx become RetryLater, `classify` maps the platform's error bodies."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise RetryLater(f"{what}: no answer within {TIMEOUT:.0f} s") from None
    except httpx.HTTPError as exc:
        raise RetryLater(f"{what}: {exc}") from None
    if response.is_success:
        return response
    problem = classify(response)
    if problem is not None:
        raise problem
    if response.status_code == 429:
        raise RetryLater(f"{what}: too many requests (HTTP 429)", retry_after(response.headers))
    if response.status_code >= 500:
        raise RetryLater(f"{what}: HTTP {response.status_code}", retry_after(response.headers))
    raise Rejected(f"{what}: HTTP {response.status_code} {response.text[:200]}")


def mentions(text: str, item: Item) -> bool:
    """Does a post's text or link point at this release?"""
    return bool(text) and (item.url in text or item.url.rstrip("/") in text or item.title in text)
