"""Bluesky through the `atproto` client, on any PDS (`service`).

A post with the bluesky snippet, link and hashtag facets at their UTF-8 byte
offsets (what the AT Protocol counts), and an external link card whose thumbnail
is uploaded as a blob, re-encoded smaller when it is over the 1,000,000-byte
blob limit (a PDS answers `BlobTooLarge` otherwise). The token is an app
password (Settings -> Privacy and security -> App passwords): it does not expire.
"""
from __future__ import annotations

import io
from typing import Any, Callable, Iterable, Mapping

import httpx
from atproto import Client, Session, models
from atproto_client import exceptions as atx
from PIL import Image

from ..config import BlueskyChannel
from ..social import counting
from .channel import Item, MediaProblem, Posted, Rejected, RetryLater, TokenProblem, \
    http_client, image_bytes, mentions, retry_after

ENV_HANDLE = "HUMASGEN_BLUESKY_HANDLE"
ENV_TOKEN = "HUMASGEN_BLUESKY_TOKEN"
BLOB_LIMIT = 1_000_000          # app.bsky.embed.external#external: thumb maxSize
TOKEN_HINT = (f"create an app password in Bluesky (Settings -> Privacy and security -> App passwords) and store "
              f"it as the CI secret {ENV_TOKEN}, with the account's handle in {ENV_HANDLE}")


def byte_facets(text: str) -> list[models.AppBskyRichtextFacet.Main]:
    """Link and hashtag facets; the AT Protocol indexes text by UTF-8 bytes, not characters."""
    data = text.encode("utf-8")
    links = _facets(data, counting.urls(text), lambda url: models.AppBskyRichtextFacet.Link(uri=url))
    tags = _facets(data, counting.hashtags(text), lambda tag: models.AppBskyRichtextFacet.Tag(tag=tag[1:]))
    return sorted([*links, *tags], key=lambda f: f.index.byte_start)


def _facets(data: bytes, found: Iterable[str], feature: Callable[[str], Any]) -> list[models.AppBskyRichtextFacet.Main]:
    """A facet for each of `found` (in text order) at its byte range in `data`."""
    facets = []
    position = 0
    for item in found:
        start = data.find(item.encode("utf-8"), position)
        if start < 0:
            continue
        position = start + len(item.encode("utf-8"))
        facets.append(models.AppBskyRichtextFacet.Main(
            index=models.AppBskyRichtextFacet.ByteSlice(byte_start=start, byte_end=position), features=[feature(item)]))
    return facets


def fit_blob(data: bytes, limit: int = BLOB_LIMIT) -> bytes:
    """The image as a JPEG under `limit` bytes (smaller and lower quality until it fits)."""
    if len(data) <= limit:
        return data
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, ValueError) as exc:
        raise MediaProblem(f"the image cannot be read: {exc}", "use a JPEG or PNG release image") from None
    image = image.convert("RGB")
    for quality, scale in ((85, 1.0), (80, 0.8), (75, 0.6), (70, 0.45), (60, 0.3)):
        resized = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))))
        out = io.BytesIO()
        resized.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= limit:
            return out.getvalue()
    raise MediaProblem("the image stays over Bluesky's 1,000,000-byte limit", "use a smaller release image")


class Bluesky:
    name = "bluesky"
    can_find = True

    def __init__(self, config: BlueskyChannel, env: Mapping[str, str], http: httpx.Client | None = None):
        self.handle, self.password = env.get(ENV_HANDLE, ""), env.get(ENV_TOKEN, "")
        if not self.handle or not self.password:
            raise TokenProblem(f"{ENV_HANDLE} and {ENV_TOKEN} must both be set", TOKEN_HINT)
        self.client = Client(base_url=config.service)
        self.http = http or http_client()
        self.did = ""

    def _login(self) -> None:
        if not self.did:
            _call(lambda: self.client.login(self.handle, self.password, fetch_bsky_profile=False), "login")
            self.did = Session.decode(self.client.export_session_string()).did

    def find(self, item: Item) -> Posted | None:
        self._login()
        feed = _call(lambda: self.client.get_author_feed(actor=self.did, limit=30), "reading recent posts")
        for entry in feed.feed:
            record = entry.post.record
            external = getattr(getattr(record, "embed", None), "external", None)
            if mentions(getattr(record, "text", ""), item) or (external and mentions(external.uri, item)):
                return self._posted(entry.post.uri)
        return None

    def post(self, item: Item) -> Posted:
        self._login()
        thumb = None
        if item.images:
            data = fit_blob(image_bytes(item.images[0], self.http))
            thumb = _call(lambda: self.client.upload_blob(data), "uploading the image").blob
        embed = models.AppBskyEmbedExternal.Main(external=models.AppBskyEmbedExternal.External(
            uri=item.link, title=item.title, description=item.summary[:300], thumb=thumb))
        created = _call(lambda: self.client.send_post(item.text, profile_identify=self.did, embed=embed,
                                                      langs=[item.lang], facets=byte_facets(item.text) or None),
                        "posting")
        return self._posted(created.uri)

    def _posted(self, uri: str) -> Posted:
        rkey = uri.rsplit("/", 1)[-1]
        return Posted(uri, f"https://bsky.app/profile/{self.did}/post/{rkey}")


def _call(request, what: str):
    try:
        return request()
    except atx.RateLimitExceededError as exc:
        headers = exc.response.headers if exc.response else {}
        raise RetryLater(f"Bluesky {what}: rate limit exceeded", retry_after(headers)) from None
    except atx.UnauthorizedError as exc:
        raise TokenProblem(f"Bluesky {what}: {_detail(exc)}", "the app password was revoked or is wrong: "
                           + TOKEN_HINT) from None
    except atx.BadRequestError as exc:
        detail = _detail(exc)
        if "Blob" in detail or "image" in detail.lower():
            raise MediaProblem(f"Bluesky {what}: {detail}", "use a smaller release image") from None
        if "AuthFactor" in detail or "AccountTakedown" in detail or "Invalid identifier" in detail:
            raise TokenProblem(f"Bluesky {what}: {detail}", TOKEN_HINT) from None
        raise Rejected(f"Bluesky {what}: {detail}") from None
    except (atx.NetworkError, atx.InvokeTimeoutError) as exc:
        raise RetryLater(f"Bluesky {what}: {_detail(exc) or 'no answer'}") from None
    except atx.RequestException as exc:
        status = exc.response.status_code if exc.response else 0
        if status >= 500 or not status:
            raise RetryLater(f"Bluesky {what}: HTTP {status} {_detail(exc)}".strip()) from None
        raise Rejected(f"Bluesky {what}: HTTP {status} {_detail(exc)}") from None


def _detail(exc: Exception) -> str:
    content = getattr(getattr(exc, "response", None), "content", None)
    if content is not None and hasattr(content, "error"):
        return f"{content.error}: {content.message}" if content.message else str(content.error)
    return str(content or exc.__cause__ or "")


def open_channel(config: BlueskyChannel, env: Mapping[str, str]) -> Bluesky:
    return Bluesky(config, env)
