"""Instagram professional account through the Graph API, with plain httpx.

Instagram fetches the image itself: a media container is made from the share
image at its public URL (so only after the deploy), checked until it is
FINISHED, then published. Several images make a carousel (up to 10). Captions
are the instagram snippet; links in them are not clickable.
"""
from __future__ import annotations

import time
from typing import Mapping

import httpx

from ..config import InstagramChannel
from . import graph
from .channel import Item, MediaProblem, Posted, Rejected, RetryLater, TokenProblem, http_client, mentions

ENV_TOKEN = "HUMASGEN_INSTAGRAM_TOKEN"
ENV_USER = "HUMASGEN_INSTAGRAM_USER_ID"
STATUS_TRIES = 10
STATUS_WAIT = 3.0
TOKEN_HINT = (f"make a new token for the Instagram professional account linked to the agency's Facebook Page "
              f"(permissions instagram_basic, instagram_content_publish and pages_read_engagement; a long-lived token lasts 60 days) "
              f"and store it as the CI secret {ENV_TOKEN}")


def wait_finished(get_status, platform: str, sleep=time.sleep) -> None:
    """Poll a container until it is ready to publish (IN_PROGRESS -> FINISHED)."""
    for attempt in range(STATUS_TRIES):
        status, message = get_status()
        if status in ("FINISHED", "PUBLISHED"):
            return
        if status in ("ERROR", "EXPIRED"):
            raise MediaProblem(f"{platform} could not prepare the post: {message or status}",
                               "the image must be online at its public URL (deploy first) and be a JPEG under 8 MB")
        if attempt + 1 < STATUS_TRIES:
            sleep(STATUS_WAIT)
    raise RetryLater(f"{platform}: the post was still being prepared after {STATUS_TRIES} checks")


class Instagram:
    name = "instagram"
    can_find = True

    def __init__(self, config: InstagramChannel, env: Mapping[str, str], client: httpx.Client | None = None):
        self.token, self.user = env.get(ENV_TOKEN, ""), env.get(ENV_USER, "")
        if not self.token or not self.user:
            raise TokenProblem(f"{ENV_TOKEN} and {ENV_USER} must both be set", TOKEN_HINT)
        self.base = config.api_base.rstrip("/")
        self.client = client or http_client()

    def _call(self, method: str, path: str, what: str, **kwargs) -> dict:
        return graph.call(self.client, method, f"{self.base}/{path}", what, "Instagram", TOKEN_HINT,
                          headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def token_expiry(self):
        return graph.token_expiry(self.client, self.base, self.token)

    def find(self, item: Item) -> Posted | None:
        found = self._call("GET", f"{self.user}/media", "reading recent posts",
                           params={"fields": "id,caption,permalink", "limit": 25})
        for media in found.get("data", []):
            if mentions(media.get("caption", ""), item):
                return Posted(media["id"], media.get("permalink", ""))
        return None

    def post(self, item: Item) -> Posted:
        if not item.images:
            raise Rejected("Instagram: the release has no image, and Instagram posts need one",
                           "give the release an image, or turn on [social] images for the share card")
        if len(item.images) == 1:
            container = self._call("POST", f"{self.user}/media", "media container",
                                   data={"image_url": item.images[0].url, "caption": item.text})["id"]
        else:
            children = [self._call("POST", f"{self.user}/media", "carousel item",
                                   data={"image_url": m.url, "is_carousel_item": "true"})["id"]
                        for m in item.images]
            for child in children:
                wait_finished(lambda: self._status(child), "Instagram")
            container = self._call("POST", f"{self.user}/media", "carousel container",
                                   data={"media_type": "CAROUSEL", "children": ",".join(children),
                                         "caption": item.text})["id"]
        wait_finished(lambda: self._status(container), "Instagram")
        media_id = self._call("POST", f"{self.user}/media_publish", "publishing",
                              data={"creation_id": container})["id"]
        try:
            permalink = self._call("GET", media_id, "reading the permalink", params={"fields": "permalink"})
        except (RetryLater, Rejected):
            permalink = {}
        return Posted(media_id, permalink.get("permalink", ""))

    def _status(self, container: str) -> tuple[str, str]:
        found = self._call("GET", container, "checking the container", params={"fields": "status_code,status"})
        return found.get("status_code", ""), found.get("status", "")


def open_channel(config: InstagramChannel, env: Mapping[str, str]) -> Instagram:
    return Instagram(config, env)
