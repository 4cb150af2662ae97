"""Threads through the Threads API (graph.threads.net), with plain httpx.

Like Instagram: a container (IMAGE with the share image's public URL, or TEXT),
checked until FINISHED, then threads_publish. The token (threads_basic,
threads_content_publish) is long-lived for 60 days; set `token_expires` to be
warned a week before.
"""
from __future__ import annotations

from typing import Mapping

import httpx

from ..config import ThreadsChannel
from . import graph
from .channel import Item, Posted, Rejected, RetryLater, TokenProblem, http_client, mentions
from .instagram import wait_finished

ENV_TOKEN = "HUMASGEN_THREADS_TOKEN"
ENV_USER = "HUMASGEN_THREADS_USER_ID"
TOKEN_HINT = (f"make a new long-lived Threads token (Meta for Developers -> your app -> Threads API, permissions "
              f"threads_basic and threads_content_publish; it lasts 60 days) and store it as the CI secret {ENV_TOKEN}")


class Threads:
    name = "threads"
    can_find = True

    def __init__(self, config: ThreadsChannel, env: Mapping[str, str], client: httpx.Client | None = None):
        self.token, self.user = env.get(ENV_TOKEN, ""), env.get(ENV_USER, "me")
        if not self.token:
            raise TokenProblem(f"{ENV_TOKEN} is not set", TOKEN_HINT)
        self.base = config.api_base.rstrip("/")
        self.client = client or http_client()

    def _call(self, method: str, path: str, what: str, **kwargs) -> dict:
        return graph.call(self.client, method, f"{self.base}/{path}", what, "Threads", TOKEN_HINT,
                          headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def find(self, item: Item) -> Posted | None:
        found = self._call("GET", f"{self.user}/threads", "reading recent posts",
                           params={"fields": "id,text,permalink", "limit": 25})
        for post in found.get("data", []):
            if mentions(post.get("text", ""), item):
                return Posted(post["id"], post.get("permalink", ""))
        return None

    def post(self, item: Item) -> Posted:
        data = {"media_type": "TEXT", "text": item.text}
        if item.images:
            data = {"media_type": "IMAGE", "image_url": item.images[0].url, "text": item.text}
        container = self._call("POST", f"{self.user}/threads", "container", data=data)["id"]
        wait_finished(lambda: self._status(container), "Threads")
        post_id = self._call("POST", f"{self.user}/threads_publish", "publishing",
                             data={"creation_id": container})["id"]
        try:
            permalink = self._call("GET", post_id, "reading the permalink", params={"fields": "permalink"})
        except (RetryLater, Rejected):
            permalink = {}
        return Posted(post_id, permalink.get("permalink", ""))

    def _status(self, container: str) -> tuple[str, str]:
        found = self._call("GET", container, "checking the container", params={"fields": "status,error_message"})
        return found.get("status", ""), found.get("error_message", "")


def open_channel(config: ThreadsChannel, env: Mapping[str, str]) -> Threads:
    return Threads(config, env)
