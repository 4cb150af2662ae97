"""X through API v2, with plain httpx. Off by default: X charges per post.

POST /2/tweets with the x snippet (the link makes X's card from the page's
Twitter tags). The token is an OAuth 2.0 user access token with tweet.write,
tweet.read and users.read; it lasts 2 hours unless refreshed, so CI needs a
token refreshed by the agency's own tooling (see the guide). Recent posts are
read from /2/users/{id}/tweets, matching the expanded link.
"""
from __future__ import annotations

from typing import Mapping

import httpx

from ..config import XChannel
from .channel import ChannelError, Item, Posted, Rejected, RetryLater, TokenProblem, http_client, mentions, \
    retry_after, send

ENV_TOKEN = "HUMASGEN_X_TOKEN"
TOKEN_HINT = (f"make a new OAuth 2.0 user access token for the agency's X account (developer portal, scopes "
              f"tweet.read, tweet.write, users.read) and store it as the CI secret {ENV_TOKEN}")


def _classify(response: httpx.Response) -> ChannelError | None:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") or body.get("title") or ""
    if response.status_code == 401:
        return TokenProblem(f"X: {detail or 'Unauthorized'}", "the token expired or was revoked: " + TOKEN_HINT)
    if response.status_code == 403:
        return TokenProblem(f"X: {detail or 'Forbidden'}", "the app needs write access and a plan that allows posting")
    if response.status_code == 429:
        return RetryLater(f"X: {detail or 'Too Many Requests'}", retry_after(response.headers))
    if response.status_code >= 500:
        return RetryLater(f"X: HTTP {response.status_code} {detail}".strip(), retry_after(response.headers))
    if response.status_code >= 400:
        return Rejected(f"X: {detail or response.status_code}")
    return None


class X:
    name = "x"
    can_find = True

    def __init__(self, config: XChannel, env: Mapping[str, str], client: httpx.Client | None = None):
        self.token = env.get(ENV_TOKEN, "")
        if not self.token:
            raise TokenProblem(f"{ENV_TOKEN} is not set", TOKEN_HINT)
        self.base = config.api_base.rstrip("/")
        self.client = client or http_client()
        self.user = ""

    def _call(self, method: str, path: str, what: str, **kwargs) -> dict:
        return send(self.client, method, f"{self.base}/2/{path}", f"X {what}", _classify,
                    headers={"Authorization": f"Bearer {self.token}"}, **kwargs).json()

    def find(self, item: Item) -> Posted | None:
        if not self.user:
            self.user = self._call("GET", "users/me", "checking the token")["data"]["id"]
        found = self._call("GET", f"users/{self.user}/tweets", "reading recent posts",
                           params={"max_results": 20, "tweet.fields": "entities"})
        for tweet in found.get("data", []):
            links = " ".join(u.get("expanded_url", "") for u in tweet.get("entities", {}).get("urls", []))
            if mentions(tweet.get("text", ""), item) or mentions(links, item):
                return Posted(tweet["id"], f"https://x.com/i/web/status/{tweet['id']}")
        return None

    def post(self, item: Item) -> Posted:
        made = self._call("POST", "tweets", "posting", json={"text": item.text})
        tweet_id = made["data"]["id"]
        return Posted(tweet_id, f"https://x.com/i/web/status/{tweet_id}")


def open_channel(config: XChannel, env: Mapping[str, str]) -> X:
    return X(config, env)
