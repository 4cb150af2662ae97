"""Mastodon through `Mastodon.py`, on the agency's instance (`instance`).

Images are uploaded with their alt text (at most 4), then the status is posted
with an `Idempotency-Key` made from the release and its content: a retry of the
same post within the server's window (an hour on Mastodon) returns the first
status instead of a second one. Past that window, the account's recent statuses
are searched for the release URL before posting again. The threads snippet is
used (Mastodon's default limit is 500 characters, like Threads').
"""
from __future__ import annotations

import hashlib
import io
import time
from typing import Mapping

import httpx
from mastodon import Mastodon
from mastodon import errors as mx

from ..config import MastodonChannel
from .channel import Item, MediaProblem, Posted, Rejected, RetryLater, TokenProblem, http_client, image_bytes, \
    mentions

ENV_TOKEN = "HUMASGEN_MASTODON_TOKEN"
MAX_MEDIA = 4
TOKEN_HINT = (f"on your instance: Preferences -> Development -> New application, scopes write:statuses, "
              f"write:media and read:statuses; store its access token as the CI secret {ENV_TOKEN}")


def idempotency_key(item: Item) -> str:
    return "humasgen-" + hashlib.sha256(f"{item.release_id}\n{item.hash}".encode()).hexdigest()[:40]


class MastodonPoster:
    name = "mastodon"
    can_find = True

    def __init__(self, config: MastodonChannel, env: Mapping[str, str], http: httpx.Client | None = None):
        token = env.get(ENV_TOKEN, "")
        if not token:
            raise TokenProblem(f"{ENV_TOKEN} is not set", TOKEN_HINT)
        self.api = Mastodon(access_token=token, api_base_url=config.instance.rstrip("/"), ratelimit_method="throw",
                            request_timeout=30, version_check_mode="none", mastodon_version="4.3.0")
        self.http = http or http_client()
        self.account = None

    def _call(self, request, what: str):
        try:
            return request()
        except mx.MastodonRatelimitError:
            reset = getattr(self.api, "ratelimit_reset", None)
            after = max(0.0, reset - time.time()) if reset else None
            raise RetryLater(f"Mastodon {what}: rate limit reached", after) from None
        except mx.MastodonUnauthorizedError as exc:
            raise TokenProblem(f"Mastodon {what}: {_detail(exc)}", "the token was revoked or lacks a scope: "
                               + TOKEN_HINT) from None
        except (mx.MastodonServerError, mx.MastodonNetworkError) as exc:
            raise RetryLater(f"Mastodon {what}: {_detail(exc)}") from None
        except mx.MastodonAPIError as exc:
            status = exc.args[1] if len(exc.args) > 1 else 0
            if status == 403:
                raise TokenProblem(f"Mastodon {what}: {_detail(exc)}", TOKEN_HINT) from None
            if what.startswith("uploading") and status in (413, 415, 422):
                raise MediaProblem(f"Mastodon {what}: {_detail(exc)}", "use a JPEG or PNG under 8 MB") from None
            raise Rejected(f"Mastodon {what}: {_detail(exc)}") from None

    def find(self, item: Item) -> Posted | None:
        if self.account is None:
            self.account = self._call(self.api.account_verify_credentials, "checking the token")
        for status in self._call(lambda: self.api.account_statuses(self.account["id"], limit=40),
                                 "reading recent statuses"):
            if mentions(status.get("content", ""), item):
                return Posted(str(status["id"]), status.get("url") or "")
        return None

    def post(self, item: Item) -> Posted:
        media_ids = []
        for media in item.images[:MAX_MEDIA]:
            data = image_bytes(media, self.http)
            uploaded = self._call(lambda: self.api.media_post(io.BytesIO(data), mime_type="image/jpeg",
                                                              description=media.alt or item.title,
                                                              file_name="image.jpg"), "uploading an image")
            media_ids.append(uploaded["id"])
        status = self._call(lambda: self.api.status_post(item.text, media_ids=media_ids or None,
                                                         language=item.lang[:2],
                                                         idempotency_key=idempotency_key(item)), "posting")
        return Posted(str(status["id"]), status.get("url") or "")


def _detail(exc: Exception) -> str:
    args = [str(a) for a in exc.args[1:] if a]
    return " ".join(args) or str(exc)


def open_channel(config: MastodonChannel, env: Mapping[str, str]) -> MastodonPoster:
    return MastodonPoster(config, env)
