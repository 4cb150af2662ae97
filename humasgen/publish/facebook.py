"""Facebook Page through the Graph API, with plain httpx.

A link post (`/{page-id}/feed` with message and link: Facebook draws the card
from the release page's Open Graph tags) or, with `post_as = "photo"`, a photo
post of the share image (`/{page-id}/photos` with its public URL and a caption).
The token is a Page access token with pages_manage_posts and pages_read_engagement;
made from a long-lived user token it does not expire (checked with /debug_token).
"""
from __future__ import annotations

from typing import Mapping

import httpx

from ..config import FacebookChannel
from . import graph
from .channel import Item, Posted, TokenProblem, http_client, mentions

ENV_TOKEN = "HUMASGEN_FACEBOOK_TOKEN"
ENV_PAGE = "HUMASGEN_FACEBOOK_PAGE_ID"
TOKEN_HINT = (f"make a new Page access token (Meta for Developers -> Graph API Explorer, permissions "
              f"pages_manage_posts and pages_read_engagement, exchanged for a long-lived token) and store it "
              f"as the CI secret {ENV_TOKEN}")


class Facebook:
    name = "facebook"
    can_find = True

    def __init__(self, config: FacebookChannel, env: Mapping[str, str], client: httpx.Client | None = None):
        self.token, self.page = env.get(ENV_TOKEN, ""), env.get(ENV_PAGE, "")
        if not self.token or not self.page:
            raise TokenProblem(f"{ENV_TOKEN} and {ENV_PAGE} must both be set", TOKEN_HINT)
        self.base = config.api_base.rstrip("/")
        self.photo = config.post_as == "photo"
        self.client = client or http_client()

    def _call(self, method: str, path: str, what: str, **kwargs) -> dict:
        return graph.call(self.client, method, f"{self.base}/{path}", what, "Facebook", TOKEN_HINT,
                          headers={"Authorization": f"Bearer {self.token}"}, **kwargs)

    def token_expiry(self):
        return graph.token_expiry(self.client, self.base, self.token)

    def find(self, item: Item) -> Posted | None:
        found = self._call("GET", f"{self.page}/posts", "reading recent posts",
                           params={"fields": "id,message,permalink_url", "limit": 25})
        for post in found.get("data", []):
            if mentions(post.get("message", ""), item):
                return Posted(post["id"], post.get("permalink_url", ""))
        return None

    def post(self, item: Item) -> Posted:
        if self.photo and item.images:
            made = self._call("POST", f"{self.page}/photos", "photo post",
                              data={"url": item.images[0].url, "caption": item.text})
            post_id = made.get("post_id") or made["id"]
        else:
            post_id = self._call("POST", f"{self.page}/feed", "link post",
                                 data={"message": item.text, "link": item.link})["id"]
        page, _, number = post_id.partition("_")
        return Posted(post_id, f"https://www.facebook.com/{page}/posts/{number}" if number else "")


def open_channel(config: FacebookChannel, env: Mapping[str, str]) -> Facebook:
    return Facebook(config, env)
